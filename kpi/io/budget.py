"""Size and memory limits checked before a file is parsed: refuse politely, never crash.

:class:`ReadBudget` holds two limits: the size of one file as uploaded (compressed or not;
default 200 MB, Streamlit's own ``server.maxUploadSize``) and the memory one load may take
(default: half of what the machine, or the container's cgroup, has free right now).
:func:`estimate_memory` tells, without parsing, how large a file is once decompressed and how
much memory reading it is expected to take at its peak: from the gzip trailer, the zip
directory, the workbook's members or the Parquet footer. :func:`check_budget` raises
:class:`FileTooLargeError` when either limit is exceeded.
"""

from __future__ import annotations

import io
import math
import os
import struct
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.parquet as pq
from babel.numbers import format_decimal

from kpi.errors import UnreadableFileError
from kpi.i18n import normalise_lang, translate
from kpi.io.detect import (
    EXTENSIONS,
    GZIP_MAGIC,
    PARQUET_MAGIC,
    XLSX_MARKERS,
    ZIP_MAGICS,
    detect_format,
    extension,
    is_table_member,
    strip_compression,
)
from kpi.io.options import Compression, FileFormat

MB = 1 << 20  # Streamlit's "megabyte" (server.maxUploadSize) is a mebibyte
#: Streamlit's default ``server.maxUploadSize``: the same limit for the CLI and the library.
DEFAULT_MAX_FILE_BYTES = 200 * MB
FILE_LIMIT_VARIABLE = "KPI_MAX_FILE_MB"
MEMORY_LIMIT_VARIABLE = "KPI_MAX_MEMORY_MB"
#: Share of the memory available when a load starts that one load may take (a server is shared
#: by several sessions; the rest is left to them and to the frames already cached).
MEMORY_SHARE = 0.5
#: Memory assumed available where neither ``/proc/meminfo`` nor a cgroup limit can be read.
FALLBACK_AVAILABLE_BYTES = 2 * 1024 * MB

#: Peak resident memory of :func:`kpi.load.load_dataset` above the process's memory before the
#: load, per byte of uncompressed data, plus :data:`LOAD_OVERHEAD_BYTES` (the uploaded bytes
#: themselves are held by the caller and not counted). Measured 2026-11-22 with
#: ``kpi sample --seed 1`` files, one fresh process each after the imports (``VmRSS`` before,
#: ``ru_maxrss`` after), two sizes per format to separate the slope from the fixed part:
#:
#: * CSV: 100k rows (17 MB) grew 82 MB, 1M rows (170 MB) 374 MB: 1.9x + 50 MB; the latin-1
#:   ``;`` export of 1M rows (183 MB) 458 MB: 2.2x + 50 MB. Gzipped (30 MB, 170 MB inflated,
#:   read from disk, the inflated copy included): 411 MB.
#: * Excel: 3k rows (2.7 MB of XML members) grew 20 MB, 50k rows (43 MB of XML) 98 MB:
#:   1.95x + 15 MB.
#: * Parquet: 100k rows (``total_byte_size`` 5.6 MB) grew 98 MB, 1M rows (52 MB, 34 MB file)
#:   546 MB: 9.7x + 43 MB (dictionary-encoded text expands into one string per row).
#: * JSON: 200k records (97 MB) grew 530 MB; JSON Lines of them 645 MB: about 6.5x.
#:
#: Rounded up for headroom; a file that fits is never refused for want of a few percent.
PEAK_FACTORS: dict[FileFormat, float] = {
    "csv": 2.5, "excel": 2.5, "parquet": 12.0, "json": 8.0, "jsonl": 8.0,
}
#: The fixed part of a load's peak (pyarrow's pools, pandas and validation buffers).
LOAD_OVERHEAD_BYTES = 64 * MB
#: Largest output per input byte of DEFLATE (gzip and zip): 1032:1.
DEFLATE_MAX_RATIO = 1032
_LOCALES = {"en": "en_US", "pt": "pt_BR"}
_SIZE_PARAMS = ("size", "limit", "need", "available")

Basis = Literal["file size", "gzip trailer", "zip directory", "xlsx members", "parquet footer"]


class FileTooLargeError(UnreadableFileError):
    """A file (or a load) over the size or memory budget; sizes are shown with Babel.

    The parameters ``size``, ``limit``, ``need`` and ``available`` are byte counts; the
    sentence shows them in MB or GB with the language's number format.
    """

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code, **params)
        self.args = (self.message("en"),)

    def message(self, lang: str | None = "en") -> str:
        """The sentence in the user's language, sizes formatted for it."""
        shown = {key: format_size(value, lang)  # type: ignore[arg-type]
                 if key in _SIZE_PARAMS else value for key, value in self.params.items()}
        return translate(self.code, lang, **shown)


