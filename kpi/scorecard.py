"""The Overview scorecard and the Targets page's table model (issue 5), pure and tested.

:func:`scorecard` answers, for each chosen KPI: what was its value in the last *complete*
period (a week is complete when the data covers its Sunday), against which target, with which
status, is it *significantly* off that target, and how did it move since the period before.
:func:`detectable_change` says how small a change the team's typical weekly volume can tell
from noise. :func:`target_table` / :func:`targets_from_table` turn the charter's targets into
the editable table of the Targets page (display units: percent, seconds, points) and back.

Every sentence is a message code (``scorecard.*``) plus parameters; ``sentence(lang)`` methods
format numbers with Babel for the language.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from kpi.catalog import CATALOG, KpiParams, kpi_name
from kpi.compute.source import CreatedRange, StatisticsSource, as_source
from kpi.custom import CustomKpi
from kpi.errors import DefinitionError, KpiError
from kpi.i18n import translate
from kpi.selection import KpiRef, Selection, kpi_id
from kpi.stats import Comparison, KpiSpec, compare_frames
from kpi.stats.power import minimum_detectable_change, proportion_sd
from kpi.stats.results import ValueFormat
from kpi.stats.targets import TargetTest, against_target
from kpi.stats.verdict import format_change, format_value
from kpi.sufficient import STAT_COLUMNS, RatioStatistic
from kpi.targets import SCOPE_DIMENSIONS, Status, Target, applicable_target, status

Freq = Literal["day", "week", "month"]
#: Periods drawn in a scorecard sparkline (the current one included).
SPARK_PERIODS = 12
#: Complete periods whose median volume is the "typical" volume of :func:`detectable_change`.
VOLUME_PERIODS = 12

_FORMATS: dict[str, ValueFormat] = {"percent": "percent", "seconds": "duration", "nps": "nps"}
_STEP = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1),
         "month": pd.DateOffset(months=1)}


# ------------------------------------------------------------------ KPI metadata


@dataclass(frozen=True)
class KpiInfo:
    """What the scorecard needs to know about a catalog or custom KPI."""

    id: str
    unit: str
    direction: str
    kind: str
    value_format: ValueFormat
    band: tuple[float, float] | None
    quantile: float

    def label(self, lang: str | None, custom_name: str | None = None) -> str:
        """The display name in ``lang``."""
        return custom_name if custom_name is not None else kpi_name(self.id, lang)


def kpi_info(ref: KpiRef, params: KpiParams | None = None) -> KpiInfo:
    """Kind, unit, direction and display format of a catalog KPI id or a custom KPI."""
    if isinstance(ref, CustomKpi):
        return KpiInfo(ref.id, ref.unit, ref.direction, ref.kind, _FORMATS.get(ref.unit, "number"),
                       ref.band, ref.level if ref.level is not None else 0.9)
    definition = CATALOG[ref]
    quantile = definition.quantile_for(params)
    return KpiInfo(
        ref, definition.unit, definition.direction, definition.kind_for(params),
        _FORMATS.get(definition.unit, "number"), definition.band,
        quantile if quantile is not None else 0.9,
    )


def _label(ref: KpiRef, lang: str | None) -> str:
    return ref.name if isinstance(ref, CustomKpi) else kpi_name(ref, lang)


def _spec(ref: KpiRef, info: KpiInfo, lang: str | None) -> KpiSpec:
    return KpiSpec(kind=info.kind, direction=info.direction, band=info.band,  # type: ignore[arg-type]
                   value_format=info.value_format, label=_label(ref, lang),
                   quantile=info.quantile)


# ------------------------------------------------------------------ periods


@dataclass(frozen=True)
class Period:
    """A calendar bucket: ``start`` and ``end`` are inclusive dates."""

    start: dt.date
    end: dt.date
    freq: Freq

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def shifted(self, periods: int) -> Period:
        """The bucket ``periods`` buckets later (earlier when negative)."""
        return period_of(pd.Timestamp(self.start) + _STEP[self.freq] * periods, self.freq)

    def sentence(self, lang: str | None) -> str:
        """``week of Mar 2 to Mar 8, 2026`` in ``lang``."""
        from babel.dates import format_date

        from kpi.stats.verdict import _locale

        locale = _locale(lang)
        return translate(
            f"scorecard.period.{self.freq}", lang,
            start=format_date(self.start, format="medium", locale=locale),
            end=format_date(self.end, format="medium", locale=locale),
            month=format_date(self.start, format="LLLL yyyy", locale=locale),
        )


def period_of(day: dt.date | pd.Timestamp, freq: Freq) -> Period:
    """The bucket holding ``day`` (ISO weeks from Monday, calendar months)."""
    start = pd.Timestamp(day).normalize()
    if freq == "week":
        start -= pd.Timedelta(days=start.weekday())
    elif freq == "month":
        start = start.replace(day=1)
    end = start + _STEP[freq] - pd.Timedelta(days=1)
    return Period(start.date(), end.date(), freq)


def last_complete_period(
    created_at: pd.Series | CreatedRange, freq: Freq = "week", today: dt.date | None = None
) -> Period | None:
    """The latest bucket whose last day the data covers (a contact on it or later), and that
    ended before ``today`` when given; None when the data has no complete bucket.

    ``created_at`` is the column, or its ``(first, last)`` (``StatisticsSource.created_range``).
    """
    if isinstance(created_at, pd.Series):
        first, last = created_at.min(), created_at.max()
    elif created_at is None:
        return None
    else:
        first, last = created_at
    if pd.isna(last):
        return None
    covered = pd.Timestamp(last).date()
    if today is not None:
        covered = min(covered, today - dt.timedelta(days=1))
    candidate = period_of(covered, freq)
    if candidate.end > covered:
        candidate = candidate.shifted(-1)
    if candidate.end < pd.Timestamp(first).date():
        return None
    return candidate


# ------------------------------------------------------------------ statistics per period

#: KPIs whose per-period value is not a sum of daily sums (distinct agents, per-bucket errors).
_NOT_SUMMABLE = frozenset({"closed_per_agent", "forecast_accuracy"})


def _summable(ref: KpiRef, params: KpiParams) -> bool:
    return kpi_info(ref, params).kind != "quantile" and kpi_id(ref) not in _NOT_SUMMABLE


def _empty_stats() -> pd.DataFrame:
    return pd.DataFrame({"period": pd.Series([], dtype="datetime64[us]"),
                         "kpi": pd.Series([], dtype="str"),
                         **{c: pd.Series([], dtype="float64") for c in STAT_COLUMNS},
                         "value": pd.Series([], dtype="float64"),
                         "reason": pd.Series([], dtype="str")})


def period_statistics(
    interactions: pd.DataFrame | StatisticsSource,
    refs: Sequence[KpiRef],
    params: KpiParams,
    *,
    freq: Freq,
    span: tuple[dt.date, dt.date],
    activity: pd.DataFrame | None = None,
    forecast: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The daily statistics frame over ``span`` and the one per ``freq`` bucket.

    One aggregation over days serves both: a bucket's sums are its days' sums for every KPI
    that is a ratio of sums, a count or a total; only percentiles and per-bucket KPIs
    (contacts closed per agent, forecast accuracy) are aggregated again per bucket.
    ``interactions`` is the canonical frame or a source (whose own tables are then used).
    """
    from kpi.compute import bucket_start

    refs = list(refs)
    source = as_source(interactions, activity, forecast)
    daily = source.statistics(refs, freq="day", params=params, period=span)
    if freq == "day":
        return daily, daily
    summable = [ref for ref in refs if _summable(ref, params)]
    rest = [ref for ref in refs if not _summable(ref, params)]
    parts = []
    if summable:
        kinds = {kpi_id(ref): kpi_info(ref, params).kind for ref in summable}
        days = daily[daily["kpi"].isin(kinds)]
        dates = pd.to_datetime(days["period"])
        buckets = dates.map(lambda d: bucket_start(d, freq)) if len(days) else dates
        grouped = days.assign(period=buckets.astype("datetime64[us]"),
                              known=days["value"].notna()).groupby(
            ["period", "kpi"], sort=False)
        summed = grouped[list(STAT_COLUMNS)].sum()
        summed["known"] = grouped["known"].any()
        summed["reason"] = grouped["reason"].first()
        summed = summed.reset_index()
        kind = summed["kpi"].map(kinds)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(summed["sum_x"] != 0, summed["sum_y"] / summed["sum_x"], np.nan)
        value = np.select([kind == "count", kind == "total"],
                          [summed["n"].astype("float64"), summed["sum_y"]], default=ratio)
        summed["value"] = np.where(summed["known"], value, np.nan)
        summed["reason"] = summed["reason"].where(summed["value"].isna())
        parts.append(summed.drop(columns="known"))
    if rest:
        parts.append(source.statistics(rest, freq=freq, params=params, period=span))
    order = {kpi_id(ref): i for i, ref in enumerate(refs)}
    out = pd.concat(parts, ignore_index=True) if parts else _empty_stats()
    out = out.sort_values(["kpi", "period"], key=lambda c: c.map(order) if c.name == "kpi"
                          else c, ignore_index=True)
    out["n"] = out["n"].astype("int64")
    return daily, out


