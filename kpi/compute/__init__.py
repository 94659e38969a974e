"""Per-(bucket × segment × KPI) sufficient statistics, from one generated SQL aggregation.

:func:`compute_statistics` returns the statistics frame of :mod:`kpi.sufficient`;
:func:`kpi_values` the tidy values for charts and the CLI; :func:`raw_values` the
per-interaction values a percentile bootstrap or a rank test needs. Derived FCR reads a
repeat-contact flag computed once per frame (:func:`kpi.compute.prepare.repeat_flags`, cached);
:func:`repeat_contact_query` is the same flag as SQL for engines without pandas.
:class:`StatisticsSource` (:class:`FrameSource`, :class:`FileSource`, :func:`as_source`) is
what the statistics consumers read: a frame, or canonical Parquet on DuckDB or Spark.
"""

from __future__ import annotations

from kpi.compute.engine import bucket_start, compute_statistics, kpi_values, raw_values
from kpi.compute.source import FileSource, FrameSource, StatisticsSource, as_source
from kpi.compute.sql import QueryPlan, repeat_contact_query, statistics_sql

__all__ = [
    "FileSource",
    "FrameSource",
    "QueryPlan",
    "StatisticsSource",
    "as_source",
    "bucket_start",
    "compute_statistics",
    "kpi_values",
    "raw_values",
    "repeat_contact_query",
    "statistics_sql",
]
