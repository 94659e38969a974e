"""What kind of file this is: by its first bytes (magic numbers) first, by its name second."""

from __future__ import annotations

from pathlib import PurePath, PurePosixPath

from kpi.errors import UnreadableFileError
from kpi.io.encoding import detect_encoding, is_utf8
from kpi.io.options import FileFormat

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
PARQUET_MAGIC = b"PAR1"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)

#: Magic numbers of common files that are certainly not tables. (Not the two letters "MZ" of
#: a Windows program: a header such as "MZ;Agent" starts like one; a program has NULs anyway.)
_OTHER_BINARY = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf",
    b"Rar!", b"\x28\xb5\x2f\xfd", b"\x7fELF", b"SQLite format 3",
)

EXTENSIONS: dict[str, FileFormat] = {
    ".csv": "csv", ".tsv": "csv", ".tab": "csv", ".txt": "csv", ".psv": "csv",
    ".xlsx": "excel", ".xlsm": "excel",
    ".parquet": "parquet", ".pq": "parquet",
    ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
}
COMPRESSED_EXTENSIONS = (".gz", ".gzip", ".zip")
#: Members that make a zip archive an ``.xlsx`` workbook rather than a wrapper.
XLSX_MARKERS = ("[Content_Types].xml", "xl/workbook.xml")


def extension(name: str) -> str:
    """The last suffix of ``name``, lower-cased (``"a.CSV"`` → ``".csv"``)."""
    return PurePath(name).suffix.lower()


def strip_compression(name: str) -> str:
    """``name`` without a trailing ``.gz`` / ``.zip``."""
    lowered = name.lower()
    for suffix in COMPRESSED_EXTENSIONS:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def looks_binary(head: bytes) -> bool:
    """Whether ``head`` holds bytes no text export contains (NULs, many control characters).

    UTF-16 text (NULs in every other byte) is text: callers detect it first.
    """
    if not head:
        return False
    if head.startswith(_OTHER_BINARY) or b"\x00" in head:
        return True
    controls = sum(head.count(bytes([byte])) for byte in (*range(9), *range(14, 32)))
    return controls > max(8, len(head) // 50) and not is_utf8(head)


def detect_format(name: str, head: bytes) -> FileFormat:
    """The format of an (already decompressed) file from its first bytes and its name.

    Raises ``UnreadableFileError`` for legacy ``.xls``, binary files and unknown formats.
    """
    ext = extension(name)
    by_name = EXTENSIONS.get(ext)
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    if head.startswith(ZIP_MAGICS):
        return "excel"
    if head.startswith(OLE2_MAGIC):
        raise UnreadableFileError("io.xls_unsupported", name=name)
    if by_name in ("excel", "parquet"):
        # Named like a binary table but without its signature: damaged or mislabelled.
        raise UnreadableFileError(f"io.corrupt_{by_name}", name=name)
    text_like = detect_encoding(head).startswith("utf-16") or not looks_binary(head)
    if not text_like:
        if by_name is None:
            raise UnreadableFileError("io.unknown_format", name=name)
        raise UnreadableFileError("io.not_text", name=name, format=ext.lstrip("."))
    if by_name is not None:
        return by_name
    return _sniff_text_format(head)


def _sniff_text_format(head: bytes) -> FileFormat:
    """JSON, JSON Lines or CSV for a text file whose name says nothing."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        first_line = text.split(b"\n", 1)[0].strip()
        return "jsonl" if first_line.endswith(b"}") and b"\n{" in text else "json"
    return "csv"


def is_table_member(path: str) -> bool:
    """A file in an archive that could be the table (not macOS metadata, not a hidden file)."""
    parts = PurePosixPath(path).parts
    if not parts or "__MACOSX" in parts or parts[-1].startswith("."):
        return False
    inner = strip_compression(parts[-1])
    return PurePosixPath(inner).suffix.lower() in EXTENSIONS
