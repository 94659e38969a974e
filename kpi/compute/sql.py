"""The one generated aggregation: every chosen KPI per (bucket × segment), as sqlglot.

The query reads three tables — ``interactions`` (the prepared canonical frame), ``activity``
and ``forecast`` — and returns one row per (family, bucket, segment) with, per KPI, the columns
``<kpi>__n``, ``__sum_y``, ``__sum_y2``, ``__sum_x``, ``__sum_x2``, ``__sum_xy`` and ``__value``
(quantiles). Families (see :mod:`kpi.compute.measures`) are joined by ``UNION ALL`` with NULL
padding, so it stays one statement. Only portable functions are used (``DATE_TRUNC``,
``PERCENTILE_CONT`` rendered as DuckDB's exact ``QUANTILE_CONT``),
and the dialect is a parameter: the same plan renders for Spark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import pandas as pd
from sqlglot import exp

from kpi.compute.measures import (
    HANDLED,
    REPEAT,
    Measure,
    col,
    flag,
    known,
    num,
    timestamp,
    when,
)

Freq = Literal["day", "week", "month"]
FREQ_UNITS: dict[str, str] = {"day": "DAY", "week": "WEEK", "month": "MONTH"}
STAT_SUFFIXES: tuple[str, ...] = ("n", "sum_y", "sum_y2", "sum_x", "sum_x2", "sum_xy", "value")

PERIOD = "_period"
FAMILY = "_family"
CONTACTS = "_contacts"


@dataclass(frozen=True)
class QueryPlan:
    """What the aggregation computes: measures, bucket size, segments, and table facts."""

    measures: tuple[Measure, ...]
    freq: Freq
    by: tuple[str, ...]
    columns: frozenset[str]
    fcr_window_days: int = 7
    period: tuple[date, date] | None = None
    forecast_by_channel: bool = False

    def families(self) -> set[str]:
        return {m.family for m in self.measures}

    def supports(self, measure: Measure) -> bool:
        """Whether the measure can be broken down by ``by`` (activity has no channel...)."""
        if measure.family == "agent_day":
            return set(self.by) <= {"agent"}
        if measure.family == "forecast":
            return not self.by or (self.by == ("channel",) and self.forecast_by_channel)
        return True


def named(expression: exp.Expression, name: str) -> exp.Alias:
    """``expression AS "name"`` (no copy of the expression tree)."""
    return exp.alias_(expression, name, quoted=True, copy=False)


def stat_column(kpi: str, suffix: str) -> str:
    return f"{kpi}__{suffix}"


def truncate(expression: exp.Expression, unit: str) -> exp.Expression:
    return exp.TimestampTrunc(this=expression, unit=exp.var(unit))


def _sum(expression: exp.Expression) -> exp.Expression:
    return exp.Sum(this=expression)


def _times(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return exp.Mul(this=exp.paren(a), expression=exp.paren(b))


def _between_days(column: exp.Expression, period: tuple[date, date]) -> exp.Expression:
    start = pd.Timestamp(period[0])
    end = pd.Timestamp(period[1] + timedelta(days=1))
    return exp.and_(
        exp.GTE(this=column, expression=timestamp(start)),
        exp.LT(this=column, expression=timestamp(end)),
    )


def _ratio_stats(
    kpi: str, y: exp.Expression, x: exp.Expression | None
) -> dict[str, exp.Expression]:
    """Sums over units of ``y`` and ``x`` (``x`` None means 1 per unit)."""
    stats = {
        stat_column(kpi, "n"): exp.Count(this=exp.Star()),
        stat_column(kpi, "sum_y"): _sum(y),
        stat_column(kpi, "sum_y2"): _sum(_times(y, y)),
    }
    if x is not None:
        stats[stat_column(kpi, "sum_x")] = _sum(x)
        stats[stat_column(kpi, "sum_x2")] = _sum(_times(x, x))
        stats[stat_column(kpi, "sum_xy")] = _sum(_times(x, y))
    return stats


def _row_stats(measure: Measure) -> dict[str, exp.Expression]:
    """Per-contact sums over the KPI's population (``CASE WHEN population THEN y END``)."""
    assert measure.population is not None
    assert measure.y is not None
    population, y, kpi = measure.population, measure.y, measure.kpi
    everyone = population == exp.true()
    stats: dict[str, exp.Expression] = {
        stat_column(kpi, "n"): exp.Count(this=exp.Star()) if everyone else _sum(flag(population)),
    }
    if measure.kind == "count":
        return stats
    in_population = y if everyone else when(population, y)
    stats[stat_column(kpi, "sum_y")] = _sum(in_population)
    if measure.kind != "proportion":  # y ∈ {0, 1}: Σy² = Σy, filled in by the engine
        stats[stat_column(kpi, "sum_y2")] = _sum(_times(in_population, in_population))
    if measure.level is not None:
        stats[stat_column(kpi, "value")] = exp.PercentileCont(
            this=in_population, expression=num(measure.level)
        )
    return stats


