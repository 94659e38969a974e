from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.parsing import (
    MARKER_WORDS,
    DayfirstEvidence,
    Parsed,
    dayfirst_evidence,
    detect_dayfirst,
    parse_bool,
    parse_datetime,
    parse_duration,
    parse_number,
    parse_share,
    parse_text,
    unit_from_header,
)

T = pd.Timestamp


def values(parsed: Parsed) -> list[object]:
    return [None if pd.isna(v) else v for v in parsed.values.tolist()]


def failed(parsed: Parsed) -> list[bool]:
    return parsed.failed.tolist()


# --------------------------------------------------------------------------- datetimes


def test_brazilian_column_is_read_day_first_and_bad_dates_fail():
    raw = pd.Series(["05/03/2024 14:30", "31/02/2024", "ontem", "", " NA ", "13/03/2024"],
                    index=[10, 11, 12, 13, 14, 15])
    parsed = parse_datetime(raw)
    assert parsed.values.dtype == "datetime64[us]"
    assert parsed.values.index.tolist() == [10, 11, 12, 13, 14, 15]
    assert values(parsed) == [T("2024-03-05 14:30"), None, None, None, None, T("2024-03-13")]
    assert failed(parsed) == [False, True, True, False, False, False]
    assert parsed.examples == ("31/02/2024", "ontem")


def test_month_first_when_the_second_field_exceeds_twelve():
    raw = pd.Series(["03/05/2024", "03/25/2024 10:00", "12/31/2023 23:59:59"])
    assert detect_dayfirst(raw) is False
    assert values(parse_datetime(raw)) == [T("2024-03-05"), T("2024-03-25 10:00"),
                                           T("2023-12-31 23:59:59")]


def test_ambiguous_dates_are_undecided_and_read_day_first_unless_told():
    raw = pd.Series(["01/02/2024", "03/04/2024 08:00"])
    evidence = dayfirst_evidence(raw)
    assert evidence == DayfirstEvidence(day_first=0, month_first=0, ambiguous=2)
    assert evidence.decision is None
    assert evidence.explanation() == ("parsing.dayfirst.undecided", {})
    assert values(parse_datetime(raw)) == [T("2024-02-01"), T("2024-04-03 08:00")]
    assert values(parse_datetime(raw, dayfirst=False)) == [T("2024-01-02"), T("2024-03-04 08:00")]


def test_dayfirst_evidence_counts_rows_and_majority_decides_a_mixed_column():
    raw = pd.Series(["13/01/2024", "14/01/2024", "01/02/2024", "01/13/2024", "2024-01-01", None])
    evidence = dayfirst_evidence(raw)
    assert (evidence.day_first, evidence.month_first, evidence.ambiguous) == (2, 1, 1)
    assert evidence.decision is True
    assert evidence.explanation() == ("parsing.dayfirst.mixed", {"day_first": 2,
                                                                 "month_first": 1})
    assert dayfirst_evidence(pd.Series([1.0, 2.0])) == DayfirstEvidence(0, 0, 0)


@pytest.mark.parametrize(("text", "expected"), [
    ("05-03-2024", T("2024-03-05")),
    ("05.03.2024 14:30:15", T("2024-03-05 14:30:15")),
    ("5/3/24 9:05", T("2024-03-05 09:05")),
    ("2024-03-05", T("2024-03-05")),
    ("2024-03-05T14:30", T("2024-03-05 14:30")),
    ("2024-03-05 14:30:15.250", T("2024-03-05 14:30:15.250")),
    ("2024/03/05 14:30", T("2024-03-05 14:30")),
    ("05/03/2024 14:30:15.5", T("2024-03-05 14:30:15.5")),
    ("5 Mar 2024", T("2024-03-05")),
])
def test_layouts_day_first(text, expected):
    parsed = parse_datetime(pd.Series([text]), dayfirst=True)
    assert values(parsed) == [expected]


def test_offsets_are_converted_to_the_timezone_or_dropped_to_the_written_wall_time():
    raw = pd.Series(["2024-03-05T14:30:00Z", "2024-03-05 14:30:00.5-03:00",
                     "2024-03-05 10:00", "05/03/2024 14:30 +01:00"])
    # São Paulo is UTC−3 all year since 2019: 14:30Z → 11:30; 14:30+01:00 → 10:30
    in_sao_paulo = parse_datetime(raw, timezone="America/Sao_Paulo")
    assert values(in_sao_paulo) == [T("2024-03-05 11:30"), T("2024-03-05 14:30:00.5"),
                                    T("2024-03-05 10:00"), T("2024-03-05 10:30")]
    as_written = parse_datetime(raw)
    assert values(as_written) == [T("2024-03-05 14:30"), T("2024-03-05 14:30:00.5"),
                                  T("2024-03-05 10:00"), T("2024-03-05 14:30")]


