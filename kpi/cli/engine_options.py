"""``--engine`` / ``--spark-master`` / ``--memory-limit``: shared by sub-commands that compute.

``memory`` (default) loads the files into a frame and runs DuckDB over it; ``duckdb`` queries
one canonical Parquet file or folder (see ``kpi convert``) out of core; ``spark`` runs the same
aggregation on Spark (``--spark-master``, ``local[2]`` by default).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import pandas as pd

from kpi.catalog import available_kpis
from kpi.compute.engines import ENGINES, DuckDbSettings, ParquetSource, parquet_schema
from kpi.compute.engines import _empty_frame as empty_frame
from kpi.errors import DefinitionError, UnusableDataError


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """Add the engine options to a sub-command's parser."""
    parser.add_argument("--engine", choices=ENGINES, default="memory",
                        help="memory (load the files), duckdb (query Parquet out of core) "
                        "or spark")
    parser.add_argument("--spark-master", default="local[2]", metavar="URL",
                        help="Spark master for --engine spark (default local[2])")
    parser.add_argument("--memory-limit", default="2GB",
                        help="DuckDB memory limit for --engine duckdb (default 2GB)")


def file_engine_values(args: argparse.Namespace, kpis: Sequence[str] | None, *, freq: str,
                       by: Sequence[str]) -> pd.DataFrame:
    """The tidy value frame (as :func:`kpi.compute.kpi_values`) from ``args.files[0]``."""
    from kpi.compute.engines import spark_session, statistics_from_parquet

    if len(args.files) != 1:
        raise DefinitionError("compute.error.one_source", engine=args.engine)
    source = ParquetSource(args.files[0])
    spark = spark_session(args.spark_master) if args.engine == "spark" else None
    if not kpis:
        if spark is not None:
            columns = spark.read.parquet(source.path).columns
        else:
            columns = list(empty_frame(parquet_schema(source)).columns)
        kpis = list(available_kpis(columns, has_activity=False, has_forecast=False))
        if not kpis:
            raise UnusableDataError("compute.cli.no_kpis_available")
    stats = statistics_from_parquet(
        source, list(kpis), engine=args.engine, freq=freq, by=by,  # type: ignore[arg-type]
        duckdb_settings=DuckDbSettings(memory_limit=args.memory_limit), spark=spark,
    )
    return stats[["period", *by, "kpi", "value", "n", "reason"]].reset_index(drop=True)
