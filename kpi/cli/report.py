"""``kpi report FILE --charter C.json --out report.html``: the notebook-style report, headless.

The same library calls as the Report page (:func:`kpi.report.build_report`,
:func:`kpi.report_html.render_html`), so a team can schedule it monthly. Default periods: the
last 4 complete weeks of the data against the 4 before. ``--csv`` also writes the KPI table.
With ``--engine duckdb|spark`` the one PATH is canonical Parquet (``kpi convert``), queried
where it lies; the report then has no validation notes (the data was validated when converted).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from kpi.charter import Charter
from kpi.cli.compare import file_source, parse_period
from kpi.cli.engine_options import add_engine_options, side_files
from kpi.errors import DefinitionError
from kpi.i18n import translate


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``report`` sub-command."""
    parser = sub.add_parser(
        "report",
        help="write the KPI report as one self-contained HTML file",
        description="Build the notebook-style KPI report (definitions, values against targets, "
        "trends, significant changes, data-quality notes) as one HTML file that opens offline.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="exported data files")
    parser.add_argument("--charter", metavar="C.json",
                        help="KPI charter (JSON); default: the default KPIs the data allows")
    parser.add_argument("--out", required=True, metavar="report.html", help="HTML file to write")
    parser.add_argument("--mapping", help="mapping file (JSON)")
    parser.add_argument("--baseline", type=parse_period, metavar="START:END")
    parser.add_argument("--current", type=parse_period, metavar="START:END")
    parser.add_argument("--csv", metavar="kpis.csv", help="also write the KPI table as CSV")
    parser.add_argument("--title", help="report title (default: the charter's name)")
    # Also accepted after the sub-command; SUPPRESS keeps a global --lang when not repeated.
    parser.add_argument("--lang", default=argparse.SUPPRESS, help="en or pt")
    add_engine_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load, build, render, write; 1 when the data is unusable."""
    from kpi.cli.validate import companion_files
    from kpi.compute.source import as_source
    from kpi.export import kpi_table_csv
    from kpi.load import load_dataset
    from kpi.mapping import Mapping
    from kpi.report import build_report
    from kpi.report_html import render_html

    if (args.baseline is None) != (args.current is None):
        raise DefinitionError("report.cli.periods_pair")
    charter = Charter()
    if args.charter:
        try:
            charter = Charter.from_json(Path(args.charter).read_bytes())
        except OSError as error:
            raise DefinitionError("targets.charter.malformed", detail=str(error)) from None
    if args.engine == "memory":
        mapping = Mapping.load(args.mapping) if args.mapping else None
        files = [(Path(p).name, Path(p)) for p in args.files] + side_files(args)
        if mapping is not None:
            files += companion_files(mapping, Path(args.mapping).parent, {n for n, _ in files})
        dataset = load_dataset(files, mapping)
        if dataset.report.fatal is not None:
            raise dataset.report.fatal
        data = as_source(dataset.interactions, dataset.activity, dataset.forecast)
        report = dataset.report
    else:
        data, report = file_source(args), None
    document = build_report(
        data, charter, report=report, baseline=args.baseline, current=args.current,
        lang=args.lang, title=args.title, generated_on=dt.date.today(),
    )
    text = render_html(document)
    out = Path(args.out)
    out.write_text(text, encoding="utf-8")
    if args.csv:
        Path(args.csv).write_bytes(kpi_table_csv(document))
    size = round(out.stat().st_size / 1024)
    print(translate("report.cli.written", args.lang, path=str(out), size=size,
                    charts=len(document.charts)))
    return 0
