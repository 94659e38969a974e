"""Control charts (Laney p′, XmR) by hand, and the Western Electric rules one by one."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kpi.stats.control import laney_p_chart, western_electric, xmr_chart

DAYS = pd.date_range("2026-03-02", periods=10, freq="D")


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([0, 0.5, 3.5], [(), (), (1,)]),
        ([0, -0.5, -3.1], [(), (), (1,)]),
        ([2.5, 0, 2.5], [(), (), (2,)]),
        ([2.5, 0, -2.5], [(), (), ()]),
        ([-2.2, -2.4, 0], [(), (2,), ()]),
        ([1.5, 1.5, 0, 1.5, 1.5], [(), (), (), (), (3,)]),
        ([1.5, 1.5, 0, -1.5, 1.5], [(), (), (), (), ()]),
        ([0.5] * 8, [()] * 7 + [(4,)]),
        ([-0.5] * 9, [()] * 7 + [(4,), (4,)]),
        ([0.5] * 7 + [-0.5], [()] * 8),
        ([1.2, 1.2, 2.5, 1.2, 3.2, 0.4, 0.4, 0.4],
         [(), (), (), (3,), (1, 2, 3), (), (), (4,)]),
    ],
)
def test_western_electric_rules(scores, expected):
    assert western_electric(scores) == expected


def test_laney_p_chart_by_hand():
    events = np.array([12, 15, 9, 20, 14, 11, 16, 13, 40, 12])
    totals = np.array([150, 160, 140, 170, 150, 145, 155, 150, 150, 148])
    chart = laney_p_chart(DAYS, events, totals, baseline=(DAYS[0], DAYS[7]))
    p_bar = events[:8].sum() / totals[:8].sum()
    sigma_p = [math.sqrt(p_bar * (1 - p_bar) / n) for n in totals]
    z = [(e / n - p_bar) / s for e, n, s in zip(events, totals, sigma_p, strict=True)]
    moving = [abs(z[i] - z[i - 1]) for i in range(1, 8)]
    sigma_z = sum(moving) / len(moving) / 1.128
    assert chart.code is None
    assert chart.center == pytest.approx(p_bar)
    assert chart.sigma_z == pytest.approx(sigma_z)
    frame = chart.frame
    assert frame["upper"].tolist() == pytest.approx(
        [p_bar + 3 * s * sigma_z for s in sigma_p]
    )
    assert frame["lower"].tolist() == pytest.approx(
        [max(p_bar - 3 * s * sigma_z, 0) for s in sigma_p]
    )
    assert frame["in_baseline"].tolist() == [True] * 8 + [False] * 2
    assert frame.loc[8, "flagged"]
    assert frame.loc[8, "rule"] == 1
    assert frame.loc[8, "value"] == pytest.approx(40 / 150)


def test_xmr_chart_by_hand_and_degenerate_codes():
    values = [300, 310, 290, 305, 295, 300, 420, 301, 299, 302]
    chart = xmr_chart(DAYS, values, baseline=(DAYS[0], DAYS[5]))
    base = values[:6]
    sigma = np.mean(np.abs(np.diff(base))) / 1.128
    assert chart.center == pytest.approx(np.mean(base))
    assert chart.frame["upper"].iloc[0] == pytest.approx(np.mean(base) + 3 * sigma)
    assert chart.frame["rule"].tolist()[6] == 1
    assert xmr_chart(DAYS, [300.0] * 10).code == "zero_variance"
    assert xmr_chart(DAYS[:1], [300.0]).code == "not_enough_data"
    assert laney_p_chart(DAYS, [0] * 10, [100] * 10).code == "boundary"
    assert not laney_p_chart(DAYS, [0] * 10, [100] * 10).frame["flagged"].any()
