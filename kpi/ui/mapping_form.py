"""Turning the Data page's correction widgets into a mapping (pure; no Streamlit here).

The page collects one :class:`Corrections` from its widgets; :func:`corrected_mapping` applies
it on top of the mapping in use (keeping what the page does not edit: activity and forecast
tables, dimensions, other reading options) and validates the result through
:meth:`kpi.mapping.Mapping.from_dict`, so a bad choice becomes a ``MappingError``.
"""

from __future__ import annotations

from collections.abc import Mapping as AbcMapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kpi.mapping import Mapping


@dataclass(frozen=True)
class ValueChoice:
    """A yes/no field read from a column's values: which values mean true, which false."""

    column: str | None
    true: tuple[str, ...] = ()
    false: tuple[str, ...] = ()

    @property
    def is_set(self) -> bool:
        return bool(self.column) and bool(self.true or self.false)


@dataclass(frozen=True)
class Corrections:
    """What the user chose on the Data page (``None`` column: the field is not in the data)."""

    columns: dict[str, str | None] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    values: dict[str, ValueChoice] = field(default_factory=dict)
    csat_scale: tuple[float, float] | None = None
    timezone: str | None = None
    dayfirst: bool | None = None


def duplicate_columns(columns: AbcMapping[str, str | None]) -> dict[str, list[str]]:
    """Columns chosen for more than one field → those fields (in the order given)."""
    fields_by_column: dict[str, list[str]] = {}
    for field_name, column in columns.items():
        if column:
            fields_by_column.setdefault(column, []).append(field_name)
    return {column: names for column, names in fields_by_column.items() if len(names) > 1}


def corrected_mapping(base: Mapping, corrections: Corrections) -> Mapping:
    """``base`` with the interaction table's columns, units, values and options replaced.

    A field given by a value mapping is not also read as a plain column; units are written
    for every mapped duration field the user saw, so a choice of "seconds" overrides a header
    that says "(min)".
    """
    data: dict[str, Any] = base.to_dict()
    columns = {name: column for name, column in corrections.columns.items() if column}
    values = {
        name: {"column": choice.column, "true": list(choice.true), "false": list(choice.false)}
        for name, choice in corrections.values.items()
        if choice.is_set
    }
    for name in values:
        columns.pop(name, None)
    units = {name: unit for name, unit in corrections.units.items() if name in columns}
    read = dict(data.get("read", {}))
    if corrections.dayfirst is None:
        read.pop("dayfirst", None)
    else:
        read["dayfirst"] = corrections.dayfirst
    for key, value in (
        ("read", read),
        ("columns", columns),
        ("units", units),
        ("values", values),
        ("csat_scale", list(corrections.csat_scale) if corrections.csat_scale else None),
        ("timezone", corrections.timezone),
    ):
        if value:
            data[key] = value
        else:
            data.pop(key, None)
    return Mapping.from_dict(data)


def observed_values(series: pd.Series, limit: int = 50) -> list[str]:
    """The ``limit`` most frequent non-empty values of a column, as stripped text."""
    text = series.dropna().astype("str").str.strip()
    text = text[text != ""]
    counts = text.value_counts(sort=True)
    return [str(value) for value in counts.index[:limit]]
