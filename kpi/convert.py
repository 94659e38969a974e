"""Canonical Parquet, partitioned by month: where monthly exports accumulate into one dataset.

:func:`write_months` writes a canonical frame as ``DIR/created_month=YYYY-MM/part-0.parquet``
(hive partitioning, read by DuckDB's ``read_parquet`` and by Spark). Months already in ``DIR``
and absent from the frame are kept; a month present in both is replaced as a whole, so
re-converting an export is idempotent. Everything is written to a staging folder inside
``DIR`` first and each month is then moved into place.

:func:`convert_files` sends a CSV (plain or ``.gz``) larger than ``stream_above`` through
:func:`convert_csv_in_batches`, which never holds the file in memory: the dialect, the column
mapping and the choices that need a whole column (day-first or month-first dates, the CSAT
scale) are decided once on the first :data:`SAMPLE_BYTES` (8 MiB) of the file with the normal
loader, then fixed; pyarrow streams the rest as text in record batches of about
``batch_bytes``, each canonicalised with that same mapping and written as one Parquet file per
month (``part-<file>-<batch>.parquet``: names that sort and never collide). Validation counts
of the batches are added up into one report. Duplicate ids are found within a batch only.
"""

from __future__ import annotations

import gzip
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from kpi.canonical import canonicalise
from kpi.compute.engines import PARTITION_KEY
from kpi.errors import UnusableDataError
from kpi.io.budget import ReadBudget
from kpi.mapping import Mapping
from kpi.parsing import detect_dayfirst
from kpi.schema import SOURCE_ROW
from kpi.validation import Issue, ValidationReport, merge_issues

#: How much of a large CSV decides its dialect, mapping, date order and CSAT scale.
SAMPLE_BYTES = 8 * 1024 * 1024
#: Text per record batch of a streamed CSV (peak memory is a small multiple of it).
BATCH_BYTES = 32 * 1024 * 1024
#: CSV files larger than this (on disk) are streamed by :func:`convert_csv_in_batches`.
STREAM_ABOVE = 64 * 1024 * 1024
_CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_DATETIMES = ("created_at", "answered_at", "resolved_at")


@dataclass(frozen=True)
class ConvertResult:
    """What was written: the months (``YYYY-MM``) and rows per month, in month order, and the
    validation report of the rows read (None when a frame was written directly)."""

    out: Path
    rows: tuple[tuple[str, int], ...]
    report: ValidationReport | None = None

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(month for month, _ in self.rows)

    @property
    def total(self) -> int:
        return sum(n for _, n in self.rows)


def month_folder(out: Path, month: str) -> Path:
    """The partition folder of ``month`` (``YYYY-MM``)."""
    return out / f"{PARTITION_KEY}={month}"


class _Staging:
    """A folder inside ``out`` collecting month partitions; :meth:`publish` moves them in."""

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.out = out
        self.folder = Path(tempfile.mkdtemp(prefix=".convert-", dir=out))
        self.rows: dict[str, int] = {}
        self.schema: pa.Schema | None = None

    def add(self, frame: pd.DataFrame, tag: str) -> None:
        """Write ``frame``'s rows of each month as ``part-<tag>.parquet`` in that month."""
        if not len(frame):
            return
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self.schema is None:
            self.schema = table.schema
        elif table.schema.names == self.schema.names and table.schema != self.schema:
            table = table.cast(self.schema)  # a batch where a column is all missing
        months = frame["created_at"].dt.strftime("%Y-%m").to_numpy(dtype=object)
        codes, labels = pd.factorize(months, sort=True)
        for code, month in enumerate(labels):
            rows = table.filter(pa.array(codes == code))
            folder = month_folder(self.folder, str(month))
            folder.mkdir(exist_ok=True)
            pq.write_table(rows, folder / f"part-{tag}.parquet", compression="zstd")
            self.rows[str(month)] = self.rows.get(str(month), 0) + rows.num_rows

    def publish(self, report: ValidationReport | None = None) -> ConvertResult:
        """Replace each written month of ``out`` by its staged folder."""
        for month in sorted(self.rows):
            target = month_folder(self.out, month)
            if target.exists():
                shutil.rmtree(target)
            month_folder(self.folder, month).rename(target)
        self.discard()
        return ConvertResult(self.out, tuple(sorted(self.rows.items())), report)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def write_months(frame: pd.DataFrame, out: Path | str) -> ConvertResult:
    """Write the canonical ``frame`` under ``out``, one partition per month of ``created_at``."""
    staging = _Staging(Path(out))
    try:
        staging.add(frame, "0")
    except BaseException:
        staging.discard()
        raise
    return staging.publish()


