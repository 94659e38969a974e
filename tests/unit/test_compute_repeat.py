"""The derived-FCR repeat flag: numpy version vs the SQL window and vs a brute-force search."""

from __future__ import annotations

import gc

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.compute import compute_statistics
from kpi.compute.prepare import _CACHE, clear_cache, repeat_contact, repeat_flags
from kpi.compute.sql import repeat_contact_query

START = pd.Timestamp("2024-01-01")

contact = st.tuples(
    st.one_of(st.none(), st.integers(0, 5 * 24 * 60)),  # minute, None = unknown time
    st.sampled_from(["a", "b", "c", None]),
)


def contacts(rows: list[tuple[int | None, str | None]], unit: str = "us") -> pd.DataFrame:
    created = [None if m is None else START + pd.Timedelta(minutes=m) for m, _ in rows]
    return pd.DataFrame({
        "created_at": pd.Series(created, dtype=f"datetime64[{unit}]"),
        "customer_id": pd.Series([c for _, c in rows], dtype="str"),
    })


def brute_force(frame: pd.DataFrame, days: int) -> list[bool]:
    """Row by row: another contact of the same customer in (t, t + days]."""
    window = pd.Timedelta(days=days)
    out = []
    for t, c in zip(frame["created_at"], frame["customer_id"], strict=True):
        if pd.isna(t) or pd.isna(c):
            out.append(False)
            continue
        same = frame[(frame["customer_id"] == c).fillna(False)]["created_at"]
        out.append(bool(((same > t) & (same <= t + window)).any()))
    return out


def sql_window(frame: pd.DataFrame, days: int) -> dict[tuple[str, pd.Timestamp], bool]:
    """(customer, time) → repeat, from the engine-neutral SQL definition run by DuckDB."""
    connection = duckdb.connect()
    connection.register("interactions", frame)
    result = connection.sql(repeat_contact_query(days).sql(dialect="duckdb")).df()
    connection.close()
    pairs: dict[tuple[str, pd.Timestamp], bool] = {}
    for c, t, repeat in result.itertuples(index=False):
        if pd.notna(t):
            assert pairs.setdefault((c, pd.Timestamp(t)), bool(repeat)) == bool(repeat)
    return pairs


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(contact, max_size=40), st.integers(1, 3))
def test_numpy_flag_equals_the_sql_window_and_brute_force(rows, days):
    frame = contacts(rows)
    flags = repeat_contact(frame["created_at"], frame["customer_id"], days)
    assert flags.tolist() == brute_force(frame, days)
    window = sql_window(frame, days)
    for (t, c), flag in zip(zip(frame["created_at"], frame["customer_id"], strict=True),
                            flags, strict=True):
        if pd.notna(t) and pd.notna(c):
            assert window[(c, pd.Timestamp(t))] == flag


def test_exact_window_end_ties_and_other_time_units():
    rows = [(0, "a"), (0, "a"), (7 * 24 * 60, "a"), (7 * 24 * 60 + 1, "b"), (0, "b")]
    for unit in ("s", "ms", "us", "ns"):
        frame = contacts(rows, unit)
        # a@0 twice: the later contact is exactly 7 days on (inside); the tie does not count;
        # b is one minute past 7 days
        assert repeat_contact(frame["created_at"], frame["customer_id"], 7).tolist() == [
            True, True, False, False, False]
        assert repeat_contact(frame["created_at"], frame["customer_id"], 8).tolist() == [
            True, True, False, False, True]


def test_time_zone_aware_times_use_real_24_hour_days():
    # Lisbon's clocks go forward on 2024-03-31; the window is elapsed time (as SQL intervals
    # on UTC timestamps), 7 × 24 h, not 7 calendar days of wall-clock time.
    created = pd.Series(pd.to_datetime(["2024-03-30 12:00", "2024-04-06 12:00",
                                        "2024-04-06 13:00"]).tz_localize("Europe/Lisbon"))
    customers = pd.Series(["a", "a", "b"], dtype="str")
    # 03-30 12:00 WET = 12:00 UTC; 04-06 12:00 WEST = 11:00 UTC: 6 days 23 h later → inside
    assert repeat_contact(created, customers, 7).tolist() == [True, False, False]
    assert repeat_contact(created.dt.tz_convert("UTC") + pd.Timedelta(hours=2), customers,
                          7).tolist() == [True, False, False]


def test_no_customers_or_no_rows():
    frame = contacts([(0, None), (5, None)])
    assert repeat_contact(frame["created_at"], frame["customer_id"], 7).tolist() == [False] * 2
    empty = contacts([])
    assert repeat_contact(empty["created_at"], empty["customer_id"], 7).shape == (0,)


def test_flags_are_cached_per_frame_and_window_and_recomputed_when_a_column_changes():
    clear_cache()
    frame = contacts([(0, "a"), (60, "a"), (120, "b")])
    first = repeat_flags(frame, 7)
    assert first.tolist() == [True, False, False]
    assert not first.flags.writeable
    assert repeat_flags(frame, 7) is first
    assert repeat_flags(frame, 1) is not first  # another window, another entry
    frame["customer_id"] = pd.Series(["a", "b", "b"], dtype="str")
    assert repeat_flags(frame, 7).tolist() == [False, True, False]
    frame["created_at"] = frame["created_at"] + pd.Timedelta(days=1)
    assert repeat_flags(frame, 7) is not first
    assert len(_CACHE) == 2
    del frame
    gc.collect()
    assert len(_CACHE) == 0


def test_cached_flag_gives_the_same_fcr_on_every_view():
    clear_cache()
    rng = np.random.default_rng(3)
    rows = 2_000
    frame = pd.DataFrame({
        "created_at": START + pd.to_timedelta(rng.integers(0, 30 * 86_400, rows), unit="s"),
        "customer_id": pd.Series(rng.choice(["a", "b", "c", "d", "e"], rows), dtype="str"),
        "channel": pd.Series(rng.choice(["chat", "phone"], rows), dtype="str"),
        "resolved": pd.Series(rng.random(rows) < 0.7, dtype="boolean"),
    })
    weekly = compute_statistics(frame, ["fcr_rate"], freq="week", by=["channel"])
    daily = compute_statistics(frame, ["fcr_rate"], freq="day")
    assert len(_CACHE) == 1
    repeat = np.array(brute_force_fast(frame, 7))
    expected = (frame["resolved"].to_numpy(dtype=bool) & ~repeat).sum()
    assert weekly["sum_y"].sum() == daily["sum_y"].sum() == expected
    assert weekly["n"].sum() == rows


def brute_force_fast(frame: pd.DataFrame, days: int) -> list[bool]:
    """Per customer with numpy broadcasting (quadratic, fine for a few hundred per customer)."""
    out = np.zeros(len(frame), dtype=bool)
    window = np.timedelta64(days, "D")
    for _, group in frame.groupby("customer_id"):
        t = group["created_at"].to_numpy()
        later = (t[None, :] > t[:, None]) & (t[None, :] <= t[:, None] + window)
        out[group.index.to_numpy()] = later.any(axis=1)
    return out.tolist()


@pytest.mark.parametrize("days", [1, 7])
def test_sql_definition_renders_for_spark(days):
    spark = repeat_contact_query(days).sql(dialect="spark")
    assert "RANGE BETWEEN CURRENT ROW AND INTERVAL" in spark
    assert f"'{days}'" in spark or f"{days} DAY" in spark