def _segments(by: Sequence[str], table: str | None = None) -> list[exp.Expression]:
    return [col(name, table) for name in by]


def _rows_family(plan: QueryPlan) -> exp.Select:
    columns: dict[str, exp.Expression] = {CONTACTS: exp.Count(this=exp.Star())}
    for measure in plan.measures:
        if measure.family == "rows":
            columns.update(_row_stats(measure))
    return _family_select("rows", plan.by, columns, "base")


def _family_select(
    family: str, by: Sequence[str], columns: dict[str, exp.Expression], source: str
) -> exp.Select:
    keys = [col(PERIOD), *_segments(by)]
    select = exp.select(
        col(PERIOD), *_segments(by), named(exp.Literal.string(family), FAMILY),
        *(named(e, name) for name, e in columns.items()),
    ).from_(source, copy=False)
    return select.group_by(*keys, copy=False)


def _agent_family(plan: QueryPlan) -> tuple[dict[str, exp.Expression], exp.Select]:
    """Closed per agent: units are the agents with a contact in the bucket × segment."""
    resolved = exp.EQ(this=col("resolved"), expression=exp.true())
    keys = [col(PERIOD), *_segments(plan.by)]
    if "agent" not in plan.by:
        keys.append(col("agent"))
    units = (
        exp.select(*keys, named(_sum(flag(resolved)), "_y"))
        .from_("base", copy=False)
        .where(known(col("agent")), copy=False)
        .group_by(*keys, copy=False)
    )
    stats = _ratio_stats("closed_per_agent", col("_y"), None)
    return {"agent_units": units}, _family_select("agent", plan.by, stats, "agent_units")


def _agent_day_family(
    plan: QueryPlan, measures: Sequence[Measure]
) -> tuple[dict[str, exp.Expression], exp.Select]:
    """Activity KPIs: units are agent-days of the activity table with online time."""
    day = truncate(col("date"), "DAY")
    online = (
        exp.select(
            named(day, "_day"), col("agent"),
            named(_sum(col("online_seconds")), "_online"),
        )
        .from_("activity", copy=False)
        .where(known(col("agent")), copy=False)
        .group_by(day, col("agent"), copy=False)
    )
    if plan.period is not None:
        online = online.where(_between_days(col("date"), plan.period), copy=False)
    handle = (
        when(col(HANDLED), exp.Coalesce(this=col("handle_seconds"), expressions=[num(0)]), num(0))
        if "handle_seconds" in plan.columns
        else num(0)
    )
    created_day = truncate(col("created_at"), "DAY")
    work = (
        exp.select(
            named(created_day, "_day"), col("agent"),
            named(_sum(handle), "_handle"),
            named(_sum(flag(col(HANDLED))), "_count"),
        )
        .from_("base", copy=False)
        .where(known(col("agent")), copy=False)
        .group_by(created_day, col("agent"), copy=False)
    )
    zero = [num(0)]
    units = (
        exp.select(
            named(truncate(col("_day", "o"), FREQ_UNITS[plan.freq]), PERIOD),
            named(col("agent", "o"), "agent"),
            named(col("_online", "o"), "_online"),
            named(exp.Coalesce(this=col("_handle", "w"), expressions=zero), "_handle"),
            named(exp.Coalesce(this=col("_count", "w"), expressions=zero), "_count"),
        )
        .from_(exp.to_table("online").as_("o"), copy=False)
        .join(
            exp.to_table("work").as_("w"),
            on=exp.and_(
                exp.EQ(this=col("_day", "o"), expression=col("_day", "w")),
                exp.EQ(this=col("agent", "o"), expression=col("agent", "w")),
            ),
            join_type="left", copy=False)
        .where(exp.GT(this=col("_online", "o"), expression=num(0)), copy=False)
    )
    hours = exp.Div(this=col("_online"), expression=num(3600))
    stats: dict[str, exp.Expression] = {}
    for measure in measures:
        if measure.kpi == "occupancy":
            stats.update(_ratio_stats("occupancy", col("_handle"), col("_online")))
        elif measure.kpi == "contacts_per_hour":
            stats.update(_ratio_stats("contacts_per_hour", col("_count"), hours))
        elif measure.kpi == "online_hours":
            stats.update(_ratio_stats("online_hours", hours, None))
    ctes = {"online": online, "work": work, "agent_days": units}
    return ctes, _family_select("agent_day", plan.by, stats, "agent_days")


