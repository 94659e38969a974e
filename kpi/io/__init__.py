"""Reading files: CSV/TSV, Excel, Parquet, JSON and JSON Lines, plain or compressed.

``read_file(name, data, options)`` detects what is not given (format, encoding, separator,
decimal mark, thousands separator, day-first dates, title lines) and returns a
:class:`RawTable` whose ``options`` record what was used. Only
:class:`~kpi.errors.UnreadableFileError` (codes ``io.*``) escapes.
"""

from __future__ import annotations

from kpi.io.options import RawTable, ReadOptions
from kpi.io.read import list_sheets, read_file

__all__ = ["RawTable", "ReadOptions", "list_sheets", "read_file"]
