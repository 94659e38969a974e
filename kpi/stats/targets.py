"""Is a period significantly worse than its target? One-sided one-sample tests (SPEC §5).

Proportions at the interaction unit use the exact binomial test; means a one-sample t from
sufficient statistics; NPS and ratios a z with their per-unit variance; percentiles an exact
binomial test on the share of values above the target; volumes an exact Poisson test on the
period's days. The day unit (ratio of daily sums, delta method over days, t on days − 1 df)
applies where it does in comparisons.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

from kpi.stats import means, ratios
from kpi.stats.bootstrap import min_n_for_quantile
from kpi.stats.results import (
    ALPHA,
    AUTO_DAY_UNIT_MIN_DAYS,
    DAY_UNIT_MIN_DAYS,
    Code,
    Direction,
    Kind,
    Unit,
    UnitChoice,
)
from kpi.sufficient import RatioStatistic


@dataclass(frozen=True)
class TargetTest:
    """One period against its target: ``significantly_worse`` ⇔ one-sided ``p < 0.05``."""

    kind: Kind
    value: float | None
    target: float
    n: int
    p_value: float | None
    test: str
    unit: Unit
    significantly_worse: bool
    code: Code | None = None


def _worse_side(direction: Direction, value: float, target: float | tuple[float, float]
                ) -> tuple[float, str] | None:
    """The target bound that matters and the alternative meaning "worse"."""
    if direction == "higher":
        return float(target), "less"  # type: ignore[arg-type]
    if direction == "lower":
        return float(target), "greater"  # type: ignore[arg-type]
    if direction == "band":
        low, high = target  # type: ignore[misc]
        return (low, "less") if value < (low + high) / 2 else (high, "greater")
    return None


def _t_or_z(estimate: float, bound: float, se: float, alternative: str,
            df: float | None) -> float:
    dist = sps.t(df) if df is not None else sps.norm()
    t = (estimate - bound) / se
    return float(dist.sf(t) if alternative == "greater" else dist.cdf(t))


def against_target(
    kind: Kind,
    data: RatioStatistic | Sequence[RatioStatistic],
    target: float | tuple[float, float],
    direction: Direction,
    *,
    unit: UnitChoice = "auto",
    values: Sequence[float] | None = None,
    exposure: float | None = None,
    quantile: float = 0.9,
) -> TargetTest:
    """Test whether the period's KPI is significantly worse than ``target`` (a band for band
    KPIs). ``data`` is one ``RatioStatistic`` or one per day; ``values`` the raw values for a
    percentile; ``exposure`` the days of the period for a volume (target per day)."""
    days = None if isinstance(data, RatioStatistic) else list(data)
    pooled = data if isinstance(data, RatioStatistic) else ratios.pool(data)
    bound_target = target if isinstance(target, int | float) else target[0]
    with_data = 0 if days is None else sum(1 for d in days if d.n > 0)
    chosen: Unit = "day" if (unit == "day" or (
        unit == "auto" and with_data >= AUTO_DAY_UNIT_MIN_DAYS and kind not in ("quantile",)
    )) else "interaction"

    def result(value, p, test, code=None, n=pooled.n, used=chosen):
        return TargetTest(kind, value, float(bound_target), int(n), p, test, used,
                          p is not None and p < ALPHA, code)

    if kind == "quantile":
        sample = np.asarray(values if values is not None else [], dtype=float)
        sample = sample[np.isfinite(sample)]
        if values is None:
            return result(None, None, "binomial_exceedance", "raw_values_needed",
                          used="interaction")
        if len(sample) == 0:
            return result(None, None, "binomial_exceedance", "empty_period", 0, "interaction")
        value = float(np.quantile(sample, quantile))
        if len(sample) < min_n_for_quantile(quantile):
            return result(value, None, "binomial_exceedance", "too_few_for_p90", len(sample),
                          "interaction")
        side = _worse_side(direction, value, target)
        if side is None:
            return result(value, None, "binomial_exceedance", "not_enough_data", len(sample))
        bound, alternative = side
        above = int((sample > bound).sum())
        p = float(sps.binomtest(above, len(sample), 1 - quantile, alternative=alternative).pvalue)
        return result(value, p, "binomial_exceedance", n=len(sample), used="interaction")

    if kind in ("count", "total"):
        e = exposure if exposure is not None else (len(days) if days else None)
        total = float(pooled.n if kind == "count" else pooled.sum_y)
        if not e:
            return result(None, None, "exact_poisson", "empty_period")
        value = total / e
        side = _worse_side(direction, value, target)
        if side is None:
            return result(value, None, "exact_poisson", "not_enough_data")
        bound, alternative = side
        if chosen == "day" and days is not None:
            daily = [float(d.n if kind == "count" else d.sum_y) for d in days]
            daily += [0.0] * max(round(e) - len(daily), 0)
            if len(daily) < DAY_UNIT_MIN_DAYS:
                return result(value, None, "one_sample_t_days", "too_few_days")
            sd = float(np.std(daily, ddof=1))
            if sd == 0:
                return result(value, None, "one_sample_t_days", "zero_variance")
            p = _t_or_z(value, bound, sd / math.sqrt(len(daily)), alternative, len(daily) - 1)
            return result(value, p, "one_sample_t_days")
        expected = bound * e
        c = round(total)
        p = float(sps.poisson.sf(c - 1, expected) if alternative == "greater"
                  else sps.poisson.cdf(c, expected))
        return result(value, p, "exact_poisson", used="interaction")

    if pooled.n == 0 or pooled.ratio is None:
        return result(None, None, "one_sample", "empty_period")
    value = float(pooled.ratio)
    side = _worse_side(direction, value, target)
    if side is None:
        return result(value, None, "one_sample", "not_enough_data")
    bound, alternative = side
    if chosen == "day":
        if days is None or with_data < DAY_UNIT_MIN_DAYS:
            return result(value, None, "delta_method_days", "too_few_days")
        units = ratios.days_as_units(days)
        variance = units.ratio_variance
        if not variance:
            return result(value, None, "delta_method_days", "zero_variance")
        p = _t_or_z(value, bound, math.sqrt(variance), alternative, units.n - 1)
        return result(value, p, "delta_method_days")
    if kind == "proportion":
        k = round(pooled.sum_y)
        p = float(sps.binomtest(k, pooled.n, bound, alternative=alternative).pvalue)
        return result(value, p, "exact_binomial")
    if pooled.n < 2:
        return result(value, None, "one_sample_t", "not_enough_data")
    if kind == "mean":
        variance, df, test = (pooled.var_y or 0.0) / pooled.n, pooled.n - 1, "one_sample_t"
    elif kind == "nps":
        variance, df, test = means.nps_variance(pooled) / pooled.n, None, "one_sample_z"
    else:
        variance, df, test = pooled.ratio_variance or 0.0, None, "delta_method"
    if variance == 0:
        return result(value, None, test, "zero_variance")
    return result(value, _t_or_z(value, bound, math.sqrt(variance), alternative, df), test)


#: The name the brief uses; marked so pytest does not collect it where it is imported.
test_against_target = against_target
against_target.__test__ = False  # type: ignore[attr-defined]
