"""One-sample tests against a target, and planning (minimum detectable change, volumes)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from kpi.stats import power, targets
from kpi.sufficient import RatioStatistic as R


def bern(k: int, n: int) -> R:
    return R(n, float(k), float(k), float(n), float(n), float(k))


def test_proportion_against_target_is_an_exact_binomial_test():
    # abandonment 30/250 = 12 % against a 10 % target (lower is better)
    result = targets.test_against_target("proportion", bern(30, 250), 0.10, "lower")
    by_hand = sum(math.comb(250, k) * 0.1**k * 0.9 ** (250 - k) for k in range(30, 251))
    assert result.test == "exact_binomial"
    assert result.p_value == pytest.approx(by_hand)
    assert result.significantly_worse is (by_hand < 0.05)
    assert result.value == pytest.approx(0.12)


def test_mean_against_target_is_a_one_sample_t():
    rng = np.random.default_rng(8)
    waits = rng.exponential(50, 60)
    result = targets.test_against_target("mean", R.of_values(waits), 40.0, "lower")
    reference = sps.ttest_1samp(waits, 40.0, alternative="greater")
    assert result.test == "one_sample_t"
    assert result.p_value == pytest.approx(reference.pvalue)


def test_higher_is_better_and_bands_test_the_worse_side():
    satisfied = targets.test_against_target("proportion", bern(70, 100), 0.8, "higher")
    assert satisfied.p_value == pytest.approx(sps.binomtest(70, 100, 0.8, "less").pvalue)
    assert satisfied.significantly_worse
    over = targets.test_against_target("ratio", R.of_values([9.0, 8.5, 9.2, 8.8],
                                                            [10.0] * 4), (0.75, 0.85), "band")
    se = math.sqrt(R.of_values([9.0, 8.5, 9.2, 8.8], [10.0] * 4).ratio_variance)
    assert over.p_value == pytest.approx(sps.norm.sf((0.8875 - 0.85) / se))


def test_day_unit_against_target_uses_days():
    days = [bern(k, 100) for k in (8, 12, 15, 9, 14, 11, 13)]
    result = targets.test_against_target("proportion", days, 0.10, "lower")
    assert result.unit == "day"
    rates = [d.sum_y / 100 for d in days]  # equal daily volumes: the delta method is a t
    reference = sps.ttest_1samp(rates, 0.10, alternative="greater")
    assert result.p_value == pytest.approx(reference.pvalue)


def test_percentile_and_volume_against_target():
    waits = np.arange(1.0, 101.0)  # 12 of 100 values above 88
    result = targets.test_against_target("quantile", R.of_values(waits), 88.0, "lower",
                                         values=waits)
    assert result.p_value == pytest.approx(sps.binomtest(12, 100, 0.1, "greater").pvalue)
    few = targets.test_against_target("quantile", R.of_values(waits[:20]), 88.0, "lower",
                                      values=waits[:20])
    assert few.code == "too_few_for_p90"
    assert few.p_value is None
    volume = targets.test_against_target("count", R(80, 0, 0, 0, 0, 0), 10.0, "lower",
                                         exposure=7, unit="interaction")
    assert volume.p_value == pytest.approx(sps.poisson.sf(79, 70))
    empty = targets.test_against_target("mean", R(0, 0, 0, 0, 0, 0), 40.0, "lower")
    assert (empty.code, empty.p_value, empty.significantly_worse) == ("empty_period", None,
                                                                      False)


@pytest.mark.parametrize(("sd", "n1", "n2"), [(0.3, 500, 500), (0.4, 40, 40), (95.0, 300, 450)])
def test_minimum_detectable_change_agrees_with_statsmodels(sd, n1, n2):
    from statsmodels.stats.power import NormalIndPower

    effect = NormalIndPower().solve_power(nobs1=n1, alpha=0.05, power=0.8, ratio=n2 / n1)
    assert power.minimum_detectable_change(sd, n1, n2) == pytest.approx(effect * sd, rel=1e-3)


def test_volumes_needed_for_a_change():
    from statsmodels.stats.power import NormalIndPower

    sd = power.proportion_sd(0.10)
    n = power.n_per_side(sd, 0.02)
    reference = NormalIndPower().solve_power(effect_size=0.02 / sd, alpha=0.05, power=0.8)
    assert n == math.ceil(2 * ((sps.norm.ppf(0.975) + sps.norm.ppf(0.8)) * sd / 0.02) ** 2)
    assert n == math.ceil(reference - 1e-6)  # contacts in each period
    assert power.periods_needed(sd, 0.02, 500) == math.ceil(n / 500)
    assert power.n_per_side(sd, 0.0) is None
