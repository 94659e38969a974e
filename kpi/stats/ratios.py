"""Ratios of sums by the delta method: over units (agent-days) or over days (the day unit).

The day unit (SPEC §6) treats each day as one unit with ``y = Σy_day`` and ``x = Σx_day``: the
KPI is the ratio of daily sums (the same pooled value), its variance the delta-method variance
across days, and the test a Welch t with Satterthwaite degrees of freedom. This needs only the
per-day sufficient statistics and accounts for contacts of one day sharing a fate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scipy import stats as sps

from kpi.stats.results import ALPHA, TestOutcome
from kpi.sufficient import RatioStatistic


def days_as_units(days: Sequence[RatioStatistic]) -> RatioStatistic:
    """One unit per day with data: ``y = Σy`` and ``x = Σx`` of that day."""
    ys = [d.sum_y for d in days if d.n > 0]
    xs = [d.sum_x for d in days if d.n > 0]
    return RatioStatistic.of_values(ys, xs)


def pool(days: Sequence[RatioStatistic]) -> RatioStatistic:
    """All units of all days together (the interaction unit)."""
    total = RatioStatistic(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    for day in days:
        total = total + day
    return total


def compare_ratios(
    baseline: RatioStatistic, current: RatioStatistic, *, over_days: bool
) -> TestOutcome:
    """Delta-method comparison of ``Σy/Σx``; units are days when ``over_days``.

    Over days the test is a t with Welch–Satterthwaite df (``delta_method_days``); over other
    units (agent-days) a z (``delta_method``). Each side needs two units and ``Σx ≠ 0``.
    """
    unit = "day" if over_days else "interaction"
    test = "delta_method_days" if over_days else "delta_method"
    r1, r2 = baseline.ratio, current.ratio
    if r1 is None or r2 is None:
        return TestOutcome(test, unit, None, code="no_denominator")
    difference = r2 - r1
    v1, v2 = baseline.ratio_variance, current.ratio_variance
    if v1 is None or v2 is None:
        code = "too_few_days" if over_days else "not_enough_data"
        return TestOutcome(test, unit, difference, code=code)
    se = math.sqrt(v1 + v2)
    if se == 0:
        code = "all_same" if math.isclose(r1, r2, rel_tol=1e-12, abs_tol=1e-12) else "zero_variance"
        return TestOutcome(test, unit, difference, code=code)
    if over_days:
        a, b = v1, v2
        df = (a + b) ** 2 / (a * a / (baseline.n - 1) + b * b / (current.n - 1))
        dist = sps.t(df)
    else:
        df = None
        dist = sps.norm()
    half = float(dist.ppf(1 - ALPHA / 2)) * se
    p_value = float(2 * dist.sf(abs(difference) / se))
    return TestOutcome(
        test, unit, difference, difference - half, difference + half, p_value, se=se, df=df
    )
