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
:func:`kpi.compute.sql.repeat_contact_query`. Business-hours durations call the vectorised
calendar of :func:`kpi.business_hours.business_seconds` from SQL — a DuckDB Arrow UDF, a Spark
``pandas_udf`` — named :data:`BUSINESS_BETWEEN` (start, end) and :data:`BUSINESS_AFTER`
(start, seconds). Both engines return the statistics frame of :mod:`kpi.sufficient`, shaped by
the same code as the in-memory path.

Per-call overhead is kept to the query: the sqlglot DuckDB dialect is loaded with this module
(not on the first call), the connection is configured at creation, and integer sums (DuckDB
``HUGEINT``) are cast to float64 in Arrow before the small result becomes pandas.
"""

from __future__ import annotations

import glob
import os
import sys
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
import sqlglot.dialects.duckdb  # noqa: F401  loaded once here, not inside the first call
from sqlglot import exp

from kpi.catalog import KpiParams
from kpi.compute.engine import (
    KpiRef,
    assemble_statistics,
    build_plan,
    check_request,
    small_result,
)
from kpi.compute.measures import REPEAT, RESOLUTION_BUSINESS, WAIT_BUSINESS, col
from kpi.compute.sql import Freq, QueryPlan, build_query, named, repeat_contact_query
from kpi.errors import DefinitionError

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession

    from kpi.business_hours import BusinessCalendar

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = ("memory", "duckdb", "spark")

#: Hive partition key written by :mod:`kpi.convert` (``created_month=YYYY-MM``); not a field.
PARTITION_KEY = "created_month"
#: The files as a view (all columns); the ``interactions`` view selects from it.
SOURCE_VIEW = "_kpi_source"
#: SQL functions of the business-hours durations: (start, end) and (start, seconds after it).
BUSINESS_BETWEEN = "KPI_BUSINESS_SECONDS"  # as sqlglot renders a function name
BUSINESS_AFTER = "KPI_BUSINESS_SECONDS_AFTER"
#: Derived business-hours column → (end timestamp column, duration column) it is measured to.
_BUSINESS_ENDS = {WAIT_BUSINESS: ("answered_at", "wait_seconds"),
                  RESOLUTION_BUSINESS: ("resolved_at", "resolution_seconds")}


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


def empty_frame(schema: pa.Schema) -> pd.DataFrame:
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
        elif name in _BUSINESS_ENDS:
            projections.append(named(_business_call(name, columns), name))
        else:
            raise DefinitionError("compute.error.engine_derived", column=name)
    view = exp.select(*projections).from_(exp.to_table(SOURCE_VIEW).as_("s"))
    if REPEAT in derived:
        repeats = repeat_contact_query(params.fcr_window_days, SOURCE_VIEW).distinct()
        view = view.join(
            exp.Subquery(this=repeats, alias=exp.TableAlias(this=exp.to_identifier("r"))),
            on=exp.and_(
                exp.EQ(this=col("customer_id", "s"), expression=col("customer_id", "r")),
                exp.EQ(this=col("created_at", "s"), expression=col("created_at", "r")),
            ),
            join_type="left",
        )
    return view


def _business_call(name: str, columns: Sequence[str]) -> exp.Expression:
    """The business-hours duration as a UDF call: to the end timestamp when the source has it,
    else to ``created_at`` plus the duration (as :func:`kpi.compute.prepare.prepare_frame`)."""
    at, seconds = _BUSINESS_ENDS[name]
    start = col("created_at", "s")
    if at in columns:
        return exp.Anonymous(this=BUSINESS_BETWEEN, expressions=[start, col(at, "s")])
    if seconds in columns:
        return exp.Anonymous(this=BUSINESS_AFTER, expressions=[start, col(seconds, "s")])
    return exp.cast(exp.Null(), "DOUBLE")


def business_between(start: pd.Series, end: pd.Series, calendar: BusinessCalendar
                     ) -> pd.Series:
    """Open seconds of ``calendar`` from ``start`` to ``end`` (the UDF body, both engines)."""
    from kpi.business_hours import business_seconds

    return business_seconds(start, end, calendar).astype("float64")


def business_after(start: pd.Series, seconds: pd.Series, calendar: BusinessCalendar
                   ) -> pd.Series:
    """Open seconds from ``start`` to ``start + seconds`` (the end the memory engine uses)."""
    end = start + pd.to_timedelta(seconds.astype("float64"), unit="s")
    return business_between(start, end, calendar)


@dataclass(frozen=True)
class FilePlan:
    """A checked request over files: its plan, the ``interactions`` view and aggregation SQL
    in the engine's dialect, and the calendar the view's business-hours UDFs need (None when
    it calls none) — to pass to :func:`run_sql` with any query over that view."""

    plan: QueryPlan
    view: str
    query: str
    calendar: BusinessCalendar | None


def plan_for(
    empty: pd.DataFrame, kpis: Sequence[KpiRef], *, freq: Freq, by: tuple[str, ...],
    params: KpiParams, activity: pd.DataFrame | None = None,
    forecast: pd.DataFrame | None = None, snapshot_at: object = None,
    period: tuple[date, date] | None = None, dialect: str = "duckdb",
) -> FilePlan:
    """Check and plan ``kpis`` over files whose columns and dtypes ``empty`` has (see
    :func:`empty_frame`), as :func:`kpi.compute.compute_statistics` does over a frame."""
    check_request(empty, kpis, freq, by, activity, forecast)
    prepared, plan = build_plan(empty, kpis, freq, by, params, forecast, snapshot_at, period)
    derived = [c for c in prepared.columns if c not in empty.columns]
    view = prepared_view(list(empty.columns), derived, params, dialect).sql(dialect=dialect)
    query, _ = build_query(plan)
    if dialect == "spark":
        query = query.transform(_spark_percentile, copy=False)
    calendar = params.calendar if BUSINESS_BETWEEN in view else None
    return FilePlan(plan, view, query.sql(dialect=dialect), calendar)


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
        files = None
        empty = empty_frame(parquet_schema(source))
    elif engine == "spark" and spark is not None:
        files = spark_frame(spark, source)
        empty = empty_frame(spark_schema(files))
    else:
        raise DefinitionError("compute.error.engine", engine=engine)
    planned = plan_for(empty, kpis, freq=freq, by=tuple(by), params=params, activity=activity,
                       forecast=forecast, snapshot_at=snapshot_at, period=period, dialect=engine)
    result = run_sql(source, planned.view, planned.query, engine=engine,
                     settings=duckdb_settings, spark_files=files, activity=activity,
                     forecast=forecast, calendar=planned.calendar)
    return assemble_statistics(result, planned.plan, period)


def run_sql(
    source: ParquetSource, view: str, query: str, *, engine: Engine = "duckdb",
    settings: DuckDbSettings | None = None, spark_files: Any = None,
    activity: pd.DataFrame | None = None, forecast: pd.DataFrame | None = None,
    calendar: BusinessCalendar | None = None,
) -> pd.DataFrame:
    """Run ``query`` against ``interactions`` defined as ``view`` (SQL over
    :data:`SOURCE_VIEW`, the files) and the small ``activity`` / ``forecast`` frames.

    DuckDB reads ``source`` out of core within ``settings``; Spark reads ``spark_files`` (the
    files' frame from :func:`spark_frame`, read once by the caller). ``calendar`` registers
    the business-hours UDFs the view calls (:attr:`FilePlan.calendar`).
    """
    if engine == "spark":
        if spark_files is None:
            raise DefinitionError("compute.error.engine", engine=engine)
        return _run_spark(spark_files, view, query, activity, forecast, calendar)
    if engine != "duckdb":
        raise DefinitionError("compute.error.engine", engine=engine)
    return _run_duckdb(source, view, query, activity, forecast, settings or DuckDbSettings(),
                       calendar)


def _run_duckdb(source: ParquetSource, view: str, query: str, activity: pd.DataFrame | None,
                forecast: pd.DataFrame | None, settings: DuckDbSettings,
                calendar: BusinessCalendar | None) -> pd.DataFrame:
    connection = duckdb.connect(config=_duckdb_config(settings))
    try:
        connection.execute("SET enable_progress_bar = false")  # never on the CLI's stdout
        pattern = source.glob().replace("'", "''")
        connection.execute(
            f"CREATE VIEW {SOURCE_VIEW} AS SELECT * EXCLUDE ({PARTITION_KEY}) FROM read_parquet("
            f"'{pattern}', hive_partitioning = true, union_by_name = true)"
            if _has_partition(source) else
            f"CREATE VIEW {SOURCE_VIEW} AS SELECT * FROM read_parquet('{pattern}', "
            "hive_partitioning = false, union_by_name = true)"
        )
        if calendar is not None:
            _register_business_udfs(connection, calendar)
        connection.execute(f"CREATE VIEW interactions AS {view}")
        for name, table in (("activity", activity), ("forecast", forecast)):
            if table is not None:
                connection.register(name, table)
        return small_result(connection.sql(query).arrow())
    finally:
        connection.close()


def _duckdb_config(settings: DuckDbSettings) -> dict[str, str | bool | int]:
    """Connection settings, given at creation (one call instead of a ``SET`` each)."""
    spill = settings.temp_directory or os.path.join(tempfile.gettempdir(), "kpi-duckdb-spill")
    config: dict[str, str | bool | int] = {
        "temp_directory": _setting(spill), "preserve_insertion_order": False,
    }
    if settings.memory_limit:
        config["memory_limit"] = _setting(settings.memory_limit)
    if settings.threads:
        config["threads"] = int(settings.threads)
    return config


def _register_business_udfs(connection: duckdb.DuckDBPyConnection,
                            calendar: BusinessCalendar) -> None:
    """:data:`BUSINESS_BETWEEN` and :data:`BUSINESS_AFTER` as Arrow UDFs (a vector per call)."""
    from duckdb.sqltypes import DOUBLE, TIMESTAMP

    def between(start: pa.Array, end: pa.Array) -> pa.Array:
        return _to_arrow(business_between(start.to_pandas(), end.to_pandas(), calendar))

    def after(start: pa.Array, seconds: pa.Array) -> pa.Array:
        return _to_arrow(business_after(start.to_pandas(), seconds.to_pandas(), calendar))

    connection.create_function(BUSINESS_BETWEEN, between, [TIMESTAMP, TIMESTAMP], DOUBLE,
                               type="arrow")
    connection.create_function(BUSINESS_AFTER, after, [TIMESTAMP, DOUBLE], DOUBLE, type="arrow")


def _to_arrow(values: pd.Series) -> pa.Array:
    """float64 with NaN → Arrow doubles with nulls (SQL's unknown, as pandas' NaN in memory)."""
    return pa.array(values.to_numpy(dtype="float64"), from_pandas=True)


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
    # Python UDF workers (business hours) run this interpreter, which has pandas and kpi;
    # a PYSPARK_PYTHON set by the user (a cluster's own Python) wins.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
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


def spark_frame(spark: SparkSession, source: ParquetSource) -> Any:
    """The files as a Spark frame (schemas merged, without the partition key)."""
    frame = spark.read.option("mergeSchema", "true").parquet(source.path)
    if PARTITION_KEY in frame.columns:
        frame = frame.drop(PARTITION_KEY)
    return frame


def spark_schema(frame: Any) -> pa.Schema:
    """The Spark frame's schema as Arrow (no data read)."""
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(frame.schema)


def _run_spark(frame: Any, view: str, query: str, activity: pd.DataFrame | None,
               forecast: pd.DataFrame | None, calendar: BusinessCalendar | None
               ) -> pd.DataFrame:
    spark = frame.sparkSession
    frame.createOrReplaceTempView(SOURCE_VIEW)
    if calendar is not None:
        _register_spark_business_udfs(spark, calendar)
    spark.sql(view).createOrReplaceTempView("interactions")
    for name, table in (("activity", activity), ("forecast", forecast)):
        if table is not None:
            spark.createDataFrame(table).createOrReplaceTempView(name)
    return spark.sql(query).toPandas()


def _register_spark_business_udfs(spark: SparkSession, calendar: BusinessCalendar) -> None:
    """:data:`BUSINESS_BETWEEN` and :data:`BUSINESS_AFTER` as Spark ``pandas_udf``s (Arrow
    batches); the session's time zone is UTC, so timestamps arrive as the wall times stored."""
    from pyspark.sql.functions import pandas_udf

    @pandas_udf("double")  # type: ignore[call-overload]
    def between(start: pd.Series, end: pd.Series) -> pd.Series:
        return business_between(start, end, calendar)

    @pandas_udf("double")  # type: ignore[call-overload]
    def after(start: pd.Series, seconds: pd.Series) -> pd.Series:
        return business_after(start, seconds, calendar)

    spark.udf.register(BUSINESS_BETWEEN, between)
    spark.udf.register(BUSINESS_AFTER, after)
