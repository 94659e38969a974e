"""DuckDB over canonical Parquet (out of core) gives the in-memory engine's statistics."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_engines_data import dataset, every_kpi, interactions

from kpi.catalog import KpiParams
from kpi.compute import compute_statistics, repeat_contact_query
from kpi.compute.engine import run_query
from kpi.compute.engines import (
    DuckDbSettings,
    ParquetSource,
    prepared_view,
    statistics_from_parquet,
)
from kpi.compute.prepare import repeat_contact
from kpi.convert import write_months
from kpi.errors import DefinitionError

QUANTILES = ("p90_wait",)


def assert_same_statistics(reference: pd.DataFrame, got: pd.DataFrame, *,
                           quantile_ulps: int = 0) -> None:
    """Equal to 1e-9 relative; counts, periods, segments and reasons exactly; percentiles
    exactly, or within ``quantile_ulps`` units in the last place (another engine's
    interpolation arithmetic between the same two order statistics)."""
    assert list(got.columns) == list(reference.columns)
    assert len(got) == len(reference)
    exact = reference["kpi"].isin(QUANTILES)
    mine = got.loc[exact, "value"].to_numpy()
    theirs = reference.loc[exact, "value"].to_numpy()
    np.testing.assert_array_equal(np.isnan(mine), np.isnan(theirs))
    known = ~np.isnan(theirs)
    if quantile_ulps:
        np.testing.assert_array_max_ulp(mine[known], theirs[known], maxulp=quantile_ulps)
    else:
        np.testing.assert_array_equal(mine, theirs)
    pd.testing.assert_frame_equal(got, reference, check_exact=False, rtol=1e-9, atol=0)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """Both variants (FCR flag given / derived) written by ``write_months``."""
    root = tmp_path_factory.mktemp("parquet")
    return {derived: write_months(interactions(derived), root / f"derived-{derived}").out
            for derived in (False, True)}


CASES = [
    ("week", (), None),
    ("day", ("agent",), None),
    ("month", ("channel",), None),
    ("week", ("channel", "team"), (date(2026, 1, 19), date(2026, 2, 8))),
]


@pytest.mark.parametrize("derived", [False, True], ids=["fcr-flag", "fcr-derived"])
@pytest.mark.parametrize(("freq", "by", "period"), CASES)
def test_duckdb_over_parquet_equals_in_memory(
    folders: dict[bool, Path], derived: bool, freq: str, by: tuple[str, ...],
    period: tuple[date, date] | None,
) -> None:
    frame = interactions(derived)
    kpis = every_kpi(frame)
    data = dataset()
    reference = compute_statistics(frame, kpis, freq=freq, by=by, period=period,
                                   activity=data.activity, forecast=data.forecast)
    got = statistics_from_parquet(folders[derived], kpis, freq=freq, by=by, period=period,
                                  activity=data.activity, forecast=data.forecast,
                                  duckdb_settings=DuckDbSettings(memory_limit="256MB",
                                                                 threads=2))
    assert reference["n"].sum() > 0
    assert_same_statistics(reference, got)


def test_derived_fcr_reads_the_sql_repeat_flag(folders: dict[bool, Path]) -> None:
    """The edge customers: ties never repeat, 7 days exactly is a repeat, 7 days + 1 s is not."""
    frame = interactions(True)
    flags = repeat_contact(frame["created_at"], frame["customer_id"], 7)
    edges = frame["interaction_id"].str.startswith("edge-").to_numpy()
    assert flags[edges].tolist() == [True, True, False, False, False, False, False]
    got = statistics_from_parquet(folders[True], ["fcr_rate"], freq="month")
    handled = frame["abandoned"].eq(False).fillna(False) & frame["customer_id"].notna()
    first = frame["resolved"].eq(True).fillna(False) & ~flags
    month = frame["created_at"].dt.to_period("M")
    expected = (first[handled].groupby(month[handled]).mean())
    np.testing.assert_allclose(got["value"].to_numpy(), expected.to_numpy(), rtol=1e-12)
    assert got["n"].tolist() == handled.groupby(month).sum().tolist()


def test_single_file_and_glob_sources(tmp_path: Path) -> None:
    frame = interactions(False)
    frame.to_parquet(tmp_path / "all.parquet")
    reference = compute_statistics(frame, ["volume", "avg_wait"], freq="month")
    for source in (str(tmp_path / "all.parquet"), ParquetSource(str(tmp_path / "*.parquet"))):
        got = statistics_from_parquet(source, ["volume", "avg_wait"], freq="month")
        assert_same_statistics(reference, got)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as raised:
        statistics_from_parquet(tmp_path, ["volume"])
    assert raised.value.code == "compute.error.no_parquet"


def test_view_and_repeat_query_render_for_spark() -> None:
    view = prepared_view(["created_at", "customer_id", "resolved_at"],
                         ["resolution_seconds", "resolved", "_repeat"], KpiParams(), "spark")
    sql = view.sql(dialect="spark")
    assert "UNIX_MICROS(" in sql
    assert "LEFT JOIN" in sql
    assert "RANGE BETWEEN CURRENT ROW AND INTERVAL" in repeat_contact_query(7).sql("spark")


def test_memory_limit_spills_instead_of_failing(folders: dict[bool, Path], tmp_path: Path
                                                ) -> None:
    """A tight limit with a spill folder still answers (and agrees)."""
    frame = interactions(True)
    reference = compute_statistics(frame, ["fcr_rate", "p90_wait"], freq="day", by=("agent",))
    got = statistics_from_parquet(
        folders[True], ["fcr_rate", "p90_wait"], freq="day", by=("agent",),
        duckdb_settings=DuckDbSettings(memory_limit="64MB", temp_directory=str(tmp_path),
                                       threads=1),
    )
    assert_same_statistics(reference, got)


def test_grid_is_every_bucket_by_every_segment_pair_sorted_missing_last() -> None:
    """Against pandas: weeks first to last × the (channel, team) pairs seen, sorted with a
    missing value last in each column; volume 0 where a pair has no contact that week."""
    frame = interactions(False).iloc[::12].copy()  # ~420 contacts over eight weeks
    frame.loc[frame.index[:40], "team"] = None
    frame.loc[frame.index[30:60], "channel"] = None
    by = ["channel", "team"]
    got = compute_statistics(frame, ["volume"], freq="week", by=by)
    week = frame["created_at"].dt.to_period("W-SUN").dt.start_time.astype("datetime64[us]")
    weeks = pd.date_range(week.min(), week.max(), freq="W-MON").astype("datetime64[us]")
    pairs = frame[by].drop_duplicates().sort_values(by, na_position="last", ignore_index=True)
    assert pairs.isna().any(axis=None)
    assert len(weeks) == 8
    grid = pd.DataFrame({"period": weeks}).merge(pairs, how="cross")
    keyed = frame[by].fillna("~missing").assign(period=week)  # a key a lookup can match
    counts = keyed.groupby(["period", *by]).size()
    expected = [counts.get(key, 0) for key in grid.fillna("~missing").itertuples(index=False)]
    pd.testing.assert_frame_equal(got[["period", *by]], grid)
    assert got["n"].tolist() == expected


def test_integer_sums_come_back_as_float64_not_decimal() -> None:
    """DuckDB sums integers as HUGEINT (Arrow decimal128): cast, exact below 2**53."""
    table = pd.DataFrame({"x": np.array([2**52, 3, -1], dtype="int64"), "g": ["a", "a", "b"]})
    sql = "SELECT g, SUM(x) AS total, COUNT(*) AS n FROM t GROUP BY g ORDER BY g"
    got = run_query(sql, {"t": table, "unused": None})
    assert got["total"].dtype == "float64"
    assert got["total"].tolist() == [float(2**52 + 3), -1.0]
    assert got["n"].tolist() == [2, 1]
