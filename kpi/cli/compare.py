"""``kpi compare FILE --baseline START:END --current START:END``: is the change real?

Loads the files, computes daily statistics for the chosen KPIs (all available ones by default)
and compares the two periods, per ``--by`` segment when given, with Benjamini–Hochberg across
everything compared. JSON output is SPEC §7's list of compare records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from kpi.catalog import CATALOG, available_kpis, kpi_name
from kpi.changes import compare_periods, kpi_spec
from kpi.errors import DefinitionError
from kpi.i18n import translate
from kpi.stats.verdict import verdict

__all__ = ["compare_periods", "kpi_spec", "parse_period", "register", "run"]


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
    parser.add_argument("--kpi", nargs="+", metavar="ID", choices=sorted(CATALOG),
                        help="KPI ids (default: every KPI the data allows)")
    parser.add_argument("--by", metavar="FIELD", help="compare each segment of this field")
    parser.add_argument("--unit", choices=("auto", "day", "interaction"), default="auto",
                        help="unit of analysis (default: day when both periods have 7+ days)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load, compute, compare and print; 1 when the data is unusable."""
    from kpi.load import load_dataset
    from kpi.mapping import Mapping

    mapping = Mapping.load(args.mapping) if args.mapping else None
    dataset = load_dataset([(Path(p).name, Path(p)) for p in args.files], mapping)
    if dataset.report.fatal is not None:
        raise dataset.report.fatal
    frame = dataset.interactions
    kpis = args.kpi or list(available_kpis(
        frame.columns, has_activity=dataset.activity is not None,
        has_forecast=dataset.forecast is not None,
    ))
    if args.by and args.by not in frame.columns:
        raise DefinitionError("stats.cli.unknown_field", field=args.by)
    results = compare_periods(
        frame, kpis, args.baseline, args.current, by=args.by, unit=args.unit,
        activity=dataset.activity, forecast=dataset.forecast,
    )
    if args.format == "json":
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
        return 0
    tested = sum(r.p_value is not None for r in results)
    for r in results:
        prefix = f"[{r.segment_value}] " if r.segment is not None else ""
        print(prefix + verdict(r, args.lang, label=kpi_name(r.kpi, args.lang), count=tested))
    print(translate("stats.cli.footer", args.lang, count=tested))
    return 0
