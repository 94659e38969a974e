"""``kpi convert FILE... --out DIR``: canonical Parquet partitioned by month (appendable)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kpi.i18n import translate


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``convert`` sub-command."""
    parser = sub.add_parser(
        "convert", help="exports to canonical Parquet by month",
        description="Load exported files and write canonical Parquet partitioned by month "
        "(created_month=YYYY-MM); a month written again replaces the old one.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="exported data files")
    parser.add_argument("--out", required=True, metavar="DIR", help="dataset folder")
    parser.add_argument("--mapping", help="mapping file (JSON)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Convert and print one line per month written."""
    from kpi.convert import convert_files
    from kpi.mapping import Mapping

    mapping = Mapping.load(args.mapping) if args.mapping else None
    result = convert_files([Path(p) for p in args.files], args.out, mapping)
    for month, rows in result.rows:
        print(translate("convert.cli.month", args.lang, month=month, rows=rows))
    print(translate("convert.cli.done", args.lang, rows=result.total,
                    months=len(result.rows), out=str(result.out)))
    return 0
