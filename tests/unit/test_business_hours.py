from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.business_hours import BusinessCalendar, business_seconds
from kpi.errors import DefinitionError

T = pd.Timestamp
HOUR = 3600.0
SPLIT = BusinessCalendar(hours=dict.fromkeys(range(5), (("09:00", "12:00"), ("13:00", "18:00"))))


def seconds(start: str, end: str, calendar: BusinessCalendar | None = None) -> float:
    result = business_seconds(pd.Series([T(start)]), pd.Series([T(end)]), calendar)
    return float(result.iloc[0])


def test_across_a_weekend():
    # Fri 2024-03-08 17:00 → Mon 2024-03-11 10:00: Fri 17–18 + Mon 09–10
    assert seconds("2024-03-08 17:00", "2024-03-11 10:00") == 2 * HOUR


def test_across_a_closed_night():
    # Tue 18:30 (closed) → Wed 09:30: only Wed 09:00–09:30
    assert seconds("2024-03-05 18:30", "2024-03-06 09:30") == 0.5 * HOUR
    assert seconds("2024-03-05 17:00", "2024-03-06 10:00") == 2 * HOUR


def test_starting_before_opening():
    assert seconds("2024-03-05 07:00", "2024-03-05 10:15") == 1.25 * HOUR


def test_on_a_holiday():
    holiday = BusinessCalendar(holidays=(dt.date(2024, 3, 6),))
    # Tue 17:00 → Thu 10:00 with Wed closed: Tue 17–18 + Thu 09–10
    assert seconds("2024-03-05 17:00", "2024-03-07 10:00", holiday) == 2 * HOUR
    assert seconds("2024-03-06 10:00", "2024-03-06 15:00", holiday) == 0.0


def test_a_split_day():
    # Tue 11:00 → 14:30: 11–12 and 13–14:30
    assert seconds("2024-03-05 11:00", "2024-03-05 14:30", SPLIT) == 2.5 * HOUR
    assert seconds("2024-03-05 12:10", "2024-03-05 12:50", SPLIT) == 0.0
    # a whole week Mon 00:00 → next Mon 00:00: 5 days × 8 h
    assert seconds("2024-03-04", "2024-03-11", SPLIT) == 40 * HOUR


def test_missing_reversed_and_index_kept():
    start = pd.Series([T("2024-03-05 10:00"), pd.NaT, T("2024-03-05 12:00"), T("2024-03-05")],
                      index=[7, 8, 9, 10])
    end = pd.Series([T("2024-03-05 09:00"), T("2024-03-05"), pd.NaT, T("2024-03-05")],
                    index=[7, 8, 9, 10])
    result = business_seconds(start, end)
    assert result.index.tolist() == [7, 8, 9, 10]
    assert result.dtype == "float64"
    assert result.iloc[0] == 0.0
    assert np.isnan(result.iloc[1])
    assert np.isnan(result.iloc[2])
    assert result.iloc[3] == 0.0


def test_weekend_opening_and_until_midnight():
    late = BusinessCalendar(hours={5: [("20:00", "24:00")], 6: [("00:00", "02:00")]})
    # Sat 2024-03-09 23:00 → Sun 01:30: Sat 23–24 + Sun 00–01:30
    assert seconds("2024-03-09 23:00", "2024-03-10 01:30", late) == 2.5 * HOUR


def test_aware_timestamps_are_read_in_the_calendar_zone():
    calendar = BusinessCalendar(timezone="America/Sao_Paulo")
    start = pd.Series(pd.to_datetime(["2024-03-05 12:00"]).tz_localize("UTC"))  # 09:00 local
    end = pd.Series(pd.to_datetime(["2024-03-05 14:00"]).tz_localize("UTC"))  # 11:00 local
    assert business_seconds(start, end, calendar).iloc[0] == 2 * HOUR
    naive_utc = business_seconds(pd.Series([T("2024-03-05 11:00")]),
                                 pd.Series([T("2024-03-05 13:00")]), calendar,
                                 data_timezone="UTC")
    assert naive_utc.iloc[0] == 1 * HOUR  # 08:00–10:00 local, open from 09:00


def _by_minutes(start: pd.Timestamp, end: pd.Timestamp, calendar: BusinessCalendar) -> float:
    """Reference: count open minutes one by one (both ends on whole minutes)."""
    total = 0.0
    minute = start
    starts, lengths = calendar._intervals()
    holidays = set(calendar.holidays)
    while minute < end:
        day = minute.weekday()
        second = minute.hour * 3600 + minute.minute * 60
        if minute.date() not in holidays and any(
                starts[day, k] <= second < starts[day, k] + lengths[day, k]
                for k in range(starts.shape[1])):
            total += 60
        minute += pd.Timedelta(minutes=1)
    return total


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=60 * 24 * 9), st.integers(min_value=0,
                                                                     max_value=60 * 24 * 4))
def test_agrees_with_counting_minute_by_minute(offset, length):
    calendar = BusinessCalendar(hours={**SPLIT.hours, 5: (("10:00", "14:00"),)},
                                holidays=(dt.date(2024, 3, 6),))
    start = T("2024-03-02") + pd.Timedelta(minutes=offset)
    end = start + pd.Timedelta(minutes=length)
    expected = _by_minutes(start, end, calendar)
    assert seconds(str(start), str(end), calendar) == pytest.approx(expected)


def test_json_round_trip_and_default():
    calendar = BusinessCalendar(hours={"mon": [["13:00", "18:00"], ["08:00", "12:00"]]},
                                holidays=("2024-12-25",), timezone="America/Sao_Paulo")
    data = calendar.to_dict()
    assert data == {"hours": {"mon": [["08:00", "12:00"], ["13:00", "18:00"]]},
                    "holidays": ["2024-12-25"], "timezone": "America/Sao_Paulo"}
    assert BusinessCalendar.from_dict(data) == calendar
    assert hash(BusinessCalendar.from_dict(data)) == hash(calendar)
    default = BusinessCalendar.default()
    assert default.open_seconds_per_weekday().tolist() == [9 * HOUR] * 5 + [0.0, 0.0]


@pytest.mark.parametrize(("data", "code"), [
    ({"hours": {0: [["9h", "18:00"]]}}, "validation.calendar_bad_time"),
    ({"hours": {0: [["09:00", "24:30"]]}}, "validation.calendar_bad_time"),
    ({"hours": {0: [["18:00", "09:00"]]}}, "validation.calendar_bad_interval"),
    ({"hours": {0: [["09:00", "13:00"], ["12:00", "18:00"]]}}, "validation.calendar_overlap"),
    ({"hours": {9: [["09:00", "18:00"]]}}, "validation.calendar_bad_weekday"),
    ({"hours": {"funday": []}}, "validation.calendar_bad_weekday"),
    ({"hours": {0: "09:00-18:00"}}, "validation.calendar_bad_hours"),
    ({"holidays": ["25/12/2024"]}, "validation.calendar_bad_holiday"),
    ({"timezone": "Mars/Olympus"}, "validation.calendar_bad_timezone"),
    ({"hourz": {}}, "validation.calendar_unknown_key"),
])
def test_bad_calendars_raise_definition_errors_with_codes(data, code):
    with pytest.raises(DefinitionError) as caught:
        BusinessCalendar.from_dict(data)
    assert caught.value.code == code
    assert caught.value.message("pt") != code
