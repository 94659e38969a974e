"""User-defined KPIs built from a form (SPEC §4, workshops): never from evaluated code.

A :class:`CustomKpi` is a rate (rows matching conditions A among rows matching conditions B),
a mean, median or percentile of a numeric column over rows matching conditions, or a count.
Conditions are column / operator / value records, ANDed. :mod:`kpi.compute` compiles them into
the same generated aggregation as the built-in KPIs (values become SQL literals, columns
quoted identifiers), so nothing the user types is ever executed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from kpi.catalog import CATALOG, CATEGORIES, Category, Direction, Kind, Unit
from kpi.errors import DefinitionError

CustomForm = Literal["rate", "mean", "median", "percentile", "count"]
Operator = Literal["=", "!=", "<", "<=", ">", ">=", "in", "not in", "is empty", "is not empty"]

FORMS: tuple[CustomForm, ...] = get_args(CustomForm)
OPERATORS: tuple[Operator, ...] = get_args(Operator)
#: Spellings a form may send for the same operator.
OPERATOR_ALIASES: dict[str, Operator] = {"≠": "!=", "<>": "!=", "≤": "<=", "≥": ">=", "==": "="}
ORDERED = frozenset({"<", "<=", ">", ">="})
LISTS = frozenset({"in", "not in"})
NO_VALUE = frozenset({"is empty", "is not empty"})

_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_UNITS: tuple[str, ...] = get_args(Unit)
_DIRECTIONS: tuple[str, ...] = get_args(Direction)

Scalar = str | float | int | bool


@dataclass(frozen=True)
class Condition:
    """``column operator value``; ``value`` is a tuple for in / not in, None for the empty tests."""

    column: str
    operator: Operator
    value: Scalar | tuple[Scalar, ...] | None = None

    @classmethod
    def of(cls, column: str, operator: str, value: Any = None) -> Condition:
        """Build from form input, accepting ≠ ≤ ≥ and lists for in / not in."""
        op = OPERATOR_ALIASES.get(operator, operator)
        if op not in OPERATORS:
            raise DefinitionError("catalog.custom.error.operator", operator=operator)
        if isinstance(value, list):
            value = tuple(value)
        return cls(column, op, value)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"column": self.column, "operator": self.operator, "value": value}


@dataclass(frozen=True)
class CustomKpi:
    """A KPI defined in a workshop: same metadata as built-ins, plus its form and conditions.

    ``where`` filters the rows of every form (for a rate it is the denominator B);
    ``numerator`` (rates only) are the conditions A that count a row of B as a success.
    """

    id: str
    name: str
    form: CustomForm
    category: Category = "effectiveness"
    unit: Unit = "percent"
    direction: Direction = "higher"
    description: str = ""
    column: str | None = None
    quantile: float | None = None
    where: tuple[Condition, ...] = ()
    numerator: tuple[Condition, ...] = ()
    band: tuple[float, float] | None = field(default=None)

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise DefinitionError("catalog.custom.error.id", id=self.id)
        if self.id in CATALOG:
            raise DefinitionError("catalog.custom.error.id_taken", id=self.id)
        if not self.name.strip():
            raise DefinitionError("catalog.custom.error.name")
        if self.form not in FORMS:
            raise DefinitionError("catalog.custom.error.form", form=self.form)
        if self.category not in CATEGORIES:
            raise DefinitionError("catalog.custom.error.category", category=self.category)
        if self.unit not in _UNITS:
            raise DefinitionError("catalog.custom.error.unit", unit=self.unit)
        if self.direction not in _DIRECTIONS:
            raise DefinitionError("catalog.custom.error.direction", direction=self.direction)
        if self.form in ("mean", "median", "percentile") and not self.column:
            raise DefinitionError("catalog.custom.error.column_needed", name=self.name)
        if self.form == "percentile" and not (
            self.quantile is not None and 0 < self.quantile < 1
        ):
            raise DefinitionError("catalog.custom.error.quantile", name=self.name)
        if self.form == "rate" and not self.numerator:
            raise DefinitionError("catalog.custom.error.numerator", name=self.name)

    @property
    def kind(self) -> Kind:
        """The statistical kind used by the statistics layer."""
        return {
            "rate": "proportion", "mean": "mean", "median": "quantile",
            "percentile": "quantile", "count": "count",
        }[self.form]  # type: ignore[return-value]

    @property
    def level(self) -> float | None:
        """The quantile level of a median or percentile KPI."""
        if self.form == "median":
            return 0.5
        return self.quantile if self.form == "percentile" else None

    def columns(self) -> tuple[str, ...]:
        """Every data column the definition reads."""
        names = [c.column for c in (*self.where, *self.numerator)]
        if self.column:
            names.append(self.column)
        return tuple(dict.fromkeys(names))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dictionary (the charter's ``custom_kpis`` entries)."""
        return {
            "id": self.id, "name": self.name, "form": self.form, "category": self.category,
            "unit": self.unit, "direction": self.direction, "description": self.description,
            "column": self.column, "quantile": self.quantile,
            "where": [c.to_dict() for c in self.where],
            "numerator": [c.to_dict() for c in self.numerator],
            "band": list(self.band) if self.band else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CustomKpi:
        """Read :meth:`to_dict` output; a wrong shape raises ``DefinitionError``."""
        if not isinstance(data, Mapping):
            raise DefinitionError("catalog.custom.error.shape", detail="not an object")
        try:
            band = data.get("band")
            return cls(
                id=str(data["id"]), name=str(data["name"]), form=data["form"],
                category=data.get("category", "effectiveness"),
                unit=data.get("unit", "percent"), direction=data.get("direction", "higher"),
                description=str(data.get("description", "")), column=data.get("column"),
                quantile=None if data.get("quantile") is None else float(data["quantile"]),
                where=tuple(_condition(c) for c in data.get("where", ())),
                numerator=tuple(_condition(c) for c in data.get("numerator", ())),
                band=(float(band[0]), float(band[1])) if band else None,
            )
        except (KeyError, TypeError, ValueError, IndexError, OverflowError) as error:
            if isinstance(error, DefinitionError):
                raise
            raise DefinitionError("catalog.custom.error.shape", detail=str(error)) from error

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> CustomKpi:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise DefinitionError("catalog.custom.error.shape", detail=str(error)) from error
        if not isinstance(data, dict):
            raise DefinitionError("catalog.custom.error.shape", detail="not an object")
        return cls.from_dict(data)


def _condition(data: Mapping[str, Any]) -> Condition:
    return Condition.of(str(data["column"]), str(data["operator"]), data.get("value"))


def _dtype_family(dtype: object) -> str:
    """"number", "bool", "datetime" or "text" for a pandas dtype (or its name)."""
    text = str(dtype).lower()
    if text in ("boolean", "bool"):
        return "bool"
    if text.startswith("datetime"):
        return "datetime"
    if text.startswith(("float", "int", "uint", "double")):
        return "number"
    return "text"


def validate_custom(defn: CustomKpi, frame_dtypes: Mapping[str, object]) -> None:
    """Check ``defn`` against a frame's columns and dtypes; raise ``DefinitionError`` to fix.

    Rejects unknown columns, an ordering (<, ≤, >, ≥) on a text or yes/no column, a mean or
    percentile of a non-numeric column, in / not in without a list, values of the wrong type.
    """
    for column in defn.columns():
        if column not in frame_dtypes:
            raise DefinitionError(
                "catalog.custom.error.unknown_column", name=defn.name, column=column
            )
    summarised = defn.column if defn.form in ("mean", "median", "percentile") else None
    if summarised is not None and _dtype_family(frame_dtypes[summarised]) != "number":
        raise DefinitionError(
            "catalog.custom.error.not_numeric", name=defn.name, column=summarised
        )
    for condition in (*defn.where, *defn.numerator):
        _validate_condition(defn, condition, _dtype_family(frame_dtypes[condition.column]))


def _validate_condition(defn: CustomKpi, condition: Condition, family: str) -> None:
    op, value, column = condition.operator, condition.value, condition.column
    if op in NO_VALUE:
        return
    if op in LISTS:
        if not isinstance(value, tuple) or not value:
            raise DefinitionError("catalog.custom.error.needs_list", name=defn.name, column=column)
        values: tuple[Any, ...] = value
    else:
        if value is None or isinstance(value, tuple):
            raise DefinitionError("catalog.custom.error.needs_value", name=defn.name, column=column)
        values = (value,)
    if op in ORDERED and family not in ("number", "datetime"):
        raise DefinitionError(
            "catalog.custom.error.order_on_text", name=defn.name, column=column, op=op
        )
    for v in values:
        if not _fits(v, family):
            raise DefinitionError(
                "catalog.custom.error.value_type", name=defn.name, column=column, value=v,
                expected=family,
            )


def _fits(value: Any, family: str) -> bool:
    if family == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if family == "bool":
        return isinstance(value, bool)
    if family == "datetime":
        import pandas as pd

        try:
            pd.Timestamp(value)
        except (TypeError, ValueError):
            return False
        return isinstance(value, str)
    return isinstance(value, str)


def custom_kpis_from_json(text: str) -> tuple[CustomKpi, ...]:
    """Read a JSON list of custom KPI definitions."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DefinitionError("catalog.custom.error.shape", detail=str(error)) from error
    if not isinstance(data, list):
        raise DefinitionError("catalog.custom.error.shape", detail="not a list")
    return tuple(CustomKpi.from_dict(d) for d in data)


def custom_kpis_to_json(kpis: Sequence[CustomKpi]) -> str:
    """Write custom KPI definitions as a JSON list."""
    return json.dumps([k.to_dict() for k in kpis], ensure_ascii=False, indent=2)
