"""Sensible pandas dtypes for a freshly read table.

Text as pandas' ``"str"``, numbers ``int64``/``float64``, timestamps ``datetime64[us]``,
booleans the nullable ``"boolean"``; anything else (times of day, decimals, nested values,
mixed columns) as text, so nothing downstream meets a Python object it does not expect.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kpi.io.headers import clean_headers


def normalise_arrow(table: pa.Table) -> pa.Table:
    """Cast the column types pandas would turn into Python objects."""
    for index, field in enumerate(table.schema):
        target = _arrow_target(field.type)
        if target is not None:
            column = table.column(index)
            if pa.types.is_dictionary(column.type):
                column = column.cast(column.type.value_type)
            table = table.set_column(index, field.name, _cast(column, target))
    return table


def _arrow_target(kind: pa.DataType) -> pa.DataType | None:
    if pa.types.is_dictionary(kind):
        return _arrow_target(kind.value_type) or kind.value_type
    if pa.types.is_date(kind) or (pa.types.is_timestamp(kind) and kind.unit != "us"):
        return pa.timestamp("us", tz=getattr(kind, "tz", None))
    if pa.types.is_decimal(kind):
        return pa.float64()
    if pa.types.is_null(kind) or pa.types.is_time(kind) or pa.types.is_large_string(kind):
        return pa.string()
    if pa.types.is_unsigned_integer(kind) and kind.bit_width == 64:
        return pa.float64()
    if pa.types.is_integer(kind) and kind.bit_width < 64:
        return pa.int64()
    if pa.types.is_floating(kind) and kind.bit_width < 64:
        return pa.float64()
    return None


def _cast(column: pa.ChunkedArray, target: pa.DataType) -> pa.ChunkedArray:
    try:
        return pc.cast(column, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        # Timestamps outside the microsecond range, and the like: keep them as text.
        return pc.cast(column, pa.string())


#: Text columns with more bytes than 32-bit offsets address stay in pieces.
_MAX_STRING_BYTES = 2**31 - 1


def needs_one_chunk(column: pa.ChunkedArray) -> bool:
    """A text column in pieces that fits in one (a block-by-block read gives hundreds, and
    slicing or sampling an Arrow-backed pandas column concatenates them again every time)."""
    return column.num_chunks > 1 and pa.types.is_string(column.type) \
        and column.nbytes < _MAX_STRING_BYTES


def _one_chunk(table: pa.Table) -> pa.Table:
    """Each text column in one piece (``table`` itself when nothing needs it)."""
    for index, field in enumerate(table.schema):
        if needs_one_chunk(table.column(index)):
            table = table.set_column(index, field, table.column(index).combine_chunks())
    return table


def arrow_to_pandas(table: pa.Table, *, consume: bool = False) -> pd.DataFrame:
    """An Arrow table as a pandas frame with the dtypes described in this module.

    ``consume=True`` frees each Arrow column as soon as it is converted (less peak memory);
    the caller must hold no other reference to ``table``, which is unusable afterwards.
    """
    table = _one_chunk(normalise_arrow(table))  # both return ``table`` itself when it is
    names = clean_headers(table.column_names)   # ready: what self_destruct frees is then
    if names != table.column_names:             # no longer held by any other table
        table = table.rename_columns(names)
    frame = table.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get,
                            self_destruct=consume, split_blocks=consume)
    del table
    return normalise_pandas(frame)


def normalise_pandas(frame: pd.DataFrame) -> pd.DataFrame:
    """Clean headers, and give every ``object`` column a real dtype (text when mixed)."""
    frame = frame.set_axis(clean_headers(frame.columns), axis=1)
    converted: dict[str, pd.Series] = {}
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object:
            converted[name] = _typed(column)
        elif column.dtype.kind == "M":
            converted[name] = column.dt.as_unit("us")
    if converted:
        frame = frame.assign(**converted)
    return frame


def _typed(column: pd.Series) -> pd.Series:
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in ("string", "empty"):
        return column.astype("str")
    if kind == "boolean":
        return column.astype("boolean")
    if kind in ("integer", "floating", "mixed-integer-float"):
        numbers = pd.to_numeric(column)
        return numbers.astype("float64") if numbers.dtype == object else numbers
    if kind in ("datetime", "datetime64", "date"):
        try:
            return pd.to_datetime(column).dt.as_unit("us")
        except (TypeError, ValueError, OverflowError):
            pass
    return column.map(_as_text, na_action="ignore").astype("str")


def _as_text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)
