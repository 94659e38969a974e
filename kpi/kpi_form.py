"""Pure helpers of the KPIs page: the catalog as rows, the chosen order, form input → typed
definitions (``KpiParams``, ``BusinessCalendar``, ``CustomKpi``), and a custom KPI's preview.

Form input arrives as plain strings, numbers and table rows (what Streamlit widgets return);
everything here turns it into the library's typed objects or raises
:class:`~kpi.errors.DefinitionError` with a code the page shows as one sentence.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from kpi.business_hours import WEEKDAYS, BusinessCalendar
from kpi.catalog import (
    CATALOG,
    CATEGORIES,
    Category,
    KpiParams,
    Statistic,
    availability,
    definition_text,
)
from kpi.compute import compute_statistics, raw_values
from kpi.custom import LISTS, NO_VALUE, Condition, CustomKpi, validate_custom
from kpi.errors import DefinitionError
from kpi.i18n import translate
from kpi.stats.results import ValueFormat

Family = Literal["number", "bool", "datetime", "text"]

#: Bookkeeping columns of a canonical frame that a custom KPI never reads.
HIDDEN_COLUMNS = frozenset({"source_file", "source_row"})
#: Built-in KPIs whose statistic (mean / median / p90) the user chooses.
STATISTIC_KPIS: tuple[str, ...] = tuple(
    k for k, d in CATALOG.items() if "statistic" in d.parameters
)
#: Built-in KPIs whose durations may be counted in business hours.
BUSINESS_HOURS_KPIS: tuple[str, ...] = tuple(
    k for k, d in CATALOG.items() if "business_hours" in d.parameters
)
_TRUE = frozenset({"true", "yes", "sim", "sí", "si", "1", "y", "s", "verdadeiro"})
_FALSE = frozenset({"false", "no", "não", "nao", "0", "n", "falso"})
_UNIT_FORMAT: dict[str, ValueFormat] = {"percent": "percent", "seconds": "duration",
                                        "nps": "nps"}


# ---------------------------------------------------------------- catalog rows and choice


@dataclass(frozen=True)
class CatalogRow:
    """One KPI as the page lists it: texts in the user's language and whether the data has it."""

    id: str
    category: Category
    name: str
    definition: str
    why: str
    available: bool
    reason: str
    custom: bool = False


def catalog_rows(
    columns: Iterable[str],
    params: KpiParams,
    lang: str,
    *,
    custom: Sequence[CustomKpi] = (),
    has_activity: bool = False,
    has_forecast: bool = False,
) -> dict[Category, tuple[CatalogRow, ...]]:
    """Every built-in KPI, then the custom ones, grouped by category (seed order)."""
    columns = tuple(columns)
    rows: list[CatalogRow] = []
    for definition in CATALOG.values():
        check = availability(
            definition, columns, has_activity=has_activity, has_forecast=has_forecast
        )
        rows.append(CatalogRow(
            id=definition.id,
            category=definition.category,
            name=translate(definition.name_key, lang),
            definition=definition_text(definition, params, lang),
            why=translate(definition.why_key, lang),
            available=check.ok,
            reason=check.sentence(lang),
        ))
    for kpi in custom:
        missing = [c for c in kpi.columns() if c not in columns]
        rows.append(CatalogRow(
            id=kpi.id,
            category=kpi.category,
            name=kpi.name,
            definition=custom_definition_text(kpi, lang),
            why=kpi.description,
            available=not missing,
            reason=translate("kpis_page.custom.missing", lang, columns=", ".join(missing))
            if missing else "",
            custom=True,
        ))
    return {c: tuple(r for r in rows if r.category == c) for c in CATEGORIES}


def ordered_choice(order: Sequence[str], chosen: Iterable[str]) -> tuple[str, ...]:
    """The chosen KPIs in the user's ``order``; newly chosen ones follow in the given order."""
    chosen = tuple(dict.fromkeys(chosen))
    wanted = set(chosen)
    kept = [k for k in dict.fromkeys(order) if k in wanted]
    return (*kept, *(k for k in chosen if k not in set(kept)))


