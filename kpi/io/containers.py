"""Compressed files: a gzip stream, or a zip archive holding exactly one table."""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from kpi.errors import UnreadableFileError
from kpi.io.detect import EXTENSIONS, GZIP_MAGIC, ZIP_MAGICS, extension, strip_compression
from kpi.io.options import Compression

_XLSX_MARKERS = ("[Content_Types].xml", "xl/workbook.xml")


@dataclass(frozen=True)
class Unwrapped:
    """The file inside a container (or the file itself): its name, bytes and container kind."""

    name: str
    data: bytes
    compression: Compression | None


def unwrap(name: str, data: bytes, compression: Compression | None = None) -> Unwrapped:
    """Decompress ``data`` when its first bytes (or ``compression``) say gzip or a zip archive.

    An ``.xlsx`` workbook is itself a zip file and is returned unchanged.
    """
    if compression == "gzip" or (compression is None and data.startswith(GZIP_MAGIC)):
        return Unwrapped(strip_compression(name), _gunzip(name, data), "gzip")
    if compression == "zip" or (compression is None and data.startswith(ZIP_MAGICS)):
        return _unzip(name, data, forced=compression == "zip")
    return Unwrapped(name, data, None)


def _gunzip(name: str, data: bytes) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        raise UnreadableFileError("io.corrupt_gzip", name=name) from None


def _unzip(name: str, data: bytes, *, forced: bool) -> Unwrapped:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
        names = {info.filename for info in members}
        if not forced and any(marker in names for marker in _XLSX_MARKERS):
            return Unwrapped(name, data, None)
        tables = [info for info in members if _is_table_member(info.filename)]
        if not tables:
            raise UnreadableFileError("io.zip_no_table", name=name)
        if len(tables) > 1:
            listed = ", ".join(info.filename for info in tables[:5])
            raise UnreadableFileError("io.zip_many_tables", name=name, files=listed)
        inner = archive.read(tables[0])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError,
            zlib.error, ValueError, RuntimeError) as error:
        if isinstance(error, UnreadableFileError):
            raise
        excel = EXTENSIONS.get(extension(name)) == "excel"
        damaged = "io.corrupt_excel" if excel else "io.corrupt_zip"
        raise UnreadableFileError(damaged, name=name) from None
    return Unwrapped(PurePosixPath(tables[0].filename).name, inner, "zip")


def _is_table_member(path: str) -> bool:
    """A file in an archive that could be the table (not macOS metadata, not a hidden file)."""
    parts = PurePosixPath(path).parts
    if not parts or "__MACOSX" in parts or parts[-1].startswith("."):
        return False
    inner = strip_compression(parts[-1])
    return PurePosixPath(inner).suffix.lower() in EXTENSIONS
