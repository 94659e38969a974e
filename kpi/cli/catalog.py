"""``kpi catalog [--lang pt]``: the built-in KPIs grouped by category, with their definitions."""

from __future__ import annotations

import argparse

from kpi.catalog import by_category, definition_text
from kpi.i18n import translate


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``catalog`` sub-command."""
    parser = sub.add_parser(
        "catalog", help="list the built-in KPIs by category",
        description="List the built-in KPIs grouped by category, with their definitions.",
    )
    # Also accepted after the sub-command; SUPPRESS keeps a global --lang when not repeated.
    parser.add_argument("--lang", default=argparse.SUPPRESS, help="en or pt")
    parser.set_defaults(func=run)


def catalog_lines(lang: str = "en") -> list[str]:
    """The catalog as text lines: a heading per category, then ``id — name: definition``."""
    lines = [translate("catalog.heading", lang)]
    for category, definitions in by_category().items():
        lines += ["", translate(f"catalog.category.{category}", lang)]
        for definition in definitions:
            name = translate(definition.name_key, lang)
            lines.append(f"  {definition.id} — {name}: {definition_text(definition, None, lang)}")
    return lines


def run(args: argparse.Namespace) -> int:
    """Print the catalog."""
    print("\n".join(catalog_lines(getattr(args, "lang", "en"))))
    return 0