def _forecast_family(plan: QueryPlan) -> tuple[dict[str, exp.Expression], exp.Select]:
    """Forecast accuracy: units are forecast days within the data's span (or the period)."""
    by_channel = plan.by == ("channel",)
    seg = [col("channel")] if by_channel else []
    day = truncate(col("date"), "DAY")
    forecast = (
        exp.select(
            named(day, "_day"), *seg,
            named(_sum(col("forecast_volume")), "_forecast"),
        )
        .from_("forecast", copy=False)
        .where(known(col("forecast_volume")), copy=False)
        .group_by(day, *seg, copy=False)
    )
    created_day = truncate(col("created_at"), "DAY")
    actual = exp.select(
        named(created_day, "_day"), *seg,
        named(exp.Count(this=exp.Star()), "_actual"),
    ).from_("base", copy=False).group_by(created_day, *seg, copy=False)
    if plan.period is not None:
        first = timestamp(pd.Timestamp(plan.period[0]))
        last = timestamp(pd.Timestamp(plan.period[1]))
        span = exp.select(named(first, "_first"),
                          named(last, "_last"))
    else:
        span = exp.select(
            named(exp.Min(this=created_day), "_first"),
            named(exp.Max(this=created_day), "_last"),
        ).from_("base", copy=False)
    on = [exp.EQ(this=col("_day", "f"), expression=col("_day", "a"))]
    if by_channel:
        on.append(exp.EQ(this=col("channel", "f"), expression=col("channel", "a")))
    a, f = col("_actual"), col("_forecast")
    units = (
        exp.select(
            named(truncate(col("_day", "f"), FREQ_UNITS[plan.freq]), PERIOD),
            *([named(col("channel", "f"), "channel")] if by_channel else []),
            named(exp.Coalesce(this=col("_actual", "a"), expressions=[num(0)]), "_actual"),
            named(col("_forecast", "f"), "_forecast"),
        )
        .from_(exp.to_table("forecast_days").as_("f"), copy=False)
        .join(exp.to_table("span").as_("s"), join_type="cross", copy=False)
        .join(exp.to_table("actual_days").as_("a"), on=exp.and_(*on),
              join_type="left", copy=False)
        .where(exp.Between(this=col("_day", "f"), low=col("_first", "s"),
                           high=col("_last", "s")), copy=False)
    )
    hit = exp.Sub(this=a, expression=exp.Abs(this=exp.Sub(this=a, expression=f)))
    stats = _ratio_stats("forecast_accuracy", hit, a)
    ctes = {"forecast_days": forecast, "actual_days": actual, "span": span, "forecast_units": units}
    return ctes, _family_select("forecast", plan.by, stats, "forecast_units")


def referenced_columns(plan: QueryPlan) -> list[str]:
    """Columns of ``interactions`` the aggregation reads (the rest are never scanned)."""
    names = ["created_at", *plan.by, "abandoned"]
    for measure in plan.measures:
        for expression in (measure.population, measure.y):
            if expression is not None:
                names += [c.name for c in expression.find_all(exp.Column)]
    families = plan.families()
    if "agent" in families:
        names += ["agent", "resolved"]
    if "agent_day" in families:
        names += ["agent", "handle_seconds"]
    return [n for n in dict.fromkeys(names) if n in plan.columns]


