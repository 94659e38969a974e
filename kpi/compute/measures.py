"""Each KPI as a *measure*: which rows form its population and which value ``y`` they carry.

Row-level KPIs (one unit per interaction, ``x = 1``) are a population condition and a ``y``
expression over the columns of the prepared frame; :mod:`kpi.compute.sql` sums them. KPIs whose
units are agents, agent-days or days (closed per agent, the activity-table KPIs, forecast
accuracy) belong to other *families* with a fixed shape, built in :mod:`kpi.compute.sql`.
Everything is a sqlglot expression, so the aggregation renders in any SQL dialect.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from sqlglot import exp

from kpi.catalog import CATALOG, Kind, KpiDefinition, KpiParams
from kpi.custom import Condition, CustomKpi

Family = Literal["rows", "agent", "agent_day", "forecast"]

#: Derived columns the preparation step adds (see :mod:`kpi.compute.prepare`).
HANDLED = "_handled"
REPEAT = "_repeat"
WAIT_BUSINESS = "_wait_business"
RESOLUTION_BUSINESS = "_resolution_business"

#: Normalised values (``kpi.mapping.normalise_status`` / ``normalise_last_message_from``).
OPEN_STATUS = "open"
FROM_CUSTOMER = "customer"


@dataclass(frozen=True)
class Measure:
    """How one KPI is aggregated; ``population``/``y`` are set for the per-contact family.

    ``rows`` has one unit per contact; derived first-contact resolution is one of them, reading
    the repeat-contact flag ``_repeat`` that :mod:`kpi.compute.prepare` adds.
    """

    kpi: str
    kind: Kind
    family: Family
    population: exp.Expression | None = None
    y: exp.Expression | None = None
    level: float | None = None
    empty_reason: str = "compute.reason.no_values"


def col(name: str, table: str | None = None) -> exp.Column:
    """A quoted column reference (user column names are never spliced into SQL text)."""
    return exp.column(name, table=table, quoted=True)


def num(value: float) -> exp.Literal:
    return exp.Literal.number(value)


def when(condition: exp.Expression, then: exp.Expression, default: exp.Expression | None = None
         ) -> exp.Case:
    """``CASE WHEN condition THEN then [ELSE default] END``."""
    return exp.Case(ifs=[exp.If(this=condition, true=then)], default=default)


def flag(condition: exp.Expression) -> exp.Case:
    """1 when ``condition`` is true, else 0 (false or unknown)."""
    return when(condition, num(1), num(0))


def known(expression: exp.Expression) -> exp.Expression:
    return exp.not_(exp.Is(this=expression, expression=exp.Null()))


def all_of(conditions: Iterable[exp.Expression]) -> exp.Expression:
    items = list(conditions)
    return exp.and_(*items) if items else exp.true()


def equals_text(column: str, value: str) -> exp.Expression:
    return exp.EQ(this=col(column), expression=exp.Literal.string(value))


def wait_column(params: KpiParams, kpi_id: str) -> str:
    return WAIT_BUSINESS if params.uses_business_hours(kpi_id) else "wait_seconds"


def resolution_column(params: KpiParams, kpi_id: str) -> str:
    return RESOLUTION_BUSINESS if params.uses_business_hours(kpi_id) else "resolution_seconds"


def builtin_measure(
    definition: KpiDefinition,
    params: KpiParams,
    columns: Iterable[str],
    *,
    snapshot_at: pd.Timestamp | None = None,
) -> Measure:
    """The measure of a built-in KPI on a prepared frame with ``columns``."""
    present = set(columns)
    kpi, kind, level = definition.id, definition.kind_for(params), definition.quantile_for(params)
    handled = col(HANDLED)

    def rows(population: exp.Expression, y: exp.Expression, reason: str) -> Measure:
        return Measure(kpi, kind, "rows", population, y, level, f"compute.reason.{reason}")

    def handled_share(field: str) -> Measure:
        return rows(handled, flag(exp.EQ(this=col(field), expression=exp.true())), "no_handled")

    if kpi == "volume":
        return rows(exp.true(), num(1), "no_contacts")
    if kpi == "abandonment_rate":
        return rows(known(col("abandoned")), flag(col("abandoned")), "no_outcome")
    if kpi == "service_level":
        wait = col(wait_column(params, kpi))
        answered_in_time = exp.and_(handled, exp.LTE(this=wait, expression=num(
            params.service_level_seconds)))
        return rows(known(col("abandoned")), flag(answered_in_time), "no_outcome")
    if kpi in ("avg_wait", "p90_wait"):
        wait = col(wait_column(params, kpi))
        return rows(exp.and_(handled, known(wait)), wait, "no_wait")
    if kpi == "aht":
        return rows(exp.and_(handled, known(col("handle_seconds"))), col("handle_seconds"),
                    "no_handle")
    if kpi == "avg_resolution_time":
        resolution = col(resolution_column(params, kpi))
        return rows(known(resolution), resolution, "no_resolved")
    if kpi == "fcr_rate":
        if "first_contact_resolution" in present:
            fcr = col("first_contact_resolution")
            return rows(exp.and_(handled, known(fcr)), flag(fcr), "no_fcr")
        resolved_first = exp.and_(
            exp.EQ(this=col("resolved"), expression=exp.true()), exp.not_(col(REPEAT))
        )
        return Measure(kpi, kind, "rows", exp.and_(handled, known(col("customer_id"))),
                       flag(resolved_first), level, "compute.reason.no_customer")
    if kpi in ("resolution_rate", "transfer_rate", "conversion_rate"):
        field = {"resolution_rate": "resolved", "transfer_rate": "transferred",
                 "conversion_rate": "converted"}[kpi]
        return handled_share(field)
    if kpi == "identification_rate":
        return rows(exp.true(), flag(exp.EQ(this=col("identified"), expression=exp.true())),
                    "no_contacts")
    if kpi == "csat_score":
        return rows(known(col("csat")), col("csat"), "no_ratings")
    if kpi == "csat_satisfied":
        parts: list[exp.Expression] = []
        if "satisfied" in present:
            parts.append(col("satisfied"))
        if "csat" in present:
            parts.append(exp.GTE(this=col("csat"), expression=num(params.satisfied_from)))
        satisfied = parts[0] if len(parts) == 1 else exp.Coalesce(this=parts[0],
                                                                   expressions=parts[1:])
        return rows(known(satisfied), flag(satisfied), "no_ratings")
    if kpi == "nps":
        score = col("nps")
        y = exp.Case(
            ifs=[
                exp.If(this=exp.GTE(this=score, expression=num(9)), true=num(100)),
                exp.If(this=exp.LTE(this=score, expression=num(6)), true=num(-100)),
            ],
            default=num(0),
        )
        return rows(known(score), y, "no_nps")
    if kpi == "cost_per_contact":
        return rows(known(col("cost")), col("cost"), "no_cost")
    if kpi in ("backlog", "unanswered"):
        conditions = [equals_text("status", OPEN_STATUS)]
        if kpi == "unanswered":
            conditions.append(equals_text("last_message_from", FROM_CUSTOMER))
        if snapshot_at is not None:
            conditions.append(exp.LTE(this=col("created_at"), expression=timestamp(snapshot_at)))
        return rows(all_of(conditions), num(1), "no_contacts")
    if kpi == "closed_per_agent":
        return Measure(kpi, kind, "agent", empty_reason="compute.reason.no_agents")
    if kpi in ("contacts_per_hour", "occupancy", "online_hours"):
        return Measure(kpi, kind, "agent_day", empty_reason="compute.reason.no_online_time")
    if kpi == "forecast_accuracy":
        return Measure(kpi, kind, "forecast", empty_reason="compute.reason.no_actual_volume")
    raise AssertionError(f"no measure for {kpi}")  # pragma: no cover - catalog and code agree


def timestamp(value: pd.Timestamp) -> exp.Expression:
    return exp.cast(exp.Literal.string(pd.Timestamp(value).isoformat(sep=" ")), "TIMESTAMP")


def condition_expression(condition: Condition, dtype: object) -> exp.Expression:
    """A custom-KPI condition as SQL; values become literals of the column's type."""
    column = col(condition.column)
    op, value = condition.operator, condition.value
    if op == "is empty":
        return exp.Is(this=column, expression=exp.Null())
    if op == "is not empty":
        return known(column)
    is_time = str(dtype).startswith("datetime")

    def literal(v: object) -> exp.Expression:
        if isinstance(v, bool):
            return exp.true() if v else exp.false()
        if isinstance(v, int | float):
            return num(v)
        return timestamp(pd.Timestamp(str(v))) if is_time else exp.Literal.string(str(v))

    if op in ("in", "not in"):
        values = value if isinstance(value, tuple) else (value,)
        member = exp.In(this=column, expressions=[literal(v) for v in values])
        return member if op == "in" else exp.and_(known(column), exp.not_(member))
    comparison = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT,
                  ">=": exp.GTE}[op]
    return comparison(this=column, expression=literal(value))


