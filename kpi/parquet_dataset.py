"""Open canonical Parquet (``kpi convert``'s output) by path or URI as an in-memory dataset.

A converted dataset is a folder of ``created_month=YYYY-MM/*.parquet`` partitions (or any
canonical Parquet: one file, a folder, a glob, or a URI that
``pyarrow.fs.FileSystem.from_uri`` accepts, e.g. ``s3://bucket/contacts``).
:func:`inspect_parquet` reads only the files' footers: the months available (from the
partition folders, else from the row groups' ``created_at`` statistics), the rows of each and
an estimate of the memory the selection takes once loaded. :func:`load_parquet` reads the
chosen months (a partition filter; canonical columns only) into a :class:`kpi.load.Dataset`,
so every page works unchanged, and refuses a selection above the memory budget before reading
anything.
"""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from kpi.canonical import canonical_dtypes
from kpi.compute.engines import PARTITION_KEY
from kpi.errors import KpiError, UnreadableFileError, UnusableDataError
from kpi.io.budget import MEMORY_LIMIT_VARIABLE, default_memory_limit
from kpi.load import Dataset, FileRead
from kpi.mapping import Mapping
from kpi.schema import INTERACTION_FIELDS, SOURCE_FILE, SOURCE_ROW, Field
from kpi.validation import ValidationReport

#: Environment variable: the memory one load may take, in MB (the same setting as uploads').
BUDGET_ENV = MEMORY_LIMIT_VARIABLE
#: Months selected by default: the most recent ones.
DEFAULT_MONTHS = 6
#: Peak memory while loading, per byte of the final frame (Arrow table + pandas frame).
LOAD_PEAK_FACTOR = 2.0
#: In-memory bytes per value, at least (offsets + characters of a short text, a validity mask).
_MIN_WIDTH = {"id": 16, "text": 16, "datetime": 8, "duration": 8, "number": 8, "bool": 2}
_COLUMNS: dict[str, Field] = {f.name: f for f in INTERACTION_FIELDS}
_BOOKKEEPING = {SOURCE_FILE: "text", SOURCE_ROW: "number"}
_REQUIRED = tuple(f.name for f in INTERACTION_FIELDS if f.required)


class ParquetDatasetError(KpiError):
    """A Parquet location that cannot be opened as a canonical dataset (with what to do)."""


@dataclass(frozen=True)
class MonthSummary:
    """One month of the dataset: its rows and the memory they take once loaded (bytes).

    Both are exact for partitioned datasets' rows; for unpartitioned files a row group that
    spans several months is spread evenly over them (``approximate``).
    """

    month: str
    rows: int
    memory_bytes: int


@dataclass(frozen=True)
class _Part:
    """One row group (or a whole partition file) and its share of each month."""

    path: str
    months: tuple[tuple[str, float], ...]  # (month, share of the group's rows)
    rows: int
    memory_bytes: int


@dataclass(frozen=True)
class ParquetInfo:
    """What :func:`inspect_parquet` found: months, canonical columns, and a fingerprint.

    ``fingerprint`` changes whenever a file is added, removed or rewritten (sizes and
    modification times), so caches key on it.
    """

    location: str
    base: str
    files: tuple[str, ...]
    columns: tuple[str, ...]
    months: tuple[MonthSummary, ...]
    partitioned: bool
    fingerprint: str
    filesystem: pafs.FileSystem
    schema: pa.Schema

    @property
    def month_names(self) -> tuple[str, ...]:
        return tuple(m.month for m in self.months)

    @property
    def approximate(self) -> bool:
        """Whether rows per month are estimated from statistics (unpartitioned files)."""
        return not self.partitioned

    def default_months(self, count: int = DEFAULT_MONTHS) -> tuple[str, ...]:
        """The last ``count`` months that have rows."""
        return tuple(m.month for m in self.months if m.rows > 0)[-count:]

    def rows(self, months: Sequence[str]) -> int:
        """Rows in ``months`` (estimated for unpartitioned files)."""
        chosen = set(months)
        return sum(m.rows for m in self.months if m.month in chosen)

    def memory_bytes(self, months: Sequence[str]) -> int:
        """Estimated peak memory (bytes) of loading ``months``."""
        chosen = set(months)
        return int(LOAD_PEAK_FACTOR * sum(m.memory_bytes for m in self.months if m.month in chosen))


