"""Every built-in KPI against values computed by hand on small canonical frames."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
import sqlglot

from kpi.business_hours import BusinessCalendar
from kpi.catalog import CATALOG, KpiParams
from kpi.compute import compute_statistics, kpi_values, raw_values, statistics_sql
from kpi.compute.engine import build_plan
from kpi.errors import DefinitionError, MissingFieldError
from kpi.schema import PANDAS_DTYPES, TABLE_FIELDS

DTYPES = {f.name: f.dtype for fields in TABLE_FIELDS.values() for f in fields}


def canonical(**columns: list) -> pd.DataFrame:
    """A canonical frame with exactly the schema's dtypes (extra columns as text)."""
    out = {}
    for name, values in columns.items():
        dtype = DTYPES.get(name, PANDAS_DTYPES["text"])
        if dtype.startswith("datetime"):
            out[name] = pd.Series(pd.to_datetime(values), dtype=dtype)
        else:
            out[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(out)


def values_of(frame: pd.DataFrame, kpi: str, **kwargs) -> pd.DataFrame:
    stats = compute_statistics(frame, [kpi], **kwargs)
    return stats[stats["kpi"] == kpi].reset_index(drop=True)


def one(frame: pd.DataFrame, kpi: str, **kwargs) -> pd.Series:
    """The single row of a one-bucket, unsegmented computation."""
    rows = values_of(frame, kpi, freq="month", **kwargs)
    assert len(rows) == 1
    return rows.iloc[0]


# Five contacts on 2024-01-02: answered in 10 s and 30 s, one abandoned after 50 s, one
# unknown outcome (an unmapped status), one answered in 20 s exactly.
CALLS = canonical(
    created_at=["2024-01-02 09:00", "2024-01-02 09:05", "2024-01-02 09:10", "2024-01-02 09:20",
                "2024-01-02 09:30"],
    abandoned=[False, False, True, None, False],
    wait_seconds=[10.0, 30.0, 50.0, 5.0, 20.0],
    handle_seconds=[100.0, None, None, 70.0, 300.0],
    agent=["ana", "bia", None, "ana", "ana"],
)


def test_volume_counts_every_contact():
    row = one(CALLS, "volume")
    assert row["value"] == 5
    assert row["n"] == 5


def test_abandonment_rate_excludes_unknown_outcomes():
    row = one(CALLS, "abandonment_rate")
    assert row["n"] == 4  # the unknown outcome is in neither group
    assert row["value"] == pytest.approx(1 / 4)
    assert row["sum_y"] == 1
    assert row["sum_y2"] == 1
    assert row["sum_x"] == 4


def test_service_level_counts_abandoned_in_the_denominator_and_threshold_inclusive():
    row = one(CALLS, "service_level")
    # handled within 20 s: 10 s and 20 s (inclusive); denominator: 4 with known outcome
    assert row["n"] == 4
    assert row["value"] == pytest.approx(2 / 4)
    stricter = one(CALLS, "service_level", params=KpiParams(service_level_seconds=15))
    assert stricter["value"] == pytest.approx(1 / 4)


def test_service_level_without_abandonment_column_treats_all_as_handled():
    frame = CALLS.drop(columns=["abandoned"])
    frame = frame.assign(abandoned=pd.Series([False] * 5, dtype="boolean"))
    row = one(frame, "service_level")
    assert row["value"] == pytest.approx(3 / 5)  # 10, 5, 20 s
    no_column = one(CALLS.drop(columns=["abandoned"]), "avg_wait")
    assert no_column["n"] == 5
    assert no_column["value"] == pytest.approx((10 + 30 + 50 + 5 + 20) / 5)


def test_avg_wait_and_p90_over_handled_contacts():
    handled = np.array([10.0, 30.0, 20.0])
    mean = one(CALLS, "avg_wait")
    assert mean["n"] == 3
    assert mean["value"] == pytest.approx(handled.mean())
    assert mean["sum_y2"] == pytest.approx((handled**2).sum())
    p90 = one(CALLS, "p90_wait")
    assert p90["n"] == 3
    assert p90["value"] == pytest.approx(np.quantile(handled, 0.9, method="linear"))


def test_p90_linear_interpolation_matches_numpy_on_many_values():
    rng = np.random.default_rng(7)
    waits = rng.exponential(45, 101).round(1)
    frame = canonical(created_at=["2024-03-05 10:00"] * 101, wait_seconds=list(waits))
    assert one(frame, "p90_wait")["value"] == pytest.approx(np.quantile(waits, 0.9))


def test_duration_statistic_parameter_turns_mean_into_median_or_p90():
    handles = np.array([100.0, 300.0])  # the 70 s contact had an unknown outcome
    params = KpiParams().with_statistic("aht", "median")
    assert one(CALLS, "aht")["value"] == pytest.approx(handles.mean())
    row = one(CALLS, "aht", params=params)
    assert row["value"] == pytest.approx(np.median([100.0, 300.0]))  # 70 s was not handled
    p90 = one(CALLS, "aht", params=KpiParams().with_statistic("aht", "p90"))
    assert p90["value"] == pytest.approx(np.quantile([100.0, 300.0], 0.9))
    assert CATALOG["aht"].kind_for(params) == "quantile"


def test_aht_skips_unknown_handle_times():
    row = one(CALLS, "aht")
    assert row["n"] == 2  # handled with known handle: 100 and 300 (70 is unknown outcome)
    assert row["value"] == pytest.approx(200.0)


FCR = canonical(
    created_at=[
        "2024-01-07 23:00",  # Sunday, week 1: c1 calls again Monday → not FCR
        "2024-01-08 09:00",  # week 2: c1, no contact within 7 days after → FCR
        "2024-01-15 09:00",  # c1 again exactly 7 days later: still inside (t, t+7d]
        "2024-01-08 10:00",  # c2, resolved, alone → FCR
        "2024-01-08 11:00",  # c3, not resolved → not FCR
        "2024-01-08 12:00",  # no customer → outside the population
        "2024-01-09 08:00",  # c4 abandoned → not handled
        "2024-01-10 08:00",  # c5 twice at the same instant: ties are not "later"
        "2024-01-10 08:00",
    ],
    customer_id=["c1", "c1", "c1", "c2", "c3", None, "c4", "c5", "c5"],
    resolved=[True, True, True, True, False, True, True, True, True],
    abandoned=[False, False, False, False, False, False, True, False, False],
)


def test_fcr_derived_from_repeat_contacts_across_a_bucket_boundary():
    stats = values_of(FCR, "fcr_rate", freq="week")
    week1, week2, week3 = stats.itertuples()
    assert (week1.n, week1.value) == (1, 0.0)
    # week 2: c1 08-Jan (repeat on the 15th, 7 days later → inside the window: not FCR),
    # c2 (FCR), c3 (unresolved), c5 twice (no later contact → both FCR)
    assert week2.n == 5
    assert week2.value == pytest.approx(3 / 5)
    assert (week3.n, week3.value) == (1, 1.0)


def test_fcr_window_parameter_and_period_restriction_searches_the_whole_data():
    short = values_of(FCR, "fcr_rate", freq="week", params=KpiParams(fcr_window_days=6))
    assert short.loc[1, "value"] == pytest.approx(4 / 5)  # the 7-day repeat is now outside
    restricted = values_of(FCR, "fcr_rate", freq="week",
                           period=(date(2024, 1, 1), date(2024, 1, 7)))
    assert len(restricted) == 1
    assert restricted.loc[0, "value"] == 0.0  # the Monday repeat is outside the period


def test_fcr_flag_when_given():
    frame = canonical(
        created_at=["2024-02-01"] * 4,
        first_contact_resolution=[True, False, None, True],
        abandoned=[False, False, False, True],
    )
    row = one(frame, "fcr_rate")
    assert (row["n"], row["value"]) == (2, 0.5)


def test_handled_share_rates_and_identification_over_all_contacts():
    frame = canonical(
        created_at=["2024-02-01"] * 5,
        abandoned=[False, False, False, True, None],
        resolved=[True, False, None, False, True],
        transferred=[True, False, False, True, False],
        converted=[False, False, True, None, True],
        identified=[True, True, False, None, True],
    )
    assert one(frame, "resolution_rate")["value"] == pytest.approx(1 / 3)
    assert one(frame, "transfer_rate")["value"] == pytest.approx(1 / 3)
    assert one(frame, "conversion_rate")["value"] == pytest.approx(1 / 3)
    identification = one(frame, "identification_rate")
    assert (identification["n"], identification["value"]) == (5, pytest.approx(3 / 5))


def test_csat_score_satisfied_and_scale():
    frame = canonical(created_at=["2024-02-01"] * 5, csat=[5.0, 4.0, 3.0, None, 1.0])
    score = one(frame, "csat_score")
    assert (score["n"], score["value"]) == (4, pytest.approx(13 / 4))
    assert one(frame, "csat_satisfied")["value"] == pytest.approx(2 / 4)
    ten = canonical(created_at=["2024-02-01"] * 4, csat=[10.0, 9.0, 8.0, 4.0])
    row = one(ten, "csat_satisfied", params=KpiParams(csat_scale=(1, 10)))
    assert row["value"] == pytest.approx(2 / 4)  # top-2-box on 1–10: 9 and 10


def test_csat_satisfied_prefers_the_satisfied_answer():
    frame = canonical(created_at=["2024-02-01"] * 4, satisfied=[True, False, None, None],
                      csat=[1.0, 5.0, 5.0, None])
    row = one(frame, "csat_satisfied")
    assert (row["n"], row["value"]) == (3, pytest.approx(2 / 3))


def test_nps_points_and_per_respondent_sums():
    scores = [10.0, 9.0, 8.0, 7.0, 6.0, 0.0, None]
    row = one(canonical(created_at=["2024-02-01"] * 7, nps=scores), "nps")
    assert row["n"] == 6
    assert row["value"] == pytest.approx(100 * (2 - 2) / 6)
    assert row["sum_y2"] == pytest.approx(4 * 100**2)
    skewed = one(canonical(created_at=["2024-02-01"] * 4, nps=[10.0, 10.0, 9.0, 3.0]), "nps")
    assert skewed["value"] == pytest.approx(50.0)


def test_cost_per_contact_over_known_costs():
    row = one(canonical(created_at=["2024-02-01"] * 3, cost=[2.0, None, 5.0]), "cost_per_contact")
    assert (row["n"], row["value"], row["sum_x"]) == (2, pytest.approx(3.5), 2)


def test_closed_per_agent_units_are_agents():
    frame = canonical(
        created_at=["2024-02-01"] * 5,
        agent=["ana", "ana", "bia", "caio", None],
        resolved=[True, True, False, True, True],
    )
    row = one(frame, "closed_per_agent")
    assert row["n"] == 3
    assert row["value"] == pytest.approx(3 / 3)  # 2 + 0 + 1 over ana, bia, caio
    assert row["sum_y2"] == pytest.approx(4 + 0 + 1)


def test_backlog_and_unanswered_snapshot():
    frame = canonical(
        created_at=["2024-02-01", "2024-02-02", "2024-02-03", "2024-03-01"],
        status=["open", "closed", "open", "open"],
        last_message_from=["customer", "customer", "agent", "customer"],
    )
    backlog = values_of(frame, "backlog", freq="month")
    assert backlog["value"].tolist() == [2, 1]
    unanswered = values_of(frame, "unanswered", freq="month")
    assert unanswered["value"].tolist() == [1, 1]
    before = values_of(frame, "backlog", freq="month", snapshot_at="2024-02-02")
    assert before["value"].tolist() == [1, 0]


ACTIVITY = canonical(
    agent=["ana", "bia", "ana", "bia"],
    date=["2024-01-02", "2024-01-02", "2024-01-03", "2024-01-04"],
).assign(online_seconds=[7200.0, 3600.0, 3600.0, 1800.0])


def test_occupancy_contacts_per_hour_and_online_hours_from_activity():
    # CALLS: ana handled 100 s + 300 s on 2 Jan (the 70 s contact had an unknown outcome),
    # bia handled one contact with unknown handle time.
    occupancy = one(CALLS, "occupancy", activity=ACTIVITY)
    assert occupancy["n"] == 4  # agent-days in the activity table
    assert occupancy["value"] == pytest.approx(400 / (7200 + 3600 + 3600 + 1800))
    assert occupancy["sum_xy"] == pytest.approx(400 * 7200)
    per_hour = one(CALLS, "contacts_per_hour", activity=ACTIVITY)
    assert per_hour["value"] == pytest.approx(3 / 4.5)
    hours = one(CALLS, "online_hours", activity=ACTIVITY)
    assert hours["value"] == pytest.approx(4.5)


def test_activity_kpis_by_agent_and_not_by_channel():
    by_agent = values_of(CALLS, "occupancy", freq="month", by=["agent"], activity=ACTIVITY)
    values = dict(zip(by_agent["agent"], by_agent["value"], strict=True))
    assert values["ana"] == pytest.approx(400 / 10800)
    assert values["bia"] == 0.0
    frame = CALLS.assign(channel=pd.Series(["chat"] * 5, dtype="str"))
    by_channel = values_of(frame, "occupancy", freq="month", by=["channel"], activity=ACTIVITY)
    assert by_channel["value"].isna().all()
    assert set(by_channel["reason"]) == {"compute.reason.not_by_segment"}


def test_forecast_accuracy_is_one_minus_wape():
    frame = canonical(created_at=["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-04"])
    forecast = canonical(date=["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04",
                               "2024-02-01"]).assign(forecast_volume=[3.0, 1.0, 1.0, 2.0, 9.0])
    row = one(frame, "forecast_accuracy", forecast=forecast)
    actual = np.array([2, 1, 0, 1])
    predicted = np.array([3, 1, 1, 2])  # February is outside the data
    assert row["value"] == pytest.approx(1 - np.abs(actual - predicted).sum() / actual.sum())
    assert row["n"] == 4


def test_business_hours_across_a_weekend_and_a_closed_night():
    calendar = BusinessCalendar()  # Monday–Friday 09:00–18:00
    frame = canonical(
        created_at=["2024-01-05 17:00", "2024-01-08 17:30"],  # Friday, Monday
        answered_at=["2024-01-08 10:00", "2024-01-09 09:15"],  # Monday, Tuesday
        resolved_at=["2024-01-08 10:00", "2024-01-09 09:15"],
    )
    params = KpiParams(business_hours=("avg_wait", "avg_resolution_time"), calendar=calendar)
    waits = [3600.0 + 3600.0, 1800.0 + 900.0]  # the weekend and the night are closed
    assert one(frame, "avg_wait", params=params)["value"] == pytest.approx(np.mean(waits))
    assert one(frame, "avg_resolution_time", params=params)["value"] == pytest.approx(
        np.mean(waits))
    clock = one(frame, "avg_wait")["value"]
    assert clock == pytest.approx(np.mean([65 * 3600.0, 15.75 * 3600.0]))


def test_empty_buckets_are_missing_with_a_reason_also_per_segment():
    frame = canonical(
        created_at=["2024-01-01", "2024-01-02", "2024-01-22"],
        channel=["chat", "phone", "chat"],
        wait_seconds=[10.0, 20.0, None],
    )
    stats = values_of(frame, "avg_wait", freq="week")
    assert stats["period"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22"]
    assert stats["value"].isna().tolist() == [False, True, True, True]
    assert stats["reason"].tolist()[1:] == [
        "compute.reason.no_contacts", "compute.reason.no_contacts", "compute.reason.no_wait"]
    volume = values_of(frame, "volume", freq="week", by=["channel"])
    assert len(volume) == 8  # 4 weeks × 2 channels
    phone = volume[volume["channel"] == "phone"]
    assert phone["value"].tolist()[0] == 1
    assert phone["value"].isna().tolist() == [False, True, True, True]
    assert (phone["n"].tolist()) == [1, 0, 0, 0]


def test_two_dimension_segments_agent_by_topic():
    frame = canonical(
        created_at=["2024-01-02"] * 5,
        agent=["ana", "ana", "ana", "bia", "bia"],
        topic=["billing", "billing", "login", "billing", "login"],
        handle_seconds=[100.0, 200.0, 50.0, 400.0, 60.0],
    )
    stats = values_of(frame, "aht", freq="day", by=["agent", "topic"])
    got = {(a, t): v for a, t, v in zip(stats["agent"], stats["topic"], stats["value"],
                                        strict=True)}
    assert got == {("ana", "billing"): 150.0, ("ana", "login"): 50.0,
                   ("bia", "billing"): 400.0, ("bia", "login"): 60.0}


def test_daily_buckets_and_monthly_buckets_follow_wall_time():
    frame = canonical(created_at=["2024-01-31 23:59", "2024-02-01 00:00", "2024-02-29 12:00"])
    monthly = values_of(frame, "volume", freq="month")
    assert monthly["value"].tolist() == [1, 2]
    daily = values_of(frame, "volume", freq="day")
    assert len(daily) == 30  # 31 Jan .. 29 Feb
    assert daily["value"].sum() == 3


def test_kpi_values_shape_and_missing_reason_sentences():
    values = kpi_values(CALLS, ["volume", "aht"], freq="day")
    assert values.columns.tolist() == ["period", "kpi", "value", "n", "reason"]
    assert values["kpi"].tolist() == ["volume", "aht"]


def test_raw_values_for_bootstrap_and_rank_tests():
    waits = raw_values(CALLS, "avg_wait", start=date(2024, 1, 2), end=date(2024, 1, 2))
    assert sorted(waits.tolist()) == [10.0, 20.0, 30.0]
    shares = raw_values(CALLS, "abandonment_rate", start=date(2024, 1, 1), end=date(2024, 1, 3))
    assert sorted(shares.tolist()) == [0.0, 0.0, 0.0, 1.0]
    ana = raw_values(CALLS, "aht", start=date(2024, 1, 2), end=date(2024, 1, 2),
                     by_value={"agent": "ana"})
    assert sorted(ana.tolist()) == [100.0, 300.0]
    assert len(raw_values(CALLS, "avg_wait", start=date(2024, 2, 1), end=date(2024, 2, 2))) == 0
    with pytest.raises(DefinitionError):
        raw_values(CALLS, "occupancy", start=date(2024, 1, 1), end=date(2024, 1, 3))


def test_unavailable_kpi_and_bad_requests_raise_clear_errors():
    with pytest.raises(MissingFieldError) as error:
        compute_statistics(CALLS, ["nps"])
    assert "NPS" in str(error.value)
    with pytest.raises(DefinitionError):
        compute_statistics(CALLS, ["volume"], by=["wait_seconds"])
    with pytest.raises(DefinitionError):
        compute_statistics(CALLS, ["volume"], by=["nope"])
    with pytest.raises(DefinitionError):
        compute_statistics(CALLS, ["volume"], freq="year")  # type: ignore[arg-type]


def test_durations_derived_from_timestamps_when_not_mapped():
    frame = canonical(created_at=["2024-01-02 10:00", "2024-01-02 11:00"],
                      answered_at=["2024-01-02 10:00:30", None])
    row = one(frame, "avg_wait")
    assert (row["n"], row["value"]) == (1, 30.0)


def test_the_same_plan_renders_for_spark():
    prepared, plan = build_plan(
        CALLS.assign(customer_id=pd.Series(["a"] * 5, dtype="str"),
                     resolved=pd.Series([True] * 5, dtype="boolean")),
        ["fcr_rate", "volume", "p90_wait"], "week", (), KpiParams(), None, None, None)
    spark = statistics_sql(plan, dialect="spark")
    assert "PERCENTILE_CONT" in spark
    assert "`customer_id`" in spark
    sqlglot.parse_one(spark, read="spark")  # valid Spark SQL
    duck = statistics_sql(plan)
    assert "DATE_TRUNC('WEEK'" in duck
    assert "QUANTILE_CONT" in duck  # the exact quantile, not approx_quantile
    assert len(prepared) == len(CALLS)


def test_no_contacts_at_all_gives_missing_values_not_zeros():
    empty = CALLS.iloc[:0]
    assert compute_statistics(empty, ["volume"], by=["agent"]).empty
    stats = compute_statistics(empty, ["volume", "avg_wait"], freq="week",
                               period=(date(2024, 1, 1), date(2024, 1, 14)))
    assert len(stats) == 4
    assert stats["value"].isna().all()
    assert set(stats["reason"]) == {"compute.reason.no_contacts"}


def test_raw_values_of_derived_fcr():
    ones = raw_values(FCR, "fcr_rate", start=date(2024, 1, 8), end=date(2024, 1, 14))
    assert sorted(ones.tolist()) == [0.0, 0.0, 1.0, 1.0, 1.0]