# ------------------------------------------------------------------ the scorecard


@dataclass(frozen=True)
class ScoreRow:
    """One KPI of the scorecard.

    ``value``/``n`` are the KPI in ``period``; ``previous_value`` the one before. ``target`` is
    the target that applies (all channels and teams), ``status`` its status; ``target_test``
    the one-sided test of the period against the target and ``significantly_off`` its verdict
    (only when the value is not on target). ``comparison`` compares the period with the
    previous one (BH across the scorecard). ``sparkline`` has ``period, value`` over the last
    periods. ``reason`` (a message code) says why ``value`` is missing.
    """

    kpi: str
    label: str
    unit: str
    direction: str
    value_format: ValueFormat
    period: Period | None
    value: float | None
    n: int
    previous_value: float | None
    target: Target | None
    status: Status | None
    significantly_off: bool
    target_test: TargetTest | None
    comparison: Comparison | None
    sparkline: pd.DataFrame = field(compare=False, repr=False)
    reason: str | None = None

    def formatted(self, lang: str | None) -> str:
        """The value shown in ``lang`` (``8.1 %``, ``5:12``, ``—``)."""
        return format_value(self.value, self.value_format, lang)

    def target_text(self, lang: str | None) -> str:
        """``≤ 8.0 %``, ``75.0 %–85.0 %`` or an empty string without a target."""
        return describe_target(self.target, self.direction, self.value_format, lang)

    def verdict(self, lang: str | None, *, count: int | None = None) -> str:
        """The comparison with the previous period in ``lang`` (empty without one)."""
        if self.comparison is None:
            return ""
        label = kpi_name(self.kpi, lang) if self.kpi in CATALOG else self.label
        return _verdict(self.comparison, lang, label, count)

    def reason_text(self, lang: str | None) -> str:
        return translate(self.reason, lang) if self.reason else ""