# --- where the files are ------------------------------------------------------------------------

def _is_uri(location: str) -> bool:
    return "://" in location


def _hidden(path: str, base: str) -> bool:
    """Staging folders of ``kpi convert`` and ``_SUCCESS``-style files are not data."""
    relative = path[len(base):].lstrip("/")
    return any(part.startswith((".", "_")) for part in relative.split("/"))


def _locate(location: str) -> tuple[pafs.FileSystem, str, list[pafs.FileInfo]]:
    """The filesystem, the base folder and the Parquet files of ``location``."""
    text = location.strip()
    if not text:
        raise ParquetDatasetError("parquet.error.not_found", path=location)
    if _is_uri(text):
        try:
            filesystem, path = pafs.FileSystem.from_uri(text)
        except (pa.ArrowException, ValueError, OSError) as error:
            raise ParquetDatasetError("parquet.error.bad_uri", path=location,
                                      reason=str(error)) from error
        paths = [path]
        pattern = False
    else:
        filesystem = pafs.LocalFileSystem()
        path = str(Path(text).expanduser().absolute())
        pattern = any(c in path for c in "*?[")
        paths = sorted(glob.glob(path, recursive=True)) if pattern else [path]
        if pattern and not paths:
            raise ParquetDatasetError("parquet.error.not_found", path=location)
    try:
        infos = filesystem.get_file_info(paths)
        files: list[pafs.FileInfo] = []
        for info in infos:
            if info.type == pafs.FileType.NotFound:
                raise ParquetDatasetError("parquet.error.not_found", path=location)
            if info.type == pafs.FileType.Directory:
                found = filesystem.get_file_info(pafs.FileSelector(info.path, recursive=True))
                files.extend(f for f in found if f.type == pafs.FileType.File
                             and f.path.endswith(".parquet") and not _hidden(f.path, info.path))
            elif info.type == pafs.FileType.File:
                files.append(info)
    except OSError as error:
        raise ParquetDatasetError("parquet.error.unreadable", path=location,
                                  reason=str(error)) from error
    if not files:
        raise ParquetDatasetError("parquet.error.no_parquet", path=location)
    base = path if not pattern and infos[0].type == pafs.FileType.Directory else ""
    return filesystem, base, sorted(files, key=lambda f: f.path)


def _partition_month(path: str) -> str | None:
    for part in path.split("/"):
        if part.startswith(f"{PARTITION_KEY}="):
            return part.split("=", 1)[1]
    return None


def _fingerprint(files: Sequence[pafs.FileInfo]) -> str:
    digest = hashlib.sha256()
    for info in files:
        digest.update(f"{info.path}|{info.size}|{info.mtime_ns}\n".encode())
    return digest.hexdigest()


# --- what they hold -----------------------------------------------------------------------------

def _fits(field: Field, kind: pa.DataType) -> bool:
    if pa.types.is_null(kind):
        return True
    if field.kind == "datetime":
        return pa.types.is_timestamp(kind) or pa.types.is_date(kind)
    if field.kind in ("duration", "number"):
        return pa.types.is_floating(kind) or pa.types.is_integer(kind)
    if field.kind == "bool":
        return pa.types.is_boolean(kind)
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or \
        pa.types.is_string_view(kind) or pa.types.is_dictionary(kind)


def _check_canonical(schema: pa.Schema, location: str) -> tuple[str, ...]:
    """The canonical columns of ``schema``; refuses files that are not canonical."""
    names = set(schema.names)
    missing = [name for name in _REQUIRED if name not in names]
    if missing:
        raise ParquetDatasetError("parquet.error.not_canonical", path=location,
                                  fields=", ".join(missing))
    wrong = [name for name, spec in _COLUMNS.items()
             if name in names and not _fits(spec, schema.field(name).type)]
    if wrong:
        raise ParquetDatasetError("parquet.error.wrong_types", path=location,
                                  fields=", ".join(wrong))
    return tuple(n for n in schema.names if n in _COLUMNS or n in _BOOKKEEPING)


def _month_of(value: object) -> str:
    return pd.Timestamp(value).strftime("%Y-%m")


def _months_between(low: str, high: str) -> list[str]:
    periods = pd.period_range(low, high, freq="M")
    return [str(p) for p in periods]