def streamable(path: Path) -> bool:
    """Whether ``path`` is delimited text (plain or gzip) that can be converted in batches."""
    name = path.name.lower()
    name = name.removesuffix(".gz")
    return name.endswith(_CSV_SUFFIXES)


def convert_files(files: Sequence[Path | str], out: Path | str, mapping: Mapping | None = None,
                  *, budget: ReadBudget | None = None, stream_above: int | None = None,
                  batch_bytes: int | None = None, sample_bytes: int | None = None
                  ) -> ConvertResult:
    """Convert exported files into month partitions of ``out`` (one report for all).

    CSV files larger than ``stream_above`` bytes are streamed in batches
    (:func:`convert_csv_in_batches`); the others are loaded together with
    :func:`kpi.load.load_dataset` (``budget`` is its read budget). Sizes left ``None`` are
    the module's :data:`STREAM_ABOVE`, :data:`BATCH_BYTES` and :data:`SAMPLE_BYTES`.
    """
    from kpi.load import load_dataset

    stream_above = STREAM_ABOVE if stream_above is None else stream_above
    batch_bytes = batch_bytes or BATCH_BYTES
    sample_bytes = sample_bytes or SAMPLE_BYTES
    paths = [Path(f) for f in files]
    large = [p for p in paths if streamable(p) and p.stat().st_size > stream_above]
    small = [p for p in paths if p not in large]
    staging = _Staging(Path(out))
    reports: list[ValidationReport] = []
    try:
        if small:
            dataset = load_dataset([(p.name, p) for p in small], mapping,  # type: ignore[arg-type]
                                   budget=budget)
            if dataset.report.fatal is not None:
                raise dataset.report.fatal
            staging.add(dataset.interactions, "000-000000")
            reports.append(dataset.report)
        for number, path in enumerate(large, start=1):
            reports.append(_stream_into(staging, path, mapping, number, batch_bytes,
                                        sample_bytes))
        if not staging.rows:
            raise UnusableDataError("convert.error.no_rows")
    except BaseException:
        staging.discard()
        raise
    report = reports[0]
    for other in reports[1:]:
        report = report.merge(other)
    return staging.publish(report)


def convert_csv_in_batches(path: Path | str, out: Path | str, mapping: Mapping | None = None,
                           *, batch_bytes: int = BATCH_BYTES,
                           sample_bytes: int = SAMPLE_BYTES) -> ConvertResult:
    """Convert one CSV (plain or ``.gz``) in record batches; memory bounded by the batch size."""
    staging = _Staging(Path(out))
    try:
        report = _stream_into(staging, Path(path), mapping, 1, batch_bytes, sample_bytes)
        if not staging.rows:
            raise UnusableDataError("convert.error.no_rows")
    except BaseException:
        staging.discard()
        raise
    return staging.publish(report)


@dataclass(frozen=True)
class _Plan:
    """What the sample decided for the whole file."""

    mapping: Mapping
    header: tuple[str, ...]
    skip_lines: int
    encoding: str
    sep: str