def test_one_offset_for_the_whole_column_and_lisbon_summer_time():
    raw = pd.Series(["2024-07-01T12:00:00+00:00", "2024-01-15T12:00:00+00:00"])
    # Lisbon: WEST (UTC+1) in July, WET (UTC+0) in January
    assert values(parse_datetime(raw, timezone="Europe/Lisbon")) == [
        T("2024-07-01 13:00"), T("2024-01-15 12:00")]


def test_excel_serial_numbers_as_numbers_and_as_text():
    # 45000 = 2023-03-15 (Excel day 1 = 1900-01-01, origin 1899-12-30); 0.5 day = noon
    numbers = parse_datetime(pd.Series([45000.5, 45001.25, np.nan, 12.0]))
    assert values(numbers) == [T("2023-03-15 12:00"), T("2023-03-16 06:00"), None, None]
    assert failed(numbers) == [False, False, False, True]
    text = parse_datetime(pd.Series(["45000.5", "x"]), timezone="Asia/Tokyo")
    assert values(text) == [T("2023-03-15 12:00"), None]  # serials are wall time: never shifted
    assert failed(text) == [False, True]


def test_epoch_seconds_and_milliseconds_are_utc_instants():
    # 1709649000 s = 2024-03-05 14:30:00 UTC
    millis = parse_datetime(pd.Series([1_709_649_000_000, None], dtype="Int64"))
    assert values(millis) == [T("2024-03-05 14:30"), None]
    seconds = parse_datetime(pd.Series([1_709_649_000.0]), timezone="America/Sao_Paulo")
    assert values(seconds) == [T("2024-03-05 11:30")]


def test_typed_datetimes_pass_through_and_aware_ones_are_converted():
    naive = pd.Series(pd.to_datetime(["2024-03-05 14:30", None]))
    assert values(parse_datetime(naive)) == [T("2024-03-05 14:30"), None]
    aware = pd.Series(pd.to_datetime(["2024-03-05 14:30"]).tz_localize("UTC"))
    assert values(parse_datetime(aware, timezone="America/Sao_Paulo")) == [T("2024-03-05 11:30")]
    assert values(parse_datetime(aware)) == [T("2024-03-05 14:30")]
    mixed = pd.Series([dt.datetime(2024, 3, 5, 1), "06/03/2024", None, dt.date(2024, 3, 7)],
                      dtype=object)
    assert values(parse_datetime(mixed)) == [T("2024-03-05 01:00"), T("2024-03-06"), None,
                                            T("2024-03-07")]


# --------------------------------------------------------------------------- durations


def test_durations_in_every_written_form():
    raw = pd.Series(["00:03:12", "25:00:00", "3:12", "1,5", "1d 02:03:04", "-00:00:10",
                     "1h 2m 3s", "abc", "", "00:61", " 2 min ", "1:02:03"])
    parsed = parse_duration(raw)
    assert values(parsed) == [192.0, 90_000.0, 192.0, 1.5, 86_400 + 7384.0, -10.0, 3723.0,
                              None, None, None, 120.0, 3723.0]
    assert failed(parsed) == [False] * 7 + [True, False, True, False, False]
    assert parsed.examples == ("abc", "00:61")


def test_duration_units_apply_to_plain_numbers_only():
    assert values(parse_duration(pd.Series([1.5, None]), unit="minutes")) == [90.0, None]
    assert values(parse_duration(pd.Series(["2,5", "00:01:00"]), unit="hours")) == [9000.0, 60.0]


def test_typed_durations():
    mixed = pd.Series([dt.time(0, 1, 2), dt.timedelta(minutes=2), 7, "NA", None], dtype=object)
    assert values(parse_duration(mixed)) == [62.0, 120.0, 7.0, None, None]
    deltas = pd.Series(pd.to_timedelta(["1 days 00:00:01", None]))
    assert values(parse_duration(deltas)) == [86_401.0, None]
    clock = pd.Series(pd.to_datetime(["1899-12-30 00:03:12"]))
    assert values(parse_duration(clock)) == [192.0]


@pytest.mark.parametrize(("header", "unit"), [
    ("Espera (min)", "minutes"), ("Tempo em segundos", "seconds"), ("TMA (seg)", "seconds"),
    ("Handle time (h)", "hours"), ("Horas online", "hours"), ("Duration in minutes", "minutes"),
    ("Tiempo de espera (minutos)", "minutes"), ("Durada (minuts)", "minutes"),
    ("Temps (segons)", "seconds"), ("wait_sec", None), ("Wait secs", "seconds"),
    ("Tempo (hh:mm:ss)", None), ("Segmento", None), ("Admin", None), ("Hores", "hours"),
    ("Talk time [s]", "seconds"),
])
def test_unit_from_header(header, unit):
    assert unit_from_header(header) == unit