def _group_months(metadata: pq.FileMetaData, group: int, created: int
                  ) -> tuple[tuple[str, float], ...] | None:
    """Months a row group covers and the share of its rows in each (from its statistics)."""
    statistics = metadata.row_group(group).column(created).statistics
    if statistics is None or not statistics.has_min_max:
        return None
    months = _months_between(_month_of(statistics.min), _month_of(statistics.max))
    return tuple((m, 1 / len(months)) for m in months)


def _memory_of(metadata: pq.FileMetaData, group: int, columns: Sequence[str]) -> int:
    """Estimated in-memory bytes of ``columns`` of one row group."""
    row_group = metadata.row_group(group)
    wanted = set(columns)
    total = 0
    for i in range(row_group.num_columns):
        chunk = row_group.column(i)
        name = chunk.path_in_schema
        if name not in wanted:
            continue
        spec = _COLUMNS.get(name)
        kind = spec.kind if spec is not None else _BOOKKEEPING.get(name, "text")
        total += max(chunk.total_uncompressed_size, row_group.num_rows * _MIN_WIDTH[kind])
    return total


def _exact_months(filesystem: pafs.FileSystem, path: str) -> dict[str, int]:
    """Rows per month of a file without ``created_at`` statistics (reads that one column)."""
    with filesystem.open_input_file(path) as handle:
        created = pq.read_table(handle, columns=["created_at"]).column(0)
    months = pc.strftime(created, format="%Y-%m").to_pandas()
    return months.value_counts().to_dict()


def inspect_parquet(location: str) -> ParquetInfo:
    """The months, rows and memory estimate of the canonical Parquet at ``location``.

    Reads footers only (plus the ``created_at`` column of unpartitioned files that lack
    statistics). Raises :class:`ParquetDatasetError` for a location that does not exist, holds
    no Parquet, or holds files that are not canonical (naming the missing fields).
    """
    filesystem, base, files = _locate(location)
    months: dict[str, list[float]] = {}
    schemas: list[pa.Schema] = []
    metadatas: list[pq.FileMetaData] = []
    try:
        for info in files:
            with filesystem.open_input_file(info.path) as handle:
                metadata = pq.read_metadata(handle)
            metadatas.append(metadata)
            schemas.append(metadata.schema.to_arrow_schema())
        schema = pa.unify_schemas(schemas, promote_options="permissive")
    except (pa.ArrowException, OSError) as error:
        raise ParquetDatasetError("parquet.error.unreadable", path=location,
                                  reason=str(error)) from error
    columns = _check_canonical(schema, location)
    partitioned = all(_partition_month(f.path) is not None for f in files)
    for info, metadata in zip(files, metadatas, strict=True):
        file_months = _partition_month(info.path) if partitioned else None
        created = metadata.schema.to_arrow_schema().get_field_index("created_at")
        exact: dict[str, int] | None = None
        for group in range(metadata.num_row_groups):
            rows = metadata.row_group(group).num_rows
            memory = _memory_of(metadata, group, columns)
            shares: tuple[tuple[str, float], ...] | None
            if file_months is not None:
                shares = ((file_months, 1.0),)
            else:
                shares = _group_months(metadata, group, created) if created >= 0 else None
            if shares is None:  # no statistics: count this file's months exactly, once
                if exact is None:
                    exact = _exact_months(filesystem, info.path)
                    total = max(sum(exact.values()), 1)
                    file_memory = sum(_memory_of(metadata, g, columns)
                                      for g in range(metadata.num_row_groups))
                    for month, count in exact.items():
                        bucket = months.setdefault(month, [0.0, 0.0])
                        bucket[0] += count
                        bucket[1] += file_memory * count / total
                continue
            for month, share in shares:
                bucket = months.setdefault(month, [0.0, 0.0])
                bucket[0] += rows * share
                bucket[1] += memory * share
    summaries = tuple(MonthSummary(month, round(rows), round(memory))
                      for month, (rows, memory) in sorted(months.items()))
    return ParquetInfo(location=location, base=base, files=tuple(f.path for f in files),
                       columns=columns, months=summaries, partitioned=partitioned,
                       fingerprint=_fingerprint(files), filesystem=filesystem, schema=schema)


# --- loading ------------------------------------------------------------------------------------