def chosen_kpis(
    order: Sequence[str], ticked: Iterable[str], saved: Sequence[str], known: Iterable[str]
) -> tuple[str, ...]:
    """What the page saves: the ticked KPIs in ``order``, then the ``saved`` ids the app does not
    know (from a newer version's charter: kept, never dropped by a save)."""
    known = set(known)
    return (*ordered_choice(order, ticked), *(k for k in saved if k not in known))


def move(order: Sequence[str], kpi: str, step: int) -> tuple[str, ...]:
    """``order`` with ``kpi`` moved ``step`` places (−1 up, +1 down), clamped at the ends."""
    items = list(order)
    if kpi not in items:
        return tuple(items)
    i = items.index(kpi)
    j = min(max(i + step, 0), len(items) - 1)
    items.insert(j, items.pop(i))
    return tuple(items)


# ---------------------------------------------------------------- parameters


def params_from_form(
    *,
    service_level_seconds: float,
    fcr_window_days: float,
    csat_low: float,
    csat_high: float,
    statistics: Mapping[str, Statistic],
    business_hours: Sequence[str],
    calendar: BusinessCalendar | None,
    include_bot_only: bool = True,
) -> KpiParams:
    """The parameters a form describes; impossible values raise ``DefinitionError``.

    Only non-default statistics are recorded; business hours need a calendar (None keeps the
    KPI list but counts clock time, as :meth:`KpiParams.uses_business_hours` says).
    """
    if not math.isfinite(float(fcr_window_days)):
        raise DefinitionError("catalog.error.fcr_window", value=fcr_window_days)
    return KpiParams(
        service_level_seconds=float(service_level_seconds),
        fcr_window_days=int(fcr_window_days) if float(fcr_window_days).is_integer()
        else float(fcr_window_days),  # type: ignore[arg-type]
        csat_scale=(float(csat_low), float(csat_high)),
        statistics=tuple(sorted((k, s) for k, s in statistics.items() if s != "mean")),
        business_hours=tuple(k for k in BUSINESS_HOURS_KPIS if k in set(business_hours)),
        calendar=calendar,
        include_bot_only=include_bot_only,
    )


def calendar_rows(calendar: BusinessCalendar | None) -> list[dict[str, Any]]:
    """The weekly calendar as editor rows ``{weekday, open, opens, closes}``, Monday first.

    A day with several intervals shows its first opening and last closing time.
    """
    calendar = calendar or BusinessCalendar.default()
    rows = []
    for day, name in enumerate(WEEKDAYS):
        pairs = calendar.hours.get(day, ())
        rows.append({
            "weekday": name,
            "open": bool(pairs),
            "opens": pairs[0][0] if pairs else "09:00",
            "closes": pairs[-1][1] if pairs else "18:00",
        })
    return rows


def calendar_from_rows(
    rows: Iterable[Mapping[str, Any]], timezone: str | None = None,
    previous: BusinessCalendar | None = None,
) -> BusinessCalendar:
    """A calendar from editor rows (bad times raise ``DefinitionError``).

    Days whose row is unchanged from ``previous`` keep its intervals (lunch breaks survive).
    """
    before = {r["weekday"]: r for r in calendar_rows(previous)} if previous else {}
    hours: dict[int, tuple[tuple[str, str], ...]] = {}
    for row in rows:
        day = WEEKDAYS.index(str(row["weekday"]))
        if not _truthy(row.get("open")):
            continue
        old = before.get(row["weekday"])
        if old is not None and all(_same(row.get(k), v) for k, v in old.items()):
            hours[day] = previous.hours[day]
            continue
        hours[day] = ((_text(row.get("opens")), _text(row.get("closes"))),)
    holidays = previous.holidays if previous else ()
    return BusinessCalendar(hours=hours, holidays=holidays, timezone=timezone or None)


def _same(new: object, old: object) -> bool:
    return _truthy(new) == old if isinstance(old, bool) else _text(new) == old


