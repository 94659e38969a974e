"""Every degenerate case gives a code (never NaN, p = 1 or a (0, 0) interval), in both units."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kpi.stats import compare
from kpi.sufficient import RatioStatistic as R

EMPTY = R(0, 0.0, 0.0, 0.0, 0.0, 0.0)


def bern(k: int, n: int) -> R:
    return R(n, float(k), float(k), float(n), float(n), float(k))


def week(stat: R, days: int = 7) -> list[R]:
    return [stat] * days


def assert_no_test(result, code):
    assert result.code == code
    assert result.p_value is None
    assert result.p_adjusted is None
    assert result.significant is False
    for value in (result.difference, result.ci_low, result.ci_high, result.mde):
        assert value is None or math.isfinite(value)
    assert (result.ci_low, result.ci_high) != (0.0, 0.0)
    assert result.verdict("en") != result.verdict("pt")
    record = result.to_dict()
    assert record["p_value"] is None
    assert record["significant"] is False


@pytest.mark.parametrize(
    ("kind", "unit", "baseline", "current", "code"),
    [
        # empty period
        ("proportion", "interaction", EMPTY, bern(5, 50), "empty_period"),
        ("proportion", "day", [], week(bern(5, 50)), "empty_period"),
        ("mean", "interaction", R.of_values([3.0, 4.0]), EMPTY, "empty_period"),
        ("mean", "day", week(R.of_values([3.0, 4.0])), [EMPTY] * 7, "empty_period"),
        # one value is not enough
        ("mean", "interaction", R.of_values([3.0]), R.of_values([4.0, 5.0]), "not_enough_data"),
        ("proportion", "interaction", bern(1, 1), bern(3, 10), "not_enough_data"),
        # the day unit needs days
        ("proportion", "day", week(bern(5, 50), 2), week(bern(6, 50), 9), "too_few_days"),
        ("mean", "day", R.of_values([1.0, 2.0]), R.of_values([1.0, 3.0]), "too_few_days"),
        # no variance
        ("mean", "interaction", R.of_values([60.0] * 9), R.of_values([90.0] * 9),
         "zero_variance"),
        ("proportion", "day", week(bern(10, 100)), week(bern(20, 100)), "zero_variance"),
        ("mean", "interaction", R.of_values([60.0] * 9), R.of_values([60.0] * 5), "all_same"),
        ("mean", "day", week(R.of_values([60.0] * 9)), week(R.of_values([60.0, 60.0])),
         "all_same"),
        ("nps", "interaction", R.of_values([100.0] * 9), R.of_values([100.0] * 4), "all_same"),
        # 0 % or 100 % on both sides
        ("proportion", "interaction", bern(0, 80), bern(0, 120), "boundary"),
        ("proportion", "day", week(bern(0, 80)), week(bern(0, 120)), "boundary"),
        ("proportion", "interaction", bern(80, 80), bern(120, 120), "boundary"),
        # ratios without a denominator
        ("ratio", "interaction", R.of_values([0.0, 0.0], [0.0, 0.0]),
         R.of_values([5.0, 6.0], [9.0, 8.0]), "no_denominator"),
        ("ratio", "day", week(R.of_values([0.0], [0.0])), week(R.of_values([5.0], [9.0])),
         "no_denominator"),
        # counts without days
        ("count", "day", week(R(4, 0, 0, 0, 0, 0), 2), week(R(5, 0, 0, 0, 0, 0), 2),
         "too_few_days"),
        ("count", "interaction", week(EMPTY), week(EMPTY), "all_same"),
        ("count", "day", week(EMPTY), week(EMPTY), "all_same"),
    ],
)
def test_degenerate_codes(kind, unit, baseline, current, code):
    assert_no_test(compare(kind, baseline, current, unit=unit), code)


def test_percentile_needs_36_values_and_the_raw_values():
    rng = np.random.default_rng(0)
    a, b = rng.exponential(30, 35), rng.exponential(30, 100)
    few = compare("quantile", R.of_values(a), R.of_values(b), baseline_values=a,
                  current_values=b)
    assert_no_test(few, "too_few_for_p90")
    assert few.difference == pytest.approx(np.quantile(b, 0.9) - np.quantile(a, 0.9))
    a36 = rng.exponential(30, 36)
    enough = compare("quantile", R.of_values(a36), R.of_values(b), baseline_values=a36,
                     current_values=b)
    assert enough.code is None
    assert enough.p_value is not None
    assert_no_test(compare("quantile", R.of_values(a36), R.of_values(b)), "raw_values_needed")
    same = [5.0] * 50
    assert_no_test(
        compare("quantile", R.of_values(same), R.of_values(same), baseline_values=same,
                current_values=same),
        "all_same",
    )


def test_degenerate_verdicts_say_why_in_both_languages():
    result = compare("proportion", bern(0, 80), bern(0, 120), kpi="abandonment_rate",
                     label="Abandonment")
    assert result.verdict("en") == (
        "Abandonment went from 0.0 % to 0.0 %; both periods are at 0.0 %: nothing to test."
    )
    assert result.verdict("pt") == (
        "Abandonment passou de 0,0 % para 0,0 %; os dois períodos estão em 0,0 %: "
        "não há o que testar."
    )
    empty = compare("mean", EMPTY, R.of_values([1.0, 2.0]), label="AHT")
    assert empty.verdict("en") == "AHT: one of the periods has no data."
