"""``kpi compare`` end to end: a CSV in, SPEC §7 records out, numbers equal to the library's."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from kpi.cli import main
from kpi.cli.compare import parse_period
from kpi.stats import compare
from kpi.stats.multiple import benjamini_hochberg
from kpi.sufficient import RatioStatistic as R

RECORD_KEYS = ["kpi", "baseline", "current", "difference", "relative_difference", "ci_low",
               "ci_high", "p_value", "p_adjusted", "test", "unit", "significant", "improved",
               "verdict"]


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> tuple[str, pd.DataFrame]:
    rng = np.random.default_rng(12)
    n = 4000
    created = pd.Timestamp("2026-03-02 08:00") + pd.to_timedelta(
        rng.integers(0, 28, n), unit="D") + pd.to_timedelta(rng.integers(0, 36_000, n), unit="s")
    late = np.asarray(created >= pd.Timestamp("2026-03-16"))
    frame = pd.DataFrame({
        "Ticket ID": np.arange(1, n + 1),
        "Created at": created.strftime("%Y-%m-%d %H:%M:%S"),
        "Channel": rng.choice(["phone", "chat"], n),
        "Abandoned": np.where(rng.random(n) < np.where(late, 0.05, 0.12), "yes", "no"),
        "Wait seconds": rng.exponential(45, n).round(),
    })
    path = tmp_path_factory.mktemp("compare") / "export.csv"
    frame.to_csv(path, index=False)
    return str(path), frame


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_records_match_the_library(export, capsys):
    path, frame = export
    code, out, _ = _run(capsys, "compare", path, "--baseline", "2026-03-02:2026-03-15",
                        "--current", "2026-03-16:2026-03-29", "--kpi", "abandonment_rate",
                        "avg_wait", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert [r["kpi"] for r in records] == ["abandonment_rate", "avg_wait"]
    assert all(list(r) == RECORD_KEYS for r in records)
    abandonment = records[0]
    days = pd.to_datetime(frame["Created at"]).dt.normalize()
    flags = (frame["Abandoned"] == "yes").astype(float)
    sides = []
    for start, end in (("2026-03-02", "2026-03-15"), ("2026-03-16", "2026-03-29")):
        mask = (days >= start) & (days <= end)
        sides.append([R.of_values(g.tolist()) for _, g in flags[mask].groupby(days[mask])])
    expected = compare("proportion", sides[0], sides[1], direction="lower")
    assert abandonment["unit"] == "day"
    assert abandonment["test"] == "delta_method_days"
    assert abandonment["baseline"]["n"] == expected.baseline.n
    assert abandonment["difference"] == pytest.approx(expected.difference)
    assert abandonment["p_value"] == pytest.approx(expected.p_value)
    assert [r["p_adjusted"] for r in records] == pytest.approx(
        benjamini_hochberg([r["p_value"] for r in records])
    )
    assert abandonment["significant"] is True
    assert abandonment["improved"] is True
    assert abandonment["verdict"].startswith("Abandonment rate fell from ")


def test_segments_text_output_and_interaction_unit(export, capsys):
    path, _ = export
    code, out, _ = _run(capsys, "--lang", "pt", "compare", path, "--baseline",
                        "2026-03-02:2026-03-15", "--current", "2026-03-16:2026-03-29",
                        "--kpi", "abandonment_rate", "--by", "channel", "--unit", "interaction")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("[chat] ")
    assert lines[1].startswith("[phone] ")
    assert "caiu de" in lines[0]
    assert lines[-1].startswith("2 comparações testadas juntas")
    code, out, _ = _run(capsys, "compare", path, "--baseline", "2026-03-02:2026-03-15",
                        "--current", "2026-03-16:2026-03-29", "--kpi", "abandonment_rate",
                        "--by", "channel", "--unit", "interaction", "--format", "json")
    records = json.loads(out)
    assert [r["channel"] for r in records] == ["chat", "phone"]
    assert {r["test"] for r in records} == {"two_proportion_z"}


def test_bad_periods_and_fields(export, capsys):
    path, _ = export
    assert parse_period("2026-03-02:2026-03-15")[1].day == 15
    with pytest.raises(SystemExit):
        main(["compare", path, "--baseline", "March", "--current", "2026-03-16:2026-03-29"])
    code, _, err = _run(capsys, "compare", path, "--baseline", "2026-03-02:2026-03-15",
                        "--current", "2026-03-16:2026-03-29", "--kpi", "volume",
                        "--by", "nothing")
    assert code == 1
    assert "nothing" in err


def _same_records(got, expected, path=""):
    """JSON records equal, numbers to 1e-9 relative (another engine sums in its own order)."""
    if isinstance(expected, dict):
        assert list(got) == list(expected), path
        for key in expected:
            _same_records(got[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(got) == len(expected), path
        for i, (a, b) in enumerate(zip(got, expected, strict=True)):
            _same_records(a, b, f"{path}[{i}]")
    elif isinstance(expected, float):
        assert got == pytest.approx(expected, rel=1e-9, abs=0), path
    else:
        assert got == expected, path


def test_duckdb_engine_over_converted_parquet_equals_the_csv(export, capsys, tmp_path):
    path, _ = export
    folder = tmp_path / "dataset"
    assert main(["convert", path, "--out", str(folder)]) == 0
    capsys.readouterr()
    common = ["--baseline", "2026-03-02:2026-03-15", "--current", "2026-03-16:2026-03-29",
              "--by", "channel", "--format", "json"]
    code, out, _ = _run(capsys, "compare", path, *common)
    assert code == 0
    expected = json.loads(out)
    code, out, _ = _run(capsys, "compare", str(folder), "--engine", "duckdb",
                        "--memory-limit", "256MB", *common)
    assert code == 0
    got = json.loads(out)
    # Every KPI the export allows, per channel: the percentile's bootstrap reads raw values.
    assert {r["kpi"] for r in expected} >= {"volume", "abandonment_rate", "avg_wait",
                                            "p90_wait", "service_level"}
    assert {r["channel"] for r in expected} == {"chat", "phone"}
    assert any(r["test"].startswith("bootstrap") for r in expected)
    _same_records(got, expected)


def test_file_engine_needs_one_path_and_known_fields(export, capsys, tmp_path):
    path, _ = export
    folder = tmp_path / "dataset"
    assert main(["convert", path, "--out", str(folder)]) == 0
    period = ["--baseline", "2026-03-02:2026-03-15", "--current", "2026-03-16:2026-03-29"]
    code, _, err = _run(capsys, "compare", str(folder), str(folder), "--engine", "duckdb",
                        *period)
    assert code == 1
    assert "duckdb" in err
    code, _, err = _run(capsys, "compare", str(folder), "--engine", "duckdb", "--by", "team",
                        *period)
    assert code == 1
    assert "team" in err