def _verdict(comparison: Comparison, lang: str | None, label: str, count: int | None) -> str:
    from kpi.stats.verdict import verdict

    return verdict(comparison, lang, label=label, count=count)


def describe_target(target: Target | None, direction: str, fmt: ValueFormat,
                    lang: str | None) -> str:
    """A target as text: ``≥ 80.0 %``, ``≤ 1:00``, ``75.0 %–85.0 %``."""
    if target is None:
        return ""
    if target.band is not None:
        low, high = (format_value(v, fmt, lang) for v in target.band)
        return f"{low}–{high}"
    sign = {"higher": "≥", "lower": "≤"}.get(direction, "")
    return f"{sign} {format_value(target.value, fmt, lang)}".strip()


def _rows_of(stats: pd.DataFrame, kpi: str) -> pd.DataFrame:
    return stats[stats["kpi"] == kpi]


def _days(stats: pd.DataFrame, kpi: str, period: Period) -> list[RatioStatistic]:
    rows = _rows_of(stats, kpi)
    dates = pd.to_datetime(rows["period"]).dt.date
    rows = rows[(dates >= period.start) & (dates <= period.end)]
    return [RatioStatistic.from_row(r) for r in rows[list(STAT_COLUMNS)].to_dict("records")]


def _test_against(info: KpiInfo, target: Target, days: list[RatioStatistic], period: Period,
                  raw: np.ndarray | None) -> TargetTest:
    bound: float | tuple[float, float]
    bound = target.band if target.band is not None else float(target.value)  # type: ignore[arg-type]
    if info.kind in ("count", "total"):  # the target is per period; the test is per day
        bound = (bound[0] / period.days, bound[1] / period.days) if isinstance(
            bound, tuple) else bound / period.days
    return against_target(info.kind, days, bound, info.direction,  # type: ignore[arg-type]
                          values=raw, exposure=period.days, quantile=info.quantile)


