"""Reading files: CSV/TSV, Excel, Parquet, JSON and JSON Lines, plain or compressed.

``read_file(name, data, options)`` detects what is not given (format, encoding, separator,
decimal mark, thousands separator, day-first dates, title lines) and returns a
:class:`RawTable` whose ``options`` record what was used. A :class:`ReadBudget` (file size,
memory) is checked first, from :func:`estimate_memory` (no parsing). Only
:class:`~kpi.errors.UnreadableFileError` (codes ``io.*``) escapes.
"""

from __future__ import annotations

from kpi.io.budget import FileTooLargeError, MemoryEstimate, ReadBudget, estimate_memory
from kpi.io.options import RawTable, ReadOptions
from kpi.io.read import list_sheets, read_file

__all__ = [
    "FileTooLargeError", "MemoryEstimate", "RawTable", "ReadBudget", "ReadOptions",
    "estimate_memory", "list_sheets", "read_file",
]