def format_size(size: float, lang: str | None = "en") -> str:
    """``size`` bytes as ``"350 MB"`` or ``"5.2 GB"`` (``"5,2 GB"`` in Portuguese)."""
    locale = _LOCALES[normalise_lang(lang)]
    megabytes = size / MB
    if megabytes >= 1024:
        return f"{format_decimal(megabytes / 1024, format='#,##0.#', locale=locale)} GB"
    pattern = "#,##0" if megabytes >= 10 else "#,##0.#" if megabytes >= 1 else "#,##0.##"
    return f"{format_decimal(megabytes, format=pattern, locale=locale)} MB"


def available_memory(
    meminfo: Path = Path("/proc/meminfo"), cgroup: Path = Path("/sys/fs/cgroup")
) -> int | None:
    """Bytes of memory available now: the smaller of ``MemAvailable`` and the cgroup's room.

    The cgroup's room is ``memory.max`` minus ``memory.current`` (cgroup v2) when a limit is
    set. ``None`` when neither can be read.
    """
    candidates = [value for value in (_meminfo_available(meminfo), _cgroup_room(cgroup))
                  if value is not None]
    return min(candidates) if candidates else None


def _meminfo_available(path: Path) -> int | None:
    try:
        for line in path.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024  # kB
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cgroup_room(folder: Path) -> int | None:
    try:
        limit = (folder / "memory.max").read_text().strip()
        if limit == "max":
            return None
        used = (folder / "memory.current").read_text().strip()
        return max(int(limit) - int(used), 0)
    except (OSError, ValueError):
        return None


def _megabytes_setting(variable: str, environ: Mapping[str, str]) -> int | None:
    """The bytes of an ``..._MB`` setting, ``None`` when unset; refuses anything but > 0."""
    text = environ.get(variable)
    if text is None or not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise UnreadableFileError("io.budget_setting_invalid", variable=variable, value=text)
    return int(value * MB)


def default_file_limit(environ: Mapping[str, str] = os.environ) -> int:
    """``KPI_MAX_FILE_MB`` in bytes, else 200 MB."""
    return _megabytes_setting(FILE_LIMIT_VARIABLE, environ) or DEFAULT_MAX_FILE_BYTES


def default_memory_limit(environ: Mapping[str, str] = os.environ) -> int:
    """``KPI_MAX_MEMORY_MB`` in bytes, else half of the memory available right now."""
    given = _megabytes_setting(MEMORY_LIMIT_VARIABLE, environ)
    if given is not None:
        return given
    available = available_memory()
    return int(MEMORY_SHARE * (available if available is not None else FALLBACK_AVAILABLE_BYTES))


@dataclass(frozen=True)
class ReadBudget:
    """Limits checked before reading: one file's size, and the memory one load may take.

    ``None`` means no limit. The defaults are read when the budget is made: the environment
    (``KPI_MAX_FILE_MB``, ``KPI_MAX_MEMORY_MB``) and the memory free at that moment.
    """

    max_file_bytes: int | None = field(default_factory=default_file_limit)
    max_memory_bytes: int | None = field(default_factory=default_memory_limit)

    @classmethod
    def unlimited(cls) -> ReadBudget:
        """No limit at all (tests, trusted batch jobs)."""
        return cls(max_file_bytes=None, max_memory_bytes=None)

    def without_file_limit(self) -> ReadBudget:
        """The same memory limit, any file size (``kpi convert``: meant for big exports)."""
        return replace(self, max_file_bytes=None)


@dataclass(frozen=True)
class MemoryEstimate:
    """A file's size once decompressed, the peak memory expected to read it, and the source."""

    uncompressed_bytes: int
    expected_peak_bytes: int
    basis: Basis


def file_size(data: bytes | Path) -> int:
    """The size of ``data`` as given (0 for a path that cannot be read: the reader says why)."""
    if isinstance(data, Path):
        try:
            return data.stat().st_size
        except OSError:
            return 0
    return len(data)


def estimate_memory(
    name: str, data: bytes | Path, compression: Compression | None = None
) -> MemoryEstimate:
    """How large ``data`` is uncompressed and the peak memory expected to load it, unparsed.

    The peak is ``PEAK_FACTORS[format]`` times the uncompressed size, plus the file itself
    when a path must be read whole first, plus :data:`LOAD_OVERHEAD_BYTES`.

    Looks only at the gzip trailer, the zip central directory, the workbook's member sizes or
    the Parquet footer; a damaged container falls back to the file's own size (the reader then
    says what is wrong with it). A path is never read whole.
    """
    size = file_size(data)
    head = _slice(data, 0, 4096)
    inner_name = strip_compression(name)
    uncompressed, basis = size, "file size"
    if compression == "gzip" or (compression is None and head.startswith(GZIP_MAGIC)):
        uncompressed, basis = _gzip_size(data, size), "gzip trailer"
        head = b""  # the format is told by the inner name
    elif compression == "zip" or (compression is None and head.startswith(ZIP_MAGICS)):
        members = _zip_members(data)
        if members is not None:
            if _is_workbook(members) and compression != "zip":
                uncompressed, basis = _workbook_size(members), "xlsx members"
                inner_name, head = name, b"PK\x03\x04"
            else:
                tables = _table_members(members)
                uncompressed, basis = sum(m.file_size for m in tables or members), "zip directory"
                if len(tables) == 1:
                    inner_name, head = tables[0].filename, b""
    elif head.startswith(PARQUET_MAGIC):
        footer = _parquet_size(data)
        if footer is not None:
            uncompressed, basis = footer, "parquet footer"
    file_format = _format_of(inner_name, head)
    streamed = basis == "file size" and file_format == "csv"  # a plain CSV on disk
    read_whole = isinstance(data, Path) and not streamed  # read into memory first
    peak = math.ceil(PEAK_FACTORS[file_format] * uncompressed) + LOAD_OVERHEAD_BYTES
    peak += size if read_whole else 0
    return MemoryEstimate(uncompressed, peak, basis)  # type: ignore[arg-type]


