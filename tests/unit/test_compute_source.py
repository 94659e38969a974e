"""``FrameSource`` and ``FileSource`` (DuckDB over canonical Parquet) answer the same questions.

Raw values are checked against pandas filters of the frame written here, and the two sources
against each other (as multisets: a file engine returns rows in its own order).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_engines_data import dataset, interactions

from kpi.catalog import KpiParams
from kpi.compute.engines import DuckDbSettings
from kpi.compute.source import FileSource, FrameSource, StatisticsSource, as_source
from kpi.convert import write_months
from kpi.custom import Condition, CustomKpi
from kpi.errors import DefinitionError

PERIOD = (date(2026, 1, 19), date(2026, 2, 8))


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return interactions(True)


@pytest.fixture(scope="module")
def sources(frame: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[FrameSource, FileSource]:
    folder = write_months(frame, tmp_path_factory.mktemp("source") / "data").out
    data = dataset()
    return (
        FrameSource(frame, activity=data.activity, forecast=data.forecast),
        FileSource(folder, duckdb_settings=DuckDbSettings(memory_limit="256MB", threads=2),
                   activity=data.activity, forecast=data.forecast),
    )


def _in_period(frame: pd.DataFrame, period: tuple[date, date]) -> pd.Series:
    day = frame["created_at"].dt.normalize()
    return (day >= pd.Timestamp(period[0])) & (day <= pd.Timestamp(period[1]))


def test_both_are_sources_and_as_source_wraps_frames_once(sources, frame) -> None:
    frame_source, file_source = sources
    assert isinstance(frame_source, StatisticsSource)
    assert isinstance(file_source, StatisticsSource)
    assert as_source(file_source) is file_source
    wrapped = as_source(frame, activity=dataset().activity)
    assert isinstance(wrapped, FrameSource)
    assert wrapped.interactions is frame
    assert wrapped.activity is dataset().activity
    assert wrapped.forecast is None


def test_columns_and_created_range(sources, frame) -> None:
    frame_source, file_source = sources
    assert set(file_source.columns) == set(frame_source.columns)
    assert "created_month" not in file_source.columns  # the partition key is not a field
    expected = (frame["created_at"].min(), frame["created_at"].max())
    assert frame_source.created_range() == expected
    assert file_source.created_range() == expected


def test_value_counts_count_contacts_per_value(sources, frame) -> None:
    file_source = sources[1]
    expected = frame["channel"].dropna().value_counts()
    for source in sources:
        got = source.value_counts("channel")
        assert dict(got) == dict(expected)
        assert got.iloc[0] == expected.max()
    assert file_source.value_counts("channel").index.name == "channel"
    with pytest.raises(KeyError):
        file_source.value_counts("no_such_field")


def test_raw_values_of_a_mean_kpi_are_the_handled_waits(sources, frame) -> None:
    handled = frame["abandoned"].eq(False).fillna(False)
    known = frame["wait_seconds"].notna()
    chat = frame["channel"].eq("chat").fillna(False)
    expected = np.sort(frame.loc[handled & known & chat & _in_period(frame, PERIOD),
                                 "wait_seconds"].to_numpy(dtype="float64"))
    assert len(expected) > 100
    for source in sources:
        got = source.raw_values("avg_wait", start=PERIOD[0], end=PERIOD[1],
                                by_value={"channel": "chat"})
        np.testing.assert_array_equal(np.sort(got), expected)


def test_raw_values_of_nps_and_a_proportion(sources, frame) -> None:
    rows = _in_period(frame, PERIOD)
    scores = frame.loc[rows & frame["nps"].notna(), "nps"].to_numpy(dtype="float64")
    expected_nps = np.sort(np.where(scores >= 9, 100.0, np.where(scores <= 6, -100.0, 0.0)))
    known = frame["abandoned"].notna() & rows
    expected_rate = np.sort(frame.loc[known, "abandoned"].astype("float64").to_numpy())
    for source in sources:
        nps = source.raw_values("nps", start=PERIOD[0], end=PERIOD[1])
        np.testing.assert_array_equal(np.sort(nps), expected_nps)
        rate = source.raw_values("abandonment_rate", start=PERIOD[0], end=PERIOD[1])
        np.testing.assert_array_equal(np.sort(rate), expected_rate)


def test_dated_raw_values_slice_to_the_period_values(sources) -> None:
    """Days + values over the whole range: sliced to a period, the period's raw values."""
    params = KpiParams()
    pairs = []
    for source in sources:
        days, values = source.dated_raw_values("p90_wait", params)
        assert days.dtype == np.dtype("datetime64[D]")
        inside = (days >= np.datetime64(PERIOD[0])) & (days <= np.datetime64(PERIOD[1]))
        direct = source.raw_values("p90_wait", start=PERIOD[0], end=PERIOD[1])
        np.testing.assert_array_equal(np.sort(values[inside]), np.sort(direct))
        order = np.lexsort((values, days))
        pairs.append((days[order], values[order]))
    np.testing.assert_array_equal(pairs[0][0], pairs[1][0])
    np.testing.assert_array_equal(pairs[0][1], pairs[1][1])


def test_custom_kpi_raw_values(sources, frame) -> None:
    custom = CustomKpi("phone_csat", "Phone CSAT", "mean", unit="score", column="csat",
                       where=(Condition("channel", "=", "phone"),))
    rows = frame["channel"].eq("phone").fillna(False) & frame["csat"].notna() & _in_period(
        frame, PERIOD)
    expected = np.sort(frame.loc[rows, "csat"].to_numpy(dtype="float64"))
    for source in sources:
        got = source.raw_values(custom, start=PERIOD[0], end=PERIOD[1])
        np.testing.assert_array_equal(np.sort(got), expected)


@pytest.mark.parametrize("kpi", ["occupancy", "closed_per_agent", "forecast_accuracy"])
def test_kpis_without_contact_values_are_refused(sources, kpi: str) -> None:
    for source in sources:
        with pytest.raises(DefinitionError) as raised:
            source.dated_raw_values(kpi)
        assert raised.value.code == "compute.error.no_raw_values"


def test_file_statistics_use_its_own_tables(sources) -> None:
    frame_source, file_source = sources
    kpis = ["volume", "occupancy", "forecast_accuracy", "p90_wait"]
    expected = frame_source.statistics(kpis, freq="week", period=PERIOD)
    got = file_source.statistics(kpis, freq="week", period=PERIOD)
    assert expected.loc[expected["kpi"] == "occupancy", "n"].sum() > 0
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9, atol=0)


def test_spark_needs_a_session(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as raised:
        FileSource(tmp_path, engine="spark")
    assert raised.value.code == "compute.error.engine"
