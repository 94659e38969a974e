"""Comparisons of a KPI between two periods or two segments: the entry points of issue 4.

``compare`` takes plain inputs (a ``RatioStatistic`` per side, or one per day), picks the unit
of analysis and the test for the KPI kind (SPEC §6 table) and returns a :class:`Comparison`.
``compare_frames`` and ``compare_segments`` do the same for every KPI (and segment) of a daily
statistics frame and apply Benjamini–Hochberg across everything compared in that call.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from kpi.stats import bootstrap, counts, means, proportions, ratios
from kpi.stats.multiple import benjamini_hochberg
from kpi.stats.power import mde_from_se
from kpi.stats.results import (
    ALPHA,
    AUTO_DAY_UNIT_MIN_DAYS,
    DAY_UNIT_MIN_DAYS,
    Comparison,
    Direction,
    Kind,
    SideSummary,
    TestOutcome,
    Unit,
    UnitChoice,
    ValueFormat,
)
from kpi.sufficient import STAT_COLUMNS, RatioStatistic

Side = RatioStatistic | Sequence[RatioStatistic]
Period = tuple[dt.date, dt.date]
#: ``raw_values(kpi, (start, end), segment)`` → the raw values (or None); ``segment`` is
#: ``(field, value)``, ``(field, ("not", value))`` for "every other segment", or None.
RawValues = Callable[[str, Period, tuple[str, Any] | None], Sequence[float] | None]

_TEST_BY_KIND = {
    "proportion": "two_proportion_z",
    "mean": "welch_t",
    "nps": "nps_delta",
    "ratio": "delta_method",
    "count": "exact_poisson_conditional",
    "quantile": "bootstrap_percentile",
    "total": "welch_t_days",
}


@dataclass(frozen=True)
class KpiSpec:
    """How to compare one KPI: its kind, better direction, band and display format."""

    kind: Kind
    direction: Direction = "neutral"
    band: tuple[float, float] | None = None
    value_format: ValueFormat | None = None
    label: str | None = None
    quantile: float = 0.9


def _spec(value: KpiSpec | Sequence[Any]) -> KpiSpec:
    return value if isinstance(value, KpiSpec) else KpiSpec(*value)


def improvement(
    direction: Direction,
    baseline: float | None,
    current: float | None,
    band: tuple[float, float] | None = None,
) -> bool | None:
    """Whether moving from ``baseline`` to ``current`` is better; None when neutral or equal."""
    if baseline is None or current is None or direction == "neutral" or baseline == current:
        return None
    if direction == "higher":
        return current > baseline
    if direction == "lower":
        return current < baseline
    if band is None:
        return None
    low, high = band

    def distance(v: float) -> float:
        return max(low - v, 0.0, v - high)

    before, after = distance(baseline), distance(current)
    return None if before == after else after < before


def _days(side: Side) -> list[RatioStatistic] | None:
    return None if isinstance(side, RatioStatistic) else list(side)


def _pooled(side: Side) -> RatioStatistic:
    return side if isinstance(side, RatioStatistic) else ratios.pool(side)


def _days_with_data(days: list[RatioStatistic] | None) -> int:
    return 0 if days is None else sum(1 for d in days if d.n > 0)


def _choose_unit(
    kind: Kind, unit: UnitChoice, days_b: list[RatioStatistic] | None,
    days_c: list[RatioStatistic] | None,
) -> Unit:
    if kind == "quantile":
        return "interaction"
    if kind == "total":
        return "day"
    if unit != "auto":
        return unit
    if kind == "count":
        have = min(len(days_b or []), len(days_c or []))
    else:
        have = min(_days_with_data(days_b), _days_with_data(days_c))
    return "day" if have >= AUTO_DAY_UNIT_MIN_DAYS else "interaction"


def _padded(days: list[RatioStatistic] | None, exposure: float | None, field: str) -> list[float]:
    """Per-day values (``n`` or ``sum_y``), with zero days added up to ``exposure`` days."""
    values = [float(getattr(d, field)) for d in days or []]
    if exposure is not None and len(values) < exposure:
        values += [0.0] * (round(exposure) - len(values))
    return values


def _side_summary(
    kind: Kind, stat: RatioStatistic, values: np.ndarray | None, exposure: float | None,
    quantile: float, day_units: RatioStatistic | None,
) -> SideSummary:
    """Value, n and 95 % CI of one side (Wilson for proportions)."""
    if kind == "count":
        value = stat.n / exposure if exposure else None
        return SideSummary(value, int(stat.n))
    if kind == "total":
        return SideSummary(stat.sum_y / exposure if exposure else None, int(stat.n))
    if kind == "quantile":
        if values is None:
            return SideSummary(None, int(stat.n))
        if len(values) == 0:
            return SideSummary(None, 0)
        return SideSummary(float(np.quantile(values, quantile)), len(values))
    if stat.n == 0 or stat.ratio is None:
        return SideSummary(None, int(stat.n))
    value = float(stat.ratio)
    if kind == "proportion":
        interval = proportions.wilson_interval(stat.sum_y, stat.n)
        low, high = interval if interval else (None, None)
        return SideSummary(value, int(stat.n), low, high)
    units = day_units if day_units is not None else stat
    if kind == "nps" and day_units is None:
        variance = means.nps_variance(stat) / stat.n if stat.n > 1 else None
    else:
        variance = units.ratio_variance
    if variance is None or variance == 0:
        return SideSummary(value, int(stat.n))
    df = units.n - 1 if kind == "mean" or day_units is not None else None
    q = float((sps.t(df) if df else sps.norm()).ppf(1 - ALPHA / 2))
    half = q * math.sqrt(variance)
    return SideSummary(value, int(stat.n), value - half, value + half)


def _outcome(
    kind: Kind, unit: Unit, pooled_b: RatioStatistic, pooled_c: RatioStatistic,
    days_b: list[RatioStatistic] | None, days_c: list[RatioStatistic] | None,
    values_b: np.ndarray | None, values_c: np.ndarray | None,
    exposure: tuple[float | None, float | None], quantile: float,
) -> TestOutcome:
    test = _TEST_BY_KIND[kind]
    if kind == "quantile":
        if values_b is None or values_c is None:
            return TestOutcome(test, unit, None, code="raw_values_needed")
        return bootstrap.compare_quantiles(values_b, values_c, quantile)
    if kind == "count":
        e_b = exposure[0] if exposure[0] is not None else (len(days_b) if days_b else None)
        e_c = exposure[1] if exposure[1] is not None else (len(days_c) if days_c else None)
        if not e_b or not e_c:
            return TestOutcome(test, unit, None, code="empty_period")
        if unit == "day":
            if days_b is None or days_c is None or min(e_b, e_c) < DAY_UNIT_MIN_DAYS:
                return TestOutcome("quasi_poisson", "day", None, code="too_few_days")
            return counts.compare_counts_quasi_poisson(
                _padded(days_b, e_b, "n"), _padded(days_c, e_c, "n")
            )
        return counts.compare_counts_exact(pooled_b.n, e_b, pooled_c.n, e_c)
    if pooled_b.n == 0 or pooled_c.n == 0:
        return TestOutcome(test, unit, None, code="empty_period")
    if kind == "total":
        e_b, e_c = exposure
        daily_b = _padded(days_b, e_b, "sum_y")
        daily_c = _padded(days_c, e_c, "sum_y")
        if min(len(daily_b), len(daily_c)) < DAY_UNIT_MIN_DAYS:
            return TestOutcome(test, "day", None, code="too_few_days")
        result = means.compare_means(
            RatioStatistic.of_values(daily_b), RatioStatistic.of_values(daily_c)
        )
        return dataclasses.replace(result, test=test, unit="day")
    if unit == "day":
        if min(_days_with_data(days_b), _days_with_data(days_c)) < DAY_UNIT_MIN_DAYS:
            return TestOutcome("delta_method_days", "day", None, code="too_few_days")
        if kind == "proportion" and _boundary(pooled_b, pooled_c):
            return TestOutcome("delta_method_days", "day", _ratio_difference(pooled_b, pooled_c),
                               code="boundary")
        return ratios.compare_ratios(
            ratios.days_as_units(days_b or []), ratios.days_as_units(days_c or []), over_days=True
        )
    if min(pooled_b.n, pooled_c.n) < 2:
        return TestOutcome(test, unit, _ratio_difference(pooled_b, pooled_c),
                           code="not_enough_data")
    if kind == "proportion":
        return proportions.compare_proportions(pooled_b, pooled_c)
    if kind == "mean":
        return means.compare_means(pooled_b, pooled_c)
    if kind == "nps":
        return means.compare_nps(pooled_b, pooled_c)
    return ratios.compare_ratios(pooled_b, pooled_c, over_days=False)


def _boundary(a: RatioStatistic, b: RatioStatistic) -> bool:
    pooled = (a.sum_y + b.sum_y) / (a.n + b.n)
    return pooled in (0.0, 1.0)


def _ratio_difference(a: RatioStatistic, b: RatioStatistic) -> float | None:
    return None if a.ratio is None or b.ratio is None else b.ratio - a.ratio


def _as_array(values: Sequence[float] | None) -> np.ndarray | None:
    if values is None:
        return None
    array = np.asarray(values, dtype=float)
    return array[np.isfinite(array)]


def compare(
    kind: Kind,
    baseline: Side,
    current: Side,
    *,
    direction: Direction = "neutral",
    band: tuple[float, float] | None = None,
    unit: UnitChoice = "auto",
    baseline_values: Sequence[float] | None = None,
    current_values: Sequence[float] | None = None,
    exposure: tuple[float | None, float | None] = (None, None),
    quantile: float = 0.9,
    kpi: str = "",
    label: str | None = None,
    value_format: ValueFormat | None = None,
    segment: str | None = None,
    segment_value: Any = None,
) -> Comparison:
    """Compare one KPI between a baseline and a current side (``p_adjusted = p_value``).

    A side is a ``RatioStatistic`` (interaction unit only) or one per day. ``exposure`` gives
    the days of each side for counts and totals (default: the number of days given).
    ``unit="auto"`` picks the day unit when each side has at least 7 days with data.
    """
    result = _compare(
        kind, baseline, current, direction=direction, band=band, unit=unit,
        baseline_values=baseline_values, current_values=current_values, exposure=exposure,
        quantile=quantile, kpi=kpi, label=label, value_format=value_format, segment=segment,
        segment_value=segment_value,
    )
    return adjust([result])[0]


def _compare(
    kind: Kind, baseline: Side, current: Side, *, direction: Direction,
    band: tuple[float, float] | None, unit: UnitChoice,
    baseline_values: Sequence[float] | None, current_values: Sequence[float] | None,
    exposure: tuple[float | None, float | None], quantile: float, kpi: str,
    label: str | None, value_format: ValueFormat | None, segment: str | None,
    segment_value: Any,
) -> Comparison:
    days_b, days_c = _days(baseline), _days(current)
    pooled_b, pooled_c = _pooled(baseline), _pooled(current)
    values_b, values_c = _as_array(baseline_values), _as_array(current_values)
    exposure = (
        exposure[0] if exposure[0] is not None else (len(days_b) if days_b is not None else None),
        exposure[1] if exposure[1] is not None else (len(days_c) if days_c is not None else None),
    )
    chosen = _choose_unit(kind, unit, days_b, days_c)
    outcome = _outcome(kind, chosen, pooled_b, pooled_c, days_b, days_c, values_b, values_c,
                       exposure, quantile)
    day_units = chosen == "day" and outcome.unit == "day" and kind not in ("count", "total")
    summaries = [
        _side_summary(kind, stat, values, e, quantile,
                      ratios.days_as_units(days) if day_units and days else None)
        for stat, values, e, days in (
            (pooled_b, values_b, exposure[0], days_b), (pooled_c, values_c, exposure[1], days_c)
        )
    ]
    base, cur = summaries
    difference = outcome.difference
    if difference is None and base.value is not None and cur.value is not None:
        difference = cur.value - base.value
    if base.n == 0 or cur.n == 0:
        code = "empty_period" if kind != "count" else outcome.code
    else:
        code = outcome.code
    # Relative to the size of the baseline: a rise from NPS −13.7 to −11.5 is +16 %, not −16 %.
    relative = (
        difference / abs(base.value) if difference is not None and base.value else None
    )
    robustness = None
    if kind in ("mean", "quantile") and values_b is not None and values_c is not None:
        robustness = means.mann_whitney_p(values_b, values_c)
    p_value = outcome.p_value if code is None else None
    return Comparison(
        kpi=kpi, kind=kind, direction=direction, baseline=base, current=cur,
        difference=difference, relative_difference=relative,
        ci_low=outcome.ci_low if code in (None, "boundary") else None,
        ci_high=outcome.ci_high if code in (None, "boundary") else None,
        p_value=p_value, p_adjusted=None, test=outcome.test, unit=outcome.unit,
        significant=False, improved=improvement(direction, base.value, cur.value, band),
        code=code, mde=mde_from_se(outcome.se, df=outcome.df), robustness=robustness,
        segment=segment, segment_value=segment_value, value_format=value_format, label=label,
    )


def adjust(comparisons: Sequence[Comparison]) -> list[Comparison]:
    """Benjamini–Hochberg across the comparisons; ``significant`` ⇔ adjusted p < 0.05."""
    adjusted = benjamini_hochberg([c.p_value for c in comparisons])
    return [
        dataclasses.replace(c, p_adjusted=p, significant=p is not None and p < ALPHA)
        for c, p in zip(comparisons, adjusted, strict=True)
    ]


# ---------------------------------------------------------------- statistics frames


def _dates(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(frame["period"]).dt.normalize()


def _calendar_days(period: Period, covered: tuple[pd.Timestamp, pd.Timestamp]) -> int:
    start = max(pd.Timestamp(period[0]), covered[0])
    end = min(pd.Timestamp(period[1]), covered[1])
    return max((end - start).days + 1, 0)


def _daily(rows: pd.DataFrame) -> list[RatioStatistic]:
    summed = rows.groupby("_date", sort=True)[list(STAT_COLUMNS)].sum()
    return [RatioStatistic.from_row(r) for r in summed.to_dict("records")]


def _frame_sides(
    frame: pd.DataFrame, kpi: str, spec: KpiSpec, sides: Sequence[tuple[pd.Series, Period,
    tuple[str, Any] | None]], raw_values: RawValues | None, covered: tuple[pd.Timestamp,
    pd.Timestamp],
) -> list[tuple[list[RatioStatistic], np.ndarray | None, int]]:
    out = []
    for mask, period, segment in sides:
        rows = frame[mask]
        values = None
        if raw_values is not None and spec.kind in ("quantile", "mean"):
            fetched = raw_values(kpi, period, segment)
            values = None if fetched is None else _as_array(fetched)
        out.append((_daily(rows), values, _calendar_days(period, covered)))
    return out


def _prepare(daily_stats: pd.DataFrame) -> tuple[pd.DataFrame, tuple[pd.Timestamp,
                                                                       pd.Timestamp]]:
    frame = daily_stats.assign(_date=_dates(daily_stats))
    frame = frame[frame["n"].fillna(0) > 0]
    if frame.empty:
        return frame, (pd.Timestamp.min, pd.Timestamp.max)
    return frame, (frame["_date"].min(), frame["_date"].max())


def _in(frame: pd.DataFrame, period: Period) -> pd.Series:
    return (frame["_date"] >= pd.Timestamp(period[0])) & (frame["_date"] <= pd.Timestamp(period[1]))


def compare_frames(
    daily_stats: pd.DataFrame,
    kinds: Mapping[str, KpiSpec | Sequence[Any]],
    baseline: Period,
    current: Period,
    *,
    by: str | None = None,
    unit: UnitChoice = "auto",
    raw_values: RawValues | None = None,
) -> list[Comparison]:
    """Compare every KPI of ``kinds`` (and every ``by`` segment) between two periods.

    ``daily_stats`` is a statistics frame with daily periods (``kpi/sufficient.py``). Periods
    are inclusive dates. BH adjustment runs across everything compared in this call.
    """
    frame, covered = _prepare(daily_stats)
    results: list[Comparison] = []
    for kpi, raw_spec in kinds.items():
        spec = _spec(raw_spec)
        of_kpi = frame[frame["kpi"] == kpi]
        segments: list[Any] = [None]
        if by is not None:
            segments = sorted(of_kpi[by].dropna().unique().tolist(), key=str)
        for value in segments:
            rows = of_kpi if value is None else of_kpi[of_kpi[by] == value]
            segment = None if value is None else (by, value)
            sides = _frame_sides(
                rows, kpi, spec,
                [(_in(rows, baseline), baseline, segment), (_in(rows, current), current, segment)],
                raw_values, covered,
            )
            results.append(_from_sides(kpi, spec, sides, unit, by, value))
    return adjust(results)


def compare_segments(
    daily_stats: pd.DataFrame,
    kinds: Mapping[str, KpiSpec | Sequence[Any]],
    period: Period,
    by: str,
    *,
    segment: Any = None,
    unit: UnitChoice = "auto",
    raw_values: RawValues | None = None,
) -> list[Comparison]:
    """Each segment of ``by`` (or only ``segment``) against all the others, in one period.

    ``difference`` is segment − rest; the rest is the baseline side. BH across the call.
    """
    frame, covered = _prepare(daily_stats)
    frame = frame[_in(frame, period)]
    results: list[Comparison] = []
    for kpi, raw_spec in kinds.items():
        spec = _spec(raw_spec)
        of_kpi = frame[frame["kpi"] == kpi]
        values = [segment] if segment is not None else sorted(
            of_kpi[by].dropna().unique().tolist(), key=str
        )
        for value in values:
            mine = of_kpi[by] == value
            sides = _frame_sides(
                of_kpi, kpi, spec,
                [(~mine, period, (by, ("not", value))), (mine, period, (by, value))],
                raw_values, covered,
            )
            result = _from_sides(kpi, spec, sides, unit, by, value)
            results.append(dataclasses.replace(result, versus_rest=True))
    return adjust(results)


def _from_sides(
    kpi: str, spec: KpiSpec, sides: list[tuple[list[RatioStatistic], np.ndarray | None, int]],
    unit: UnitChoice, by: str | None, value: Any,
) -> Comparison:
    (days_b, values_b, exposure_b), (days_c, values_c, exposure_c) = sides
    return _compare(
        spec.kind, days_b, days_c, direction=spec.direction, band=spec.band, unit=unit,
        baseline_values=values_b, current_values=values_c,
        exposure=(exposure_b, exposure_c), quantile=spec.quantile, kpi=kpi, label=spec.label,
        value_format=spec.value_format, segment=by if value is not None else None,
        segment_value=value,
    )