def check_budget(
    name: str, data: bytes | Path, budget: ReadBudget, compression: Compression | None = None
) -> MemoryEstimate:
    """Raise :class:`FileTooLargeError` when ``data`` is over ``budget``; else its estimate.

    The file's size is checked first (``io.too_large``), then the expected peak memory
    (``io.too_big_for_memory``).
    """
    size = file_size(data)
    if budget.max_file_bytes is not None and size > budget.max_file_bytes:
        raise FileTooLargeError("io.too_large", name=name, size=size, limit=budget.max_file_bytes)
    estimate = estimate_memory(name, data, compression)
    check_memory(name, estimate.expected_peak_bytes, budget)
    return estimate


def check_memory(name: str, need: int, budget: ReadBudget) -> None:
    """Raise ``io.too_big_for_memory`` when ``need`` bytes are more than the budget allows."""
    if budget.max_memory_bytes is not None and need > budget.max_memory_bytes:
        raise FileTooLargeError("io.too_big_for_memory", name=name, need=need,
                                available=budget.max_memory_bytes)


def inflate_limit(budget: ReadBudget | None) -> int | None:
    """The most bytes a gzip stream may inflate to within ``budget`` (``None``: no limit).

    A backstop for gzip bombs whose trailer lies (sizes are stored modulo 4 GiB): the least
    costly format's factor, so a file that fits is never cut short.
    """
    if budget is None or budget.max_memory_bytes is None:
        return None
    return max(1, int(budget.max_memory_bytes / min(PEAK_FACTORS.values())))


def _slice(data: bytes | Path, start: int, stop: int | None) -> bytes:
    if not isinstance(data, Path):
        return bytes(data[start:stop])
    try:
        with data.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            begin = start if start >= 0 else max(size + start, 0)
            end = size if stop is None else min(stop, size)
            return os.pread(file.fileno(), max(end - begin, 0), begin)
    except OSError:
        return b""


def _gzip_size(data: bytes | Path, size: int) -> int:
    """The inflated size from the trailer (ISIZE, the last member's size modulo 2**32).

    Never less than the compressed size nor more than DEFLATE allows (a cut file's last bytes
    are not a size). When the stream is big enough to inflate past 4 GiB the trailer may have
    wrapped, or it may tell only the last of several members: :func:`inflate_limit` guards the
    inflation itself.
    """
    trailer = _slice(data, -4, None) if size >= 18 else b""
    stated = struct.unpack("<I", trailer)[0] if len(trailer) == 4 else 0
    return max(min(stated, size * DEFLATE_MAX_RATIO), size)  # a cut file's "trailer" is noise


def _zip_members(data: bytes | Path) -> list[zipfile.ZipInfo] | None:
    try:
        source = data if isinstance(data, Path) else io.BytesIO(data)
        with zipfile.ZipFile(source) as archive:
            return [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError, KeyError, struct.error):
        return None


def _is_workbook(members: list[zipfile.ZipInfo]) -> bool:
    return any(info.filename in XLSX_MARKERS for info in members)


def _workbook_size(members: list[zipfile.ZipInfo]) -> int:
    """What openpyxl parses: the XML members (sheets, shared strings, styles)."""
    return sum(info.file_size for info in members
               if info.filename.lower().endswith((".xml", ".rels")))


def _table_members(members: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    return [info for info in members if is_table_member(info.filename)]


def _parquet_size(data: bytes | Path) -> int | None:
    try:
        source = str(data) if isinstance(data, Path) else pa.BufferReader(data)
        metadata = pq.ParquetFile(source).metadata
        return sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    except (pa.ArrowException, OSError, ValueError, IndexError, KeyError, TypeError):
        return None


def _format_of(name: str, head: bytes) -> FileFormat:
    """The format for the peak factor: by the first bytes and the name, CSV when unknown."""
    if not head:
        return EXTENSIONS.get(extension(name), "csv")
    try:
        return detect_format(name, head)
    except UnreadableFileError:
        return "csv"  # the reader raises the right error
