"""Opening a converted (canonical Parquet) dataset by path or URI: months, filter, KPIs, errors."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kpi.compute import kpi_values
from kpi.convert import convert_files
from kpi.errors import KpiError
from kpi.load import load_dataset
from kpi.parquet_dataset import (
    BUDGET_ENV,
    LOAD_PEAK_FACTOR,
    ParquetDatasetError,
    inspect_parquet,
    load_parquet,
    memory_budget,
)
from kpi.privacy import pseudonymise

KPIS = ["volume", "abandonment_rate", "avg_wait", "p90_wait", "aht", "fcr_rate",
        "csat_score", "resolution_rate", "transfer_rate"]
SALT = b"parquet-salt-0123"


def _export(rows: int = 3000, seed: int = 11) -> pd.DataFrame:
    """An export over nine months (Jun 2025 – Feb 2026) with phone numbers as customers."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-06-01")
    minutes = np.sort(rng.integers(0, 270 * 24 * 60, rows))
    created = start + pd.to_timedelta(minutes, unit="min")
    abandoned = rng.random(rows) < 0.1
    wait = rng.gamma(2.0, 30.0, rows).round()
    return pd.DataFrame({
        "Ticket ID": np.arange(1, rows + 1),
        "Created At": created.strftime("%Y-%m-%d %H:%M:%S"),
        "Channel": rng.choice(["Phone", "Chat", "WhatsApp"], rows),
        "Agent": rng.choice(["Ana", "Bruno", "Carla"], rows),
        "Customer ID": [f"+55 11 9{n:04d}-{n * 7 % 10000:04d}" for n in rng.integers(0, 400, rows)],
        "Wait Time (s)": wait,
        "Handle Time (s)": np.where(abandoned, np.nan, rng.gamma(3.0, 100.0, rows).round()),
        "Abandoned": np.where(abandoned, "true", "false"),
        "Resolved": np.where(rng.random(rows) < 0.8, "true", "false"),
        "Transferred": np.where(rng.random(rows) < 0.15, "true", "false"),
        "CSAT": np.where(rng.random(rows) < 0.3, rng.integers(1, 6, rows), np.nan),
    })


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """(folder written by ``kpi.convert``, the canonical frame it came from)."""
    folder = tmp_path_factory.mktemp("converted")
    csv = folder / "export.csv"
    _export().to_csv(csv, index=False)
    source = load_dataset([(csv.name, csv)]).interactions
    convert_files([csv], folder / "dataset")
    return folder / "dataset", source


def _months(frame: pd.DataFrame) -> pd.Series:
    return frame["created_at"].dt.strftime("%Y-%m").value_counts().sort_index()


def test_months_are_listed_with_their_rows(converted: tuple[Path, pd.DataFrame]) -> None:
    folder, source = converted
    info = inspect_parquet(str(folder))
    expected = _months(source)
    assert info.partitioned
    assert not info.approximate
    assert info.month_names == tuple(expected.index)
    assert len(info.month_names) == 9
    assert [m.rows for m in info.months] == expected.tolist()
    assert info.default_months() == tuple(expected.index[-6:])
    assert info.rows(["2025-07", "2025-09"]) == expected["2025-07"] + expected["2025-09"]
    assert "created_at" in info.columns
    assert "customer_id" in info.columns
    assert len(info.files) == 9


def test_chosen_months_are_loaded_exactly(converted: tuple[Path, pd.DataFrame]) -> None:
    folder, source = converted
    info = inspect_parquet(str(folder))
    chosen = ["2025-07", "2025-08", "2026-01"]
    dataset = load_parquet(info, chosen)
    loaded = dataset.interactions
    expected = _months(source)
    assert _months(loaded).to_dict() == {m: expected[m] for m in chosen}
    assert dataset.report.rows_read == dataset.report.rows_kept == len(loaded)
    assert dataset.report.fatal is None
    assert dataset.usable
    # the same rows and canonical dtypes as the source frame's
    subset = source[source["created_at"].dt.strftime("%Y-%m").isin(chosen)]
    pd.testing.assert_frame_equal(
        loaded.reset_index(drop=True), subset[list(loaded.columns)].reset_index(drop=True)
    )
    assert dataset.mapping.columns["created_at"] == "created_at"
    assert dataset.reads[0].format == "parquet"