def scorecard(
    interactions: pd.DataFrame | StatisticsSource,
    selection: Selection,
    targets: Iterable[Target],
    *,
    activity: pd.DataFrame | None = None,
    forecast: pd.DataFrame | None = None,
    freq: Freq = "week",
    today: dt.date | None = None,
    lang: str | None = "en",
) -> Scorecard:
    """The scorecard of ``selection``'s KPIs for the last complete ``freq`` period.

    The daily sufficient statistics over the sparkline's span feed the tests (the day unit
    applies when each side has 7 days with data) and, summed, the per-period values
    (:func:`period_statistics`). ``interactions`` is the canonical frame or a source.
    """
    targets = tuple(targets)
    refs = list(selection.kpis)
    source = as_source(interactions, activity, forecast)
    period = last_complete_period(source.created_range(), freq, today)
    if period is None or not refs:
        rows = tuple(_empty_row(ref, selection.params, lang, "scorecard.reason.no_complete_period")
                     for ref in refs)
        return Scorecard(period, None, rows, 0, _empty_stats(), _empty_stats(), tuple(refs),
                         selection.params)
    previous = period.shifted(-1)
    first_spark = period.shifted(1 - SPARK_PERIODS)
    params = selection.params
    daily, values = period_statistics(source, refs, params, freq=freq,
                                      span=(first_spark.start, period.end))
    infos = {kpi_id(ref): kpi_info(ref, params) for ref in refs}

    def fetch(kpi: str, span: tuple[dt.date, dt.date], segment: object) -> np.ndarray | None:
        if infos[kpi].kind != "quantile":
            return None  # means are compared from sufficient statistics only
        return _raw(source, selection.ref(kpi), Period(span[0], span[1], "day"), params)

    comparisons = {
        c.kpi: c
        for c in compare_frames(
            daily, {k: _spec(selection.ref(k), infos[k], lang) for k in infos},
            (previous.start, previous.end), (period.start, period.end), raw_values=fetch,
        )
    }
    rows = []
    for ref in refs:
        kpi = kpi_id(ref)
        info = infos[kpi]
        of_kpi = _rows_of(values, kpi)
        starts = pd.to_datetime(of_kpi["period"]).dt.date
        current = of_kpi[starts == period.start]
        before = of_kpi[starts == previous.start]
        value = _float(current["value"]) if len(current) else None
        reason = None
        if value is None:
            found = current["reason"].dropna() if len(current) else pd.Series([], dtype="str")
            reason = str(found.iloc[0]) if len(found) else "scorecard.reason.no_value"
        spark = of_kpi.loc[of_kpi["value"].notna(), ["period", "value", "n"]]
        rows.append(ScoreRow(
            kpi=kpi, label=_label(ref, lang), unit=info.unit, direction=info.direction,
            value_format=info.value_format, period=period, value=value,
            n=int(current["n"].iloc[0]) if len(current) else 0,
            previous_value=_float(before["value"]) if len(before) else None,
            target=None, status=None, significantly_off=False, target_test=None,
            comparison=comparisons.get(kpi), sparkline=spark.reset_index(drop=True),
            reason=reason,
        ))
    tested = sum(c.p_value is not None for c in comparisons.values())
    card = Scorecard(period, previous, tuple(rows), tested, values, daily, tuple(refs), params)
    return card.with_targets(targets, source) if targets else card


