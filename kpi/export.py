"""The report's companion files: the KPI table as CSV and the charter as JSON.

The CSV is :func:`kpi.explore.safe_csv` of the report's KPI table: UTF-8 with a BOM, numbers
in KPI units (fractions, seconds, points) left as numbers, and every text cell or header that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return prefixed with ``'`` so a
spreadsheet shows it as text instead of running it (a custom KPI named
``=HYPERLINK("http://…")`` stays a name).
"""

from __future__ import annotations

from kpi.charter import Charter
from kpi.explore import safe_csv
from kpi.report import ReportDocument


def kpi_table_csv(document: ReportDocument) -> bytes:
    """The report's KPI table (:func:`kpi.report.kpi_table`) as spreadsheet-safe CSV bytes."""
    return safe_csv(document.kpi_table)


def charter_json(charter: Charter) -> bytes:
    """The charter as the UTF-8 JSON document :meth:`kpi.charter.Charter.from_json` reads."""
    return charter.to_json().encode("utf-8")


def file_stem(document: ReportDocument) -> str:
    """A file name stem for the exports: ``kpi-report-<current period end>``."""
    return f"kpi-report-{document.periods.current[1].isoformat()}"
