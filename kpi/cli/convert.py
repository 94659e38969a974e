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
        "(created_month=YYYY-MM); a month written again replaces the old one. A CSV over 64 MB "
        "is streamed in batches: its dialect, mapping and date order are decided on its "
        "first 8 MB.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="exported data files")
    parser.add_argument("--out", required=True, metavar="DIR", help="dataset folder")
    parser.add_argument("--mapping", help="mapping file (JSON)")
    parser.add_argument("--batch-mb", type=int, default=None, metavar="MB",
                        help="CSV text per batch when a large CSV is streamed (default 32)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Convert; print one line per month written, then the validation report (row counts and
    rows dropped per reason, added up over every batch of a streamed CSV)."""
    from kpi.convert import convert_files
    from kpi.io import ReadBudget
    from kpi.mapping import Mapping

    mapping = Mapping.load(args.mapping) if args.mapping else None
    batch = args.batch_mb * 1024 * 1024 if args.batch_mb else None
    result = convert_files([Path(p) for p in args.files], args.out, mapping, batch_bytes=batch,
                           budget=ReadBudget().without_file_limit())  # meant for big files
    for month, rows in result.rows:
        print(translate("convert.cli.month", args.lang, month=month, rows=rows))
    print(translate("convert.cli.done", args.lang, rows=result.total,
                    months=len(result.rows), out=str(result.out)))
    if result.report is not None:
        for line in result.report.lines(args.lang):
            print(line)
    return 0