def _raw(source: StatisticsSource, ref: KpiRef, period: Period, params: KpiParams
         ) -> np.ndarray | None:
    """The KPI's per-interaction values in ``period`` (None where it has none)."""
    try:
        return source.raw_values(ref, start=period.start, end=period.end, params=params)
    except KpiError:
        return None


def _float(column: pd.Series) -> float | None:
    value = column.iloc[0]
    return None if pd.isna(value) else float(value)


def _empty_row(ref: KpiRef, params: KpiParams, lang: str | None, reason: str) -> ScoreRow:
    info = kpi_info(ref, params)
    return ScoreRow(
        kpi=kpi_id(ref), label=_label(ref, lang), unit=info.unit, direction=info.direction,
        value_format=info.value_format, period=None, value=None, n=0, previous_value=None,
        target=None, status=None, significantly_off=False, target_test=None, comparison=None,
        sparkline=pd.DataFrame({"period": pd.Series([], dtype="datetime64[us]"),
                                "value": pd.Series([], dtype="float64")}),
        reason=reason,
    )


@dataclass(frozen=True)
class Scorecard:
    """The scorecard: the period used (None without a complete one), the one it is compared
    with, one row per KPI, and how many comparisons were tested together (BH)."""

    period: Period | None
    previous: Period | None
    rows: tuple[ScoreRow, ...]
    tested: int
    #: The statistics frame per period over the sparkline's span (for detectable changes).
    stats: pd.DataFrame = field(compare=False, repr=False)
    #: The daily statistics frame over the same span (for the tests against targets).
    daily: pd.DataFrame = field(compare=False, repr=False)
    refs: tuple[KpiRef, ...] = field(default=(), compare=False, repr=False)
    params: KpiParams = field(default_factory=KpiParams, compare=False, repr=False)

    def with_targets(self, targets: Iterable[Target],
                     interactions: pd.DataFrame | StatisticsSource) -> Scorecard:
        """The same scorecard judged against ``targets``: the applicable target, the status and
        the one-sided test of each row. Cheap (no aggregation; raw values only for a
        percentile with a target), so a page can cache the scorecard without its targets."""
        targets = tuple(targets)
        period = self.period
        if period is None:
            return self
        refs = {kpi_id(ref): ref for ref in self.refs}
        rows = []
        for row in self.rows:
            target = None if row.direction == "neutral" else applicable_target(
                targets, row.kpi, period_start=period.start)
            if target is None or row.value is None:
                rows.append(replace(row, target=target, status=None, significantly_off=False,
                                    target_test=None))
                continue
            info = kpi_info(refs[row.kpi], self.params)
            row_status = status(row.value, target, info.direction)  # type: ignore[arg-type]
            raw = _raw(as_source(interactions), refs[row.kpi], period, self.params) if (
                info.kind == "quantile") else None
            test = _test_against(info, target, _days(self.daily, row.kpi, period), period, raw)
            rows.append(replace(
                row, target=target, status=row_status, target_test=test,
                significantly_off=bool(test.significantly_worse and row_status != "on_target"),
            ))
        return replace(self, rows=tuple(rows))

    def sentence(self, lang: str | None) -> str:
        """Which period the values are for, e.g. "Last complete week: Mar 2 – Mar 8, 2026,
        compared with the week before."."""
        if self.period is None:
            return translate("scorecard.reason.no_complete_period", lang)
        return translate(f"scorecard.using.{self.period.freq}", lang,
                         period=self.period.sentence(lang))


# ------------------------------------------------------------------ detectable change


@dataclass(frozen=True)
class Detectable:
    """The minimum detectable change (α 0.05, power 0.8) between two periods of typical
    ``volume``; ``change`` in KPI units (fractions for rates), None when it cannot be said
    (``sentence_key`` then names why). ``unit`` is the display format of the change."""

    kpi: str
    change: float | None
    unit: ValueFormat
    volume: float
    sentence_key: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def sentence(self, lang: str | None) -> str:
        """E.g. "With ~300 ratings a week, changes under 6.0 points can't be told from noise"."""
        from babel.numbers import format_decimal

        from kpi.stats.verdict import _locale

        population = translate(f"scorecard.population.{self.params['population']}", lang)
        if self.change is None:
            return translate(self.sentence_key, lang, population=population)
        volume = format_decimal(_round_volume(self.volume), format="#,##0", locale=_locale(lang))
        change = format_change(self.change, self.unit, lang, signed=False)
        return translate(self.sentence_key, lang, volume=volume, population=population,
                         change=change)


