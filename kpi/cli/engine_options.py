"""``--engine`` and its companions: shared by the sub-commands that compute (compute, compare,
report).

``memory`` (default) loads the files into a frame and runs DuckDB over it; ``duckdb`` queries
one canonical Parquet file or folder (see ``kpi convert``) out of core; ``spark`` runs the same
aggregation on Spark (``--spark-master``, ``local[2]`` by default). ``--activity`` and
``--forecast`` name the small agent-activity and forecast exports, read with the normal loader
(:func:`kpi.load.load_dataset`, so their mapping and dialect are detected, or taken from the
``activity`` / ``forecast`` blocks of ``--mapping``): :func:`side_tables` returns them.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kpi.catalog import available_kpis
from kpi.compute.engines import (
    ENGINES,
    DuckDbSettings,
    ParquetSource,
    empty_frame,
    parquet_schema,
)
from kpi.errors import DefinitionError, UnusableDataError


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """Add the engine options (and the activity / forecast files) to a sub-command's parser."""
    parser.add_argument("--engine", choices=ENGINES, default="memory",
                        help="memory (load the files), duckdb (query Parquet out of core) "
                        "or spark")
    parser.add_argument("--spark-master", default="local[2]", metavar="URL",
                        help="Spark master for --engine spark (default local[2])")
    parser.add_argument("--memory-limit", default="2GB",
                        help="DuckDB memory limit for --engine duckdb (default 2GB)")
    parser.add_argument("--activity", metavar="FILE",
                        help="agent-activity export (agent, date, online time)")
    parser.add_argument("--forecast", metavar="FILE",
                        help="forecast export (date, optional channel, forecast volume)")


def side_files(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """The ``--activity`` / ``--forecast`` files as ``load_dataset`` input (memory engine)."""
    paths = [getattr(args, name, None) for name in ("activity", "forecast")]
    return [(Path(p).name, Path(p)) for p in paths if p]


def side_tables(args: argparse.Namespace) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The canonical (activity, forecast) frames of ``--activity`` / ``--forecast`` (or None).

    Each file is loaded on its own with :func:`kpi.load.load_dataset` and must hold the table
    it was given as; otherwise ``compute.error.side_table`` names the file.
    """
    from kpi.load import load_dataset
    from kpi.mapping import Mapping

    mapping = Mapping.load(args.mapping) if getattr(args, "mapping", None) else None
    found: dict[str, pd.DataFrame | None] = {"activity": None, "forecast": None}
    for table in found:
        path = getattr(args, table, None)
        if not path:
            continue
        dataset = load_dataset([(Path(path).name, Path(path))], mapping)
        frame = getattr(dataset, table)
        if frame is None or not len(frame):
            raise UnusableDataError(f"compute.error.side_table_{table}", file=str(path))
        found[table] = frame
    return found["activity"], found["forecast"]


def file_engine_values(args: argparse.Namespace, kpis: Sequence[str] | None, *, freq: str,
                       by: Sequence[str]) -> pd.DataFrame:
    """The tidy value frame (as :func:`kpi.compute.kpi_values`) from ``args.files[0]``, with
    the activity / forecast tables of ``args``."""
    from kpi.compute.engines import spark_session, statistics_from_parquet

    if len(args.files) != 1:
        raise DefinitionError("compute.error.one_source", engine=args.engine)
    source = ParquetSource(args.files[0])
    activity, forecast = side_tables(args)
    spark = spark_session(args.spark_master) if args.engine == "spark" else None
    if not kpis:
        if spark is not None:
            columns = spark.read.parquet(source.path).columns
        else:
            columns = list(empty_frame(parquet_schema(source)).columns)
        kpis = list(available_kpis(columns, has_activity=activity is not None,
                                   has_forecast=forecast is not None))
        if not kpis:
            raise UnusableDataError("compute.cli.no_kpis_available")
    stats = statistics_from_parquet(
        source, list(kpis), engine=args.engine, freq=freq, by=by,  # type: ignore[arg-type]
        activity=activity, forecast=forecast,
        duckdb_settings=DuckDbSettings(memory_limit=args.memory_limit), spark=spark,
    )
    return stats[["period", *by, "kpi", "value", "n", "reason"]].reset_index(drop=True)