def _truthy(value: object) -> bool:
    return bool(value) and not (isinstance(value, float) and math.isnan(value))


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(
        value).strip()


# ---------------------------------------------------------------- custom KPI form


def column_family(dtype: object) -> Family:
    """"number", "bool", "datetime" or "text" for a pandas dtype."""
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if pd.api.types.is_numeric_dtype(dtype):
        return "number"
    return "text"


def column_choices(dtypes: Mapping[str, object]) -> dict[str, Family]:
    """Columns a custom KPI may read, with their type family (bookkeeping columns left out)."""
    return {c: column_family(t) for c, t in dtypes.items() if c not in HIDDEN_COLUMNS}


def parse_value(text: object, family: Family, *, column: str) -> str | float | bool:
    """One condition value typed as its column: ``"1,5"`` → 1.5, ``"sim"`` → True."""
    raw = _text(text)
    if family == "number":
        cleaned = raw.replace(" ", "")
        if "," in cleaned and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
        try:
            number = float(cleaned)
        except ValueError:
            raise DefinitionError("kpis_page.error.number", column=column, value=raw) from None
        if not math.isfinite(number):
            raise DefinitionError("kpis_page.error.number", column=column, value=raw)
        return number
    if family == "bool":
        lowered = raw.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise DefinitionError("kpis_page.error.boolean", column=column, value=raw)
    if family == "datetime":
        try:
            pd.Timestamp(raw)
        except (TypeError, ValueError):
            raise DefinitionError("kpis_page.error.date", column=column, value=raw) from None
        return raw
    return raw


def filled_rows(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The editor rows with at least one non-blank cell."""
    return [row for row in rows if any(_text(v) for v in row.values())]


def conditions_from_rows(
    rows: Iterable[Mapping[str, Any]], families: Mapping[str, Family]
) -> tuple[Condition, ...]:
    """Conditions from editor rows ``{column, operator, value}``; blank rows are skipped.

    Values are typed by the column (numbers accept a decimal comma); ``in`` / ``not in``
    take a list separated by ``;`` (or by ``,`` when there is no ``;``).
    """
    conditions: list[Condition] = []
    for row in filled_rows(rows):
        column, operator = _text(row.get("column")), _text(row.get("operator"))
        if column not in families:
            raise DefinitionError("kpis_page.error.condition_column", column=column or "—")
        if not operator:
            raise DefinitionError("kpis_page.error.condition_operator", column=column)
        condition = Condition.of(column, operator)
        family = families[column]
        value: Any
        if condition.operator in NO_VALUE:
            value = None
        elif condition.operator in LISTS:
            text = _text(row.get("value"))
            parts = [p.strip() for p in text.split(";" if ";" in text else ",")]
            value = tuple(parse_value(p, family, column=column) for p in parts if p)
            if not value:
                raise DefinitionError("kpis_page.error.condition_value", column=column)
        else:
            if not _text(row.get("value")):
                raise DefinitionError("kpis_page.error.condition_value", column=column)
            value = parse_value(row.get("value"), family, column=column)
        conditions.append(Condition(column, condition.operator, value))
    return tuple(conditions)


def slug(name: str, taken: Iterable[str] = ()) -> str:
    """A custom KPI id from its name: ``"Pedidos VIP (%)"`` → ``"pedidos_vip"``.

    Ids of the built-in catalog and ``taken`` ones get a number (``_2``...).
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:50] or "custom"
    if not base[0].isalpha():
        base = f"custom_{base}"
    used = set(CATALOG) | set(taken)
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def custom_from_form(
    *,
    name: str,
    form: str,
    dtypes: Mapping[str, object],
    column: str | None = None,
    quantile: float | None = None,
    where: Iterable[Mapping[str, Any]] = (),
    numerator: Iterable[Mapping[str, Any]] = (),
    unit: str = "percent",
    direction: str = "higher",
    category: str = "effectiveness",
    description: str = "",
    kpi_id: str | None = None,
    taken: Iterable[str] = (),
) -> CustomKpi:
    """A validated custom KPI from the form's fields, checked against the data's columns.

    ``kpi_id`` keeps the id of a definition being edited; otherwise one is made from the name
    (unique among ``taken``). ``quantile`` is a percentile level in percent (90 → 0.9).
    """
    families = column_choices(dtypes)
    summarised = column if form in ("mean", "median", "percentile") else None
    defn = CustomKpi(
        id=kpi_id or slug(name, taken),
        name=name.strip(),
        form=form,  # type: ignore[arg-type]
        category=category,  # type: ignore[arg-type]
        unit=unit,  # type: ignore[arg-type]
        direction=direction,  # type: ignore[arg-type]
        description=description.strip(),
        column=summarised or None,
        quantile=None if form != "percentile" or quantile is None else float(quantile) / 100,
        where=conditions_from_rows(where, families),
        numerator=conditions_from_rows(numerator, families) if form == "rate" else (),
    )
    validate_custom(defn, {c: dtypes[c] for c in families})
    return defn


