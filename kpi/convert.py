"""Canonical Parquet, partitioned by month: where monthly exports accumulate into one dataset.

:func:`write_months` writes a canonical frame as ``DIR/created_month=YYYY-MM/part-0.parquet``
(hive partitioning, read by DuckDB's ``read_parquet`` and by Spark). Months already in ``DIR``
and absent from the frame are kept; a month present in both is replaced as a whole, so
re-converting an export is idempotent. Each month is written to a temporary folder first and
then moved into place.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from kpi.compute.engines import PARTITION_KEY
from kpi.errors import UnusableDataError


@dataclass(frozen=True)
class ConvertResult:
    """What was written: the months (``YYYY-MM``) and rows per month, in month order."""

    out: Path
    rows: tuple[tuple[str, int], ...]

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(month for month, _ in self.rows)

    @property
    def total(self) -> int:
        return sum(n for _, n in self.rows)


def month_folder(out: Path, month: str) -> Path:
    """The partition folder of ``month`` (``YYYY-MM``)."""
    return out / f"{PARTITION_KEY}={month}"


def write_months(frame: pd.DataFrame, out: Path | str) -> ConvertResult:
    """Write the canonical ``frame`` under ``out``, one partition per month of ``created_at``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    months = frame["created_at"].dt.strftime("%Y-%m").to_numpy(dtype=object)
    codes, labels = pd.factorize(months, sort=True)
    written = []
    for code, month in enumerate(labels):
        rows = table.filter(pa.array(codes == code))
        staging = Path(tempfile.mkdtemp(prefix=f".{month}-", dir=out))
        pq.write_table(rows, staging / "part-0.parquet", compression="zstd")
        target = month_folder(out, str(month))
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
        written.append((str(month), rows.num_rows))
    return ConvertResult(out, tuple(written))


def convert_files(files: Sequence[Path | str], out: Path | str, mapping: object = None
                  ) -> ConvertResult:
    """Load exported files (:func:`kpi.load.load_dataset`) and write their interactions."""
    from kpi.load import load_dataset

    paths = [Path(f) for f in files]
    dataset = load_dataset([(p.name, p) for p in paths], mapping)  # type: ignore[arg-type]
    if dataset.report.fatal is not None:
        raise dataset.report.fatal
    if dataset.interactions is None or not len(dataset.interactions):
        raise UnusableDataError("convert.error.no_rows")
    return write_months(dataset.interactions, out)
