"""Delimited text (CSV, TSV, ``;``, ``|``) read by ``pyarrow.csv`` with a detected dialect."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kpi.errors import UnreadableFileError
from kpi.io.dialect import NULL_VALUES, Dialect

#: How many times a column that pyarrow typed from the first block may be re-read as text.
MAX_REREADS = 20

_FAILED_COLUMN = re.compile(r"In CSV column #(\d+)")
_TRUE_VALUES = ["true", "True", "TRUE"]
_FALSE_VALUES = ["false", "False", "FALSE"]


class NotUtf8Error(Exception):
    """Raised when bytes past the sample are not UTF-8 (pyarrow typed a column as binary)."""


@dataclass(frozen=True)
class DelimitedRead:
    """A table read from delimited text and how many malformed lines were skipped."""

    table: pa.Table
    skipped_rows: int


def read_delimited(utf8: bytes, dialect: Dialect, *, name: str) -> DelimitedRead:
    """Read UTF-8 bytes with ``dialect`` into an Arrow table with the dialect's headers.

    A column pyarrow typed from the first block that turns to text later (``"n/d"`` at row
    500,000) is re-read as text (whole numbers that turn decimal as float64), a bounded
    number of times. Lines with the wrong number of fields are skipped and counted. Raises
    ``NotUtf8Error`` when a column holds bytes that are not UTF-8, ``UnreadableFileError``
    when the text cannot be parsed at all.
    """
    body = pa.py_buffer(utf8).slice(min(dialect.data_offset, len(utf8)))
    if not body.size or (not bytes(body[:65536]).strip() and not bytes(body).strip()):
        raise UnreadableFileError("io.no_rows", name=name)
    forced: dict[str, pa.DataType] = dict.fromkeys(
        (*dialect.string_columns, *dialect.thousands_columns), pa.string()
    )
    for _attempt in range(MAX_REREADS + 1):
        skipped = [0]
        try:
            table = pacsv.read_csv(
                pa.BufferReader(body),
                read_options=pacsv.ReadOptions(column_names=list(dialect.header)),
                parse_options=_parse_options(dialect, skipped),
                convert_options=_convert_options(dialect, forced),
            )
        except pa.ArrowInvalid as error:
            column = _failed_column(str(error), dialect.header)
            if column is None or forced.get(column) == pa.string():
                raise UnreadableFileError(
                    "io.csv_malformed", name=name, detail=_first_line(str(error))
                ) from None
            # Whole numbers that turn decimal become float64; anything else becomes text.
            widen = "to int64" in str(error) and column not in forced
            forced[column] = pa.float64() if widen else pa.string()
            continue
        except (pa.ArrowException, OverflowError, ValueError) as error:
            raise UnreadableFileError(
                "io.csv_malformed", name=name, detail=_first_line(str(error))
            ) from None
        if any(pa.types.is_binary(field.type) for field in table.schema):
            raise NotUtf8Error(name)
        table = _numbers_from_grouped_text(table, dialect)
        return DelimitedRead(table, skipped[0])
    raise UnreadableFileError("io.csv_malformed", name=name, detail="too many mixed columns")


def _parse_options(dialect: Dialect, skipped: list[int]) -> pacsv.ParseOptions:
    def skip(_row: object) -> str:
        skipped[0] += 1
        return "skip"

    return pacsv.ParseOptions(
        delimiter=dialect.sep, newlines_in_values=True, invalid_row_handler=skip
    )


def _convert_options(dialect: Dialect, forced: dict[str, pa.DataType]) -> pacsv.ConvertOptions:
    return pacsv.ConvertOptions(
        column_types=forced,
        decimal_point=dialect.decimal,
        timestamp_parsers=[pacsv.ISO8601, *dialect.timestamp_formats],
        null_values=list(NULL_VALUES),
        true_values=_TRUE_VALUES,
        false_values=_FALSE_VALUES,
        strings_can_be_null=True,
    )


def _failed_column(message: str, header: tuple[str, ...]) -> str | None:
    """The column a pyarrow conversion error names (``In CSV column #3: ...``)."""
    match = _FAILED_COLUMN.search(message)
    if match is None:
        return None
    index = int(match.group(1))
    return header[index] if 0 <= index < len(header) else None


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0][:200] if message.strip() else ""


def _numbers_from_grouped_text(table: pa.Table, dialect: Dialect) -> pa.Table:
    """Turn "1.234,56"-style columns into numbers; leave a column as text if any value isn't."""
    if not dialect.thousands or not dialect.thousands_columns:
        return table
    group, decimal = re.escape(dialect.thousands), re.escape(dialect.decimal)
    pattern = rf"^\s*[+-]?(\d{{1,3}}({group}\d{{3}})+|\d+)({decimal}\d+)?\s*$"
    for name in dialect.thousands_columns:
        index = table.schema.get_field_index(name)
        column = table.column(index)
        valid = pc.match_substring_regex(column, pattern)
        if pc.sum(pc.invert(valid)).as_py():  # a null result sums as nothing
            continue
        digits = pc.utf8_trim_whitespace(pc.replace_substring(column, dialect.thousands, ""))
        has_fraction = pc.any(pc.match_substring(digits, dialect.decimal)).as_py()
        if dialect.decimal != ".":
            digits = pc.replace_substring(digits, dialect.decimal, ".")
        try:
            numbers = pc.cast(digits, pa.float64() if has_fraction else pa.int64())
        except pa.ArrowInvalid:  # beyond int64
            numbers = pc.cast(digits, pa.float64())
        table = table.set_column(index, name, numbers)
    return table
