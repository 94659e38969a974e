"""Compressed files: a gzip stream, or a zip archive holding exactly one table."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from kpi.errors import UnreadableFileError
from kpi.io.budget import FileTooLargeError
from kpi.io.detect import (
    EXTENSIONS,
    GZIP_MAGIC,
    XLSX_MARKERS,
    ZIP_MAGICS,
    extension,
    is_table_member,
    strip_compression,
)
from kpi.io.options import Compression


@dataclass(frozen=True)
class Unwrapped:
    """The file inside a container (or the file itself): its name, bytes and container kind."""

    name: str
    data: bytes
    compression: Compression | None


def unwrap(
    name: str, data: bytes, compression: Compression | None = None, *,
    inflate_limit: int | None = None,
) -> Unwrapped:
    """Decompress ``data`` when its first bytes (or ``compression``) say gzip or a zip archive.

    An ``.xlsx`` workbook is itself a zip file and is returned unchanged. A gzip stream that
    would inflate past ``inflate_limit`` bytes raises ``io.inflates_too_much`` (zip members
    never inflate past the size their directory states, which the budget has checked).
    """
    if compression == "gzip" or (compression is None and data.startswith(GZIP_MAGIC)):
        inflated = _gunzip(name, data, inflate_limit)
        return Unwrapped(strip_compression(name), inflated, "gzip")
    if compression == "zip" or (compression is None and data.startswith(ZIP_MAGICS)):
        return _unzip(name, data, forced=compression == "zip")
    return Unwrapped(name, data, None)


def _gunzip(name: str, data: bytes, limit: int | None) -> bytes:
    try:
        if limit is None:
            return gzip.decompress(data)
        return _gunzip_at_most(name, data, limit)
    except (OSError, EOFError, zlib.error):
        raise UnreadableFileError("io.corrupt_gzip", name=name) from None


def _gunzip_at_most(name: str, data: bytes, limit: int) -> bytes:
    """Every member of a gzip stream, stopping as soon as more than ``limit`` bytes come out.

    Like :func:`gzip.decompress`: members follow one another, zero padding may follow them.
    """
    parts: list[bytes] = []
    total, rest = 0, data
    while True:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip header and trailer
        part = inflater.decompress(rest, limit - total + 1)
        total += len(part)
        if total > limit:
            raise FileTooLargeError("io.inflates_too_much", name=name, size=limit)
        if not inflater.eof:
            raise EOFError(name)  # cut short
        parts.append(part)
        rest = inflater.unused_data
        if not rest.strip(b"\x00"):
            break
        if not rest.startswith(GZIP_MAGIC):
            raise EOFError(name)  # trailing garbage
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _unzip(name: str, data: bytes, *, forced: bool) -> Unwrapped:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
        names = {info.filename for info in members}
        if not forced and any(marker in names for marker in XLSX_MARKERS):
            return Unwrapped(name, data, None)
        tables = [info for info in members if is_table_member(info.filename)]
        if not tables:
            raise UnreadableFileError("io.zip_no_table", name=name)
        if len(tables) > 1:
            listed = ", ".join(info.filename for info in tables[:5])
            raise UnreadableFileError("io.zip_many_tables", name=name, files=listed)
        inner = archive.read(tables[0])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError,
            zlib.error, ValueError, RuntimeError, struct.error, KeyError,
            OverflowError) as error:
        if isinstance(error, UnreadableFileError):
            raise
        excel = EXTENSIONS.get(extension(name)) == "excel"
        damaged = "io.corrupt_excel" if excel else "io.corrupt_zip"
        raise UnreadableFileError(damaged, name=name) from None
    return Unwrapped(PurePosixPath(tables[0].filename).name, inner, "zip")

