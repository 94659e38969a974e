"""``kpi sample``: write realistic synthetic interactions (plus agent activity and forecast)."""

from __future__ import annotations

import argparse
from datetime import date

from kpi.errors import DefinitionError
from kpi.i18n import translate
from kpi.sample import DEFAULT_DAYS, DEFAULT_START, DIALECTS, write_generated


def _start(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DefinitionError("sample.start_invalid", value=value) from None


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``sample`` sub-command."""
    parser = sub.add_parser(
        "sample",
        help="write realistic synthetic contact-centre data",
        description="Write synthetic interactions in the format of the extension (.csv, "
        ".csv.gz, .xlsx, .parquet); CSV and Parquet get <stem>_activity and <stem>_forecast "
        "files beside them, Excel gets one sheet each.",
    )
    parser.add_argument("--rows", type=int, required=True, help="number of interactions")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--start", default=DEFAULT_START.isoformat(),
                        help=f"first day, YYYY-MM-DD (default {DEFAULT_START.isoformat()})")
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS,
                        help=f"number of days (default {DEFAULT_DAYS})")
    parser.add_argument("--dialect", choices=DIALECTS, default="plain",
                        help="plain: English helpdesk export; br: Brazilian call-centre export")
    parser.add_argument("--out", required=True, help="output file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Generate and write the sample chunk by chunk; print what was written."""
    paths, story = write_generated(args.out, args.rows, seed=args.seed,
                                   start=_start(args.start), days=args.days,
                                   dialect=args.dialect)
    print(translate("sample.written", args.lang, rows=args.rows, days=args.days,
                    paths=", ".join(str(p) for p in paths)))
    print(translate("sample.story", args.lang, bot_launch=story.bot_launch.isoformat(),
                    email_form=story.email_form.isoformat(), outage=story.outage.isoformat()))
    return 0
