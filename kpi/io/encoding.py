"""Text encodings: detect one from the first bytes, and turn any text into UTF-8 for pyarrow.

Exports from Brazilian and Iberian tools are often Windows-1252 (cp1252) or latin-1. Both are
decoded with one table: cp1252 where it defines a character, latin-1 for the five bytes it
leaves undefined, so no byte ever fails to decode.
"""

from __future__ import annotations

import codecs
import re

import numpy as np

from kpi.errors import UnreadableFileError
from kpi.io.source import FileBytes, byte_chunks

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
SINGLE_BYTE = "cp1252"

_SINGLE_BYTE_NAMES = frozenset({"cp1252", "iso8859-1", "latin-1"})
_UTF8_NAMES = frozenset({"utf-8", "utf-8-sig", "ascii"})


def _windows_latin_table() -> str:
    chars = []
    for byte in range(256):
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars)


_WINDOWS_LATIN = _windows_latin_table()
_WINDOWS_LATIN_ENCODING = codecs.charmap_build(_WINDOWS_LATIN)
_C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
#: cp1252 with latin-1 for its five undefined bytes, as a codec pyarrow can transcode with.
WINDOWS_LATIN = "kpi-windows-latin"


class _WindowsLatinDecoder(codecs.IncrementalDecoder):
    def decode(self, input: bytes, final: bool = False) -> str:
        return codecs.charmap_decode(input, self.errors, _WINDOWS_LATIN)[0]


class _WindowsLatinEncoder(codecs.IncrementalEncoder):
    def encode(self, input: str, final: bool = False) -> bytes:
        return codecs.charmap_encode(input, self.errors, _WINDOWS_LATIN_ENCODING)[0]


def _find_codec(name: str) -> codecs.CodecInfo | None:
    if name != WINDOWS_LATIN.replace("-", "_"):
        return None
    return codecs.CodecInfo(
        name=WINDOWS_LATIN,
        encode=lambda text, errors="strict": codecs.charmap_encode(
            text, errors, _WINDOWS_LATIN_ENCODING),
        decode=lambda data, errors="strict": codecs.charmap_decode(data, errors, _WINDOWS_LATIN),
        incrementalencoder=_WindowsLatinEncoder,
        incrementaldecoder=_WindowsLatinDecoder,
    )


codecs.register(_find_codec)


def detect_encoding(head: bytes, *, truncated: bool = False) -> str:
    """The encoding of text starting with ``head`` (``truncated``: the file goes on).

    A byte-order mark decides; otherwise UTF-8 when the sample decodes as UTF-8, UTF-16 when
    every other byte is NUL, else cp1252 (with latin-1 for the bytes cp1252 leaves undefined).
    """
    if head.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    if truncated:
        head = head[: head.rfind(b"\n") + 1] or head[:-3]  # never judge a cut character
    return UTF8 if is_utf8(head) else SINGLE_BYTE


def _utf16_without_bom(head: bytes) -> str | None:
    even, odd = head[0:200:2], head[1:200:2]
    if len(head) < 4:
        return None
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def canonical_name(encoding: str) -> str:
    """Python's own name of ``encoding`` (``"latin1"`` → ``"iso8859-1"``)."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise UnreadableFileError("io.unknown_encoding", encoding=encoding) from None


def to_utf8(data: bytes, encoding: str, *, name: str) -> bytes:
    """``data`` re-encoded as UTF-8 without a byte-order mark (unchanged when already UTF-8).

    Raises ``UnreadableFileError`` when the bytes are not valid in ``encoding``.
    """
    codec = canonical_name(encoding)
    if codec in _UTF8_NAMES:
        return data[3:] if data.startswith(codecs.BOM_UTF8) else data
    if data.isascii() and codec in _SINGLE_BYTE_NAMES:
        return data
    if codec in _SINGLE_BYTE_NAMES:
        # latin-1 is the fast path; bytes 0x80-0x9F (now U+0080-U+009F) need cp1252's table.
        utf8 = data.decode("latin-1").encode(UTF8)
        if not _C1_IN_UTF8.search(utf8):
            return utf8
    try:
        if codec in _SINGLE_BYTE_NAMES:
            text = codecs.charmap_decode(data, "strict", _WINDOWS_LATIN)[0]
        else:
            text = data.decode(codec)
    except UnicodeDecodeError:
        raise UnreadableFileError("io.decode_failed", name=name, encoding=encoding) from None
    return text.lstrip("\ufeff").encode(UTF8)


def streaming_codec(data: bytes | FileBytes, encoding: str) -> tuple[int, str] | None:
    """Where the text of ``data`` starts and the codec pyarrow can transcode it with while
    reading (``"utf8"``: none needed), so that no UTF-8 copy of a whole file is made.

    The same text as :func:`to_utf8` gives; None for encodings it alone handles (UTF-16...).
    """
    codec = canonical_name(encoding)
    if codec in _UTF8_NAMES:
        return (len(codecs.BOM_UTF8) if data[:3] == codecs.BOM_UTF8 else 0), "utf8"
    if codec not in _SINGLE_BYTE_NAMES:
        return None
    if all(data[start:stop].isascii() for start, stop in byte_chunks(data)):
        return 0, "utf8"
    # latin-1 is pyarrow's fastest path; bytes 0x80-0x9F need cp1252's table.
    return 0, (WINDOWS_LATIN if _has_c1_bytes(data) else "latin1")


def _has_c1_bytes(data: bytes | FileBytes) -> bool:
    """Whether any byte is in 0x80-0x9F (cp1252's printable extras), a chunk at a time."""
    for start, stop in byte_chunks(data):
        view = np.frombuffer(data[start:stop], dtype=np.uint8)
        if np.any((view & 0xE0) == 0x80):
            return True
    return False


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 (cheap for ASCII)."""
    if data.isascii():
        return True
    try:
        data.decode(UTF8)
    except UnicodeDecodeError:
        return False
    return True