def custom_measure(defn: CustomKpi, dtypes: dict[str, object]) -> Measure:
    """The measure of a custom KPI (always the ``rows`` family)."""
    where = all_of(condition_expression(c, dtypes[c.column]) for c in defn.where)
    if defn.form == "rate":
        success = all_of(condition_expression(c, dtypes[c.column]) for c in defn.numerator)
        return Measure(defn.id, defn.kind, "rows", where, flag(success), None,
                       "compute.reason.no_matching_rows")
    if defn.form == "count":
        return Measure(defn.id, "count", "rows", where, num(1), None,
                       "compute.reason.no_contacts")
    assert defn.column is not None
    value = col(defn.column)
    return Measure(defn.id, defn.kind, "rows", exp.and_(where, known(value)), value, defn.level,
                   "compute.reason.no_matching_rows")


def measure_for(
    kpi: str | CustomKpi,
    params: KpiParams,
    dtypes: dict[str, object],
    *,
    snapshot_at: pd.Timestamp | None = None,
) -> Measure:
    """The measure of a built-in KPI id or a custom KPI."""
    if isinstance(kpi, CustomKpi):
        return custom_measure(kpi, dtypes)
    return builtin_measure(CATALOG[kpi], params, dtypes, snapshot_at=snapshot_at)