# --------------------------------------------------------------------------- booleans


def test_booleans_in_four_languages_and_numbers():
    raw = pd.Series(["Sim", "não", "Sí", "no", "verdadeiro", "FALSO", 1, 0.0, "talvez", None,
                     "yes", "N", "cert", "fals", True], dtype=object)
    parsed = parse_bool(raw)
    assert parsed.values.dtype == "boolean"
    assert values(parsed) == [True, False, True, False, True, False, True, False, None, None,
                              True, False, True, False, True]
    assert parsed.failed.sum() == 1
    assert parsed.examples == ("talvez",)


def test_user_values_win_and_ignore_case_and_accents():
    raw = pd.Series(["Abandonada", "ATENDIDA", "Em espera", "Não"])
    parsed = parse_bool(raw, true_values=["abandonada"], false_values=["Atendida"])
    assert values(parsed) == [True, False, None, False]
    assert failed(parsed) == [False, False, True, False]


def test_marker_column_reads_blank_as_false_only_when_every_value_is_a_marker():
    markers = parse_bool(pd.Series(["x", None, "X", "", "✓"]))
    assert values(markers) == [True, False, True, False, True]
    assert not markers.failed.any()
    not_markers = parse_bool(pd.Series(["x", None, "yes"]))
    assert values(not_markers) == [None, None, True]
    assert failed(not_markers) == [True, False, False]


# --------------------------------------------------------------------------- numbers and text


def test_decimal_comma_numbers_with_currency_and_percent():
    raw = pd.Series(["1.234,56", "R$ 12,50", "€3.20", "12%", "-R$ 3,00", "abc", "1.234",
                     "12.50", None, "1\u00a0234,5"])
    parsed = parse_number(raw, decimal=",")
    assert values(parsed) == [1234.56, 12.5, 3.2, 12.0, -3.0, None, 1234.0, 12.5, None, 1234.5]
    assert parsed.examples == ("abc",)


def test_decimal_point_numbers_and_passthrough():
    raw = pd.Series(["1,234.56", "1,5", "1,500", "1e3", "(12)", "$ -5"])
    assert values(parse_number(raw)) == [1234.56, 1.5, 1500.0, 1000.0, None, -5.0]
    typed = parse_number(pd.Series([3, None, 2.5], dtype="Float64"))
    assert values(typed) == [3.0, None, 2.5]
    assert values(parse_number(pd.Series([True, False]))) == [1.0, 0.0]


def test_text_is_stripped_and_kept_verbatim():
    raw = pd.Series([" a ", "", "NA", 12.0, None, "<b>x</b>", "-"], dtype=object)
    parsed = parse_text(raw)
    assert str(parsed.values.dtype) == "str"
    assert values(parsed) == ["a", None, None, "12", None, "<b>x</b>", None]
    assert not parsed.failed.any()


def test_parse_share_confirms_a_header_by_content():
    half = pd.Series(["05/03/2024"] * 10 + ["x"] * 10 + [""] * 5)
    assert parse_share("datetime", half) == pytest.approx(0.5)
    assert parse_share("duration", pd.Series(["00:01:00", "2:00", None])) == 1.0
    assert parse_share("bool", pd.Series(["sim", "não", "talvez", "x"])) == pytest.approx(0.5)
    assert parse_share("number", pd.Series([None, ""])) == 0.0
    assert parse_share("datetime", pd.Series([30.0, 45.0, 12.0])) == 0.0  # not plausible dates


# --------------------------------------------------------------------------- properties

MISSING = {"", "na", "n/a", "#n/a", "null", "none", "nan", "nat", "-", "--"}
cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["NA", " n/a ", "-", "null", "05/03/2024", "00:01:02", "sim", "1,5",
                     "2024-03-05T10:00:00Z", "45000", "R$ 1,00", "x", "  "]),
)


def _is_missing(cell: str) -> bool:
    return cell.strip().lower() in MISSING