def custom_definition_text(kpi: CustomKpi, lang: str) -> str:
    """What a custom KPI computes, in words: ``Share of rows where channel = phone …``."""
    where = _conditions_text(kpi.where, lang)
    level = "" if kpi.level is None else f"{kpi.level * 100:g}"
    text = translate(
        f"kpis_page.custom.formula.{kpi.form}", lang,
        column=kpi.column or "", level=level,
        numerator=_conditions_text(kpi.numerator, lang),
    )
    if kpi.where:
        text = f"{text} {translate('kpis_page.custom.formula.where', lang, conditions=where)}"
    return text


def _conditions_text(conditions: Sequence[Condition], lang: str) -> str:
    joiner = f" {translate('kpis_page.custom.formula.and', lang)} "
    parts = []
    for c in conditions:
        if c.value is None:
            parts.append(f"{c.column} {c.operator}")
        elif isinstance(c.value, tuple):
            parts.append(f"{c.column} {c.operator} ({', '.join(map(_show, c.value))})")
        else:
            parts.append(f"{c.column} {c.operator} {_show(c.value)}")
    return joiner.join(parts)


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------- preview


@dataclass(frozen=True)
class Preview:
    """A custom KPI's value over the whole data and in its latest week (``n`` as in SPEC §4)."""

    overall: float | None
    overall_n: int
    last_week: float | None
    last_week_n: int
    week_start: dt.date | None


def value_format(unit: str) -> ValueFormat:
    """How a value in ``unit`` is shown (``kpi.stats.verdict.format_value``)."""
    return _UNIT_FORMAT.get(unit, "number")


def preview(
    frame: pd.DataFrame, kpi: CustomKpi, params: KpiParams | None = None
) -> Preview:
    """Overall and latest-week values of ``kpi`` on ``frame`` (weekly buckets, ISO weeks).

    Rates, means and counts pool the weekly sufficient statistics; a median or percentile
    takes the quantile (linear interpolation) of all its raw values.
    """
    validate_custom(kpi, frame.dtypes.to_dict())
    weekly = compute_statistics(frame, [kpi], freq="week", params=params)
    if weekly.empty:
        return Preview(None, 0, None, 0, None)
    latest = weekly.iloc[-1]
    last_value = None if pd.isna(latest["value"]) else float(latest["value"])
    overall_n = int(weekly["n"].sum())
    if kpi.kind == "count":
        overall: float | None = float(overall_n)
    elif kpi.kind == "quantile":
        first, last = frame["created_at"].min(), frame["created_at"].max()
        values = raw_values(frame, kpi, start=first.date(), end=last.date(), params=params)
        overall_n = len(values)
        overall = float(np.quantile(values, kpi.level)) if len(values) else None
    else:
        sum_x = float(weekly["sum_x"].sum())
        overall = float(weekly["sum_y"].sum()) / sum_x if sum_x else None
    return Preview(
        overall=overall,
        overall_n=overall_n,
        last_week=last_value,
        last_week_n=int(latest["n"]),
        week_start=pd.Timestamp(latest["period"]).date(),
    )
