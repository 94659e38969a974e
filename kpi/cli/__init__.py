"""The ``kpi`` command: the same library calls as the app, for automation and checks.

Each sub-command lives in its own module of this package and defines ``register(subparsers)``
(adding its parser, with ``func=run`` as default) and ``run(args) -> int``. Errors of the
project (:class:`kpi.errors.KpiError`) print one sentence on stderr and exit 1 (2 for usage).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kpi.errors import KpiError

#: Sub-command modules, in the order ``kpi --help`` lists them.
COMMANDS: tuple[str, ...] = (
    "sample", "validate", "compare", "catalog", "compute", "report", "convert",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(prog="kpi", description="Customer-service KPI workbench.")
    parser.add_argument("--lang", default="en", help="language of messages: en or pt")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"kpi.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KpiError as error:
        print(f"kpi: {error.message(args.lang)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
