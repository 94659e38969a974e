"""Comparisons, the scorecard and the report are the same from the frame and from Parquet.

The engine tests' dataset (every KPI, edge rows, activity and forecast) is compared once from
the canonical frame and once from the Parquet ``kpi convert`` writes, queried by DuckDB (and,
in one slow test, by Spark ``local[2]``): estimates, intervals, p- and q-values and verdicts
agree to 1e-9 relative; the report's KPI table CSV is byte-identical.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from test_engines_business_hours import CALENDAR
from test_engines_data import dataset, every_kpi, interactions

from kpi.catalog import KpiParams
from kpi.changes import ComparisonSource, compare_one_vs_rest, compare_periods
from kpi.charter import Charter
from kpi.compute.engines import DuckDbSettings
from kpi.compute.source import FileSource, FrameSource
from kpi.convert import write_months
from kpi.export import kpi_table_csv
from kpi.report import ChartBlock, ReportDocument, build_report
from kpi.scorecard import detectable_changes, scope_options, scorecard
from kpi.selection import resolve
from kpi.targets import Target

BASELINE = (date(2026, 1, 5), date(2026, 2, 1))
CURRENT = (date(2026, 2, 2), date(2026, 3, 1))


def assert_close(mine: Any, theirs: Any, path: str = "") -> None:
    """Equal, floats to 1e-9 relative (dataclasses, dicts, sequences and frames recursively)."""
    if dataclasses.is_dataclass(mine) and not isinstance(mine, type):
        assert type(mine) is type(theirs), path
        for f in dataclasses.fields(mine):
            assert_close(getattr(mine, f.name), getattr(theirs, f.name), f"{path}.{f.name}")
    elif isinstance(mine, pd.DataFrame):
        pd.testing.assert_frame_equal(mine, theirs, check_exact=False, rtol=1e-9, atol=0)
    elif isinstance(mine, dict):
        assert mine.keys() == theirs.keys(), path
        for key in mine:
            assert_close(mine[key], theirs[key], f"{path}[{key}]")
    elif isinstance(mine, list | tuple):
        assert len(mine) == len(theirs), path
        for i, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            assert_close(a, b, f"{path}[{i}]")
    elif isinstance(mine, float) and isinstance(theirs, float):
        assert math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=0) or (
            math.isnan(mine) and math.isnan(theirs)), (path, mine, theirs)
    else:
        assert mine == theirs, (path, mine, theirs)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return interactions(True)


@pytest.fixture(scope="module")
def folder(frame: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_months(frame, tmp_path_factory.mktemp("compare") / "data").out


@pytest.fixture(scope="module")
def sources(frame: pd.DataFrame, folder: Path) -> tuple[FrameSource, FileSource]:
    data = dataset()
    return (
        FrameSource(frame, activity=data.activity, forecast=data.forecast),
        FileSource(folder, duckdb_settings=DuckDbSettings(memory_limit="256MB", threads=2),
                   activity=data.activity, forecast=data.forecast),
    )


def test_period_comparisons_of_every_kpi_agree(sources, frame) -> None:
    kpis = every_kpi(frame)
    data = dataset()
    reference = compare_periods(frame, kpis, BASELINE, CURRENT, activity=data.activity,
                                forecast=data.forecast)
    got = compare_periods(sources[1], kpis, BASELINE, CURRENT)
    assert {c.kind for c in reference} >= {"proportion", "mean", "quantile", "ratio", "nps",
                                           "count"}
    assert any(c.significant for c in reference)
    assert sum(c.p_value is not None for c in reference) >= 15
    quantile = next(c for c in reference if c.kpi == "p90_wait")
    assert quantile.test.startswith("bootstrap")
    assert quantile.ci_low is not None
    assert_close(got, reference)


def test_business_hours_comparisons_agree(sources, frame) -> None:
    """Durations in opening hours of a calendar: the file engine calls the calendar from SQL
    for the statistics and for the raw values a percentile's bootstrap resamples."""
    kpis = ["avg_resolution_time", "service_level", "p90_wait"]
    params = KpiParams(business_hours=tuple(kpis), calendar=CALENDAR)
    assert all(params.uses_business_hours(k) for k in kpis)
    reference = compare_periods(frame, kpis, BASELINE, CURRENT, params=params)
    got = compare_periods(sources[1], kpis, BASELINE, CURRENT, params=params)
    assert_close(got, reference)
    assert all(c.p_value is not None and c.ci_low is not None for c in reference)
    # The calendar changed the numbers: wall-clock durations give other estimates.
    wall = compare_periods(frame, kpis, BASELINE, CURRENT)
    for mine, theirs in zip(reference, wall, strict=True):
        assert mine.current != theirs.current, mine.kpi
    business = [np.sort(s.raw_values("avg_resolution_time", start=CURRENT[0], end=CURRENT[1],
                                     params=params)) for s in sources]  # file rows: any order
    np.testing.assert_allclose(business[1], business[0], rtol=1e-9, atol=0)
    clock = sources[1].raw_values("avg_resolution_time", start=CURRENT[0], end=CURRENT[1])
    assert len(clock) == len(business[1])
    assert 0 < business[1].sum() < clock.sum()


