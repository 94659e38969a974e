"""``kpi convert`` of a CSV larger than memory: streamed in batches, same dataset as in memory."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from kpi import convert
from kpi.cli import main
from kpi.compute.engines import PARTITION_KEY, statistics_from_parquet
from kpi.convert import convert_csv_in_batches, convert_files
from kpi.mapping import Mapping
from kpi.sample import write_generated

#: Tiny batches and sample, so a few thousand rows make many batches.
SMALL = {"batch_bytes": 64 * 1024, "sample_bytes": 96 * 1024}


def read(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder).sort_values("source_row", ignore_index=True)


@pytest.fixture(scope="module")
def brazilian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A gzipped cp1252 export with ';', decimal commas, Portuguese headers and booleans."""
    root = tmp_path_factory.mktemp("br")
    paths, _ = write_generated(root / "atendimentos.csv.gz", 6000, seed=4, days=70,
                               dialect="br")
    return paths[0]


def test_batches_give_the_in_memory_dataset(brazilian: Path, tmp_path: Path) -> None:
    batched = convert_csv_in_batches(brazilian, tmp_path / "batched", **SMALL)
    memory = convert_files([brazilian], tmp_path / "memory", stream_above=10**12)
    files = sorted(p.name for p in (tmp_path / "batched").glob(f"{PARTITION_KEY}=*/*"))
    assert len(files) > 10  # many batches, one file per batch and month
    assert files[0].startswith("part-001-000000")
    assert batched.rows == memory.rows
    assert batched.total == 6000
    pd.testing.assert_frame_equal(read(tmp_path / "batched"), read(tmp_path / "memory"))
    kpis = ["volume", "avg_wait", "p90_wait", "abandonment_rate", "csat_satisfied", "fcr_rate"]
    got = statistics_from_parquet(tmp_path / "batched", kpis, freq="week", by=["channel"])
    reference = statistics_from_parquet(tmp_path / "memory", kpis, freq="week", by=["channel"])
    pd.testing.assert_frame_equal(got, reference, check_exact=False, rtol=1e-12)


def test_drop_counts_add_up_over_batches(tmp_path: Path) -> None:
    """Rows without a usable date spread over several batches: counted once each, in total."""
    frame = pd.DataFrame({
        "Created At": [f"2026-03-{1 + i % 28:02d} 10:{i % 60:02d}" for i in range(3000)],
        "Wait Time (s)": [str(i % 97) for i in range(3000)],
        "Channel": ["chat", "phone", "email"] * 1000,
    })
    bad = list(range(5, 3000, 250))
    frame.loc[bad, "Created At"] = "n/d"
    path = tmp_path / "export.csv"
    frame.to_csv(path, index=False)
    batched = convert_csv_in_batches(path, tmp_path / "batched", batch_bytes=16 * 1024,
                                     sample_bytes=32 * 1024)
    memory = convert_files([path], tmp_path / "memory", stream_above=10**12)
    assert batched.report is not None
    assert memory.report is not None
    assert batched.report.rows_read == 3000
    assert batched.report.dropped == memory.report.dropped == {
        "mapping.issue.no_created_at": len(bad)}
    assert batched.report.rows_kept == 3000 - len(bad)
    # generated ids are row numbers of the whole file, not of a batch
    ids = read(tmp_path / "batched")["interaction_id"].astype(int)
    assert ids.is_unique
    assert ids.tolist() == read(tmp_path / "memory")["interaction_id"].astype(int).tolist()


def _day_month_file(path: Path) -> None:
    """Dates that read both ways in the first rows; from row 2000 on, a day of 25."""
    early = [f"0{1 + i % 9}/0{1 + i % 3}/2026 09:00" for i in range(2000)]
    late = [f"25/0{1 + i % 3}/2026 09:00" for i in range(1000)]
    pd.DataFrame({"Created At": early + late, "Channel": ["chat"] * 3000}).to_csv(
        path, index=False)


def test_date_order_is_decided_on_the_sample_then_fixed(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    _day_month_file(path)
    batched = convert_csv_in_batches(path, tmp_path / "batched", batch_bytes=16 * 1024,
                                     sample_bytes=16 * 1024)
    table = read(tmp_path / "batched")
    # Undecided on the sample → day-first (the loader's convention) for every batch:
    assert table["created_at"].iloc[0] == pd.Timestamp("2026-01-01 09:00")
    assert table["created_at"].iloc[3] == pd.Timestamp("2026-01-04 09:00")  # "04/01/2026"
    assert batched.total == 3000
    # a mapping saying month-first wins, and rows that cannot be month-first are dropped
    mapping = Mapping.from_dict({"read": {"dayfirst": False},
                                 "columns": {"created_at": "Created At", "channel": "Channel"}})
    month_first = convert_csv_in_batches(path, tmp_path / "month_first", mapping,
                                         batch_bytes=16 * 1024, sample_bytes=16 * 1024)
    assert month_first.report is not None
    assert month_first.report.dropped == {"mapping.issue.no_created_at": 1000}
    assert read(tmp_path / "month_first")["created_at"].iloc[3] == pd.Timestamp(
        "2026-04-01 09:00")


def test_reconverting_a_month_replaces_it_and_keeps_the_others(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    march = tmp_path / "march.csv"
    pd.DataFrame({"Created At": ["2026-03-02 10:00"] * 3 + ["2026-04-01 10:00"],
                  "Ticket": ["a", "b", "c", "d"]}).to_csv(march, index=False)
    convert_csv_in_batches(march, out, batch_bytes=16 * 1024)
    again = tmp_path / "march_fixed.csv.gz"
    with gzip.open(again, "wt", encoding="utf-8") as handle:
        handle.write("Created At,Ticket\n2026-03-05 10:00,e\n")
    result = convert_csv_in_batches(again, out)
    assert result.rows == (("2026-03", 1),)
    months = read(out).groupby(PARTITION_KEY, observed=True).size().to_dict()
    assert months == {"2026-03": 1, "2026-04": 1}
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_cli_streams_a_large_csv_and_prints_the_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "export.csv"
    _day_month_file(path)
    monkeypatch.setattr(convert, "STREAM_ABOVE", 1024)
    monkeypatch.setattr(convert, "SAMPLE_BYTES", 16 * 1024)
    mapping = tmp_path / "m.json"
    mapping.write_text('{"read": {"dayfirst": false}}', encoding="utf-8")
    assert main(["convert", str(path), "--out", str(tmp_path / "ds"), "--mapping",
                 str(mapping), "--batch-mb", "1"]) == 0
    printed = capsys.readouterr().out
    assert "Wrote 2,000 rows" in printed or "Wrote 2000 rows" in printed
    assert "3,000 rows read, 2,000 kept" in printed
