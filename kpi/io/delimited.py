"""Delimited text (CSV, TSV, ``;``, ``|``) read by ``pyarrow.csv`` with a detected dialect."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kpi.errors import UnreadableFileError
from kpi.io.dialect import NULL_VALUES, Dialect
from kpi.io.frames import needs_one_chunk, normalise_arrow
from kpi.io.source import FileBytes

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


def read_delimited(
    data: bytes | pa.Buffer | FileBytes, dialect: Dialect, *, name: str, encoding: str = "utf8",
    offset: int | None = None,
) -> DelimitedRead:
    """Read delimited text with ``dialect`` into an Arrow table with the dialect's headers.

    ``data`` is text in ``encoding`` (transcoded by pyarrow block by block, so no UTF-8 copy
    of the whole file is made); the rows start at byte ``offset`` (default: the dialect's
    ``data_offset``, which counts UTF-8 bytes). The file is streamed block by block, which
    holds about a third of the memory of a whole-file read. A column that is empty all through
    the first block, or that turns out not to fit the type pyarrow gave it from that block
    (``"n/d"`` at row 500,000), is read as text and typed afterwards by pyarrow's own inference
    over its distinct values, a bounded number of times. Lines with the wrong number of fields
    are skipped and counted. Raises ``NotUtf8Error`` when a column holds bytes that are not
    UTF-8, ``UnreadableFileError`` when the text cannot be parsed at all.
    """
    start = min(dialect.data_offset if offset is None else offset, len(data))
    if start == len(data) or (not bytes(data[start:start + 65536]).strip()
                              and not bytes(data[start:]).strip()):
        raise UnreadableFileError("io.no_rows", name=name)

    def body() -> pa.NativeFile:
        if isinstance(data, FileBytes):
            return data.stream(start)
        buffer = data if isinstance(data, pa.Buffer) else pa.py_buffer(data)
        return pa.BufferReader(buffer.slice(start))

    forced: dict[str, pa.DataType] = dict.fromkeys(
        (*dialect.string_columns, *dialect.thousands_columns), pa.string()
    )
    late: set[str] = set()  # read as text, typed once the whole column is known
    for _attempt in range(MAX_REREADS + 1):
        skipped = [0]
        try:
            reader = pacsv.open_csv(
                body(),
                memory_pool=reader_pool(),
                read_options=pacsv.ReadOptions(column_names=list(dialect.header),
                                               encoding=encoding),
                parse_options=_parse_options(dialect, skipped),
                convert_options=_convert_options(dialect, forced),
            )
            unknown = [f.name for f in reader.schema
                       if pa.types.is_null(f.type) and f.name not in forced]
            if unknown:  # empty in the first block: its type is not known yet
                forced.update(dict.fromkeys(unknown, pa.string()))
                late.update(unknown)
                continue
            table = reader.read_all()
            del reader
        except pa.ArrowInvalid as error:
            if "invalid UTF8" in str(error):
                raise NotUtf8Error(name) from None
            column = _failed_column(str(error), dialect.header)
            if column is None or forced.get(column) == pa.string():
                raise UnreadableFileError(
                    "io.csv_malformed", name=name, detail=_first_line(str(error))
                ) from None
            forced[column] = pa.string()
            late.add(column)
            continue
        except (pa.ArrowException, OverflowError, ValueError) as error:
            raise UnreadableFileError(
                "io.csv_malformed", name=name, detail=_first_line(str(error))
            ) from None
        if any(pa.types.is_binary(field.type) for field in table.schema):
            raise NotUtf8Error(name)
        for column in late:
            index = table.schema.get_field_index(column)
            table = table.set_column(index, column, _typed_late(table.column(index), dialect))
        table = normalise_arrow(_numbers_from_grouped_text(table, dialect))
        # Text columns in one piece, each replacing its pieces at once: this frame holds the
        # only reference to the table, so every old table (and its pieces) is freed in turn.
        for index, field in enumerate(table.schema):
            if needs_one_chunk(table.column(index)):
                table = table.set_column(
                    index, field, table.column(index).combine_chunks(memory_pool=reader_pool()))
        return DelimitedRead(table, skipped[0])
    raise UnreadableFileError("io.csv_malformed", name=name, detail="too many mixed columns")


@functools.cache
def reader_pool() -> pa.MemoryPool:
    """Where the read table lives: jemalloc handing freed pages back at once where pyarrow has
    it, so the raw columns freed one by one during canonicalisation lower the memory in use
    (the default allocator keeps them for reuse, adding up to the file's size to the peak)."""
    try:
        pool = pa.jemalloc_memory_pool()
        pa.jemalloc_set_decay_ms(0)
    except NotImplementedError:  # a pyarrow built without jemalloc
        return pa.default_memory_pool()
    return pool


def _typed_late(column: pa.ChunkedArray, dialect: Dialect) -> pa.ChunkedArray:
    """A column read as text, typed as a whole-file read would have typed it.

    Its distinct values are written out as a one-column CSV and read back with the same
    conversion options, so pyarrow's own inference (integers, booleans, dates, timestamps with
    the dialect's formats, decimals with its decimal mark, else text) decides, then the typed
    values are spread back over the rows.
    """
    encoded = pc.dictionary_encode(column).combine_chunks()
    uniques = encoded.dictionary
    if len(uniques) == 0:
        return column
    text = pa.BufferOutputStream()
    pacsv.write_csv(pa.table({"value": uniques}), text, write_options=pacsv.WriteOptions(
        include_header=False, quoting_style="all_valid", delimiter=dialect.sep))
    try:
        typed = pacsv.read_csv(
            pa.BufferReader(text.getvalue()),
            read_options=pacsv.ReadOptions(column_names=["value"]),
            parse_options=pacsv.ParseOptions(delimiter=dialect.sep, newlines_in_values=True),
            convert_options=_convert_options(dialect, {}),
        ).column(0).combine_chunks()
    except (pa.ArrowException, ValueError):
        return column
    if len(typed) != len(uniques) or pa.types.is_string(typed.type):
        return column
    return pa.chunked_array([typed.take(encoded.indices)])


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
