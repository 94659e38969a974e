"""Where the statistics consumers read data from: a canonical frame, or canonical Parquet.

:class:`StatisticsSource` is everything :mod:`kpi.changes`, :mod:`kpi.scorecard` and
:mod:`kpi.report` need from the data, and nothing else: the columns, the first and last
``created_at``, the statistics frame (as :func:`kpi.compute.compute_statistics`), the raw
values of a KPI (percentiles, rank tests, bootstrap), the values of a text field, and the
small activity / forecast tables.

- :class:`FrameSource` wraps the canonical pandas frame (what the app loads);
- :class:`FileSource` reads canonical Parquet (a file, a folder written by ``kpi convert``, a
  glob, or a Spark URI) on DuckDB out of core or on Spark. Its statistics come from
  :func:`kpi.compute.engines.statistics_from_parquet`; raw values from one generated query
  over the same prepared view (``SELECT y, day FROM base WHERE population``). Raw values of a
  KPI come back whole (one float and one day per contact of its population): for a
  percentile KPI on 100M+ rows on Spark, that transfer is the cost.

:func:`as_source` turns a frame (or a source) into a source once, at the entry points.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
from sqlglot import exp

from kpi.catalog import KpiParams
from kpi.compute import engine
from kpi.compute.sql import Freq
from kpi.custom import CustomKpi
from kpi.errors import DefinitionError

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession

    from kpi.business_hours import BusinessCalendar
    from kpi.compute.engines import DuckDbSettings, Engine, ParquetSource

KpiRef = str | CustomKpi
#: ``(first, last)`` ``created_at`` of a source, or None when it has no dated contact.
CreatedRange = tuple[pd.Timestamp, pd.Timestamp] | None


@runtime_checkable
class StatisticsSource(Protocol):
    """What the statistics consumers read from the data (see the module docstring)."""

    @property
    def columns(self) -> tuple[str, ...]:
        """The canonical fields present."""
        ...

    @property
    def activity(self) -> pd.DataFrame | None:
        """The agent-activity table (small), if any."""
        ...

    @property
    def forecast(self) -> pd.DataFrame | None:
        """The forecast table (small), if any."""
        ...

    def created_range(self) -> CreatedRange:
        """The first and last ``created_at`` (None without any)."""
        ...

    def statistics(self, refs: Sequence[KpiRef], *, freq: Freq = "week", by: Sequence[str] = (),
                   params: KpiParams | None = None, period: tuple[date, date] | None = None,
                   snapshot_at: object = None) -> pd.DataFrame:
        """The statistics frame, as :func:`kpi.compute.compute_statistics`."""
        ...

    def raw_values(self, ref: KpiRef, *, start: date, end: date,
                   by_value: Mapping[str, str] | None = None,
                   params: KpiParams | None = None) -> np.ndarray:
        """Per-contact values created in ``[start, end]``, as :func:`kpi.compute.raw_values`."""
        ...

    def dated_raw_values(self, ref: KpiRef, params: KpiParams | None = None
                         ) -> tuple[np.ndarray, np.ndarray]:
        """Raw values over the whole range and the day (``datetime64[D]``) of each."""
        ...

    def value_counts(self, field: str) -> pd.Series:
        """Contacts per value of a text field, most frequent first (missing values left out)."""
        ...


def _bounds(first: object, last: object) -> CreatedRange:
    if pd.isna(first) or pd.isna(last):  # type: ignore[arg-type]
        return None
    return pd.Timestamp(first), pd.Timestamp(last)  # type: ignore[arg-type]


class _SideTables:
    """The small agent-activity and forecast tables a source carries (read-only)."""

    _activity: pd.DataFrame | None
    _forecast: pd.DataFrame | None

    @property
    def activity(self) -> pd.DataFrame | None:
        return self._activity

    @property
    def forecast(self) -> pd.DataFrame | None:
        return self._forecast


class FrameSource(_SideTables):
    """A canonical pandas frame (and its activity / forecast tables) as a source."""

    def __init__(self, interactions: pd.DataFrame, *, activity: pd.DataFrame | None = None,
                 forecast: pd.DataFrame | None = None) -> None:
        self.interactions = interactions
        self._activity = activity
        self._forecast = forecast

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.interactions.columns)

    def created_range(self) -> CreatedRange:
        created = self.interactions["created_at"]
        return _bounds(created.min(), created.max())

    def statistics(self, refs: Sequence[KpiRef], *, freq: Freq = "week", by: Sequence[str] = (),
                   params: KpiParams | None = None, period: tuple[date, date] | None = None,
                   snapshot_at: object = None) -> pd.DataFrame:
        return engine.compute_statistics(
            self.interactions, list(refs), freq=freq, by=by, params=params,
            activity=self._activity, forecast=self._forecast, snapshot_at=snapshot_at,
            period=period,
        )

    def raw_values(self, ref: KpiRef, *, start: date, end: date,
                   by_value: Mapping[str, str] | None = None,
                   params: KpiParams | None = None) -> np.ndarray:
        return engine.raw_values(self.interactions, ref, start=start, end=end,
                                 by_value=by_value, params=params)

    def dated_raw_values(self, ref: KpiRef, params: KpiParams | None = None
                         ) -> tuple[np.ndarray, np.ndarray]:
        return engine.dated_raw_values(self.interactions, ref, params)

    def value_counts(self, field: str) -> pd.Series:
        return self.interactions[field].value_counts()


class FileSource(_SideTables):
    """Canonical Parquet (``path``: a file, a folder, a glob or a Spark URI) on DuckDB or Spark.

    Nothing is loaded: every call is one query (the statistics aggregation, the raw values of
    one KPI, a min/max, a ``GROUP BY``) and only its small result comes back. ``activity`` and
    ``forecast`` are small pandas frames; ``spark`` is required for ``engine="spark"``
    (:func:`kpi.compute.engines.spark_session`).
    """

    def __init__(self, path: str | os.PathLike[str] | ParquetSource, *,
                 engine: Engine = "duckdb", duckdb_settings: DuckDbSettings | None = None,
                 spark: SparkSession | None = None, activity: pd.DataFrame | None = None,
                 forecast: pd.DataFrame | None = None) -> None:
        from kpi.compute.engines import DuckDbSettings, ParquetSource

        if engine not in ("duckdb", "spark") or (engine == "spark" and spark is None):
            raise DefinitionError("compute.error.engine", engine=engine)
        self.parquet = path if isinstance(path, ParquetSource) else ParquetSource(
            os.fspath(path))
        self.engine = engine
        self.duckdb_settings = duckdb_settings or DuckDbSettings()
        self.spark = spark
        self._activity = activity
        self._forecast = forecast

    @cached_property
    def _spark_frame(self) -> Any:
        from kpi.compute.engines import spark_frame

        return spark_frame(self.spark, self.parquet)  # type: ignore[arg-type]

    @cached_property
    def empty(self) -> pd.DataFrame:
        """A zero-row frame with the files' columns and dtypes (what checks and plans read)."""
        from kpi.compute.engines import empty_frame, parquet_schema, spark_schema

        if self.engine == "spark":
            return empty_frame(spark_schema(self._spark_frame))
        return empty_frame(parquet_schema(self.parquet))

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.empty.columns)

    def _query(self, view: str, query: str, calendar: BusinessCalendar | None = None
                ) -> pd.DataFrame:
        """Run ``query`` against ``interactions`` defined as ``view`` over the files
        (``calendar``: the business-hours UDFs the view calls)."""
        from kpi.compute.engines import run_sql

        return run_sql(self.parquet, view, query, engine=self.engine,
                       settings=self.duckdb_settings,
                       spark_files=self._spark_frame if self.engine == "spark" else None,
                       calendar=calendar)

    @cached_property
    def _created(self) -> CreatedRange:
        from kpi.compute.engines import SOURCE_VIEW

        result = self._query(f"SELECT created_at FROM {SOURCE_VIEW}",
                             "SELECT MIN(created_at) AS first, MAX(created_at) AS last "
                             "FROM interactions")
        return _bounds(result["first"].iloc[0], result["last"].iloc[0])

    def created_range(self) -> CreatedRange:
        return self._created

    def statistics(self, refs: Sequence[KpiRef], *, freq: Freq = "week", by: Sequence[str] = (),
                   params: KpiParams | None = None, period: tuple[date, date] | None = None,
                   snapshot_at: object = None) -> pd.DataFrame:
        from kpi.compute.engines import statistics_from_parquet

        return statistics_from_parquet(
            self.parquet, list(refs), engine=self.engine, freq=freq, by=by, params=params,
            activity=self._activity, forecast=self._forecast, snapshot_at=snapshot_at,
            period=period, duckdb_settings=self.duckdb_settings, spark=self.spark,
        )

    def _raw(self, ref: KpiRef, params: KpiParams | None, period: tuple[date, date] | None,
             filters: Mapping[str, str], *, dated: bool) -> pd.DataFrame:
        from kpi.compute.engines import plan_for

        params = params or KpiParams()
        engine.refuse_raw_values(ref)
        planned = plan_for(self.empty, [ref], freq="day", by=tuple(filters), params=params,
                           period=period, dialect=self.engine)
        query = engine.raw_values_query(planned.plan, filters, dated=dated)
        return self._query(planned.view, query.sql(dialect=self.engine), planned.calendar)

    def raw_values(self, ref: KpiRef, *, start: date, end: date,
                   by_value: Mapping[str, str] | None = None,
                   params: KpiParams | None = None) -> np.ndarray:
        result = self._raw(ref, params, (start, end), dict(by_value or {}), dated=False)
        return result["y"].to_numpy(dtype="float64")

    def dated_raw_values(self, ref: KpiRef, params: KpiParams | None = None
                         ) -> tuple[np.ndarray, np.ndarray]:
        return engine.values_by_day(self._raw(ref, params, None, {}, dated=True))

    def value_counts(self, field: str) -> pd.Series:
        if field not in self.columns:
            raise KeyError(field)
        from kpi.compute.engines import SOURCE_VIEW

        name = exp.to_identifier(field, quoted=True).sql(dialect=self.engine)
        result = self._query(
            f"SELECT {name} FROM {SOURCE_VIEW}",
            f"SELECT {name} AS value, COUNT(*) AS count FROM interactions "
            f"WHERE {name} IS NOT NULL GROUP BY {name} ORDER BY count DESC, value",
        )
        return pd.Series(result["count"].to_numpy(dtype="int64"),
                         index=pd.Index(result["value"], name=field), name="count")


def as_source(data: pd.DataFrame | StatisticsSource, activity: pd.DataFrame | None = None,
              forecast: pd.DataFrame | None = None) -> StatisticsSource:
    """``data`` itself when it is a source (its own activity and forecast are used), else a
    :class:`FrameSource` of the canonical frame and the given tables."""
    if isinstance(data, pd.DataFrame):
        return FrameSource(data, activity=activity, forecast=forecast)
    return data
