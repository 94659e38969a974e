"""Business-hours durations on the file engine: the memory engine's calendar, called from SQL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_engines import assert_same_statistics
from test_engines_data import interactions

from kpi.business_hours import BusinessCalendar
from kpi.catalog import KpiParams
from kpi.compute import compute_statistics
from kpi.compute.engines import (
    BUSINESS_AFTER,
    BUSINESS_BETWEEN,
    prepared_view,
    statistics_from_parquet,
)
from kpi.convert import write_months
from kpi.errors import DefinitionError

#: Split Monday, short Friday, Saturday morning, closed Sunday; a holiday; São Paulo time.
CALENDAR = BusinessCalendar(
    hours={
        0: (("08:00", "12:00"), ("13:00", "18:00")),
        1: (("08:00", "18:00"),), 2: (("08:00", "18:00"),), 3: (("08:00", "18:00"),),
        4: (("08:00", "17:00"),), 5: (("09:00", "13:00"),),
    },
    holidays=("2026-01-20",),
    timezone="America/Sao_Paulo",
)
BUSINESS_KPIS = ("avg_wait", "p90_wait", "service_level", "avg_resolution_time")
PARAMS = KpiParams(business_hours=BUSINESS_KPIS, calendar=CALENDAR)
KPIS = [*BUSINESS_KPIS, "volume"]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample with end timestamps, and without them (durations only)."""
    root = tmp_path_factory.mktemp("business")
    frame = interactions(False)
    durations = frame.drop(columns=["answered_at", "resolved_at"])
    return {"timestamps": write_months(frame, root / "timestamps").out,
            "durations": write_months(durations, root / "durations").out}


@pytest.mark.parametrize("variant", ["timestamps", "durations"])
@pytest.mark.parametrize(("freq", "by"), [("week", ("channel",)), ("day", ())])
def test_duckdb_business_hours_equal_the_memory_engine(
    folders: dict[str, Path], variant: str, freq: str, by: tuple[str, ...]
) -> None:
    frame = pd.read_parquet(folders[variant]).drop(columns="created_month")
    reference = compute_statistics(frame, KPIS, freq=freq, by=by, params=PARAMS)
    got = statistics_from_parquet(folders[variant], KPIS, freq=freq, by=by, params=PARAMS)
    assert_same_statistics(reference, got)
    clock = compute_statistics(frame, KPIS, freq=freq, by=by)
    waits = reference["kpi"] == "avg_wait"
    # Opening hours really changed the numbers (most waits and resolutions cross a closed time).
    assert (got.loc[waits, "value"] < clock.loc[waits, "value"]).mean() > 0.5


def test_nights_weekends_and_the_holiday_by_hand(tmp_path: Path) -> None:
    """Friday 16:30 → Monday 09:15: 30 min Friday, 4 h Saturday, 1 h 15 Monday (Sunday closed);
    Monday 19 Jan 17:00 → Wednesday 21 Jan 08:30: 1 h Monday, Tuesday a holiday, 30 min."""
    created = pd.Series(pd.to_datetime(["2026-01-16 16:30", "2026-01-19 17:00",
                                         "2026-01-21 10:00"]), dtype="datetime64[us]")
    answered = pd.Series(pd.to_datetime(["2026-01-19 09:15", "2026-01-21 08:30",
                                          "2026-01-21 09:00"]), dtype="datetime64[us]")
    frame = pd.DataFrame({
        "interaction_id": pd.Series(["a", "b", "c"], dtype="str"),
        "created_at": created, "answered_at": answered,
        "abandoned": pd.array([False, False, False], dtype="boolean"),
    })
    write_months(frame, tmp_path / "ds")
    got = statistics_from_parquet(tmp_path / "ds", ["avg_wait"], freq="month", params=PARAMS)
    by_hand = [(30 + 4 * 60 + 75) * 60, (60 + 30) * 60, 0]  # answered before created: 0
    assert got["value"].tolist() == [sum(by_hand) / 3]
    assert got["n"].tolist() == [3]


def test_the_view_calls_the_udf_to_the_timestamp_or_after_the_duration() -> None:
    with_end = prepared_view(["created_at", "answered_at"], ["_wait_business"], PARAMS,
                             "duckdb").sql("duckdb")
    assert f'{BUSINESS_BETWEEN}("s"."created_at", "s"."answered_at")' in with_end
    without = prepared_view(["created_at", "wait_seconds"], ["_wait_business"], PARAMS,
                            "spark").sql("spark")
    assert f"{BUSINESS_AFTER}(`s`.`created_at`, `s`.`wait_seconds`)" in without


def test_an_unknown_derived_column_is_refused() -> None:
    with pytest.raises(DefinitionError) as raised:
        prepared_view(["created_at"], ["_mystery"], PARAMS, "duckdb")
    assert raised.value.code == "compute.error.engine_derived"
