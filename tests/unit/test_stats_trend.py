"""Mann–Kendall and Sen's slope against brute force and scipy."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from kpi.stats.trend import mann_kendall, trend_sentence


def brute_force(values):
    n = len(values)
    s = sum((values[j] > values[i]) - (values[j] < values[i])
            for i, j in combinations(range(n), 2))
    ties = Counter(values).values()
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties)) / 18
    slopes = sorted((values[j] - values[i]) / (j - i) for i, j in combinations(range(n), 2))
    return s, var, float(np.median(slopes))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=5, max_size=25))
def test_mann_kendall_equals_brute_force_with_ties(values):
    trend = mann_kendall(values)
    s, var, slope = brute_force(values)
    assert trend.s == s
    assert trend.var_s == pytest.approx(var)
    assert trend.slope == pytest.approx(slope)
    if var > 0:
        z = (s - (s > 0) + (s < 0)) / math.sqrt(var)
        assert trend.p_value == pytest.approx(2 * sps.norm.sf(abs(z)))


def test_sen_slope_interval_matches_scipy_without_ties():
    rng = np.random.default_rng(4)
    y = 0.08 + 0.003 * np.arange(20) + rng.normal(0, 0.004, 20)
    trend = mann_kendall(y)
    reference = sps.theilslopes(y, np.arange(20), alpha=0.95)
    assert (trend.slope, trend.slope_low, trend.slope_high) == pytest.approx(
        (reference.slope, reference.low_slope, reference.high_slope)
    )
    assert trend.direction == "rising"
    assert trend_sentence(trend, "Abandonment", dt.date(2026, 3, 2), "week", "percent") == (
        "Abandonment has been rising by 0.3 points a week since March 2026 (p < 0.0001)."
    )
    assert trend_sentence(trend, "Abandono", dt.date(2026, 3, 2), "week", "percent", "pt") == (
        "Abandono vem subindo 0,3 pontos por semana desde março de 2026 (p < 0,0001)."
    )


def test_short_flat_and_constant_series():
    assert mann_kendall([1, 2, 3]).code == "not_enough_data"
    assert mann_kendall([4.0] * 8).code == "all_same"
    flat = mann_kendall([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])
    assert flat.direction is None
    assert "shows no clear trend" in trend_sentence(flat, "AHT", dt.date(2026, 1, 5))