def test_kpi_values_equal_those_of_the_source_frame(
    converted: tuple[Path, pd.DataFrame],
) -> None:
    folder, source = converted
    info = inspect_parquet(str(folder))
    loaded = load_parquet(info, info.month_names).interactions
    assert len(loaded) == len(source)
    for freq in ("week", "month"):
        expected = kpi_values(source, KPIS, freq=freq)
        actual = kpi_values(loaded, KPIS, freq=freq)
        assert expected["value"].notna().sum() >= 9 * len(KPIS)
        pd.testing.assert_frame_equal(actual, expected, rtol=1e-12)


def test_pseudonymised_at_load(converted: tuple[Path, pd.DataFrame]) -> None:
    folder, source = converted
    info = inspect_parquet(str(folder))
    loaded = load_parquet(info, ["2025-06"], salt=SALT).interactions
    original = source[source["created_at"].dt.strftime("%Y-%m") == "2025-06"]["customer_id"]
    pd.testing.assert_series_equal(
        loaded["customer_id"].reset_index(drop=True),
        pseudonymise(original, SALT).reset_index(drop=True),
    )
    assert not loaded["customer_id"].str.startswith("+55").any()
    june = source[source["created_at"].dt.strftime("%Y-%m") == "2025-06"]
    assert kpi_values(loaded, ["fcr_rate"], freq="month")["n"].iloc[0] > 0
    # FCR looks up repeats within the loaded months only; here it equals June alone
    pd.testing.assert_frame_equal(kpi_values(loaded, ["fcr_rate"], freq="month"),
                                  kpi_values(june, ["fcr_rate"], freq="month"))


def test_glob_and_uri_open_the_same_months(converted: tuple[Path, pd.DataFrame]) -> None:
    folder, source = converted
    by_glob = inspect_parquet(str(folder / "created_month=2025-1*" / "*.parquet"))
    assert by_glob.month_names == ("2025-10", "2025-11", "2025-12")
    by_uri = inspect_parquet(folder.as_uri())
    assert by_uri.months == inspect_parquet(str(folder)).months
    loaded = load_parquet(by_uri, ["2026-02"]).interactions
    assert len(loaded) == _months(source)["2026-02"]


def test_unpartitioned_file_months_from_statistics(
    converted: tuple[Path, pd.DataFrame], tmp_path: Path,
) -> None:
    _, source = converted
    path = tmp_path / "flat.parquet"
    pq.write_table(pa.Table.from_pandas(source, preserve_index=False), path,
                   row_group_size=250)
    info = inspect_parquet(str(path))
    expected = _months(source)
    assert not info.partitioned
    assert info.month_names == tuple(expected.index)
    assert info.rows(info.month_names) == len(source)
    # row groups spanning two months are shared evenly: each month within one group of 250
    for month in info.months:
        assert abs(month.rows - expected[month.month]) <= 250
    loaded = load_parquet(info, ["2025-08", "2025-10"]).interactions  # exact filter, a gap
    assert _months(loaded).to_dict() == {"2025-08": expected["2025-08"],
                                         "2025-10": expected["2025-10"]}


def test_file_without_statistics_counts_months_exactly(
    converted: tuple[Path, pd.DataFrame], tmp_path: Path,
) -> None:
    _, source = converted
    path = tmp_path / "nostats.parquet"
    pq.write_table(pa.Table.from_pandas(source, preserve_index=False), path,
                   write_statistics=False)
    info = inspect_parquet(str(path))
    assert [m.rows for m in info.months] == _months(source).tolist()


def test_memory_estimate_bounds_the_loaded_frame(converted: tuple[Path, pd.DataFrame]) -> None:
    folder, _ = converted
    info = inspect_parquet(str(folder))
    months = info.month_names[:4]
    frame = load_parquet(info, months).interactions
    actual = frame.memory_usage(deep=True).sum()
    estimate = info.memory_bytes(months)
    # the estimate is the loading peak (Arrow table + frame): above the frame, not wildly
    assert actual <= estimate / LOAD_PEAK_FACTOR * 1.5
    assert estimate <= LOAD_PEAK_FACTOR * 3 * actual


