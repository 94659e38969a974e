"""Self-describing table formats: Excel workbooks, Parquet, JSON and JSON Lines."""

from __future__ import annotations

import io
import json
import math
import struct
import zipfile
import zlib
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from kpi.errors import UnreadableFileError
from kpi.io.encoding import detect_encoding, to_utf8
from kpi.io.frames import arrow_to_pandas, normalise_pandas
from kpi.io.headers import clean_headers

_MAX_TITLE_ROWS = 50
#: What openpyxl and zipfile raise on damaged workbooks (they raise many things): zlib.error
#: and NotImplementedError (flags or method of a member) from flipped bytes in the archive,
#: SyntaxError (XML parse errors) from flipped bytes in a member, struct.error from headers.
_EXCEL_ERRORS = (
    zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError, OSError,
    EOFError, AssertionError, zlib.error, NotImplementedError, SyntaxError, struct.error,
    RuntimeError, OverflowError,
)
#: What pyarrow raises on a damaged Parquet file, and what its pandas conversion raises on
#: damaged pandas metadata (UnicodeDecodeError, JSONDecodeError: both ValueErrors).
_PARQUET_ERRORS = (pa.ArrowException, OSError, ValueError, IndexError, KeyError, TypeError)


@dataclass(frozen=True)
class SheetRead:
    """A worksheet as a frame, the sheet's name, all sheet names and the title rows skipped."""

    frame: pd.DataFrame
    sheet: str
    sheets: tuple[str, ...]
    skip_rows: int


def excel_sheets(data: bytes, *, name: str) -> list[str]:
    """The sheet names of an ``.xlsx`` workbook, in workbook order."""
    try:
        with pd.ExcelFile(io.BytesIO(data), engine="openpyxl") as workbook:
            return [str(sheet) for sheet in workbook.sheet_names]
    except _EXCEL_ERRORS:
        raise UnreadableFileError("io.corrupt_excel", name=name) from None


def read_excel(
    data: bytes, *, name: str, sheet: str | None = None, skip_rows: int | None = None
) -> SheetRead:
    """One worksheet (the first unless ``sheet`` names another), title rows skipped."""
    try:
        with pd.ExcelFile(io.BytesIO(data), engine="openpyxl") as workbook:
            sheets = tuple(str(s) for s in workbook.sheet_names)
            if not sheets:
                raise UnreadableFileError("io.corrupt_excel", name=name)
            chosen = sheet if sheet is not None else sheets[0]
            if chosen not in sheets:
                raise UnreadableFileError(
                    "io.sheet_not_found", name=name, sheet=chosen, sheets=", ".join(sheets)
                )
            grid = pd.read_excel(workbook, sheet_name=chosen, header=None, dtype=object)
    except UnreadableFileError:
        raise
    except _EXCEL_ERRORS:
        raise UnreadableFileError("io.corrupt_excel", name=name) from None
    grid = grid.dropna(how="all").dropna(axis=1, how="all")
    if grid.empty:
        raise UnreadableFileError("io.sheet_empty", name=name, sheet=chosen)
    header_at = skip_rows if skip_rows is not None else _header_row(grid)
    header_at = min(header_at, len(grid) - 1)
    body = grid.iloc[header_at + 1 :].reset_index(drop=True)
    body.columns = clean_headers(grid.iloc[header_at].tolist())
    return SheetRead(normalise_pandas(body.infer_objects()), chosen, sheets, header_at)


def _header_row(grid: pd.DataFrame) -> int:
    """Position of the header among the non-empty rows: the first filled like the data is."""
    filled = grid.head(_MAX_TITLE_ROWS).notna().sum(axis=1).tolist()
    widest = max(filled)
    needed = max(min(2, widest), math.ceil(widest / 2))
    return next((position for position, count in enumerate(filled) if count >= needed), 0)


def read_parquet(data: bytes, *, name: str) -> pd.DataFrame:
    """A Parquet file as a frame."""
    try:
        table = pq.read_table(pa.BufferReader(data))
    except _PARQUET_ERRORS:
        raise UnreadableFileError("io.corrupt_parquet", name=name) from None
    try:
        return arrow_to_pandas(table)
    except _PARQUET_ERRORS:
        pass  # damaged pandas metadata (index, dtypes): the columns may still be whole
    try:
        return arrow_to_pandas(table.replace_schema_metadata(None))
    except _PARQUET_ERRORS:
        raise UnreadableFileError("io.corrupt_parquet", name=name) from None


def read_json(data: bytes, *, name: str, encoding: str | None = None) -> tuple[pd.DataFrame, str]:
    """An array of records, or an object holding one such array, as a frame (and the encoding)."""
    text, used = _decode(data, name=name, encoding=encoding)
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        detail = getattr(error, "lineno", "?")
        raise UnreadableFileError("io.bad_json", name=name, line=detail) from None
    return _records_frame(_records_of(document, name=name), name=name), used


def read_json_lines(
    data: bytes, *, name: str, encoding: str | None = None
) -> tuple[pd.DataFrame, str]:
    """One JSON object per line as a frame (blank lines ignored), and the encoding."""
    text, used = _decode(data, name=name, encoding=encoding)
    lines = text.split("\n")  # not splitlines(): JSON strings may hold U+2028 and the like
    filled = [line for line in lines if line.strip()]
    try:  # one parse of the whole file is much faster than one per line
        records = json.loads("[" + ",".join(filled) + "]")
    except (json.JSONDecodeError, RecursionError):
        records = None
    if records is None or len(records) != len(filled):
        for number, line in enumerate(lines, start=1):
            if line.strip():
                _parse_line(line, name=name, number=number)
        raise UnreadableFileError("io.bad_json", name=name, line="?")
    if not all(isinstance(record, dict) for record in records):
        raise UnreadableFileError("io.json_shape", name=name)
    return _records_frame(records, name=name), used


def _parse_line(line: str, *, name: str, number: int) -> object:
    try:
        return json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        raise UnreadableFileError("io.bad_json", name=name, line=number) from None


def _decode(data: bytes, *, name: str, encoding: str | None) -> tuple[str, str]:
    used = encoding or detect_encoding(data[:65536], truncated=len(data) > 65536)
    return to_utf8(data, used, name=name).decode("utf-8", errors="replace"), used


def _records_of(document: object, *, name: str) -> list[dict[str, object]]:
    if isinstance(document, dict):
        arrays = [value for value in document.values() if _is_records(value)]
        if len(arrays) != 1:
            raise UnreadableFileError("io.json_shape", name=name)
        document = arrays[0]
    if not _is_records(document):
        raise UnreadableFileError("io.json_shape", name=name)
    assert isinstance(document, list)
    return document


def _is_records(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _records_frame(records: list[dict[str, object]], *, name: str) -> pd.DataFrame:
    if not records:
        raise UnreadableFileError("io.no_rows", name=name)
    frame = pd.DataFrame.from_records(records)
    nested = any(
        any(isinstance(value, dict) for value in frame[column])
        for column, dtype in frame.dtypes.items()
        if dtype.kind == "O" and not isinstance(dtype, pd.StringDtype)
    )
    if nested:  # {"agent": {"name": ...}} → "agent.name"
        frame = pd.json_normalize(records, max_level=1)
    return normalise_pandas(frame)
