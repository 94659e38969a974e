"""Custom KPIs: definitions from a form, validation, JSON, and computation in the same query."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kpi.compute import compute_statistics, raw_values
from kpi.custom import (
    Condition,
    CustomKpi,
    custom_kpis_from_json,
    custom_kpis_to_json,
    validate_custom,
)
from kpi.errors import DefinitionError

FRAME = pd.DataFrame({
    "created_at": pd.Series(pd.to_datetime([
        "2024-03-04 09:00", "2024-03-04 10:00", "2024-03-05 11:00", "2024-03-05 12:00",
        "2024-03-06 13:00", "2024-03-06 14:00"]), dtype="datetime64[us]"),
    "channel": pd.Series(["chat", "phone", "chat", "email", None, "chat"], dtype="str"),
    "topic": pd.Series(["billing", "login", "billing", "billing", "login", None], dtype="str"),
    "wait_seconds": [10.0, 40.0, 25.0, None, 5.0, 60.0],
    "handle_seconds": [100.0, 200.0, 300.0, 400.0, 500.0, 600.0],
    "transferred": pd.Series([True, False, None, True, False, False], dtype="boolean"),
})


def value(kpi: CustomKpi) -> tuple[float, int]:
    stats = compute_statistics(FRAME, [kpi], freq="month")
    assert len(stats) == 1
    return stats.loc[0, "value"], int(stats.loc[0, "n"])


def cond(column: str, operator: str, value: object = None) -> Condition:
    return Condition.of(column, operator, value)


def test_rate_is_rows_matching_a_among_rows_matching_b():
    kpi = CustomKpi("chat_transfer", "Chat transfers", "rate",
                    where=(cond("channel", "=", "chat"),),
                    numerator=(cond("transferred", "=", True),))
    assert value(kpi) == (pytest.approx(1 / 3), 3)


@pytest.mark.parametrize(
    ("condition", "rows"),
    [
        (cond("channel", "=", "chat"), [0, 2, 5]),
        (cond("channel", "≠", "chat"), [1, 3]),
        (cond("wait_seconds", "<", 25), [0, 4]),
        (cond("wait_seconds", "≤", 25), [0, 2, 4]),
        (cond("wait_seconds", ">", 25), [1, 5]),
        (cond("wait_seconds", "≥", 25), [1, 2, 5]),
        (cond("topic", "in", ["login", "other"]), [1, 4]),
        (cond("topic", "not in", ["login"]), [0, 2, 3]),
        (cond("wait_seconds", "is empty"), [3]),
        (cond("topic", "is not empty"), [0, 1, 2, 3, 4]),
        (cond("transferred", "=", False), [1, 4, 5]),
        (cond("created_at", ">=", "2024-03-05 12:00"), [3, 4, 5]),
    ],
)
def test_each_operator_selects_the_rows_pandas_selects(condition, rows):
    count = CustomKpi("picked", "Picked", "count", unit="count", where=(condition,))
    mean = CustomKpi("mean_handle", "Mean handle", "mean", unit="seconds", column="handle_seconds",
                     where=(condition,))
    handles = FRAME["handle_seconds"].to_numpy()[rows]
    assert value(count) == (len(rows), len(rows))
    got, n = value(mean)
    assert n == len(rows)
    assert got == pytest.approx(handles.mean())


def test_median_and_percentile_match_numpy():
    waits = FRAME["wait_seconds"].dropna().to_numpy()
    median = CustomKpi("median_wait", "Median wait", "median", unit="seconds",
                       column="wait_seconds")
    p75 = CustomKpi("p75_wait", "P75 wait", "percentile", unit="seconds",
                    column="wait_seconds", quantile=0.75)
    assert value(median) == (pytest.approx(np.median(waits)), len(waits))
    assert value(p75) == (pytest.approx(np.quantile(waits, 0.75)), len(waits))
    got = raw_values(FRAME, median, start=pd.Timestamp("2024-03-01").date(),
                     end=pd.Timestamp("2024-03-31").date())
    assert sorted(got.tolist()) == sorted(waits.tolist())


def test_custom_and_builtin_kpis_in_one_call():
    count = CustomKpi("billing", "Billing contacts", "count", unit="count",
                      where=(cond("topic", "=", "billing"),))
    stats = compute_statistics(FRAME, ["volume", count, "avg_wait"], freq="month")
    assert stats["kpi"].tolist() == ["volume", "billing", "avg_wait"]
    assert stats["value"].tolist()[:2] == [6, 3]


def test_quotes_and_sql_in_values_are_just_values():
    kpi = CustomKpi("odd", "Odd", "count", unit="count",
                    where=(cond("channel", "=", "chat' OR 1=1 --"),))
    stats = compute_statistics(FRAME, [kpi], freq="month")
    assert stats.loc[0, "value"] == 0


def test_json_round_trip():
    kpis = (
        CustomKpi("chat_transfer", "Transferências no chat", "rate", category="experience",
                  direction="lower", description="Chats transferidos",
                  where=(cond("channel", "in", ["chat", "whatsapp"]),),
                  numerator=(cond("transferred", "=", True),)),
        CustomKpi("p75_wait", "P75 wait", "percentile", unit="seconds", direction="lower",
                  column="wait_seconds", quantile=0.75, band=(10.0, 30.0)),
    )
    again = custom_kpis_from_json(custom_kpis_to_json(kpis))
    assert again == kpis
    assert CustomKpi.from_json(kpis[0].to_json()) == kpis[0]


@pytest.mark.parametrize(
    ("kpi", "words"),
    [
        (CustomKpi("x", "X", "mean", column="nope"), "nope"),
        (CustomKpi("x", "X", "mean", column="channel"), "not a numeric column"),
        (CustomKpi("x", "X", "count", where=(cond("channel", "<", "chat"),)), "compares numbers"),
        (CustomKpi("x", "X", "count", where=(cond("topic", "in", "login"),)), "list"),
        (CustomKpi("x", "X", "count", where=(cond("wait_seconds", "=", "fast"),)), "fast"),
        (CustomKpi("x", "X", "count", where=(cond("transferred", "=", "yes"),)), "yes"),
        (CustomKpi("x", "X", "count", where=(cond("channel", "="),)), "single value"),
    ],
)
def test_validation_says_what_to_fix(kpi, words):
    with pytest.raises(DefinitionError) as error:
        validate_custom(kpi, dict(FRAME.dtypes))
    assert words in str(error.value)
    with pytest.raises(DefinitionError):
        compute_statistics(FRAME, [kpi])


@pytest.mark.parametrize(
    "make",
    [
        lambda: CustomKpi("Bad Id", "X", "count"),
        lambda: CustomKpi("volume", "X", "count"),
        lambda: CustomKpi("x", " ", "count"),
        lambda: CustomKpi("x", "X", "sum"),
        lambda: CustomKpi("x", "X", "percentile", column="wait_seconds", quantile=1.5),
        lambda: CustomKpi("x", "X", "rate"),
        lambda: CustomKpi("x", "X", "mean"),
        lambda: Condition.of("a", "~", 1),
        lambda: CustomKpi.from_json('{"id": "x"}'),
    ],
)
def test_malformed_definitions_are_rejected(make):
    with pytest.raises(DefinitionError):
        make()


def test_two_custom_kpis_with_the_same_id_are_refused():
    first = CustomKpi("picked", "Picked", "count", unit="count")
    second = CustomKpi("picked", "Picked chats", "count", unit="count",
                       where=(cond("channel", "=", "chat"),))
    with pytest.raises(DefinitionError) as error:
        compute_statistics(FRAME, [first, second])
    assert "twice" in str(error.value)
