"""Proportions at the interaction unit: Wilson per value, Newcombe for the difference, z or Fisher.

statsmodels traps (SPEC §6): ``proportion_confint`` defaults to Wald (we ask for Wilson), and
``confint_proportions_2indep(method='score')`` is wrong in 0.15 (we use ``'newcomb'``, the
hybrid score interval of Newcombe 1998, method 10). statsmodels is imported lazily: importing
it costs more than a second.
"""

from __future__ import annotations

import math

from scipy import stats as sps

from kpi.stats.results import ALPHA, TestOutcome
from kpi.sufficient import RatioStatistic

#: Fisher's exact test replaces the z-test when an expected cell count is below this.
FISHER_BELOW_EXPECTED = 5.0


def wilson_interval(successes: float, n: int, alpha: float = ALPHA) -> tuple[float, float] | None:
    """Wilson score interval of ``successes / n``; None when ``n`` is 0."""
    if n <= 0:
        return None
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(successes, n, alpha=alpha, method="wilson")
    return max(0.0, float(low)), min(1.0, float(high))


def newcombe_interval(
    successes_current: float,
    n_current: int,
    successes_baseline: float,
    n_baseline: int,
    alpha: float = ALPHA,
) -> tuple[float, float] | None:
    """Newcombe hybrid-score interval of ``p_current − p_baseline``; None when a side is empty."""
    if n_current <= 0 or n_baseline <= 0:
        return None
    from statsmodels.stats.proportion import confint_proportions_2indep

    low, high = confint_proportions_2indep(
        successes_current, n_current, successes_baseline, n_baseline,
        method="newcomb", compare="diff", alpha=alpha,
    )
    return float(low), float(high)


def compare_proportions(baseline: RatioStatistic, current: RatioStatistic) -> TestOutcome:
    """Pooled two-proportion z-test (Fisher exact for small expected cells), Newcombe CI.

    Both sides must be non-empty (the caller checks). When both sides are at 0 % or both at
    100 % there is nothing to test: code ``boundary``, with the Newcombe interval still given.
    """
    k1, n1 = round(baseline.sum_y), baseline.n
    k2, n2 = round(current.sum_y), current.n
    p1, p2 = k1 / n1, k2 / n2
    low, high = newcombe_interval(k2, n2, k1, n1)  # type: ignore[misc]
    pooled = (k1 + k2) / (n1 + n2)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if pooled in (0.0, 1.0):
        return TestOutcome(
            "two_proportion_z", "interaction", p2 - p1, low, high, None, "boundary", se=None
        )
    expected_min = min(n1, n2) * min(pooled, 1 - pooled)
    if expected_min < FISHER_BELOW_EXPECTED:
        table = [[k2, n2 - k2], [k1, n1 - k1]]
        p_value = float(sps.fisher_exact(table).pvalue)
        test = "fisher_exact"
    else:
        z = (p2 - p1) / se0
        p_value = float(2 * sps.norm.sf(abs(z)))
        test = "two_proportion_z"
    return TestOutcome(test, "interaction", p2 - p1, low, high, min(p_value, 1.0), se=se0)
