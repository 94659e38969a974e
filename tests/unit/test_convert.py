"""``kpi convert``: canonical Parquet by month, appendable, a month re-written replaces it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kpi.cli import main
from kpi.compute.engines import PARTITION_KEY
from kpi.convert import write_months
from kpi.sample import generate

START = pd.Timestamp("2026-01-30 10:00")


def frame(days: list[int], tag: str) -> pd.DataFrame:
    created = [START + pd.Timedelta(days=d) for d in days]
    return pd.DataFrame({
        "interaction_id": [f"{tag}-{i}" for i in range(len(days))],
        "created_at": pd.Series(created, dtype="datetime64[us]"),
        "channel": pd.Series(["chat"] * len(days), dtype="str"),
        "wait_seconds": [float(d) for d in days],
    })


def read(out: Path) -> pd.DataFrame:
    table = pd.read_parquet(out)
    return table.sort_values("interaction_id", ignore_index=True)


def test_months_are_partitions_and_rerun_replaces_only_its_month(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    first = write_months(frame([0, 1, 2, 3], "jan"), out)  # Jan 30, 31, Feb 1, 2
    assert first.rows == (("2026-01", 2), ("2026-02", 2))
    assert sorted(p.name for p in out.iterdir()) == [f"{PARTITION_KEY}=2026-01",
                                                     f"{PARTITION_KEY}=2026-02"]
    # February exported again, corrected and longer; March appended.
    second = write_months(frame([2, 3, 4, 31], "feb"), out)
    assert second.months == ("2026-02", "2026-03")
    table = read(out)
    assert table["interaction_id"].tolist() == ["feb-0", "feb-1", "feb-2", "feb-3", "jan-0",
                                                "jan-1"]
    assert table.groupby(PARTITION_KEY, observed=True).size().to_dict() == {
        "2026-01": 2, "2026-02": 3, "2026-03": 1}
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging left


def test_canonical_values_survive_the_round_trip(tmp_path: Path) -> None:
    original = frame([0, 5], "x")
    write_months(original, tmp_path / "ds")
    back = read(tmp_path / "ds").drop(columns=PARTITION_KEY)
    pd.testing.assert_frame_equal(back, original, check_dtype=False)
    assert back["created_at"].dtype == original["created_at"].dtype


def test_cli_convert_then_compute_with_duckdb_equals_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "export.csv"
    generate(1500, seed=3, days=40).interactions.to_csv(csv, index=False)
    out = tmp_path / "ds"
    assert main(["convert", str(csv), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Wrote 1500 rows in 2 months" in printed
    options = ["--kpi", "fcr_rate", "--kpi", "p90_wait", "--kpi", "volume", "--by", "channel"]
    assert main(["compute", str(csv), *options]) == 0
    memory = json.loads(capsys.readouterr().out)
    assert main(["compute", str(out), "--engine", "duckdb", *options]) == 0
    files = json.loads(capsys.readouterr().out)
    assert files == memory
    assert sum(r["n"] for r in files if r["kpi"] == "volume") == 1500


def test_cli_convert_in_portuguese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "export.csv"
    frame([0, 3], "pt").to_csv(csv, index=False)
    assert main(["--lang", "pt", "convert", str(csv), "--out", str(tmp_path / "ds")]) == 0
    assert "2 linhas gravadas em 2 meses" in capsys.readouterr().out
