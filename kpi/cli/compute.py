"""``kpi compute FILE...``: KPI values per period (and segment) as JSON or CSV (SPEC §7).

JSON is a list of ``{"period": "YYYY-MM-DD", "kpi", "value", "n"}`` plus the ``--by`` field;
proportions are fractions, durations seconds, missing values ``null``. Without ``--kpi`` every
KPI the data allows is computed. ``--activity`` / ``--forecast`` add the agent-activity and
forecast exports on every engine.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from kpi.catalog import CATALOG, available_kpis
from kpi.cli.engine_options import add_engine_options, file_engine_values, side_files
from kpi.compute import kpi_values
from kpi.errors import UnusableDataError


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``compute`` sub-command."""
    parser = sub.add_parser(
        "compute", help="KPI values per period",
        description="Compute KPI values per day, week or month, optionally per segment.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="exported data files")
    parser.add_argument("--mapping", help="mapping file (JSON)")
    parser.add_argument("--kpi", action="extend", nargs="+", choices=sorted(CATALOG),
                        metavar="ID", help="KPI ids (--kpi a b, or repeated); default: every "
                        "KPI the data allows")
    parser.add_argument("--freq", choices=("day", "week", "month"), default="week")
    parser.add_argument("--by", metavar="FIELD", help="break down by a text field")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    add_engine_options(parser)
    parser.set_defaults(func=run)


def records(values: pd.DataFrame, by: str | None) -> list[dict[str, Any]]:
    """SPEC §7 records from a :func:`kpi.compute.kpi_values` frame."""
    periods = values["period"].dt.strftime("%Y-%m-%d").tolist()
    segments = values[by].tolist() if by else None
    out = []
    for i, (kpi, value, n) in enumerate(
        zip(values["kpi"].tolist(), values["value"].tolist(), values["n"].tolist(), strict=True)
    ):
        record: dict[str, Any] = {
            "period": periods[i], "kpi": kpi,
            "value": None if value is None or math.isnan(value) else float(value), "n": int(n),
        }
        if by:
            segment = segments[i]  # type: ignore[index]
            record[by] = None if segment is None or segment is pd.NA or segment != segment \
                else segment
        out.append(record)
    return out


def run(args: argparse.Namespace) -> int:
    """Load the files (or query Parquet with ``--engine duckdb|spark``), print JSON or CSV."""
    if args.engine != "memory":
        by = [args.by] if args.by else []
        _print(file_engine_values(args, args.kpi, freq=args.freq, by=by), args)
        return 0
    from kpi.load import load_dataset
    from kpi.mapping import Mapping

    mapping = Mapping.load(args.mapping) if args.mapping else None
    files = [(Path(p).name, Path(p)) for p in args.files]
    dataset = load_dataset([*files, *side_files(args)], mapping)
    if not dataset.usable:
        if dataset.report.fatal is not None:
            raise dataset.report.fatal
        raise UnusableDataError("compute.cli.no_kpis_available")
    frame = dataset.interactions
    kpis = args.kpi or list(available_kpis(
        frame.columns, has_activity=dataset.activity is not None,
        has_forecast=dataset.forecast is not None,
    ))
    if not kpis:
        raise UnusableDataError("compute.cli.no_kpis_available")
    by = [args.by] if args.by else []
    values = kpi_values(frame, kpis, freq=args.freq, by=by, activity=dataset.activity,
                        forecast=dataset.forecast)
    _print(values, args)
    return 0


def _print(values: pd.DataFrame, args: argparse.Namespace) -> None:
    by = [args.by] if args.by else []
    rows = records(values, args.by)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        columns = ["period", *by, "kpi", "value", "n"]
        pd.DataFrame(rows, columns=columns).to_csv(sys.stdout, index=False)

