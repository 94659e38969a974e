"""kpi.changes: comparisons of a selection (catalog and custom KPIs), unit check, periods."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportions_ztest

from kpi import changes
from kpi.custom import Condition, CustomKpi
from kpi.errors import DefinitionError
from kpi.stats import compare
from kpi.sufficient import RatioStatistic

BASELINE = (dt.date(2026, 3, 2), dt.date(2026, 3, 15))
CURRENT = (dt.date(2026, 3, 16), dt.date(2026, 3, 29))


@pytest.fixture(scope="module")
def contacts() -> pd.DataFrame:
    """28 days of contacts; abandonment falls from 12 % to 5 % on chat only."""
    rng = np.random.default_rng(3)
    n = 6000
    created = pd.Timestamp("2026-03-02 08:00") + pd.to_timedelta(
        rng.integers(0, 28, n), unit="D") + pd.to_timedelta(rng.integers(0, 36_000, n), unit="s")
    channel = rng.choice(["phone", "chat"], n)
    late = np.asarray(created >= pd.Timestamp("2026-03-16"))
    rate = np.where(late & (channel == "chat"), 0.05, 0.12)
    return pd.DataFrame({
        "interaction_id": [str(i) for i in range(n)],
        "created_at": created.astype("datetime64[us]"),
        "channel": pd.Series(channel, dtype="str"),
        "abandoned": pd.Series(rng.random(n) < rate, dtype="boolean"),
        "wait_seconds": rng.exponential(40, n).round(),
    })


ABANDONED_CUSTOM = CustomKpi(
    id="gave_up", name="Gave up", form="rate", unit="percent", direction="lower",
    numerator=(Condition("abandoned", "=", True),),
)


def test_kpi_spec_of_catalog_and_custom_kpis() -> None:
    spec = changes.kpi_spec("abandonment_rate", lang="pt")
    assert (spec.kind, spec.direction, spec.value_format) == ("proportion", "lower", "percent")
    assert spec.label == "Taxa de abandono"
    custom = changes.kpi_spec(ABANDONED_CUSTOM)
    assert (custom.kind, custom.direction, custom.value_format, custom.label) == (
        "proportion", "lower", "percent", "Gave up")
    p75 = CustomKpi(id="p75_wait", name="P75 wait", form="percentile", column="wait_seconds",
                    quantile=0.75, unit="seconds", direction="lower")
    spec = changes.kpi_spec(p75)
    assert (spec.kind, spec.quantile, spec.value_format) == ("quantile", 0.75, "duration")


def test_custom_rate_compares_like_the_catalog_kpi_and_by_hand(contacts) -> None:
    results = changes.compare_periods(contacts, ["abandonment_rate", ABANDONED_CUSTOM],
                                      BASELINE, CURRENT, unit="interaction")
    builtin, custom = results
    assert custom.kpi == "gave_up"
    assert custom.label == "Gave up"
    assert custom.p_value == pytest.approx(builtin.p_value)
    day = contacts["created_at"].dt.date
    before = contacts.loc[(day >= BASELINE[0]) & (day <= BASELINE[1]), "abandoned"]
    after = contacts.loc[(day >= CURRENT[0]) & (day <= CURRENT[1]), "abandoned"]
    assert custom.baseline.value == pytest.approx(before.mean())
    assert custom.current.value == pytest.approx(after.mean())
    _, p = proportions_ztest([after.sum(), before.sum()], [len(after), len(before)])
    assert custom.p_value == pytest.approx(p, rel=1e-6)
    # both tested together: BH with two equal p-values leaves them unchanged
    assert custom.p_adjusted == pytest.approx(custom.p_value)


def test_segments_find_the_chat_drop_only(contacts) -> None:
    results = changes.compare_periods(contacts, ["abandonment_rate"], BASELINE, CURRENT,
                                      by="channel")
    by_channel = {r.segment_value: r for r in results}
    assert by_channel["chat"].significant
    assert by_channel["chat"].improved
    assert not by_channel["phone"].significant
    assert all(r.unit == "day" for r in results)


def test_one_vs_rest_rest_side_is_every_other_segment(contacts) -> None:
    results = changes.compare_one_vs_rest(contacts, ["abandonment_rate", "p90_wait"], CURRENT,
                                          "channel")
    chat = next(r for r in results if r.kpi == "abandonment_rate" and r.segment_value == "chat")
    day = contacts["created_at"].dt.date
    in_period = contacts[(day >= CURRENT[0]) & (day <= CURRENT[1])]
    is_chat = in_period["channel"] == "chat"
    assert chat.versus_rest
    assert chat.current.value == pytest.approx(in_period.loc[is_chat, "abandoned"].mean())
    assert chat.baseline.value == pytest.approx(in_period.loc[~is_chat, "abandoned"].mean())
    p90 = next(r for r in results if r.kpi == "p90_wait" and r.segment_value == "phone")
    handled = in_period[~in_period["abandoned"].astype(bool)]
    rest = handled.loc[handled["channel"] != "phone", "wait_seconds"]
    assert p90.baseline.value == pytest.approx(np.quantile(rest, 0.9))


def test_multiset_difference_removes_one_occurrence_per_value() -> None:
    left = changes._multiset_difference([1.0, 1.0, 2.0, 3.0, 3.0], [1.0, 3.0, 3.0])
    assert sorted(left) == [1.0, 2.0]


def test_both_units_pairs_each_comparison_with_the_other_unit(contacts) -> None:
    check = changes.compare_both_units(
        changes.compare_periods, ["abandonment_rate", "p90_wait"], "auto",
        interactions=contacts, baseline=BASELINE, current=CURRENT, by="channel",
    )
    assert [c.unit for c in check.comparisons if c.kpi == "abandonment_rate"] == ["day", "day"]
    others = {(o.kpi, o.segment_value): o for o in check.other if o is not None}
    assert {o.unit for o in others.values()} == {"interaction"}
    # percentiles have one test whatever the unit: nothing to check
    assert [h for c, h in zip(check.comparisons, check.holds, strict=True)
            if c.kpi == "p90_wait"] == [None, None]
    alone = changes.compare_periods(contacts, ["abandonment_rate"], BASELINE, CURRENT,
                                    by="channel", unit="interaction")
    chat = next(r for r in alone if r.segment_value == "chat")
    assert others[("abandonment_rate", "chat")].p_adjusted == pytest.approx(chat.p_adjusted)


def test_source_reused_across_periods_equals_the_direct_computation(contacts) -> None:
    """The cached path (daily statistics sliced, raw values remembered) gives the very same
    comparisons as computing each pair of periods from the frame."""
    kpis = ["abandonment_rate", "avg_wait", ABANDONED_CUSTOM]
    source = changes.ComparisonSource(contacts)
    week = dt.timedelta(days=7)
    cases = [
        (changes.compare_periods, {"baseline": BASELINE, "current": CURRENT, "by": None}),
        (changes.compare_periods, {"baseline": BASELINE,
                                   "current": (CURRENT[0] - week, CURRENT[1] - week),
                                   "by": None}),
        (changes.compare_periods, {"baseline": BASELINE, "current": CURRENT, "by": "channel"}),
        (changes.compare_one_vs_rest, {"period": CURRENT, "by": "channel"}),
    ]
    for run, kwargs in cases:
        cached = changes.compare_both_units(run, kpis, "auto", interactions=source, **kwargs)
        direct = changes.compare_both_units(run, kpis, "auto", interactions=contacts, **kwargs)
        assert cached == direct
        assert len(cached.comparisons) >= 3
    # a KPI the source has not seen, then a subset of the cached ones
    for chosen in (["p90_wait", "avg_wait"], ["p90_wait"]):
        assert changes.compare_periods(source, chosen, BASELINE, CURRENT) == \
            changes.compare_periods(contacts, chosen, BASELINE, CURRENT)
    # a fresh source asked for one KPI, then for one more
    fresh = changes.ComparisonSource(contacts)
    changes.compare_periods(fresh, ["avg_wait"], BASELINE, CURRENT)
    grown = changes.compare_periods(fresh, ["avg_wait", "abandonment_rate"], BASELINE, CURRENT,
                                    by="channel")
    assert grown == changes.compare_periods(contacts, ["avg_wait", "abandonment_rate"],
                                            BASELINE, CURRENT, by="channel")
    assert [c.kpi for c in grown] == ["avg_wait"] * 2 + ["abandonment_rate"] * 2


def _comparison(**changes_: object):
    base = compare("proportion", RatioStatistic.of_values([0] * 90 + [1] * 10),
                   RatioStatistic.of_values([0] * 95 + [1] * 5), direction="lower")
    return dataclasses.replace(base, **changes_)


def test_verdict_holds_needs_same_significance_and_direction() -> None:
    day = _comparison(unit="day", significant=True, p_adjusted=0.01, difference=-0.05)
    same = _comparison(unit="interaction", significant=True, p_adjusted=0.001, difference=-0.05)
    lost = _comparison(unit="interaction", significant=False, p_adjusted=0.2, difference=-0.05)
    flipped = _comparison(unit="interaction", significant=True, p_adjusted=0.01,
                          difference=0.05)
    untestable = _comparison(unit="interaction", p_adjusted=None)
    assert changes.verdict_holds(day, same) is True
    assert changes.verdict_holds(day, lost) is False
    assert changes.verdict_holds(day, flipped) is False
    assert changes.verdict_holds(day, untestable) is None
    assert changes.verdict_holds(day, None) is None
    both_unclear = _comparison(unit="day", significant=False, p_adjusted=0.3)
    assert changes.verdict_holds(both_unclear, lost) is True


def test_change_rows_format_in_the_language(contacts) -> None:
    check = changes.compare_both_units(
        changes.compare_periods, ["abandonment_rate"], "auto", interactions=contacts,
        baseline=BASELINE, current=CURRENT, by="channel",
    )
    rows = changes.change_rows(check, "pt", {"abandonment_rate": "Abandono"})
    chat = rows[rows["segment"] == "chat"].iloc[0]
    comparison = next(c for c in check.comparisons if c.segment_value == "chat")
    assert chat["label"] == "Abandono"
    assert chat["outcome"] == "improved"
    assert chat["baseline"] == f"{comparison.baseline.value * 100:.1f} %".replace(".", ",")
    assert chat["verdict"].startswith("Abandono caiu de")
    assert chat["difference_value"] == pytest.approx(comparison.difference)
    assert rows.loc[rows["segment"] == "phone", "outcome"].iloc[0] == "unclear"


def test_default_periods_are_the_last_complete_weeks() -> None:
    sunday = changes.default_periods(dt.date(2026, 7, 5))
    assert sunday.current == (dt.date(2026, 6, 8), dt.date(2026, 7, 5))
    assert sunday.baseline == (dt.date(2026, 5, 11), dt.date(2026, 6, 7))
    assert changes.default_periods(dt.date(2026, 7, 8)) == sunday  # Wednesday: week incomplete
    assert sunday.days == (28, 28)


def test_change_date_periods_have_equal_lengths() -> None:
    periods = changes.change_date_periods(dt.date(2026, 4, 6), dt.date(2026, 1, 5),
                                          dt.date(2026, 7, 5))
    assert periods.baseline == (dt.date(2026, 1, 5), dt.date(2026, 4, 5))
    assert periods.current == (dt.date(2026, 4, 6), dt.date(2026, 7, 5))
    short = changes.change_date_periods(dt.date(2026, 7, 1), dt.date(2026, 1, 5),
                                        dt.date(2026, 7, 5))
    assert short.days == (5, 5)
    assert short.baseline[0] == dt.date(2026, 6, 26)
    with pytest.raises(DefinitionError) as error:
        changes.change_date_periods(dt.date(2026, 1, 5), dt.date(2026, 1, 5),
                                    dt.date(2026, 7, 5))
    assert error.value.code == "changes_page.error.change_date"


def _ms(text: str) -> float:
    return pd.Timestamp(text).value / 1e6


def test_brush_periods_take_the_buckets_whose_start_is_brushed() -> None:
    weeks = changes.brush_periods(_ms("2026-03-04"), _ms("2026-03-31 12:00"), "week")
    assert weeks.current == (dt.date(2026, 3, 9), dt.date(2026, 4, 5))
    assert weeks.baseline == (dt.date(2026, 2, 9), dt.date(2026, 3, 8))
    days = changes.brush_periods(_ms("2026-03-31 12:00"), _ms("2026-03-04 09:00"), "day")
    assert days.current == (dt.date(2026, 3, 5), dt.date(2026, 3, 31))
    exact = changes.brush_periods(_ms("2026-03-04"), _ms("2026-03-04 23:00"), "day")
    assert exact.current == (dt.date(2026, 3, 4), dt.date(2026, 3, 4))
    months = changes.brush_periods(_ms("2026-01-20"), _ms("2026-03-02"), "month")
    assert months.current == (dt.date(2026, 2, 1), dt.date(2026, 3, 31))
    assert months.baseline == (dt.date(2025, 12, 4), dt.date(2026, 1, 31))
    assert changes.brush_periods(_ms("2026-03-10"), _ms("2026-03-12"), "week") is None


def test_reversed_period_is_refused() -> None:
    with pytest.raises(DefinitionError):
        changes.check_periods(changes.ComparisonPeriods(BASELINE, (CURRENT[1], CURRENT[0])))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), 1e19])
def test_brush_periods_ignore_values_no_chart_can_brush(bad):
    assert changes.brush_periods(bad, 1.7e12, "week") is None
    assert changes.brush_periods(1.7e12, bad, "day") is None