def _sample(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of the (inflated) text, cut after the last line end."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        head = handle.read(size + 1)
    if len(head) <= size:
        return head
    cut = head.rfind(b"\n", 0, size)
    return head[: cut + 1] if cut >= 0 else head[:size]


def _plan(path: Path, mapping: Mapping | None, sample_bytes: int) -> _Plan:
    """Dialect and mapping decided on the sample by the normal loader, then fixed."""
    from kpi.io import ReadOptions, read_file
    from kpi.load import load_dataset

    name = path.name.removesuffix(".gz").removesuffix(".GZ")
    sample = _sample(path, sample_bytes)
    given = replace(mapping, activity=None, forecast=None) if mapping is not None else None
    dataset = load_dataset([(name, sample)], given)
    if dataset.report.fatal is not None:
        raise dataset.report.fatal
    chosen = replace(dataset.mapping, activity=None, forecast=None)
    raw = read_file(name, sample, ReadOptions.from_dict(chosen.read))
    read = dict(chosen.read)
    read.update(raw.options.to_dict())
    if read.get("dayfirst") is None:  # decided on the sample, then the same for every batch
        decisions = [detect_dayfirst(raw.frame[chosen.columns[field]])
                     for field in _DATETIMES if field in chosen.columns
                     and raw.frame[chosen.columns[field]].dtype == "str"]
        read["dayfirst"] = next((d for d in decisions if d is not None), True)
    fixed = replace(chosen, read=read, csat_scale=chosen.scale)
    return _Plan(mapping=fixed, header=tuple(map(str, raw.frame.columns)),
                 skip_lines=int(raw.options.skip_rows or 0) + 1,
                 encoding=raw.options.encoding or "utf-8", sep=raw.options.sep or ",")


def _batches(path: Path, plan: _Plan, batch_bytes: int, skipped: list[int]
             ) -> Iterator[pa.RecordBatch]:
    """The file's rows as text columns, about ``batch_bytes`` of text at a time."""
    from kpi.io.dialect import NULL_VALUES

    def skip(_row: object) -> str:
        skipped[0] += 1
        return "skip"

    compression = "gzip" if path.name.lower().endswith(".gz") else None
    with pa.input_stream(str(path), compression=compression) as stream:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(column_names=list(plan.header),
                                           skip_rows=plan.skip_lines, encoding=plan.encoding,
                                           block_size=batch_bytes),
            parse_options=pacsv.ParseOptions(delimiter=plan.sep, newlines_in_values=True,
                                             invalid_row_handler=skip),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(plan.header, pa.string()),
                null_values=list(NULL_VALUES), strings_can_be_null=True),
        )
        yield from reader


def _stream_into(staging: _Staging, path: Path, mapping: Mapping | None, number: int,
                 batch_bytes: int, sample_bytes: int) -> ValidationReport:
    """Canonicalise ``path`` batch by batch into ``staging``; the added-up report."""
    plan = _plan(path, mapping, sample_bytes)
    now = pd.Timestamp.now()
    offset = 0
    rows_read = rows_kept = 0
    dropped: dict[str, int] = {}
    issues: list[Issue] = []
    skipped = [0]
    for index, batch in enumerate(_batches(path, plan, batch_bytes, skipped)):
        raw = batch.to_pandas()
        del batch
        frame, report = canonicalise(raw, plan.mapping, source_file=path.name, now=now,
                                     consume=True)
        del raw
        if report.fatal is None and len(frame):
            frame[SOURCE_ROW] += offset
            if any(i.code == "mapping.issue.id_generated" for i in report.issues):
                frame["interaction_id"] = frame[SOURCE_ROW].astype("str")
            staging.add(frame, f"{number:03d}-{index:06d}")
        offset += report.rows_read
        rows_read += report.rows_read
        rows_kept += report.rows_kept
        for code, count in report.dropped.items():
            dropped[code] = dropped.get(code, 0) + count
        issues = merge_issues([*issues, *report.issues])
    if skipped[0]:
        issues.append(Issue(code="compute.issue.malformed_lines", field=None,
                            column=path.name, count=skipped[0], examples=(),
                            severity="warning"))
    return ValidationReport(rows_read=rows_read, rows_kept=rows_kept, dropped=dropped,
                            issues=issues, fatal=None)