def _round_volume(volume: float) -> float:
    """Two significant figures: 287 → 290, 1234 → 1200, 7 → 7."""
    if volume <= 0:
        return 0.0
    digits = 1 - math.floor(math.log10(volume))
    return float(round(volume, digits))


_POPULATION: dict[str, str] = {
    "abandonment_rate": "contacts", "service_level": "contacts", "avg_wait": "answered",
    "p90_wait": "answered", "aht": "handled", "avg_resolution_time": "resolved",
    "fcr_rate": "handled", "resolution_rate": "handled", "transfer_rate": "handled",
    "identification_rate": "contacts", "conversion_rate": "handled", "csat_score": "ratings",
    "csat_satisfied": "ratings", "nps": "responses", "cost_per_contact": "contacts",
    "closed_per_agent": "agents", "contacts_per_hour": "agent_days", "occupancy": "agent_days",
}


def detectable_change(
    interactions: pd.DataFrame | StatisticsSource,
    kpi: KpiRef,
    params: KpiParams | None = None,
    *,
    per: Freq = "week",
    activity: pd.DataFrame | None = None,
    forecast: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> Detectable:
    """How small a change of ``kpi`` between two ``per`` periods the data's typical volume
    can detect: the median ``n`` of the last complete periods as each side's size; the
    per-unit sd from the rate (proportions) or from the data (means, NPS, ratios)."""
    return detectable_changes(interactions, [kpi], params, per=per, activity=activity,
                              forecast=forecast, today=today)[kpi_id(kpi)]


def detectable_changes(
    interactions: pd.DataFrame | StatisticsSource,
    kpis: Sequence[KpiRef],
    params: KpiParams | None = None,
    *,
    per: Freq = "week",
    activity: pd.DataFrame | None = None,
    forecast: pd.DataFrame | None = None,
    today: dt.date | None = None,
    stats: pd.DataFrame | None = None,
) -> dict[str, Detectable]:
    """:func:`detectable_change` of several KPIs from one aggregation, or from ``stats``: a
    statistics frame per ``per`` period over the last complete periods (``Scorecard.stats``
    of a scorecard with the same ``freq``)."""
    params = params or KpiParams()
    infos = {kpi_id(ref): kpi_info(ref, params) for ref in kpis}
    population = {
        kpi_id(ref): _POPULATION.get(kpi_id(ref), "rows" if isinstance(ref, CustomKpi)
                                     else "contacts")
        for ref in kpis
    }

    def unavailable(kpi: str, why: str, volume: float = 0.0) -> Detectable:
        return Detectable(kpi, None, infos[kpi].value_format, volume,
                          f"scorecard.detectable.{why}",
                          {"population": population[kpi], "per": per})

    estimable = [ref for ref in kpis if infos[kpi_id(ref)].kind in _ESTIMABLE]
    out = {k: unavailable(k, f"kind_{info.kind}") for k, info in infos.items()
           if info.kind not in _ESTIMABLE}
    if estimable and stats is None:
        source = as_source(interactions, activity, forecast)
        last = last_complete_period(source.created_range(), per, today)
        if last is None:
            return out | {kpi_id(r): unavailable(kpi_id(r), "no_complete_period")
                          for r in estimable}
        first = last.shifted(1 - VOLUME_PERIODS)
        _, stats = period_statistics(source, estimable, params, freq=per,
                                     span=(first.start, last.end))
    for ref in estimable:
        kpi = kpi_id(ref)
        rows = stats[(stats["kpi"] == kpi) & (stats["n"] > 0)]  # type: ignore[index]
        if rows.empty:
            out[kpi] = unavailable(kpi, "no_data")
            continue
        volume = float(rows["n"].median())
        pooled = RatioStatistic(0, 0.0, 0.0, 0.0, 0.0, 0.0)
        for record in rows[list(STAT_COLUMNS)].to_dict("records"):
            pooled = pooled + RatioStatistic.from_row(record)
        change = minimum_detectable_change(_unit_sd(infos[kpi].kind, pooled), volume, volume)
        out[kpi] = unavailable(kpi, "no_variation", volume) if change is None else Detectable(
            kpi, change, infos[kpi].value_format, volume, f"scorecard.detectable.{per}",
            {"population": population[kpi], "per": per})
    return {kpi_id(ref): out[kpi_id(ref)] for ref in kpis}


#: KPI kinds whose detectable change has a closed form from sufficient statistics.
_ESTIMABLE = frozenset({"proportion", "mean", "nps", "ratio"})


def _unit_sd(kind: str, pooled: RatioStatistic) -> float:
    """Per-unit standard deviation: from the rate for a proportion, by the delta method for a
    ratio of sums, else the sample sd of the values."""
    if kind == "proportion":
        rate = pooled.ratio
        return proportion_sd(rate) if rate is not None else 0.0
    if kind == "ratio":
        variance = pooled.ratio_variance
        return math.sqrt(variance * pooled.n) if variance else 0.0
    return math.sqrt(pooled.var_y) if pooled.var_y else 0.0


# ------------------------------------------------------------------ the targets table

#: Columns of the Targets page's editable table (values in display units).
TABLE_COLUMNS: tuple[str, ...] = (
    "kpi", "scope", "target", "lower", "upper", "margin", "effective_from",
)


def display_scale(value_format: ValueFormat) -> float:
    """Display units per KPI unit: 100 for rates (shown in %), 1 otherwise (seconds, points)."""
    return 100.0 if value_format == "percent" else 1.0


def scope_label(scope: Mapping[str, str] | None, lang: str | None) -> str:
    """``All channels and teams``, ``Channel: phone``, ``Team: Voice``."""
    if not scope:
        return translate("scorecard.scope.all", lang)
    dimension, value = next(iter(scope.items()))
    return translate(f"scorecard.scope.{dimension}", lang, value=value)


def scope_options(interactions: pd.DataFrame | StatisticsSource, lang: str | None, *,
                  limit: int = 60) -> dict[str, Mapping[str, str] | None]:
    """Scope labels → scopes: everything, then each channel and team of the data (the most
    frequent ``limit`` of each)."""
    source = as_source(interactions)
    options: dict[str, Mapping[str, str] | None] = {scope_label(None, lang): None}
    for dimension in SCOPE_DIMENSIONS:
        if dimension not in source.columns:
            continue
        counts = source.value_counts(dimension)
        for value in sorted(str(v) for v in counts.index[:limit]):
            scope = {dimension: value}
            options[scope_label(scope, lang)] = scope
    return options


def target_table(refs: Sequence[KpiRef], targets: Iterable[Target], *,
                 params: KpiParams | None = None, lang: str | None = "en") -> pd.DataFrame:
    """The editable table: per KPI with a direction, its all-scope targets (an empty row when it
    has none), then its scoped overrides; numbers in display units (%, seconds, points)."""
    targets = tuple(targets)
    records: list[dict[str, Any]] = []
    for ref in refs:
        info = kpi_info(ref, params)
        if info.direction == "neutral":
            continue
        label = _label(ref, lang)
        mine = sorted((t for t in targets if t.kpi == info.id),
                      key=lambda t: (t.specificity, scope_label(t.scope, lang),
                                     t.effective_from or dt.date.min))
        if not any(t.specificity == 0 for t in mine):
            records.append(_record(label, None, info, lang))
        records.extend(_record(label, t, info, lang) for t in mine)
    frame = pd.DataFrame.from_records(records, columns=list(TABLE_COLUMNS))
    for column in ("target", "lower", "upper", "margin"):
        frame[column] = frame[column].astype("float64")
    frame["effective_from"] = pd.to_datetime(frame["effective_from"]).astype("datetime64[s]")
    return frame


def _record(label: str, target: Target | None, info: KpiInfo, lang: str | None
            ) -> dict[str, Any]:
    scale = display_scale(info.value_format)
    band = target.band if target is not None else None
    return {
        "kpi": label,
        "scope": scope_label(target.scope if target else None, lang),
        "target": None if target is None or target.value is None else target.value * scale,
        "lower": None if band is None else band[0] * scale,
        "upper": None if band is None else band[1] * scale,
        "margin": None if target is None else target.warning_margin * scale,
        "effective_from": None if target is None else target.effective_from,
    }


@dataclass(frozen=True)
class TableProblem:
    """Why row ``row`` (0-based) of the targets table cannot be saved."""

    row: int
    error: KpiError

    def sentence(self, lang: str | None) -> str:
        return translate("scorecard.table.row_problem", lang, row=self.row + 1,
                         problem=self.error.message(lang))


def _shown(value: float, fmt: ValueFormat) -> str:
    """A number as the user typed it in the table (``120 %``, ``-5 s``)."""
    if fmt == "percent":
        return f"{value * 100:g} %"
    if fmt == "duration":
        return f"{value:g} s"
    return f"{value:g}"


def _number_or_none(value: object) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return float(value)  # type: ignore[arg-type]


def _date_or_none(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def targets_from_table(
    table: pd.DataFrame,
    refs: Sequence[KpiRef],
    scopes: Mapping[str, Mapping[str, str] | None],
    *,
    params: KpiParams | None = None,
    lang: str | None = "en",
) -> tuple[tuple[Target, ...], tuple[TableProblem, ...]]:
    """Targets from the edited table (display units back to fractions and seconds), each
    checked with :func:`kpi.targets.validate_target`; rows without any number are skipped.
    Returns the targets and one problem per invalid row (save nothing unless it is empty)."""
    from kpi.targets import validate_target

    by_label = {_label(ref, lang): ref for ref in refs}
    targets: list[Target] = []
    problems: list[TableProblem] = []
    seen: dict[tuple[str, str, dt.date | None], int] = {}
    for row, record in enumerate(table.to_dict("records")):
        numbers = {c: _number_or_none(record.get(c)) for c in ("target", "lower", "upper",
                                                              "margin")}
        if numbers["target"] is None and numbers["lower"] is None and numbers["upper"] is None:
            continue
        ref = by_label.get(record.get("kpi"))  # type: ignore[arg-type]
        if ref is None:
            problems.append(TableProblem(row, DefinitionError("scorecard.table.no_kpi")))
            continue
        info = kpi_info(ref, params)
        label = _label(ref, lang)
        scale = display_scale(info.value_format)
        scope_text = record.get("scope") or scope_label(None, lang)
        if scope_text not in scopes:
            problems.append(TableProblem(row, DefinitionError(
                "scorecard.table.bad_scope", kpi=label, scope=scope_text)))
            continue
        lower, upper = numbers["lower"], numbers["upper"]
        if (lower is None) != (upper is None):
            problems.append(TableProblem(row, DefinitionError("scorecard.table.half_band",
                                                              kpi=label)))
            continue
        target = Target(
            kpi=info.id,
            value=None if numbers["target"] is None else numbers["target"] / scale,
            band=None if lower is None else (lower / scale, upper / scale),  # type: ignore[operator]
            warning_margin=(numbers["margin"] or 0.0) / scale,
            scope=scopes[scope_text],
            effective_from=_date_or_none(record.get("effective_from")),
        )
        try:
            validate_target(target, unit=info.unit, direction=info.direction,  # type: ignore[arg-type]
                            kpi_name=label)
        except DefinitionError as error:
            params_shown = {
                k: _shown(v, info.value_format) if k in ("value", "lower", "upper")
                and isinstance(v, int | float) else v
                for k, v in error.params.items()
            }
            problems.append(TableProblem(row, DefinitionError(error.code, **params_shown)))
            continue
        identity = (info.id, scope_text, target.effective_from)
        if identity in seen:
            problems.append(TableProblem(row, DefinitionError(
                "scorecard.table.duplicate", kpi=label, scope=scope_text,
                other=seen[identity] + 1)))
            continue
        seen[identity] = row
        targets.append(target)
    return tuple(targets), tuple(problems)
