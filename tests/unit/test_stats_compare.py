"""Comparisons by KPI kind, checked against published values, hand computations and scipy."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from kpi.stats import compare
from kpi.stats.compare import improvement
from kpi.stats.counts import dispersion
from kpi.stats.proportions import newcombe_interval, wilson_interval
from kpi.sufficient import RatioStatistic as R

Z = sps.norm.ppf(0.975)


def bernoulli(k: int, n: int) -> R:
    return R(n, float(k), float(k), float(n), float(n), float(k))


# ------------------------------------------------------------------ published values


def test_wilson_interval_published_value():
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def _wilson_by_hand(k, n):
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


@pytest.mark.parametrize(
    ("a", "m", "b", "n", "expected"),
    [  # Newcombe (1998) Table II, method 10 (hybrid score, no continuity correction)
        (56, 70, 48, 80, (0.0524, 0.3339)),
        (9, 10, 3, 10, (0.1705, 0.8090)),
        (6, 7, 2, 7, (0.0582, 0.8062)),
        (5, 56, 0, 29, (-0.0381, 0.1926)),
        (0, 10, 0, 20, (-0.1611, 0.2775)),
        (0, 10, 0, 10, (-0.2775, 0.2775)),
        (10, 10, 0, 20, (0.6791, 1.0000)),
        (10, 10, 0, 10, (0.6075, 1.0000)),
    ],
)
def test_newcombe_hybrid_score_published_values(a, m, b, n, expected):
    low, high = newcombe_interval(a, m, b, n)
    assert (round(low, 4), round(high, 4)) == expected
    # and the same from Wilson limits by hand (Newcombe's construction)
    l1, u1 = _wilson_by_hand(a, m)
    l2, u2 = _wilson_by_hand(b, n)
    d = a / m - b / n
    assert low == pytest.approx(d - math.hypot(a / m - l1, u2 - b / n), abs=1e-9)
    assert high == pytest.approx(d + math.hypot(u1 - a / m, b / n - l2), abs=1e-9)


# ------------------------------------------------------------------ proportions


def test_proportion_z_test_by_hand_and_sides():
    result = compare("proportion", bernoulli(81, 1000), bernoulli(64, 1000), direction="lower")
    pooled = 145 / 2000
    z = (0.064 - 0.081) / math.sqrt(pooled * (1 - pooled) * (2 / 1000))
    assert result.test == "two_proportion_z"
    assert result.unit == "interaction"
    assert result.p_value == pytest.approx(2 * sps.norm.sf(abs(z)))
    assert result.difference == pytest.approx(-0.017)
    assert result.relative_difference == pytest.approx(-0.017 / 0.081)
    assert (result.ci_low, result.ci_high) == pytest.approx(newcombe_interval(64, 1000, 81, 1000))
    assert (result.baseline.ci_low, result.baseline.ci_high) == pytest.approx(
        _wilson_by_hand(81, 1000)
    )
    assert result.improved is True
    assert result.p_adjusted == result.p_value
    assert result.significant is False
    se0 = math.sqrt(pooled * (1 - pooled) * (2 / 1000))
    assert result.mde == pytest.approx((Z + sps.norm.ppf(0.8)) * se0)


def test_fisher_exact_when_an_expected_cell_is_small():
    result = compare("proportion", bernoulli(1, 40), bernoulli(7, 40))
    assert result.test == "fisher_exact"
    # hypergeometric by hand: 8 successes among 80, 40 drawn for "current"
    pmf = [math.comb(8, k) * math.comb(72, 40 - k) / math.comb(80, 40) for k in range(9)]
    observed = pmf[7]
    assert result.p_value == pytest.approx(sum(p for p in pmf if p <= observed * (1 + 1e-7)))


# ------------------------------------------------------------------ means


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0, 600, allow_nan=False), min_size=2, max_size=30),
    st.lists(st.floats(0, 600, allow_nan=False), min_size=2, max_size=30),
)
def test_welch_from_sufficient_statistics_equals_welch_on_raw_values(a, b):
    if np.var(a) < 1e-3 or np.var(b) < 1e-3:
        return
    result = compare("mean", R.of_values(a), R.of_values(b))
    reference = sps.ttest_ind(b, a, equal_var=False)
    assert result.test == "welch_t"
    assert result.p_value == pytest.approx(reference.pvalue, rel=1e-6, abs=1e-12)
    ci = reference.confidence_interval()
    assert (result.ci_low, result.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-6, abs=1e-9)


def test_mann_whitney_robustness_where_raw_values_exist():
    rng = np.random.default_rng(3)
    a, b = rng.exponential(60, 80), rng.exponential(75, 90)
    result = compare("mean", R.of_values(a), R.of_values(b), baseline_values=a, current_values=b)
    assert result.robustness == pytest.approx(
        sps.mannwhitneyu(b, a, alternative="two-sided").pvalue
    )


def test_nps_variance_is_promoters_plus_detractors_minus_nps_squared():
    base = R.of_values([100] * 50 + [0] * 30 + [-100] * 20)  # NPS 30
    cur = R.of_values([100] * 60 + [0] * 25 + [-100] * 15)  # NPS 45
    result = compare("nps", base, cur, direction="higher")
    v1 = 100**2 * (0.5 + 0.2) - 30**2
    v2 = 100**2 * (0.6 + 0.15) - 45**2
    se = math.sqrt(v1 / 100 + v2 / 100)
    assert result.test == "nps_delta"
    assert result.difference == pytest.approx(15)
    assert result.p_value == pytest.approx(2 * sps.norm.sf(15 / se))
    assert result.ci_low == pytest.approx(15 - Z * se)
    assert result.improved is True
    assert result.relative_difference == pytest.approx(15 / 30)


def test_relative_difference_is_relative_to_the_size_of_a_negative_baseline():
    base = R.of_values([100] * 20 + [0] * 30 + [-100] * 50)  # NPS -30
    cur = R.of_values([100] * 30 + [0] * 30 + [-100] * 40)  # NPS -10
    result = compare("nps", base, cur, direction="higher")
    assert result.difference == pytest.approx(20)
    assert result.relative_difference == pytest.approx(20 / 30)  # a rise, so positive


# ------------------------------------------------------------------ day unit


def _raw_days(rng, days, p, per_day):
    rows = []
    for d in range(days):
        n = int(rng.integers(per_day // 2, per_day))
        rows.append(pd.DataFrame({"day": d, "y": rng.random(n) < p}))
    return pd.concat(rows, ignore_index=True)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(7, 15), st.integers(7, 15))
def test_day_unit_delta_method_equals_direct_computation(seed, days_a, days_b):
    rng = np.random.default_rng(seed)
    frames = [_raw_days(rng, days_a, 0.2, 60), _raw_days(rng, days_b, 0.25, 60)]
    sides = [
        [R.of_values(g["y"].astype(float).tolist()) for _, g in f.groupby("day")] for f in frames
    ]
    result = compare("proportion", sides[0], sides[1])
    assert result.unit == "day"
    assert result.test == "delta_method_days"
    # direct: linearised residuals of the ratio of daily sums
    estimates, variances, dfs = [], [], []
    for f in frames:
        daily = f.groupby("day")["y"].agg(["sum", "count"])
        y, x = daily["sum"].to_numpy(float), daily["count"].to_numpy(float)
        r = y.sum() / x.sum()
        residual = (y - r * x) / x.mean()
        estimates.append(r)
        variances.append(residual.var(ddof=1) / len(y))
        dfs.append(len(y) - 1)
    se = math.sqrt(sum(variances))
    df = sum(variances) ** 2 / sum(v * v / d for v, d in zip(variances, dfs, strict=True))
    diff = estimates[1] - estimates[0]
    assert result.difference == pytest.approx(diff)
    assert result.p_value == pytest.approx(2 * sps.t.sf(abs(diff) / se, df), rel=1e-6)
    assert result.ci_high == pytest.approx(diff + sps.t.ppf(0.975, df) * se, rel=1e-6)


def test_auto_unit_needs_seven_days_each_side():
    six = [bernoulli(10, 100)] * 6
    seven = [bernoulli(10, 100), bernoulli(12, 100)] * 3 + [bernoulli(9, 100)]
    assert compare("proportion", seven, seven).unit == "day"
    assert compare("proportion", six, seven).unit == "interaction"
    assert compare("proportion", seven, seven, unit="interaction").unit == "interaction"


def test_ratio_over_agent_days_uses_the_delta_method():
    handle = [3000.0, 2500.0, 4000.0, 3500.0, 2000.0]
    online = [3600.0, 3600.0, 4800.0, 3900.0, 3000.0]
    base = R.of_values(handle, online)
    cur = R.of_values([h * 1.1 for h in handle], online)
    result = compare("ratio", base, cur, direction="band", band=(0.75, 0.85))
    assert result.test == "delta_method"
    se = math.sqrt(base.ratio_variance + cur.ratio_variance)
    assert result.p_value == pytest.approx(2 * sps.norm.sf(abs(result.difference) / se))
    # 0.794 (inside 75–85 %) → 0.873 (above it): a move out of the band
    assert 0.75 < base.ratio < 0.85 < cur.ratio
    assert result.improved is False


# ------------------------------------------------------------------ counts


def test_exact_conditional_poisson_by_hand():
    base = [R(1, 0, 0, 0, 0, 0)] * 2 + [R(0, 0, 0, 0, 0, 0)] * 5  # 2 contacts in 7 days
    cur = [R(3, 0, 0, 0, 0, 0)] * 3  # 9 contacts
    result = compare("count", base, cur, unit="interaction", exposure=(7, 7))
    assert result.test == "exact_poisson_conditional"
    assert result.p_value == pytest.approx(2 * (55 + 11 + 1) / 2048)
    assert result.baseline.value == pytest.approx(2 / 7)
    assert result.current.value == pytest.approx(9 / 7)


def test_quasi_poisson_dispersion_and_score_test_by_hand():
    a = [40, 55, 38, 70, 52, 44, 61, 35]
    b = [60, 72, 50, 90, 66, 58, 80, 64, 71]
    result = compare("count", [R(c, 0, 0, 0, 0, 0) for c in a], [R(c, 0, 0, 0, 0, 0) for c in b])
    assert result.unit == "day"
    assert result.test == "quasi_poisson"
    chi2 = sum((c - np.mean(a)) ** 2 / np.mean(a) for c in a) + sum(
        (c - np.mean(b)) ** 2 / np.mean(b) for c in b
    )
    phi = max(1.0, chi2 / (len(a) + len(b) - 2))
    assert dispersion(a, b) == pytest.approx(phi)
    pooled = (sum(a) + sum(b)) / (len(a) + len(b))
    diff = np.mean(b) - np.mean(a)
    se0 = math.sqrt(phi * pooled * (1 / len(a) + 1 / len(b)))
    assert result.difference == pytest.approx(diff)
    assert result.p_value == pytest.approx(2 * sps.t.sf(diff / se0, len(a) + len(b) - 2))


def test_quasi_poisson_dispersion_matches_statsmodels_glm():
    import statsmodels.api as sm

    a = [40, 55, 38, 70, 52, 44, 61, 35]
    b = [60, 72, 50, 90, 66, 58, 80, 64, 71]
    design = sm.add_constant(np.r_[np.zeros(len(a)), np.ones(len(b))])
    fit = sm.GLM(np.r_[a, b], design, family=sm.families.Poisson()).fit(scale="X2")
    assert dispersion(a, b) == pytest.approx(fit.scale)


def test_missing_days_count_as_zero_contacts_for_volumes():
    days = [R(5, 0, 0, 0, 0, 0)] * 5
    result = compare("count", days, days, exposure=(7, 5), unit="day")
    assert result.baseline.value == pytest.approx(25 / 7)
    assert result.current.value == pytest.approx(5.0)


# ------------------------------------------------------------------ quantiles


def test_quantile_bootstrap_difference_interval_and_determinism():
    rng = np.random.default_rng(11)
    a = np.round(rng.exponential(40, 400))
    b = np.round(rng.exponential(55, 400))
    first = compare("quantile", R.of_values(a), R.of_values(b), baseline_values=a,
                    current_values=b)
    again = compare("quantile", R.of_values(a), R.of_values(b), baseline_values=a,
                    current_values=b)
    assert first == again
    assert first.test == "bootstrap_percentile"
    assert first.difference == pytest.approx(np.quantile(b, 0.9) - np.quantile(a, 0.9))
    assert first.baseline.value == pytest.approx(np.quantile(a, 0.9))
    assert first.ci_low < first.difference < first.ci_high
    assert first.robustness == pytest.approx(sps.mannwhitneyu(b, a).pvalue)


def test_count_resampling_matches_row_resampling():
    from kpi.stats.bootstrap import bootstrap_quantiles

    rng = np.random.default_rng(5)
    values = np.round(rng.gamma(2.0, 30.0, 3000))
    ours = bootstrap_quantiles(values, 0.9, np.random.default_rng(1), 4000)
    rows = np.random.default_rng(2).integers(0, len(values), (4000, len(values)))
    naive = np.quantile(values[rows], 0.9, axis=1)
    assert ours.mean() == pytest.approx(naive.mean(), rel=0.01)
    assert ours.std() == pytest.approx(naive.std(), rel=0.1)
    assert np.quantile(ours, [0.025, 0.975]) == pytest.approx(
        np.quantile(naive, [0.025, 0.975]), rel=0.03
    )


# ------------------------------------------------------------------ direction


@pytest.mark.parametrize(
    ("direction", "band", "before", "after", "expected"),
    [
        ("higher", None, 1, 2, True),
        ("lower", None, 1, 2, False),
        ("neutral", None, 1, 2, None),
        ("higher", None, 2, 2, None),
        ("band", (0.75, 0.85), 0.6, 0.7, True),
        ("band", (0.75, 0.85), 0.8, 0.9, False),
        ("band", (0.75, 0.85), 0.78, 0.82, None),
        ("band", (0.75, 0.85), 0.95, 0.5, False),
    ],
)
def test_improvement_given_direction(direction, band, before, after, expected):
    assert improvement(direction, before, after, band) is expected


def test_merged_bins_keep_the_spread_of_continuous_values():
    from kpi.stats.bootstrap import MAX_BINS, bootstrap_quantiles

    rng = np.random.default_rng(6)
    values = rng.exponential(40.0, 40_000)  # ~1,000 distinct values near p90 → merged bins
    ours = bootstrap_quantiles(values, 0.9, np.random.default_rng(1), 2000)
    rows = np.random.default_rng(2).integers(0, len(values), (500, len(values)))
    naive = np.quantile(values[rows], 0.9, axis=1)
    assert len(np.unique(ours)) <= MAX_BINS + 2
    assert ours.mean() == pytest.approx(naive.mean(), rel=0.002)
    assert ours.std() == pytest.approx(naive.std(), rel=0.15)
