"""Volumes: Poisson rates per day, quasi-Poisson over days or the exact conditional test.

A period's volume is compared as a rate with exposure = its number of days (SPEC §6).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats as sps

from kpi.stats.results import ALPHA, TestOutcome


def dispersion(*periods: Sequence[float]) -> float | None:
    """Quasi-Poisson dispersion: Pearson χ² of per-day counts around each period's mean / df.

    At least 1 (a Poisson process is never *under*-dispersed for this purpose); None when
    there are no residual degrees of freedom.
    """
    chi2, days = 0.0, 0
    for counts in periods:
        c = np.asarray(counts, dtype=float)
        days += len(c)
        mean = c.mean() if len(c) else 0.0
        if mean > 0:
            chi2 += float(((c - mean) ** 2).sum() / mean)
    df = days - len(periods)
    if df < 1:
        return None
    return max(1.0, chi2 / df)


def compare_counts_quasi_poisson(
    baseline_days: Sequence[float], current_days: Sequence[float]
) -> TestOutcome:
    """Rate per day, current − baseline, with quasi-Poisson variance and a t on D − 2 df.

    The p-value is the score test under a common rate; the interval uses each period's rate.
    """
    c1, c2 = float(np.sum(baseline_days)), float(np.sum(current_days))
    e1, e2 = len(baseline_days), len(current_days)
    difference = c2 / e2 - c1 / e1 if e1 and e2 else None
    phi = dispersion(baseline_days, current_days)
    if difference is None or phi is None or e1 < 2 or e2 < 2:
        return TestOutcome("quasi_poisson", "day", difference, code="too_few_days")
    if c1 + c2 == 0:
        return TestOutcome("quasi_poisson", "day", difference, code="all_same")
    df = e1 + e2 - 2
    dist = sps.t(df)
    pooled = (c1 + c2) / (e1 + e2)
    se0 = math.sqrt(phi * pooled * (1 / e1 + 1 / e2))
    se = math.sqrt(phi * (c1 / e1**2 + c2 / e2**2))
    half = float(dist.ppf(1 - ALPHA / 2)) * se
    p_value = float(2 * dist.sf(abs(difference) / se0))
    return TestOutcome(
        "quasi_poisson", "day", difference, difference - half, difference + half, p_value,
        se=se0, df=df,
    )


def compare_counts_exact(
    baseline_count: float, baseline_days: float, current_count: float, current_days: float
) -> TestOutcome:
    """Exact conditional test: ``c2 ~ Binomial(c1 + c2, e2 / (e1 + e2))`` under equal rates."""
    c1, c2 = round(baseline_count), round(current_count)
    e1, e2 = float(baseline_days), float(current_days)
    if e1 <= 0 or e2 <= 0:
        return TestOutcome("exact_poisson_conditional", "interaction", None, code="empty_period")
    difference = c2 / e2 - c1 / e1
    if c1 + c2 == 0:
        return TestOutcome(
            "exact_poisson_conditional", "interaction", difference, code="all_same"
        )
    p_value = float(sps.binomtest(c2, c1 + c2, e2 / (e1 + e2)).pvalue)
    se = math.sqrt(c1 / e1**2 + c2 / e2**2)
    pooled = (c1 + c2) / (e1 + e2)
    half = float(sps.norm.ppf(1 - ALPHA / 2)) * se
    return TestOutcome(
        "exact_poisson_conditional", "interaction", difference, difference - half,
        difference + half, min(p_value, 1.0), se=math.sqrt(pooled * (1 / e1 + 1 / e2)),
    )
