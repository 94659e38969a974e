from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi.sufficient import RatioStatistic

floats = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)


@given(st.lists(st.tuples(floats, st.floats(0.5, 100)), min_size=3, max_size=40))
def test_moments_match_numpy(pairs):
    y = [p[0] for p in pairs]
    x = [p[1] for p in pairs]
    s = RatioStatistic.of_values(y, x)
    assert s.mean_y == pytest.approx(np.mean(y), abs=1e-9)
    assert s.var_y == pytest.approx(np.var(y, ddof=1), rel=1e-6, abs=1e-6)
    assert s.cov_xy == pytest.approx(np.cov(x, y, ddof=1)[0, 1], rel=1e-6, abs=1e-6)
    assert s.ratio == pytest.approx(sum(y) / sum(x))


def test_adding_pools_units():
    a = RatioStatistic.of_values([1, 0, 1])
    b = RatioStatistic.of_values([0, 0])
    assert a + b == RatioStatistic.of_values([1, 0, 1, 0, 0])
    assert (a + b).ratio == pytest.approx(0.4)


def test_delta_method_variance_of_a_ratio_by_hand():
    # y = (2, 4, 6), x = (1, 2, 4): r = 12/7, mean x = 7/3
    s = RatioStatistic.of_values([2, 4, 6], [1, 2, 4])
    r, mx = 12 / 7, 7 / 3
    vy, vx = np.var([2, 4, 6], ddof=1), np.var([1, 2, 4], ddof=1)
    cxy = np.cov([1, 2, 4], [2, 4, 6], ddof=1)[0, 1]
    expected = (vy - 2 * r * cxy + r * r * vx) / (3 * mx * mx)
    assert s.ratio_variance == pytest.approx(expected)


def test_degenerate_cases_say_none():
    empty = RatioStatistic.of_values([])
    assert empty.ratio is None
    assert empty.var_y is None
    one = RatioStatistic.of_values([5.0])
    assert one.var_y is None
    assert one.ratio_variance is None
    constant = RatioStatistic.of_values([0.1] * 10)
    assert constant.var_y == 0.0