def test_fingerprint_changes_when_a_month_is_rewritten(
    converted: tuple[Path, pd.DataFrame], tmp_path: Path,
) -> None:
    _, source = converted
    first = source[source["created_at"] < "2025-08-01"]
    from kpi.convert import write_months

    write_months(first, tmp_path / "ds")
    before = inspect_parquet(str(tmp_path / "ds"))
    assert inspect_parquet(str(tmp_path / "ds")).fingerprint == before.fingerprint
    write_months(first.iloc[:-1], tmp_path / "ds")
    after = inspect_parquet(str(tmp_path / "ds"))
    assert after.fingerprint != before.fingerprint
    assert after.rows(["2025-07"]) == before.rows(["2025-07"]) - 1


# --- refusals -----------------------------------------------------------------------------------

def _refusal(location: str) -> ParquetDatasetError:
    with pytest.raises(ParquetDatasetError) as caught:
        inspect_parquet(location)
    return caught.value


def test_missing_path_is_refused(tmp_path: Path) -> None:
    error = _refusal(str(tmp_path / "nowhere"))
    assert error.code == "parquet.error.not_found"
    assert "nowhere" in error.message("pt")
    assert _refusal(str(tmp_path / "nowhere*" / "*.parquet")).code == "parquet.error.not_found"
    assert _refusal("  ").code == "parquet.error.not_found"


def test_folder_without_parquet_is_refused(tmp_path: Path) -> None:
    (tmp_path / "export.csv").write_text("a,b\n1,2\n")
    (tmp_path / ".staging").mkdir()
    pq.write_table(pa.table({"created_at": [1]}), tmp_path / ".staging" / "part.parquet")
    error = _refusal(str(tmp_path))
    assert error.code == "parquet.error.no_parquet"
    assert "kpi convert" in error.message("en")


def test_raw_export_in_parquet_is_not_canonical(tmp_path: Path) -> None:
    _export(rows=20).to_parquet(tmp_path / "export.parquet")
    error = _refusal(str(tmp_path))
    assert error.code == "parquet.error.not_canonical"
    assert error.params["fields"] == "created_at"
    assert "created_at" in error.message("pt")


def test_wrong_types_are_named(tmp_path: Path) -> None:
    table = pa.table({"created_at": ["2026-01-01"], "wait_seconds": ["12"], "agent": ["Ana"]})
    pq.write_table(table, tmp_path / "x.parquet")
    error = _refusal(str(tmp_path / "x.parquet"))
    assert error.code == "parquet.error.wrong_types"
    assert error.params["fields"] == "created_at, wait_seconds"


def test_damaged_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 this is not parquet")
    assert _refusal(str(tmp_path)).code == "parquet.error.unreadable"


def test_unknown_uri_scheme_is_refused() -> None:
    error = _refusal("nosuchscheme://bucket/data")
    assert error.code == "parquet.error.bad_uri"


def test_selection_above_the_budget_is_refused(converted: tuple[Path, pd.DataFrame]) -> None:
    folder, _ = converted
    info = inspect_parquet(str(folder))
    months = info.month_names[:3]
    needed = info.memory_bytes(months)
    with pytest.raises(ParquetDatasetError) as caught:
        load_parquet(info, months, budget=needed - 1)
    error = caught.value
    assert error.code == "parquet.error.too_big"
    assert error.params["months"] == 3
    assert error.params["needed_mb"] == -(-needed // 1024**2)
    assert "--engine duckdb" in error.message("pt")
    assert "menos meses" in error.message("pt")
    assert len(load_parquet(info, months, budget=needed).interactions) == info.rows(months)


def test_empty_selection_is_refused(converted: tuple[Path, pd.DataFrame]) -> None:
    folder, _ = converted
    info = inspect_parquet(str(folder))
    for months in ([], ["1999-01"]):
        with pytest.raises(KpiError) as caught:
            load_parquet(info, months)
        assert caught.value.code == "parquet.error.no_months"


def test_budget_is_the_uploads_memory_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert BUDGET_ENV == "KPI_MAX_MEMORY_MB"
    monkeypatch.setenv(BUDGET_ENV, "300")
    assert memory_budget() == 300 * 1024**2
    monkeypatch.delenv(BUDGET_ENV)
    if not os.path.exists("/proc/meminfo"):
        pytest.skip("no /proc/meminfo on this system")
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        available = next(int(line.split()[1]) * 1024 for line in meminfo
                         if line.startswith("MemAvailable:"))
    assert memory_budget() <= available / 2 * 1.05  # half of it, or less in a small cgroup
    assert memory_budget() > 0
