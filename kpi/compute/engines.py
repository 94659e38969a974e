"""The same generated aggregation over canonical Parquet files: DuckDB out of core, or Spark.

:func:`compute_statistics` (in :mod:`kpi.compute.engine`) runs the plan on DuckDB over a
pandas frame. Here the plan is the same — built from the files' schema — and only the
source differs:

- ``engine="duckdb"``: DuckDB reads ``read_parquet('<dir>/**/*.parquet')`` directly, never
  making a pandas frame, with a ``memory_limit`` and a spill directory;
- ``engine="spark"``: the Parquet is a Spark temp view and the plan is rendered with
  ``dialect="spark"``; only the per-bucket statistics come back (``toPandas``).

The columns :mod:`kpi.compute.prepare` derives in pandas are derived in SQL instead: durations
and ``resolved`` from the timestamps, and the derived-FCR flag from
:func:`kpi.compute.sql.repeat_contact_query`. Business-hours durations are refused
(``compute.error.engine_business_hours``). Both engines return the statistics frame of
:mod:`kpi.sufficient`, shaped by the same code as the in-memory path.
"""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
from sqlglot import exp

from kpi.catalog import CATALOG, KpiParams
from kpi.compute.engine import KpiRef, _assemble, _check_request, _plan
from kpi.compute.measures import REPEAT, col
from kpi.compute.sql import Freq, build_query, named, repeat_contact_query
from kpi.errors import DefinitionError

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = ("memory", "duckdb", "spark")

#: Hive partition key written by :mod:`kpi.convert` (``created_month=YYYY-MM``); not a field.
PARTITION_KEY = "created_month"
_SOURCE = "_kpi_source"


@dataclass(frozen=True)
class ParquetSource:
    """Canonical Parquet: one file, a folder of ``*.parquet`` (any depth), or a Spark URI."""

    path: str

    def glob(self) -> str:
        """The DuckDB ``read_parquet`` pattern of the files."""
        if self.path.endswith(".parquet") or any(c in self.path for c in "*?["):
            return self.path
        return str(Path(self.path) / "**" / "*.parquet")


@dataclass(frozen=True)
class DuckDbSettings:
    """Bounds of an out-of-core DuckDB run (``None`` keeps DuckDB's default)."""

    memory_limit: str | None = "2GB"
    temp_directory: str | None = None
    threads: int | None = None


def _empty_frame(schema: pa.Schema) -> pd.DataFrame:
    """A zero-row pandas frame with the files' columns and dtypes (what checks and plans read)."""
    fields = [
        f.with_type(pa.timestamp(f.type.unit)) if pa.types.is_timestamp(f.type) else f
        for f in schema if f.name != PARTITION_KEY
    ]
    frame = pa.schema(fields).empty_table().to_pandas()
    for field in fields:  # nullable booleans, as the canonical frame has them
        if pa.types.is_boolean(field.type):
            frame[field.name] = frame[field.name].astype("boolean")
    return frame


def parquet_schema(source: ParquetSource) -> pa.Schema:
    """The unified schema of the source's files (read from footers only)."""
    pattern = source.glob()
    files = sorted(glob.glob(pattern, recursive=True))
    if not files:
        raise DefinitionError("compute.error.no_parquet", path=source.path)
    schemas = [ds.dataset(f, format="parquet").schema for f in files]
    return pa.unify_schemas(schemas, promote_options="permissive")


def _seconds_between(end: str, dialect: str) -> exp.Expression:
    """``end − created_at`` in (fractional) seconds, for DuckDB or Spark."""
    function = "EPOCH" if dialect == "duckdb" else "UNIX_MICROS"
    scale = 1 if dialect == "duckdb" else 1_000_000

    def seconds(name: str) -> exp.Expression:
        value = exp.Anonymous(this=function, expressions=[col(name)])
        return value if scale == 1 else exp.Div(this=value, expression=exp.Literal.number(scale))

    return exp.cast(exp.Sub(this=seconds(end), expression=seconds("created_at")), "DOUBLE")