@settings(max_examples=40, deadline=None)
@given(st.lists(cells, max_size=15))
def test_every_parser_never_raises_and_failed_is_exactly_non_missing_and_unparsed(raw_cells):
    raw = pd.Series(raw_cells, dtype=object)
    missing = np.array([_is_missing(c) for c in raw_cells], dtype=bool)
    for parser in (parse_datetime, parse_duration, parse_number, parse_text):
        parsed = parser(raw)
        assert len(parsed.values) == len(raw)
        unparsed = parsed.values.isna().to_numpy(dtype=bool)
        assert parsed.failed.tolist() == (~missing & unparsed).tolist(), parser.__name__
        assert len(parsed.examples) <= 5
    as_bool = parse_bool(raw)
    present = [c for c, m in zip(raw_cells, missing, strict=True) if not m]
    if present and all(c.strip().casefold() in MARKER_WORDS for c in present):
        assert as_bool.values.notna().all()  # marker column: blanks read as False
        assert not as_bool.failed.any()
    else:
        unparsed = as_bool.values.isna().to_numpy(dtype=bool)
        assert as_bool.failed.tolist() == (~missing & unparsed).tolist()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=400_000), min_size=1, max_size=20))
def test_hh_mm_ss_round_trips(seconds):
    text = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in seconds]
    assert values(parse_duration(pd.Series(text))) == [float(s) for s in seconds]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.datetimes(min_value=dt.datetime(1990, 1, 1),
                             max_value=dt.datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0)), min_size=1, max_size=20), st.booleans())
def test_written_dates_round_trip(stamps, dayfirst):
    layout = "%d/%m/%Y %H:%M:%S" if dayfirst else "%m/%d/%Y %H:%M:%S"
    text = pd.Series([d.strftime(layout) for d in stamps])
    assert values(parse_datetime(text, dayfirst=dayfirst)) == [T(d) for d in stamps]


def test_nullable_and_arrow_typed_columns():
    import pyarrow as pa

    flags = pd.Series([True, None, False], dtype="boolean")
    assert values(parse_text(flags)) == ["true", None, "false"]
    assert values(parse_number(flags)) == [1.0, None, 0.0]
    assert values(parse_bool(pd.Series([1, None, 0], dtype="Int64"))) == [True, None, False]
    clock = pd.Series(pd.array([dt.time(0, 3, 12), None], dtype=pd.ArrowDtype(pa.time32("s"))))
    assert values(parse_duration(clock)) == [192.0, None]
    as_bool = parse_bool(clock)
    assert failed(as_bool) == [True, False]
    assert as_bool.examples == ("00:03:12",)
    stamps = pd.Series(pd.array([dt.datetime(2024, 3, 5, 14, 30), None],
                                dtype=pd.ArrowDtype(pa.timestamp("s", tz="UTC"))))
    assert values(parse_datetime(stamps, timezone="America/Sao_Paulo")) == [
        T("2024-03-05 11:30"), None]
    waits = pd.Series(pd.array([5, None], dtype=pd.ArrowDtype(pa.duration("s"))))
    assert values(parse_duration(waits)) == [5.0, None]


@pytest.mark.parametrize("sample", [
    ["05/03/2024 2:30 PM", "06/03/2024 11:00 AM"],
    ["2024-03-05 14:30:15,250", "2024-03-06 08:00:00,5"],
    ["5 Mar 2024 10:00", "March 6, 2024"],
    ["05.03.2024", "06-03-2024", "2024/03/07"],
    ["02:07:27", "00:15:12"],                      # durations: no date format reads them
    ["Sim", "Não", "13/03/24"],
])
def test_format_search_skips_only_formats_that_cannot_read_anything(sample):
    from kpi.parsing import _best_formats, _candidate_formats, _parse_with

    text = pd.Series(sample, dtype="str")
    formats = _candidate_formats(True)
    scores = [int((~np.isnat(_parse_with(text, f))).sum()) for f in formats]
    # every format tried: the first that reads all, else those reading some, best first
    ranked = sorted((-s, r) for r, s in enumerate(scores) if s)
    expected = ([formats[scores.index(len(text))]] if len(text) in scores
                else [formats[r] for _, r in ranked])
    assert _best_formats(text, formats) == expected


def test_clock_durations_with_fraction_and_day_parts():
    raw = pd.Series(["00:01:02,5", "1 dia 00:00:01", "100:00", "+00:00:07", "2 days, 01:00:00"])
    assert values(parse_duration(raw)) == [62.5, 86_401.0, 6000.0, 7.0, 2 * 86_400 + 3600.0]


@pytest.mark.parametrize("raw", [
    ["Ana", "Bia", None, "Caio"],                  # nothing to strip or blank: memory shared
    [" Ana", "Bia ", "NA", "-", "", "Caio"],
])
def test_text_kept_as_is_or_stripped_and_blanked_and_the_input_untouched(raw):
    source = pd.Series(raw, dtype="str")
    before = source.copy(deep=True)
    parsed = parse_text(source)
    expected = [None if v is None or v.strip() in ("", "NA", "-") else v.strip() for v in raw]
    assert values(parsed) == expected
    parsed.values.iloc[0] = "changed"
    pd.testing.assert_series_equal(source, before)