def repeat_contact_query(window_days: int, source: str = "interactions") -> exp.Select:
    """The repeat-contact flag as SQL, for engines that cannot run :mod:`kpi.compute.prepare`:
    ``customer_id``, ``created_at`` and ``_repeat`` (another contact of the same customer in
    ``(t, t + N days]``) per row of ``source`` with a customer.

    Two RANGE-frame counts over one sort by (customer, time): contacts in ``[t, t + N days]``
    and contacts at exactly ``t``; a repeat exists when the first is larger, so ties at the
    same instant never count. :func:`kpi.compute.prepare.repeat_contact` computes the same
    flag with numpy (the DuckDB path: once per frame instead of once per query).
    """
    created, customer = col("created_at"), col("customer_id")
    order = exp.Order(expressions=[exp.Ordered(this=created)])
    window_end = exp.Interval(this=exp.Literal.string(str(window_days)), unit=exp.var("DAY"))

    def count_until(end: exp.Expression | str, side: str | None) -> exp.Window:
        spec = exp.WindowSpec(kind="RANGE", start="CURRENT ROW", end=end, end_side=side)
        return exp.Window(this=exp.Count(this=exp.Star()), partition_by=[customer.copy()],
                          order=order.copy(), spec=spec)

    repeat = exp.GT(this=count_until(window_end, "FOLLOWING"),
                    expression=count_until("CURRENT ROW", None))
    return (
        exp.select(customer.copy(), created.copy(), named(repeat, REPEAT))
        .from_(source, copy=False)
        .where(known(customer.copy()), copy=False)
    )


def _with_bucket(plan: QueryPlan, columns: list[exp.Expression], source: str) -> exp.Select:
    """``columns`` plus the bucket and the handled flag, rows restricted to the period."""
    handled = (
        exp.Coalesce(this=exp.EQ(this=col("abandoned"), expression=exp.false()),
                     expressions=[exp.false()])
        if "abandoned" in plan.columns
        else exp.true()
    )
    select = exp.select(
        *columns,
        named(truncate(col("created_at"), FREQ_UNITS[plan.freq]), PERIOD),
        named(handled, HANDLED),
    ).from_(source, copy=False)
    if plan.period is not None:
        select = select.where(_between_days(col("created_at"), plan.period), copy=False)
    return select


def base_ctes(plan: QueryPlan) -> dict[str, exp.Expression]:
    """``base``: the referenced columns, the bucket and the handled flag, in the period."""
    columns: list[exp.Expression] = [col(name) for name in referenced_columns(plan)]
    return {"base": _with_bucket(plan, columns, "interactions")}


def build_query(plan: QueryPlan) -> tuple[exp.Expression, list[str]]:
    """The aggregation as a sqlglot expression, and its output columns in order."""
    ctes = base_ctes(plan)
    selects: list[exp.Select] = [_rows_family(plan)]
    families = plan.families()
    if "agent" in families:
        more, select = _agent_family(plan)
        ctes.update(more)
        selects.append(select)
    day_measures = [m for m in plan.measures if m.family == "agent_day" and plan.supports(m)]
    if day_measures:
        more, select = _agent_day_family(plan, day_measures)
        ctes.update(more)
        selects.append(select)
    if any(m.family == "forecast" and plan.supports(m) for m in plan.measures):
        more, select = _forecast_family(plan)
        ctes.update(more)
        selects.append(select)

    names: list[str] = [PERIOD, *plan.by, FAMILY]
    for select in selects:
        for projection in select.expressions:
            if projection.alias_or_name not in names:
                names.append(projection.alias_or_name)
    aligned: list[exp.Select] = []
    for select in selects:
        own = {p.alias_or_name: p for p in select.expressions}
        padded = [
            own.get(name) or named(exp.cast(exp.Null(), "DOUBLE"), name)
            for name in names
        ]
        aligned.append(select.select(*padded, append=False, copy=False))
    query: exp.Expression = aligned[0]
    for select in aligned[1:]:
        query = exp.union(query, select, distinct=False, copy=False)
    for name, cte in ctes.items():
        query = query.with_(name, as_=cte, copy=False)  # type: ignore[attr-defined]
    return query, names


def statistics_sql(plan: QueryPlan, dialect: str = "duckdb") -> str:
    """The aggregation rendered as SQL text for ``dialect`` (duckdb, spark, ...)."""
    query, _ = build_query(plan)
    return query.sql(dialect=dialect)