def prepared_view(columns: Sequence[str], derived: Sequence[str], params: KpiParams,
                  dialect: str) -> exp.Select:
    """``interactions`` as SQL: the source's ``columns`` plus the ``derived`` ones the plan reads.

    Mirrors :func:`kpi.compute.prepare.prepare_frame`; the repeat flag is
    :func:`repeat_contact_query` joined back on (customer, time), false where no customer.
    """
    projections: list[exp.Expression] = [col(name, "s") for name in columns]
    for name in derived:
        if name == "wait_seconds":
            projections.append(named(_seconds_between("answered_at", dialect), name))
        elif name == "resolution_seconds":
            projections.append(named(_seconds_between("resolved_at", dialect), name))
        elif name == "resolved":
            projections.append(named(exp.not_(exp.Is(this=col("resolved_at", "s"),
                                                      expression=exp.Null())), name))
        elif name == REPEAT:
            flag = exp.Coalesce(this=col(REPEAT, "r"), expressions=[exp.false()])
            projections.append(named(flag, REPEAT))
        else:
            raise DefinitionError("compute.error.engine_business_hours")
    view = exp.select(*projections).from_(exp.to_table(_SOURCE).as_("s"))
    if REPEAT in derived:
        repeats = repeat_contact_query(params.fcr_window_days, _SOURCE).distinct()
        view = view.join(
            exp.Subquery(this=repeats, alias=exp.TableAlias(this=exp.to_identifier("r"))),
            on=exp.and_(
                exp.EQ(this=col("customer_id", "s"), expression=col("customer_id", "r")),
                exp.EQ(this=col("created_at", "s"), expression=col("created_at", "r")),
            ),
            join_type="left",
        )
    return view


def _refuse_business_hours(kpis: Sequence[KpiRef], params: KpiParams) -> None:
    for kpi in kpis:
        if isinstance(kpi, str) and kpi in CATALOG and params.uses_business_hours(kpi):
            raise DefinitionError("compute.error.engine_business_hours")


def _plan_for(
    empty: pd.DataFrame, kpis: Sequence[KpiRef], freq: Freq, by: tuple[str, ...],
    params: KpiParams, activity: pd.DataFrame | None, forecast: pd.DataFrame | None,
    snapshot_at: object, period: tuple[date, date] | None, dialect: str,
) -> tuple[Any, str, str]:
    """The checked plan, the ``interactions`` view SQL and the aggregation SQL."""
    _refuse_business_hours(kpis, params)
    _check_request(empty, kpis, freq, by, activity, forecast)
    prepared, plan = _plan(empty, kpis, freq, by, params, forecast, snapshot_at, period)
    derived = [c for c in prepared.columns if c not in empty.columns]
    view = prepared_view(list(empty.columns), derived, params, dialect)
    query, _ = build_query(plan)
    if dialect == "spark":
        query = query.transform(_spark_percentile, copy=False)
    return plan, view.sql(dialect=dialect), query.sql(dialect=dialect)


def _spark_percentile(node: exp.Expression) -> exp.Expression:
    """Spark's exact ``PERCENTILE(y, level)`` (linear interpolation, as PERCENTILE_CONT)."""
    if isinstance(node, exp.PercentileCont):
        return exp.Anonymous(this="PERCENTILE", expressions=[node.this, node.expression])
    return node


