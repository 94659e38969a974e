"""Benjamini–Hochberg, frame-level comparisons and the verdict sentences."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kpi.stats import Comparison, KpiSpec, SideSummary, compare, compare_frames, compare_segments
from kpi.stats.multiple import benjamini_hochberg
from kpi.stats.verdict import format_change, format_p, format_value, verdict
from kpi.sufficient import STAT_COLUMNS
from kpi.sufficient import RatioStatistic as R

# Benjamini & Hochberg (1995), section 4: 15 p-values from a myocardial infarction study.
BH_1995 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240,
           0.4262, 0.5719, 0.6528, 0.7590, 1.0000]


def test_benjamini_hochberg_published_example_rejects_four():
    adjusted = benjamini_hochberg(BH_1995)
    assert sum(p < 0.05 for p in adjusted) == 4
    # the step-up rule by hand: largest i with p_(i) ≤ i/m·q
    m = len(BH_1995)
    assert max(i for i, p in enumerate(sorted(BH_1995), 1) if p <= i / m * 0.05) == 4
    # adjusted p_(i) = min over j ≥ i of m p_(j) / j
    by_hand = [min(m * BH_1995[j] / (j + 1) for j in range(i, m)) for i in range(m)]
    assert adjusted == pytest.approx([min(p, 1.0) for p in by_hand])


def test_benjamini_hochberg_skips_missing_p_values():
    assert benjamini_hochberg([0.01, None, 0.04]) == pytest.approx([0.02, None, 0.04])
    assert benjamini_hochberg([None]) == [None]


def _example(p_value=0.0004, p_adjusted=None, **changes) -> Comparison:
    fields = {
        "kpi": "abandonment_rate", "kind": "proportion", "direction": "lower",
        "baseline": SideSummary(0.081, 5210), "current": SideSummary(0.064, 5380),
        "difference": -0.017, "relative_difference": -0.017 / 0.081, "ci_low": -0.026,
        "ci_high": -0.008, "p_value": p_value,
        "p_adjusted": p_value if p_adjusted is None else p_adjusted,
        "test": "two_proportion_z", "unit": "interaction", "significant": True,
        "improved": True, "mde": 0.023, "label": "Abandonment",
    }
    fields.update(changes)
    return Comparison(**fields)


def test_verdict_sentence_of_the_spec_in_english_and_portuguese():
    assert _example().verdict("en") == (
        "Abandonment fell from 8.1 % to 6.4 % (−1.7 points, 95 % CI −2.6 to −0.8); "
        "this is very unlikely to be chance (p = 0.0004)."
    )
    assert _example().verdict("pt") == (
        "Abandonment caiu de 8,1 % para 6,4 % (−1,7 pontos, IC 95 % −2,6 a −0,8); "
        "é muito improvável que seja acaso (p = 0,0004)."
    )


def test_verdict_when_there_is_not_enough_data_to_tell():
    sentence = verdict(_example(p_value=0.31, significant=False), "en")
    assert sentence.endswith(
        "not enough data to tell: with these volumes only changes larger than 2.3 points "
        "can be detected (p = 0.31)."
    )


@pytest.mark.parametrize(
    ("p", "phrase"),
    [(0.004, "this is unlikely to be chance (p = 0.004)"),
     (0.03, "this is probably not chance (p = 0.03)"),
     (0.07, "this could still be chance: the evidence is weak (p = 0.07)")],
)
def test_grades_of_certainty_follow_the_adjusted_p(p, phrase):
    assert phrase in _example(p_value=p).verdict("en")


def test_adjusted_p_is_shown_beside_the_raw_one():
    sentence = verdict(_example(p_value=0.004, p_adjusted=0.03), "en", count=12)
    assert "this is probably not chance (p = 0.004; p = 0.03 after adjusting for 12" in sentence


def test_number_formats_per_language():
    assert format_value(312.4, "duration") == "5:12"
    assert format_value(3725, "duration") == "1:02:05"
    assert format_change(-28, "duration") == "−0:28"
    assert format_change(6, "nps", "pt") == "+6 pontos"
    assert format_value(1234.5, "number", "pt") == "1.234,5"
    assert format_p(0.00004) == "p < 0.0001"
    assert format_p(0.0123, "pt") == "p = 0,012"


# ------------------------------------------------------------------ frames


def _frame(seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for day in pd.date_range("2026-03-02", periods=28, freq="D"):
        for channel, p in (("phone", 0.10), ("chat", 0.05 if day.day < 16 else 0.09)):
            n = int(rng.integers(80, 120))
            y = (rng.random(n) < p).astype(float)
            waits = rng.exponential(40, n)
            for kpi, values in (("abandonment_rate", y), ("avg_wait", waits)):
                s = R.of_values(values.tolist())
                rows.append({"period": day.date(), "channel": channel, "kpi": kpi,
                             **{c: getattr(s, c) for c in STAT_COLUMNS}, "value": s.ratio,
                             "reason": None})
    return pd.DataFrame(rows)


BASE = (dt.date(2026, 3, 2), dt.date(2026, 3, 15))
CUR = (dt.date(2026, 3, 16), dt.date(2026, 3, 29))
KINDS = {"abandonment_rate": ("proportion", "lower"), "avg_wait": KpiSpec("mean", "lower")}


def _days(frame, kpi, period, channel=None):
    rows = frame[(frame.kpi == kpi) & (pd.to_datetime(frame.period) >= pd.Timestamp(period[0]))
                 & (pd.to_datetime(frame.period) <= pd.Timestamp(period[1]))]
    if channel:
        rows = rows[rows.channel == channel]
    return [R.from_row(g[list(STAT_COLUMNS)].sum()) for _, g in rows.groupby("period")]


def test_compare_frames_pools_segments_and_adjusts_across_the_call():
    frame = _frame()
    results = compare_frames(frame, KINDS, BASE, CUR)
    assert [r.kpi for r in results] == ["abandonment_rate", "avg_wait"]
    single = compare("proportion", _days(frame, "abandonment_rate", BASE),
                     _days(frame, "abandonment_rate", CUR), direction="lower")
    assert results[0].unit == "day"
    assert results[0].p_value == pytest.approx(single.p_value)
    assert results[0].difference == pytest.approx(single.difference)
    assert [r.p_adjusted for r in results] == pytest.approx(
        benjamini_hochberg([r.p_value for r in results])
    )
    assert results[0].significant is (results[0].p_adjusted < 0.05)


def test_compare_frames_by_segment_and_json_record():
    frame = _frame()
    results = compare_frames(frame, KINDS, BASE, CUR, by="channel", unit="interaction")
    assert [(r.kpi, r.segment_value) for r in results] == [
        ("abandonment_rate", "chat"), ("abandonment_rate", "phone"),
        ("avg_wait", "chat"), ("avg_wait", "phone"),
    ]
    chat = compare("proportion", _days(frame, "abandonment_rate", BASE, "chat"),
                   _days(frame, "abandonment_rate", CUR, "chat"), unit="interaction")
    assert results[0].p_value == pytest.approx(chat.p_value)
    assert results[0].p_adjusted == pytest.approx(
        benjamini_hochberg([r.p_value for r in results])[0]
    )
    record = results[0].to_dict()
    assert list(record) == [
        "kpi", "baseline", "current", "difference", "relative_difference", "ci_low", "ci_high",
        "p_value", "p_adjusted", "test", "unit", "significant", "improved", "verdict", "channel",
    ]
    assert record["channel"] == "chat"
    assert record["baseline"]["n"] == sum(d.n for d in _days(frame, "abandonment_rate", BASE,
                                                             "chat"))


def test_compare_segments_one_against_the_rest():
    frame = _frame()
    (result,) = compare_segments(frame, {"abandonment_rate": ("proportion", "lower")}, CUR,
                                 "channel", segment="chat", unit="interaction")
    rest = _days(frame, "abandonment_rate", CUR, "phone")
    chat = _days(frame, "abandonment_rate", CUR, "chat")
    assert result.p_value == pytest.approx(compare("proportion", rest, chat,
                                                   unit="interaction").p_value)
    assert result.versus_rest
    assert "for the rest" in result.verdict("en")


def test_raw_values_callback_feeds_quantiles():
    frame = _frame()
    rng = np.random.default_rng(9)
    store = {BASE: rng.exponential(40, 300), CUR: rng.exponential(60, 300)}
    calls = []

    def raw(kpi, period, segment):
        calls.append((kpi, period, segment))
        return store[period]

    (result,) = compare_frames(frame, {"avg_wait": ("quantile", "lower")}, BASE, CUR,
                               raw_values=raw)
    assert calls == [("avg_wait", BASE, None), ("avg_wait", CUR, None)]
    assert result.test == "bootstrap_percentile"
    assert result.current.value == pytest.approx(np.quantile(store[CUR], 0.9))


def test_rank_test_line_formats_tiny_p_values_like_the_main_test():
    tiny = _example(robustness=3e-9)
    assert tiny.verdict("en").endswith("A rank test (Mann–Whitney) gives p < 0.0001.")
    assert _example(robustness=0.0432).verdict("pt").endswith("dá p = 0,043.")


def test_volume_verdicts_speak_of_contacts_per_day():
    days_b = [R.of_values([1.0] * n) for n in (200, 210, 190, 205, 195, 200, 220)]
    days_c = [R.of_values([1.0] * n) for n in (260, 250, 270, 255, 265, 245, 275)]
    result = compare("count", days_b, days_c, label="Contacts", exposure=(7, 7))
    sentence = result.verdict("en")
    assert sentence.startswith("Contacts per day rose from 202.9 to 260.0 (+57.1")
    assert result.verdict("pt").startswith("Contacts por dia")


def test_a_change_smaller_than_the_display_reads_as_staying_put():
    same = _example(
        kind="mean", direction="lower", baseline=SideSummary(573.2, 900),
        current=SideSummary(572.9, 950), difference=-0.3, relative_difference=-0.3 / 573.2,
        ci_low=-21.0, ci_high=20.4, p_value=0.98, significant=False, improved=None,
        label="Average handle time",
    )
    assert verdict(same, "en", value_format="duration").startswith(
        "Average handle time stayed at 9:33 (95 % CI of the change −0:21 to 0:20)"
    )


def test_volume_detectable_change_has_one_decimal():
    days_b = [R.of_values([1.0] * n) for n in (200, 210, 190, 205, 195, 200, 220)]
    days_c = [R.of_values([1.0] * n) for n in (205, 200, 215, 190, 210, 195, 200)]
    sentence = compare("count", days_b, days_c, label="Contacts", exposure=(7, 7)).verdict("en")
    assert "only changes larger than 23.2 can be detected" in sentence