def memory_budget() -> int:
    """Bytes one loaded selection may take: the uploads' memory limit
    (:func:`kpi.io.budget.default_memory_limit`: ``$KPI_MAX_MEMORY_MB`` when set, else half of
    the memory available now, the container's limit included)."""
    return default_memory_limit()


def _month_filter(months: Sequence[str]) -> ds.Expression:
    """``created_at`` within the chosen months (contiguous months joined in one range)."""
    periods = sorted(pd.Period(m, freq="M") for m in months)
    ranges: list[list[pd.Period]] = []
    for period in periods:
        if ranges and period == ranges[-1][1] + 1:
            ranges[-1][1] = period
        else:
            ranges.append([period, period])
    created = ds.field("created_at")
    expression: ds.Expression | None = None
    for low, high in ranges:
        start = datetime.fromisoformat(low.start_time.isoformat())
        end = datetime.fromisoformat((high + 1).start_time.isoformat())
        part = (created >= pa.scalar(start, pa.timestamp("us"))) & \
            (created < pa.scalar(end, pa.timestamp("us")))
        expression = part if expression is None else expression | part
    assert expression is not None
    return expression


def _to_canonical(table: pa.Table, columns: Sequence[str]) -> pd.DataFrame:
    """The pandas frame with the canonical dtypes of :mod:`kpi.schema`."""
    dtypes = canonical_dtypes("interactions")
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    converted = {}
    for name in columns:
        values = frame[name]
        dtype = dtypes.get(name, "str")
        if dtype.startswith("datetime64") and isinstance(values.dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_localize(None)
        if str(values.dtype) != dtype:
            values = values.astype(dtype)
        converted[name] = values
    return pd.DataFrame(converted, copy=False)


def load_parquet(info: ParquetInfo, months: Sequence[str], *, salt: bytes | None = None,
                 budget: int | None = None) -> Dataset:
    """The chosen ``months`` of ``info`` as a :class:`~kpi.load.Dataset` (canonical columns).

    ``salt`` pseudonymises ``customer_id`` (:func:`kpi.privacy.pseudonymise`). Refuses (before
    reading any data) a selection whose estimated memory exceeds ``budget`` (default
    :func:`memory_budget`), and an empty selection.
    """
    chosen = [m for m in dict.fromkeys(months) if m in set(info.month_names)]
    if not chosen:
        raise ParquetDatasetError("parquet.error.no_months", path=info.location)
    needed = info.memory_bytes(chosen)
    limit = memory_budget() if budget is None else budget
    if needed > limit:
        raise ParquetDatasetError(
            "parquet.error.too_big", path=info.location, months=len(chosen),
            needed_mb=-(-needed // 1024**2), budget_mb=limit // 1024**2, env=BUDGET_ENV,
        )
    if info.partitioned:
        wanted = set(chosen)
        files = [f for f in info.files if _partition_month(f) in wanted]
        filter_ = None
    else:
        files, filter_ = list(info.files), _month_filter(chosen)
    schema = pa.schema([info.schema.field(c) for c in info.columns])
    try:
        dataset = ds.dataset(files, schema=schema, format="parquet",
                             filesystem=info.filesystem)
        table = dataset.to_table(columns=list(info.columns), filter=filter_)
    except (pa.ArrowException, OSError) as error:
        raise UnreadableFileError("parquet.error.unreadable", path=info.location,
                                  reason=str(error)) from error
    frame = _to_canonical(table, info.columns)
    del table
    if frame.empty:
        raise UnusableDataError("parquet.error.no_rows", path=info.location)
    if salt is not None and "customer_id" in frame:
        from kpi.privacy import pseudonymise

        frame["customer_id"] = pseudonymise(frame["customer_id"], salt)
    rows = len(frame)
    present = [c for c in info.columns if c in _COLUMNS]
    read = FileRead(name=info.location, format="parquet", options={}, rows=rows,
                    table="interactions", columns=tuple(info.columns))
    return Dataset(
        interactions=frame,
        activity=None,
        forecast=None,
        mapping=Mapping.from_dict({"columns": {name: name for name in present}}),
        proposal=None,
        reads=(read,),
        report=ValidationReport(rows_read=rows, rows_kept=rows, dropped={}, issues=[],
                                fatal=None),
    )
