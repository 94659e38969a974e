"""Means at the interaction unit: Welch's t from sufficient statistics, NPS, Mann–Whitney.

scipy trap (SPEC §6): ``ttest_ind_from_stats`` assumes equal variances unless told
``equal_var=False``; we always say it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats as sps

from kpi.stats.results import ALPHA, TestOutcome
from kpi.sufficient import RatioStatistic


def welch_df(var_a: float, n_a: int, var_b: float, n_b: int) -> float:
    """Welch–Satterthwaite degrees of freedom of ``mean_a − mean_b``."""
    a, b = var_a / n_a, var_b / n_b
    denominator = a * a / (n_a - 1) + b * b / (n_b - 1)
    return (a + b) ** 2 / denominator if denominator > 0 else float(n_a + n_b - 2)


def compare_means(baseline: RatioStatistic, current: RatioStatistic) -> TestOutcome:
    """Welch's t-test of ``mean(current) − mean(baseline)`` with its t interval.

    Each side needs ``n ≥ 2`` (the caller checks). No variance on either side gives
    ``all_same`` when the means are equal, ``zero_variance`` when they differ.
    """
    m1, m2 = baseline.sum_y / baseline.n, current.sum_y / current.n
    v1, v2 = baseline.var_y or 0.0, current.var_y or 0.0
    difference = m2 - m1
    if v1 == 0 and v2 == 0:
        code = "all_same" if math.isclose(m1, m2, rel_tol=1e-12, abs_tol=1e-12) else "zero_variance"
        return TestOutcome("welch_t", "interaction", difference, code=code)
    result = sps.ttest_ind_from_stats(
        m2, math.sqrt(v2), current.n, m1, math.sqrt(v1), baseline.n, equal_var=False
    )
    se = math.sqrt(v1 / baseline.n + v2 / current.n)
    df = welch_df(v2, current.n, v1, baseline.n)
    half = float(sps.t.ppf(1 - ALPHA / 2, df)) * se
    return TestOutcome(
        "welch_t", "interaction", difference, difference - half, difference + half,
        float(result.pvalue), se=se, df=df,
    )


def nps_variance(stat: RatioStatistic) -> float:
    """Per-respondent variance of NPS in points²: ``100²(p_P + p_D) − NPS²``."""
    mean = stat.sum_y / stat.n
    return max(stat.sum_y2 / stat.n - mean * mean, 0.0)


def compare_nps(baseline: RatioStatistic, current: RatioStatistic) -> TestOutcome:
    """Difference of NPS (points) with a normal interval from ``p_P + p_D − NPS²``."""
    m1, m2 = baseline.sum_y / baseline.n, current.sum_y / current.n
    v1, v2 = nps_variance(baseline), nps_variance(current)
    difference = m2 - m1
    se = math.sqrt(v1 / baseline.n + v2 / current.n)
    if se == 0:
        code = "all_same" if math.isclose(m1, m2) else "zero_variance"
        return TestOutcome("nps_delta", "interaction", difference, code=code)
    z = difference / se
    half = float(sps.norm.ppf(1 - ALPHA / 2)) * se
    return TestOutcome(
        "nps_delta", "interaction", difference, difference - half, difference + half,
        float(2 * sps.norm.sf(abs(z))), se=se,
    )


def mann_whitney_p(baseline: Sequence[float], current: Sequence[float]) -> float | None:
    """Two-sided Mann–Whitney U p-value (robustness check); None when it is undefined."""
    a = np.asarray(baseline, dtype=float)
    b = np.asarray(current, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if len(a) == 0 or len(b) == 0:
        return None
    if np.ptp(np.concatenate([a, b])) == 0:
        return None
    return float(sps.mannwhitneyu(b, a, alternative="two-sided").pvalue)
