"""kpi.scorecard: the last complete period, the scorecard rows, the detectable change and the
targets table, on small frames whose numbers are worked out by hand (or with scipy)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from kpi.catalog import KpiParams
from kpi.charter import Charter
from kpi.scorecard import (
    _round_volume,
    detectable_change,
    detectable_changes,
    last_complete_period,
    period_of,
    period_statistics,
    scope_options,
    scorecard,
    target_table,
    targets_from_table,
)
from kpi.selection import resolve
from kpi.targets import Target

MONDAY = dt.date(2026, 3, 2)
#: Abandoned contacts per day (10 contacts a day) in three weeks from MONDAY.
ABANDONED = ([3, 3, 3, 3, 3, 3, 3], [1, 3, 2, 2, 3, 1, 2], [0, 1, 2, 1, 0, 2, 1])
CONTACTS_PER_DAY = 10


def three_weeks(extra_days: int = 0) -> pd.DataFrame:
    """Mon 2 – Sun 22 March 2026, 10 contacts a day at 09:00 + i minutes, ``ABANDONED[w][d]``
    of them abandoned; CSAT 1–5 on the answered ones; ``extra_days`` single contacts after."""
    rows = []
    for week, per_day in enumerate(ABANDONED):
        for weekday, abandoned in enumerate(per_day):
            day = MONDAY + dt.timedelta(days=7 * week + weekday)
            for i in range(CONTACTS_PER_DAY):
                lost = i < abandoned
                rows.append({
                    "created_at": dt.datetime.combine(day, dt.time(9, i)),
                    "channel": "phone" if i % 2 else "chat",
                    "abandoned": lost,
                    "wait_seconds": 30.0 + 10 * i,
                    "csat": None if lost else float(1 + (i + weekday + week) % 5),
                })
    last = MONDAY + dt.timedelta(days=20)
    for k in range(extra_days):
        rows.append({"created_at": dt.datetime.combine(last + dt.timedelta(days=k + 1),
                                                       dt.time(12)),
                     "channel": "phone", "abandoned": False, "wait_seconds": 40.0, "csat": 4.0})
    frame = pd.DataFrame(rows)
    return frame.astype({"created_at": "datetime64[us]", "channel": "str",
                         "abandoned": "boolean", "wait_seconds": "float64", "csat": "float64"})


def selection_of(frame: pd.DataFrame, *kpis: str):
    return resolve(Charter(kpis=kpis), frame.columns)


def daily_rates(week: int) -> np.ndarray:
    return np.array(ABANDONED[week]) / CONTACTS_PER_DAY


# ------------------------------------------------------------------ periods


@pytest.mark.parametrize(
    ("last_day", "today", "freq", "expected"),
    [
        (dt.date(2026, 3, 22), None, "week", (dt.date(2026, 3, 16), dt.date(2026, 3, 22))),
        (dt.date(2026, 3, 21), None, "week", (dt.date(2026, 3, 9), dt.date(2026, 3, 15))),
        (dt.date(2026, 3, 24), dt.date(2026, 3, 22), "week",
         (dt.date(2026, 3, 9), dt.date(2026, 3, 15))),
        (dt.date(2026, 3, 31), None, "month", (dt.date(2026, 3, 1), dt.date(2026, 3, 31))),
        (dt.date(2026, 3, 30), None, "month", (dt.date(2026, 2, 1), dt.date(2026, 2, 28))),
        (dt.date(2026, 3, 4), None, "day", (dt.date(2026, 3, 4), dt.date(2026, 3, 4))),
    ],
)
def test_last_complete_period_needs_the_data_to_reach_its_last_day(last_day, today, freq,
                                                                   expected):
    created = pd.Series(pd.to_datetime([dt.datetime(2026, 1, 5, 8), dt.datetime.combine(
        last_day, dt.time(0, 5))]))
    found = last_complete_period(created, freq, today)
    assert (found.start, found.end) == expected
    assert found.days == (expected[1] - expected[0]).days + 1


def test_no_complete_week_when_the_data_starts_and_ends_inside_one():
    created = pd.Series(pd.to_datetime(["2026-03-03 10:00", "2026-03-05 18:00"]))
    assert last_complete_period(created, "week") is None
    # A source's (first, last) created_at answers like the column; no dated contact: None.
    assert last_complete_period((created.min(), created.max()), "week") is None
    assert last_complete_period(None, "week") is None
    bounds = (pd.Timestamp("2026-03-03 10:00"), pd.Timestamp("2026-03-15 00:01"))
    found = last_complete_period(bounds, "week")
    assert (found.start, found.end) == (dt.date(2026, 3, 9), dt.date(2026, 3, 15))
    assert period_of(dt.date(2026, 3, 5), "week").shifted(-1).start == dt.date(2026, 2, 23)


# ------------------------------------------------------------------ the scorecard


def test_scorecard_values_previous_period_and_sparkline():
    frame = three_weeks(extra_days=2)  # Mon 23 and Tue 24: the week of the 23rd is incomplete
    card = scorecard(frame, selection_of(frame, "abandonment_rate"), [], freq="week")
    assert (card.period.start, card.previous.start) == (dt.date(2026, 3, 16), dt.date(2026, 3, 9))
    row = card.rows[0]
    assert row.value == pytest.approx(sum(ABANDONED[2]) / 70)
    assert row.n == 70
    assert row.previous_value == pytest.approx(sum(ABANDONED[1]) / 70)
    assert list(row.sparkline["value"]) == pytest.approx([sum(w) / 70 for w in ABANDONED])
    assert list(pd.to_datetime(row.sparkline["period"]).dt.date) == [
        MONDAY, dt.date(2026, 3, 9), dt.date(2026, 3, 16)]
    assert row.target is None
    assert row.status is None
    assert not row.significantly_off
    assert card.sentence("en") == ("Values for the last complete week, the week of Mar 16, 2026 "
                                   "to Mar 22, 2026, compared with the week before.")
    assert card.sentence("pt").startswith("Valores da última semana completa, a semana de 16 "
                                          "de mar. de 2026")


def test_change_against_the_previous_week_is_welch_over_days():
    frame = three_weeks()
    row = scorecard(frame, selection_of(frame, "abandonment_rate"), []).rows[0]
    comparison = row.comparison
    expected = sps.ttest_ind(daily_rates(2), daily_rates(1), equal_var=False)
    assert comparison.unit == "day"
    assert comparison.difference == pytest.approx(0.1 - 0.2)
    assert comparison.p_value == pytest.approx(expected.pvalue, rel=1e-6)
    assert comparison.improved is True
    assert row.verdict("en").startswith("Abandonment rate fell from 20.0 % to 10.0 % "
                                        "(−10.0 points, 95 % CI ")
    assert row.verdict("pt").startswith("Taxa de abandono caiu de 20,0 % para 10,0 %")
    portuguese = scorecard(frame, selection_of(frame, "abandonment_rate"), [], lang="pt")
    assert portuguese.rows[0].label == "Taxa de abandono"


def test_status_and_significantly_off_target_by_day_unit_t_test():
    frame = three_weeks()
    targets = [Target("abandonment_rate", value=0.02, warning_margin=0.01)]
    row = scorecard(frame, selection_of(frame, "abandonment_rate"), targets).rows[0]
    assert row.target == targets[0]
    assert row.status == "off_target"  # 10 % > 2 % + 1 point
    expected = sps.ttest_1samp(daily_rates(2), 0.02, alternative="greater")
    assert row.target_test.unit == "day"
    assert row.target_test.p_value == pytest.approx(expected.pvalue, rel=1e-6)
    assert expected.pvalue < 0.05
    assert row.significantly_off
    assert row.target_text("en") == "≤ 2.0 %"


def test_targets_applied_later_give_the_same_rows():
    frame = three_weeks()
    selection = selection_of(frame, "abandonment_rate", "avg_wait", "p90_wait", "volume")
    targets = [Target("abandonment_rate", value=0.02), Target("p90_wait", value=60.0),
               Target("avg_wait", value=100.0, warning_margin=5.0)]
    direct = scorecard(frame, selection, targets)
    later = scorecard(frame, selection, []).with_targets(targets, frame)
    assert later.rows == direct.rows
    week = frame[(frame["created_at"] >= "2026-03-16") & ~frame["abandoned"]]
    assert later.rows[1].value == pytest.approx(week["wait_seconds"].mean())  # about 80 s
    assert later.rows[2].value == pytest.approx(np.quantile(week["wait_seconds"], 0.9))
    assert [r.status for r in later.rows] == ["off_target", "on_target", "off_target", None]
    assert later.rows[2].target_test.test == "binomial_exceedance"  # on the raw values


def test_a_close_miss_is_at_risk_and_not_significant():
    frame = three_weeks()
    targets = [Target("abandonment_rate", value=0.095, warning_margin=0.01)]
    row = scorecard(frame, selection_of(frame, "abandonment_rate"), targets).rows[0]
    assert row.status == "at_risk"  # 10 % ≤ 9.5 % + 1 point
    expected = sps.ttest_1samp(daily_rates(2), 0.095, alternative="greater")
    assert row.target_test.p_value == pytest.approx(expected.pvalue, rel=1e-6)
    assert not row.significantly_off


def test_only_targets_in_force_for_all_channels_apply():
    frame = three_weeks()
    targets = [
        Target("abandonment_rate", value=0.05, effective_from=dt.date(2026, 3, 23)),
        Target("abandonment_rate", value=0.01, scope={"channel": "phone"}),
    ]
    row = scorecard(frame, selection_of(frame, "abandonment_rate"), targets).rows[0]
    assert row.target is None
    assert row.status is None
    later = [Target("abandonment_rate", value=0.12, effective_from=dt.date(2026, 3, 16)),
             *targets]
    row = scorecard(frame, selection_of(frame, "abandonment_rate"), later).rows[0]
    assert row.target == later[0]
    assert row.status == "on_target"


def test_a_missing_value_carries_its_reason_and_neutral_kpis_have_no_target():
    frame = three_weeks()
    frame.loc[frame["created_at"] >= pd.Timestamp("2026-03-16"), "csat"] = np.nan
    card = scorecard(frame, selection_of(frame, "volume", "csat_score"),
                     [Target("volume", value=10.0)])
    volume, csat = card.rows
    assert volume.value == 70
    assert volume.target is None
    assert volume.direction == "neutral"
    assert csat.value is None
    assert csat.reason is not None
    assert csat.reason_text("en") not in ("", csat.reason)
    assert csat.formatted("en") == "—"


def test_no_complete_period_gives_rows_with_a_reason():
    frame = three_weeks().iloc[:30]  # Mon–Wed of the first week
    card = scorecard(frame, selection_of(frame, "abandonment_rate"), [])
    assert card.period is None
    assert card.rows[0].reason == "scorecard.reason.no_complete_period"
    assert "complete period" in card.sentence("en")


def test_custom_kpis_count_per_period_against_a_target_per_period():
    from kpi.custom import Condition, CustomKpi

    frame = three_weeks()
    lost = CustomKpi(id="lost", name="Lost contacts", form="count", unit="count",
                     direction="lower", where=(Condition.of("abandoned", "=", True),))
    share = CustomKpi(id="phone_share", name="Phone share", form="rate", unit="percent",
                      direction="higher", numerator=(Condition.of("channel", "=", "phone"),))
    charter = Charter(kpis=("lost", "phone_share"),
                      custom_kpis=(lost.to_dict(), share.to_dict()))
    selection = resolve(charter, frame.columns)
    card = scorecard(frame, selection, [Target("lost", value=5.0)])
    count, rate = card.rows
    assert (count.label, count.value, count.previous_value) == ("Lost contacts", 7.0, 14.0)
    assert count.status == "off_target"  # 7 lost in the week against at most 5
    # two days without a lost contact leave 5 days with data (< 7): the exact Poisson test of
    # 7 counts against 5 expected in the week
    assert count.target_test.test == "exact_poisson"
    assert count.target_test.p_value == pytest.approx(sps.poisson.sf(6, 5), rel=1e-9)
    assert not count.significantly_off
    assert rate.value == pytest.approx(0.5)  # odd minutes are phone calls
    assert rate.verdict("en").startswith("Phone share went from 50.0 % to 50.0 %")


# ------------------------------------------------------------------ detectable change


def test_detectable_change_of_a_rate_uses_the_rate_and_the_median_weekly_volume():
    frame = three_weeks()
    found = detectable_change(frame, "abandonment_rate", KpiParams())
    rate = sum(map(sum, ABANDONED)) / 210
    z = sps.norm.ppf(0.975) + sps.norm.ppf(0.8)
    expected = z * math.sqrt(rate * (1 - rate)) * math.sqrt(2 / 70)
    assert found.volume == 70
    assert found.change == pytest.approx(expected)
    points = f"{expected * 100:.1f}"
    assert found.sentence("en") == (f"With ~70 contacts a week, changes under {points} points "
                                    "can't be told from noise.")
    assert found.sentence("pt") == (f"Com ~70 contatos por semana, mudanças menores que "
                                    f"{points.replace('.', ',')} pontos não se distinguem do "
                                    "ruído.")


def test_detectable_change_of_a_mean_uses_the_sd_of_the_data():
    frame = three_weeks()
    found = detectable_change(frame, "csat_score", KpiParams())
    ratings = frame["csat"].dropna()
    weekly = ratings.groupby(frame.loc[ratings.index, "created_at"].dt.isocalendar().week).size()
    z = sps.norm.ppf(0.975) + sps.norm.ppf(0.8)
    volume = float(weekly.median())
    assert found.volume == volume
    assert found.change == pytest.approx(z * ratings.std(ddof=1) * math.sqrt(2 / volume))
    assert "ratings a week" in found.sentence("en")


def test_detectable_change_is_not_estimated_for_percentiles():
    frame = three_weeks()
    found = detectable_change(frame, "p90_wait", KpiParams())
    assert found.change is None
    assert found.sentence_key == "scorecard.detectable.kind_quantile"
    assert "percentile" in found.sentence("en")


@pytest.mark.parametrize(("volume", "rounded"), [(287.0, 290.0), (1234.0, 1200.0), (7.0, 7.0),
                                                 (70.0, 70.0), (0.0, 0.0)])
def test_volumes_are_rounded_to_two_significant_figures(volume, rounded):
    assert _round_volume(volume) == rounded


# ------------------------------------------------------------------ the targets table


def test_targets_table_round_trip_in_display_units():
    frame = three_weeks()
    refs = ("volume", "abandonment_rate", "avg_wait", "occupancy")
    targets = (
        Target("abandonment_rate", value=0.05, warning_margin=0.01),
        Target("abandonment_rate", value=0.07, scope={"channel": "phone"},
               effective_from=dt.date(2026, 3, 9)),
        Target("occupancy", band=(0.75, 0.85), warning_margin=0.02),
    )
    table = target_table(refs, targets)
    assert list(table["kpi"]) == ["Abandonment rate", "Abandonment rate",
                                  "Average wait / first response time", "Agent occupancy"]
    assert list(table["scope"]) == ["All channels and teams", "Channel: phone",
                                    "All channels and teams", "All channels and teams"]
    assert table["target"].iloc[:2].tolist() == pytest.approx([5.0, 7.0])
    assert table.loc[3, ["lower", "upper", "margin"]].tolist() == pytest.approx([75, 85, 2])
    assert math.isnan(table.loc[2, "target"])  # no target yet: an empty row
    scopes = scope_options(frame, "en")
    assert list(scopes) == ["All channels and teams", "Channel: chat", "Channel: phone"]
    saved, problems = targets_from_table(table, refs, scopes)
    assert problems == ()
    assert saved[0] == targets[0]
    assert saved[2] == targets[2]
    assert saved[1].scope == {"channel": "phone"}
    assert saved[1].effective_from == dt.date(2026, 3, 9)
    assert saved[1].value == pytest.approx(0.07)


def test_each_invalid_row_gets_a_sentence_naming_the_kpi():
    refs = ("abandonment_rate", "avg_wait", "occupancy")
    scopes = {"All channels and teams": None, "Channel: phone": {"channel": "phone"}}
    table = pd.DataFrame({
        "kpi": ["Abandonment rate", "Average wait / first response time", "Agent occupancy",
                "Agent occupancy", None, "Abandonment rate"],
        "scope": ["All channels and teams"] * 5 + ["Channel: email"],
        "target": [120.0, -5.0, np.nan, np.nan, 3.0, 4.0],
        "lower": [np.nan, np.nan, 90.0, 70.0, np.nan, np.nan],
        "upper": [np.nan, np.nan, 80.0, np.nan, np.nan, np.nan],
        "margin": [np.nan] * 6,
        "effective_from": [pd.NaT] * 6,
    })
    saved, problems = targets_from_table(table, refs, scopes)
    assert saved == ()
    assert [p.sentence("en") for p in problems] == [
        "Row 1: The target for Abandonment rate is a rate and must be between 0 % and 100 % "
        "(got 120 %).",
        "Row 2: The target for Average wait / first response time is a duration and cannot be "
        "negative (got -5 s).",
        "Row 3: The band for Agent occupancy has its lower limit (90 %) above its upper limit "
        "(80 %).",
        "Row 4: the band for Agent occupancy needs both a lower and an upper limit.",
        "Row 5: choose the KPI this target is for.",
        "Row 6: the scope \"Channel: email\" of the target for Abandonment rate is not a "
        "channel or team of the data.",
    ]
    assert problems[0].sentence("pt").startswith("Linha 1: A meta de Abandonment rate é uma taxa")


def test_duplicates_are_refused_and_empty_rows_skipped():
    refs = ("abandonment_rate",)
    scopes = {"All channels and teams": None}
    table = pd.DataFrame({
        "kpi": ["Abandonment rate"] * 3, "scope": ["All channels and teams"] * 3,
        "target": [5.0, np.nan, 6.0], "lower": [np.nan] * 3, "upper": [np.nan] * 3,
        "margin": [1.0, np.nan, np.nan], "effective_from": [pd.NaT] * 3,
    })
    saved, problems = targets_from_table(table, refs, scopes)
    assert saved == (Target("abandonment_rate", value=0.05, warning_margin=0.01),)
    assert [p.row for p in problems] == [2]
    assert "already has a target" in problems[0].sentence("en")


# ------------------------------------------------------------------ the bundled sample


@pytest.fixture(scope="module")
def sample(repo_root: Path):
    from kpi.load import load_dataset

    folder = repo_root / "sample_data"
    return load_dataset([(name, folder / name) for name in (
        "contacts.csv", "contacts_activity.csv", "contacts_forecast.csv")])


@pytest.mark.parametrize("freq", ["week", "month"])
def test_periods_summed_from_days_equal_the_direct_aggregation(sample, freq):
    from kpi.compute import compute_statistics

    kpis = ["volume", "abandonment_rate", "service_level", "avg_wait", "p90_wait", "fcr_rate",
            "csat_score", "nps", "cost_per_contact", "closed_per_agent", "contacts_per_hour",
            "occupancy", "online_hours", "backlog", "forecast_accuracy"]
    span = (dt.date(2026, 3, 2), dt.date(2026, 5, 31))
    tables = {"activity": sample.activity, "forecast": sample.forecast}
    _, summed = period_statistics(sample.interactions, kpis, KpiParams(), freq=freq, span=span,
                                  **tables)
    direct = compute_statistics(sample.interactions, kpis, freq=freq, period=span, **tables)
    merged = direct.merge(summed, on=["period", "kpi"], suffixes=("", "_summed"))
    assert len(merged) == len(direct) == len(summed)
    assert (merged["n"] == merged["n_summed"]).all()
    assert np.allclose(merged["value"], merged["value_summed"], equal_nan=True)
    assert np.allclose(merged["sum_y"], merged["sum_y_summed"])


def test_detectable_changes_from_a_scorecards_statistics_match_a_fresh_aggregation(sample):
    frame = sample.interactions
    selection = selection_of(frame, "abandonment_rate", "aht", "nps", "p90_wait")
    card = scorecard(frame, selection, [])
    reused = detectable_changes(frame, selection.kpis, per="week", stats=card.stats)
    fresh = detectable_changes(frame, selection.kpis, per="week")
    assert reused == fresh
    assert fresh["aht"].volume == detectable_change(frame, "aht").volume
    assert fresh["p90_wait"].change is None




def test_sample_story_abandonment_on_the_bot_channels_fell(sample):
    frame = sample.interactions
    bot = frame[frame["channel"].isin(["chat", "whatsapp", "instagram", "telegram"])]
    card = scorecard(bot, selection_of(bot, "abandonment_rate"), [], freq="month",
                     today=dt.date(2026, 5, 1))
    assert (card.period.start, card.previous.start) == (dt.date(2026, 4, 1), dt.date(2026, 3, 1))
    row = card.rows[0]
    april = bot[(bot["created_at"] >= "2026-04-01") & (bot["created_at"] < "2026-05-01")]
    known = april["abandoned"].dropna()
    assert row.value == pytest.approx(known.mean())
    assert row.n == len(known)
    march = bot[(bot["created_at"] >= "2026-03-01") & (bot["created_at"] < "2026-04-01")]
    assert row.previous_value == pytest.approx(march["abandoned"].dropna().mean())
    # the bot launched on Mon 6 April: a fall of about a point, in the better direction; one
    # month against the next is not enough at the day unit (the workshop lesson on volumes)
    assert row.comparison.difference == pytest.approx(row.value - row.previous_value)
    assert -0.02 < row.comparison.difference < -0.005
    assert row.comparison.improved is True
    assert row.comparison.unit == "day"
    assert row.verdict("en").startswith("Abandonment rate fell from 8.7 % to 7.6 %")
