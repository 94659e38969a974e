"""``kpi compare FILE --baseline START:END --current START:END``: is the change real?

Loads the files, computes daily statistics for the chosen KPIs (all available ones by default)
and compares the two periods, per ``--by`` segment when given, with Benjamini–Hochberg across
everything compared. JSON output is SPEC §7's list of compare records. With ``--engine
duckdb|spark`` the one PATH is canonical Parquet (``kpi convert``), queried where it lies: only
per-day statistics and the raw values a percentile or rank test needs come back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

from kpi.catalog import CATALOG, available_kpis, kpi_name
from kpi.changes import compare_periods, kpi_spec
from kpi.cli.engine_options import add_engine_options, side_files, side_tables
from kpi.errors import DefinitionError
from kpi.i18n import translate
from kpi.stats.verdict import verdict

if TYPE_CHECKING:  # pragma: no cover
    from kpi.compute.source import FileSource

__all__ = ["compare_periods", "file_source", "kpi_spec", "parse_period", "register", "run"]


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """``YYYY-MM-DD:YYYY-MM-DD`` (inclusive) → two dates; anything else is a ``DefinitionError``."""
    try:
        start, end = (dt.date.fromisoformat(part.strip()) for part in text.split(":"))
    except ValueError:
        raise DefinitionError("stats.cli.bad_period", value=text) from None
    if end < start:
        raise DefinitionError("stats.cli.reversed_period", value=text)
    return start, end


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``compare`` sub-command."""
    parser = sub.add_parser(
        "compare",
        help="compare KPIs between two periods: is the change real?",
        description="Compare KPIs between a baseline and a current period (inclusive dates), "
        "with confidence intervals, p-values and Benjamini-Hochberg adjustment.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="exported data files")
    parser.add_argument("--mapping", help="mapping file (JSON)")
    parser.add_argument("--baseline", required=True, type=parse_period, metavar="START:END")
    parser.add_argument("--current", required=True, type=parse_period, metavar="START:END")
    parser.add_argument("--kpi", action="extend", nargs="+", metavar="ID", choices=sorted(CATALOG),
                        help="KPI ids (default: every KPI the data allows)")
    parser.add_argument("--by", metavar="FIELD", help="compare each segment of this field")
    parser.add_argument("--unit", choices=("auto", "day", "interaction"), default="auto",
                        help="unit of analysis (default: day when both periods have 7+ days)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_engine_options(parser)
    parser.set_defaults(func=run)


def file_source(args: argparse.Namespace) -> FileSource:
    """The canonical Parquet of ``args.files[0]`` on ``args.engine`` (duckdb or spark), with
    the ``--activity`` / ``--forecast`` tables."""
    from kpi.compute.engines import DuckDbSettings, spark_session
    from kpi.compute.source import FileSource

    if len(args.files) != 1:
        raise DefinitionError("compute.error.one_source", engine=args.engine)
    activity, forecast = side_tables(args)
    spark = spark_session(args.spark_master) if args.engine == "spark" else None
    return FileSource(args.files[0], engine=args.engine, spark=spark,
                      duckdb_settings=DuckDbSettings(memory_limit=args.memory_limit),
                      activity=activity, forecast=forecast)


def run(args: argparse.Namespace) -> int:
    """Load (or query Parquet with ``--engine duckdb|spark``), compute, compare and print;
    1 when the data is unusable."""
    from kpi.compute.source import StatisticsSource, as_source

    source: StatisticsSource
    if args.engine == "memory":
        from kpi.load import load_dataset
        from kpi.mapping import Mapping

        mapping = Mapping.load(args.mapping) if args.mapping else None
        files = [(Path(p).name, Path(p)) for p in args.files]
        dataset = load_dataset([*files, *side_files(args)], mapping)
        if dataset.report.fatal is not None:
            raise dataset.report.fatal
        source = as_source(dataset.interactions, dataset.activity, dataset.forecast)
    else:
        source = file_source(args)
    kpis = args.kpi or list(available_kpis(
        source.columns, has_activity=source.activity is not None,
        has_forecast=source.forecast is not None,
    ))
    if args.by and args.by not in source.columns:
        raise DefinitionError("stats.cli.unknown_field", field=args.by)
    results = compare_periods(source, kpis, args.baseline, args.current, by=args.by,
                              unit=args.unit)
    if args.format == "json":
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
        return 0
    tested = sum(r.p_value is not None for r in results)
    for r in results:
        prefix = f"[{r.segment_value}] " if r.segment is not None else ""
        print(prefix + verdict(r, args.lang, label=kpi_name(r.kpi, args.lang), count=tested))
    print(translate("stats.cli.footer", args.lang, count=tested))
    return 0