def statistics_from_parquet(
    source: ParquetSource | str | os.PathLike[str],
    kpis: Sequence[KpiRef],
    *,
    engine: Engine = "duckdb",
    freq: Freq = "week",
    by: Sequence[str] = (),
    params: KpiParams | None = None,
    activity: pd.DataFrame | None = None,
    forecast: pd.DataFrame | None = None,
    snapshot_at: object = None,
    period: tuple[date, date] | None = None,
    duckdb_settings: DuckDbSettings | None = None,
    spark: SparkSession | None = None,
) -> pd.DataFrame:
    """The statistics frame of ``kpis`` over canonical Parquet, on DuckDB or Spark.

    Same arguments and result as :func:`kpi.compute.compute_statistics`; ``activity`` and
    ``forecast`` are small pandas frames. ``spark`` is the session to use (required for
    ``engine="spark"``, see :func:`spark_session`).
    """
    source = source if isinstance(source, ParquetSource) else ParquetSource(os.fspath(source))
    params = params or KpiParams()
    if engine == "duckdb":
        empty = _empty_frame(parquet_schema(source))
        plan, view, query = _plan_for(empty, kpis, freq, tuple(by), params, activity, forecast,
                                      snapshot_at, period, "duckdb")
        result = _run_duckdb(source, view, query, activity, forecast,
                             duckdb_settings or DuckDbSettings())
    elif engine == "spark":
        if spark is None:
            raise DefinitionError("compute.error.engine", engine=engine)
        frame = _spark_source(spark, source)
        empty = _empty_frame(_spark_schema(frame))
        plan, view, query = _plan_for(empty, kpis, freq, tuple(by), params, activity, forecast,
                                      snapshot_at, period, "spark")
        result = _run_spark(spark, frame, view, query, activity, forecast)
    else:
        raise DefinitionError("compute.error.engine", engine=engine)
    return _assemble(result, plan, period)


def _run_duckdb(source: ParquetSource, view: str, query: str, activity: pd.DataFrame | None,
                forecast: pd.DataFrame | None, settings: DuckDbSettings) -> pd.DataFrame:
    connection = duckdb.connect()
    try:
        if settings.memory_limit:
            connection.execute(f"SET memory_limit = '{_setting(settings.memory_limit)}'")
        spill = settings.temp_directory or os.path.join(tempfile.gettempdir(), "kpi-duckdb-spill")
        connection.execute(f"SET temp_directory = '{_setting(spill)}'")
        connection.execute("SET preserve_insertion_order = false")
        if settings.threads:
            connection.execute(f"SET threads = {int(settings.threads)}")
        pattern = source.glob().replace("'", "''")
        connection.execute(
            f"CREATE VIEW {_SOURCE} AS SELECT * EXCLUDE ({PARTITION_KEY}) FROM read_parquet("
            f"'{pattern}', hive_partitioning = true, union_by_name = true)"
            if _has_partition(source) else
            f"CREATE VIEW {_SOURCE} AS SELECT * FROM read_parquet('{pattern}', "
            "hive_partitioning = false, union_by_name = true)"
        )
        connection.execute(f"CREATE VIEW interactions AS {view}")
        for name, table in (("activity", activity), ("forecast", forecast)):
            if table is not None:
                connection.register(name, table)
        return connection.sql(query).arrow().read_all().to_pandas()
    finally:
        connection.close()


def _setting(value: str) -> str:
    if "'" in value:
        raise DefinitionError("compute.error.engine_setting", value=value)
    return value


def _has_partition(source: ParquetSource) -> bool:
    return not source.path.endswith(".parquet") and any(
        Path(source.path).glob(f"{PARTITION_KEY}=*")
    )


# --- Spark ------------------------------------------------------------------------------------

def spark_session(master: str = "local[2]", *, app_name: str = "kpi") -> SparkSession:
    """A Spark session for the KPI aggregation (UTC session time, small shuffles, no UI)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise DefinitionError("compute.error.no_spark") from error
    builder = SparkSession.builder.master(master).appName(app_name)
    if master.startswith("local"):  # no lookup of the machine's name on the network
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1")
    session = (
        builder
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def _spark_source(spark: SparkSession, source: ParquetSource) -> Any:
    frame = spark.read.option("mergeSchema", "true").parquet(source.path)
    if PARTITION_KEY in frame.columns:
        frame = frame.drop(PARTITION_KEY)
    return frame


def _spark_schema(frame: Any) -> pa.Schema:
    """The Spark frame's schema as Arrow (no data read)."""
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(frame.schema)


def _run_spark(spark: SparkSession, frame: Any, view: str, query: str,
               activity: pd.DataFrame | None, forecast: pd.DataFrame | None) -> pd.DataFrame:
    frame.createOrReplaceTempView(_SOURCE)
    spark.sql(view).createOrReplaceTempView("interactions")
    for name, table in (("activity", activity), ("forecast", forecast)):
        if table is not None:
            spark.createDataFrame(table).createOrReplaceTempView(name)
    return spark.sql(query).toPandas()