def test_segment_comparisons_through_a_comparison_source_agree(sources) -> None:
    """Cached daily statistics per segment and dated raw values (the Changes page's path)."""
    kpis = ["abandonment_rate", "avg_wait", "p90_wait", "nps"]
    frame_cache, file_cache = (ComparisonSource(s) for s in sources)
    reference = compare_periods(frame_cache, kpis, BASELINE, CURRENT, by="channel",
                                unit="interaction")
    got = compare_periods(file_cache, kpis, BASELINE, CURRENT, by="channel", unit="interaction")
    assert {c.segment_value for c in reference} >= {"phone", "chat"}
    assert_close(got, reference)
    reference = compare_one_vs_rest(frame_cache, kpis, CURRENT, "team")
    got = compare_one_vs_rest(file_cache, kpis, CURRENT, "team")
    assert any(c.versus_rest and c.p_value is not None for c in reference)
    assert_close(got, reference)


def test_scorecard_rows_and_detectable_changes_agree(sources, frame) -> None:
    kpis = every_kpi(frame)
    selection = resolve(Charter(kpis=tuple(kpis)), frame.columns, has_activity=True,
                        has_forecast=True)
    targets = (Target("abandonment_rate", value=0.05), Target("p90_wait", value=60.0),
               Target("occupancy", band=(0.75, 0.85)))
    cards = [scorecard(source, selection, targets, freq="week") for source in sources]
    assert cards[0].period is not None
    assert cards[0].period.end == date(2026, 3, 1)
    assert sum(row.target_test is not None for row in cards[0].rows) == 3
    assert_close(cards[1].rows, cards[0].rows)  # sparklines included
    reference = detectable_changes(sources[0], kpis, selection.params)
    assert_close(detectable_changes(sources[1], kpis, selection.params), reference)
    assert list(scope_options(sources[1], "en")) == list(scope_options(frame, "en"))


def test_report_kpi_table_csv_is_identical(sources) -> None:
    """One KPI of each kind (and both extra tables), with the channel and team sections."""
    kpis = ["volume", "abandonment_rate", "aht", "p90_wait", "nps", "fcr_rate", "occupancy",
            "closed_per_agent", "forecast_accuracy"]
    charter = Charter(kpis=tuple(kpis), name="Engines",
                      targets=(Target("abandonment_rate", value=0.05),))
    data = dataset()
    reference = build_report(sources[0].interactions, charter, activity=data.activity,
                             forecast=data.forecast, generated_on=date(2026, 3, 2))
    got = build_report(sources[1], charter, generated_on=date(2026, 3, 2))
    assert reference.periods.current == (date(2026, 2, 2), date(2026, 3, 1))
    assert len(reference.kpi_table) == len(kpis)
    assert kpi_table_csv(got) == kpi_table_csv(reference)
    assert [s.key for s in got.sections] == [s.key for s in reference.sections]
    def text(document: ReportDocument) -> list[Any]:
        return [b.chart_id if isinstance(b, ChartBlock) else b
                for s in document.sections for b in s.blocks]

    assert_close(text(got), text(reference))


# --- Spark local[2]: one short test (the session start is the cost) -------------------------

from test_engines_spark import spark  # noqa: E402, F401  (the module-scoped session fixture)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
@pytest.mark.filterwarnings("ignore::DeprecationWarning:pyspark.*")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_spark_period_comparisons_agree(spark: object, folder: Path, frame) -> None:  # noqa: F811
    """Spark statistics + the dated raw values of a percentile (one query each)."""
    kpis = ["abandonment_rate", "p90_wait", "occupancy"]
    data = dataset()
    source = FileSource(folder, engine="spark", spark=spark,  # type: ignore[arg-type]
                        activity=data.activity, forecast=data.forecast)
    reference = compare_periods(frame, kpis, BASELINE, CURRENT, activity=data.activity,
                                forecast=data.forecast)
    assert_close(compare_periods(ComparisonSource(source), kpis, BASELINE, CURRENT), reference)
    assert source.created_range() == (frame["created_at"].min(), frame["created_at"].max())
