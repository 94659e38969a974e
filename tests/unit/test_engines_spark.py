"""Spark local[2] runs the same generated aggregation and agrees with the in-memory engine.

One module-scoped session; skipped when Spark cannot start, except under ``CI``, where it fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from test_engines import assert_same_statistics
from test_engines_data import dataset, every_kpi, interactions

from kpi.compute import compute_statistics
from kpi.compute.engines import statistics_from_parquet
from kpi.convert import write_months

#: Spark's PERCENTILE interpolates between the same two order statistics as DuckDB's
#: QUANTILE_CONT with other float arithmetic: measured differences are at most 1 ulp.
SPARK_QUANTILE_ULPS = 2

pytestmark = [
    pytest.mark.slow,  # a Spark session takes ~10 s to start on 2 cores
    # PySpark 4 warns that it does not fully support pandas 3 yet; the results are checked here.
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pyspark.*"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"Spark must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        _unavailable("no Java runtime")
    try:
        from kpi.compute.engines import spark_session

        session = spark_session("local[2]", app_name="kpi-tests")
    except Exception as error:  # any start-up failure means "no Spark here"
        _unavailable(f"Spark could not start: {error}")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_months(interactions(True), tmp_path_factory.mktemp("spark") / "data").out


def test_spark_every_kpi_weekly_by_channel(spark: object, folder: Path) -> None:
    """Every KPI (FCR derived by the SQL repeat window, activity and forecast), week × channel."""
    frame, data = interactions(True), dataset()
    kpis = every_kpi(frame)
    kwargs = {"freq": "week", "by": ("channel",), "activity": data.activity,
              "forecast": data.forecast}
    reference = compute_statistics(frame, kpis, **kwargs)
    got = statistics_from_parquet(folder, kpis, engine="spark", spark=spark, **kwargs)
    assert reference["n"].sum() > 0
    assert_same_statistics(reference, got, quantile_ulps=SPARK_QUANTILE_ULPS)


def test_spark_daily_by_agent_in_a_period(spark: object, folder: Path) -> None:
    frame = interactions(True)
    kpis = ["volume", "fcr_rate", "p90_wait", "avg_wait", "closed_per_agent", "nps"]
    period = (date(2026, 1, 12), date(2026, 1, 25))
    reference = compute_statistics(frame, kpis, freq="day", by=("agent",), period=period)
    got = statistics_from_parquet(folder, kpis, engine="spark", spark=spark, freq="day",
                                  by=("agent",), period=period)
    assert_same_statistics(reference, got, quantile_ulps=SPARK_QUANTILE_ULPS)


def test_spark_business_hours_call_the_memory_engines_calendar(spark: object, folder: Path
                                                               ) -> None:
    """The pandas_udf runs kpi.business_hours on Arrow batches: the same durations."""
    from test_engines_business_hours import PARAMS

    frame = interactions(True)
    kpis = ["avg_wait", "p90_wait", "service_level", "avg_resolution_time"]
    reference = compute_statistics(frame, kpis, freq="week", by=("channel",), params=PARAMS)
    got = statistics_from_parquet(folder, kpis, engine="spark", spark=spark, freq="week",
                                  by=("channel",), params=PARAMS)
    assert_same_statistics(reference, got, quantile_ulps=SPARK_QUANTILE_ULPS)
