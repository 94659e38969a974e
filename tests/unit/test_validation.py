from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from kpi.errors import UnusableDataError
from kpi.validation import (
    Issue,
    ValidationReport,
    check_frame,
    clean_frame,
    dropped_counts,
    format_number,
    merge_issues,
)

T = pd.Timestamp
NOW = T("2024-05-01 12:00")


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "interaction_id": pd.Series(["a", "b", "a", "c", None, "a"], dtype="str"),
        "created_at": pd.Series([T("2024-03-01 10:00"), T("1970-01-01"), T("2024-03-02"),
                                 T("2024-06-01"), T("2024-03-03"), T("2024-03-04")]),
        "answered_at": pd.Series([T("2024-03-01 09:00"), pd.NaT, T("2024-03-02 00:01"),
                                  pd.NaT, T("1899-12-30"), pd.NaT]),
        "wait_seconds": [-5.0, 10.0, 20.0, np.nan, 3.0, -1.0],
        "csat": [0.0, 5.0, 6.0, 3.0, np.nan, 1.0],
        "nps": [11.0, 10.0, 0.0, -1.0, 5.0, 7.5],
        "agent": pd.Series(["=SUM(A1)", "+55 11 99999-0000", "<b>Ana</b>", "-1", "João",
                            "<script>alert(1)</script>"], dtype="str"),
    })


def by_code(issues: list[Issue]) -> dict[str, Issue]:
    return {i.code: i for i in issues}


def test_check_frame_finds_every_problem_with_counts_and_examples(frame):
    issues = by_code(check_frame(frame, csat_scale=(1, 5), now=NOW))
    assert issues["validation.duplicate_id"].count == 2  # rows 2 and 5 repeat "a"
    assert issues["validation.duplicate_id"].examples == ("a",)
    assert issues["validation.negative_duration"].count == 2
    assert issues["validation.negative_duration"].examples == ("-5", "-1")
    assert issues["validation.negative_duration"].field == "wait_seconds"
    assert issues["validation.csat_off_scale"].count == 2
    assert issues["validation.csat_off_scale"].examples == ("0", "6")
    assert issues["validation.nps_off_scale"].examples == ("11", "-1")
    assert issues["validation.created_at_implausible"].examples == ("1970-01-01",)
    assert issues["validation.created_at_future"].examples == ("2024-06-01",)
    assert issues["validation.date_implausible"].field == "answered_at"
    assert issues["validation.answered_at_before_created"].examples == ("2024-03-01 09:00:00",)
    assert issues["validation.formula_like"].examples == ("=SUM(A1)",)  # phone and -1 are fine
    assert issues["validation.formula_like"].severity == "info"
    assert issues["validation.markup"].count == 2
    # checking changes nothing
    assert frame["wait_seconds"].iloc[0] == -5.0


def test_clean_frame_applies_the_policy(frame):
    cleaned, issues = clean_frame(frame, csat_scale=(1, 5), now=NOW)
    assert len(cleaned) == 5  # only the 1970 row is dropped
    assert cleaned.index.tolist() == [0, 1, 2, 3, 4]
    assert cleaned["interaction_id"].tolist()[:3] == ["a", "a", "c"]
    assert cleaned["wait_seconds"].isna().tolist() == [True, False, True, False, True]
    assert cleaned["csat"].isna().tolist() == [True, True, False, True, False]
    assert cleaned["nps"].isna().tolist() == [True, False, True, False, False]
    assert cleaned["answered_at"].isna().tolist() == [True, False, True, True, True]
    assert cleaned["agent"].tolist()[0] == "=SUM(A1)"  # kept verbatim
    assert cleaned["created_at"].tolist()[2] == T("2024-06-01")  # future kept
    assert dropped_counts(issues) == {"validation.created_at_implausible": 1}
    assert str(cleaned["wait_seconds"].dtype) == "float64"
    assert str(cleaned["answered_at"].dtype) == "datetime64[us]"


def test_a_clean_frame_has_no_issues_and_other_scales_apply():
    frame = pd.DataFrame({"created_at": pd.Series([T("2024-03-01")]), "csat": [9.0],
                          "team": pd.Series(["Suporte N1"], dtype="str")})
    assert check_frame(frame, csat_scale=(0, 10), now=NOW) == []
    off = by_code(check_frame(frame, csat_scale=(1, 5), now=NOW))["validation.csat_off_scale"]
    assert off.params == {"low": "1", "high": "5"}


def test_report_lines_in_english_and_portuguese_with_babel_numbers():
    issue = Issue(code="validation.negative_duration", field="wait_seconds", column="Espera",
                  count=1204, examples=("-5", "-12"), severity="warning")
    report = ValidationReport(rows_read=12_040, rows_kept=11_800,
                              dropped={"validation.created_at_implausible": 240},
                              issues=[issue])
    assert report.lines("en") == [
        "12,040 rows read, 11,800 kept; 240 set aside.",
        "240 rows set aside (validation.created_at_implausible).",
        "1,204 negative values of wait_seconds (e.g. '-5', '-12') were treated as unknown.",
    ]
    lines_pt = report.lines("pt")
    assert lines_pt[0] == "12.040 linhas lidas, 11.800 mantidas; 240 deixadas de lado."
    assert lines_pt[1] == "240 linhas deixadas de lado (validation.created_at_implausible)."
    assert lines_pt[-1] == ("1.204 valores negativos de wait_seconds (ex.: '-5', '-12') foram "
                            "tratados como desconhecidos.")
    assert format_number(1204, "pt") == "1.204"
    assert format_number(1204, "en") == "1,204"


def test_dropped_reasons_explained_by_an_issue_are_not_repeated():
    issue = Issue(code="validation.created_at_implausible", field="created_at", column=None,
                  count=24, examples=("1899-12-30",), severity="warning",
                  params={"earliest": 1990})
    report = ValidationReport(rows_read=1204, rows_kept=1180,
                              dropped={"validation.created_at_implausible": 24,
                                       "no.such.reason": 3},
                              issues=[issue])
    assert report.lines("en") == [
        "1,204 rows read, 1,180 kept; 27 set aside.",
        "3 rows set aside (no.such.reason).",
        "24 rows were set aside because their creation date is before 1990 or more than a "
        "year ahead (e.g. '1899-12-30').",
    ]


def test_fatal_report_is_not_usable_and_says_why():
    fatal = UnusableDataError("common.error", detail="no dates")
    report = ValidationReport(rows_read=10, rows_kept=0, dropped={"x": 10}, issues=[],
                              fatal=fatal)
    assert not report.usable
    assert "Something went wrong: no dates" in report.lines("en")
    assert ValidationReport(rows_read=3, rows_kept=3).usable
    assert not ValidationReport(rows_read=0, rows_kept=0).usable


def test_merge_adds_counts_and_pools_issues():
    first = ValidationReport(
        rows_read=10, rows_kept=8, dropped={"validation.created_at_implausible": 2},
        issues=[Issue("validation.negative_duration", "wait_seconds", None, 2, ("-1", "-2"))])
    second = ValidationReport(
        rows_read=5, rows_kept=5, dropped={},
        issues=[Issue("validation.negative_duration", "wait_seconds", None, 1, ("-2", "-9")),
                Issue("validation.markup", "agent", None, 1, ("<b>",), "info")])
    merged = first.merge(second)
    assert (merged.rows_read, merged.rows_kept) == (15, 13)
    assert merged.dropped == {"validation.created_at_implausible": 2}
    pooled = by_code(merged.issues)
    assert pooled["validation.negative_duration"].count == 3
    assert pooled["validation.negative_duration"].examples == ("-1", "-2", "-9")
    assert len(merge_issues(merged.issues)) == 2


def test_to_dict_is_json_serialisable():
    report = ValidationReport(
        rows_read=2, rows_kept=1, dropped={"validation.created_at_implausible": 1},
        issues=[Issue("validation.csat_off_scale", "csat", "Nota", 1, ("7",), "warning",
                      {"low": "1", "high": "5"})],
        fatal=None)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["issues"][0] == {"code": "validation.csat_off_scale", "field": "csat",
                                 "column": "Nota", "count": 1, "examples": ["7"],
                                 "severity": "warning", "params": {"low": "1", "high": "5"}}
    assert data["usable"] is True
    assert data["fatal"] is None


def test_large_frame_counts_match_a_direct_count():
    rows = 200_000
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "interaction_id": pd.Series(np.arange(rows).astype(str), dtype="str"),
        "created_at": pd.Series(T("2024-01-01") + pd.to_timedelta(
            rng.integers(0, 86_400 * 90, rows), unit="s")),
        "wait_seconds": rng.normal(60, 80, rows),
        "agent": pd.Series(rng.choice(["Ana", "Bruno", "=cmd"], rows), dtype="str"),
    })
    cleaned, issues = clean_frame(frame, now=NOW)
    negative = int((frame["wait_seconds"] < 0).sum())
    assert by_code(issues)["validation.negative_duration"].count == negative
    assert int(cleaned["wait_seconds"].isna().sum()) == negative
    formulas = int((frame["agent"] == "=cmd").sum())
    assert by_code(issues)["validation.formula_like"].count == formulas


# RE2 (what pyarrow runs) reads \s and \d as ASCII only
_FORMULA_RE = re.compile(r"^[=+\-@]")
_PHONE_RE = re.compile(r"^[+\-]?[\d\s().\-/]*\d[\d\s().\-/]*$", re.ASCII)
_MARKUP_RE = re.compile(r"<\s*script|<\s*/?\s*[a-z][a-z0-9]*(?:\s[^<>]*)?/?\s*>",
                        re.IGNORECASE | re.ASCII)


def _expected_text_counts(values: list[str | None]) -> tuple[int, int]:
    """Formula-like and markup cells counted with Python's ``re`` on every value."""
    texts = [v for v in values if v is not None]
    formula = sum(bool(_FORMULA_RE.match(v)) and not _PHONE_RE.match(v) for v in texts)
    markup = sum(bool(_MARKUP_RE.search(v)) for v in texts)
    return formula, markup


def test_byte_prefilters_find_what_the_regexes_find_on_every_row():
    # Multi-byte text, empty and missing cells, a column sliced by a row filter and one built
    # from two Arrow chunks: the byte-level pre-filters must agree with the regexes row by row.
    rng = np.random.default_rng(3)
    pieces = ["=", "+", "-", "@", "<", ">", "b", "script", " ", "5", "ã", "€", "ü<", "/", "",
              "Ana", "<i>", "(11)", "\u00a0", "é="]
    values = ["".join(rng.choice(pieces, rng.integers(0, 5))) for _ in range(3000)]
    values = [None if i % 17 == 0 else v for i, v in enumerate(values)]
    formula, markup = _expected_text_counts(values)
    assert formula > 50
    assert markup > 50
    whole = pd.Series(values, dtype="str")
    chunked = pd.concat([whole.iloc[:1000], whole.iloc[1000:]], ignore_index=True)
    for column in (whole, chunked):
        issues = by_code(check_frame(pd.DataFrame({"agent": column}), now=NOW))
        assert issues["validation.formula_like"].count == formula
        assert issues["validation.markup"].count == markup
    sliced = pd.DataFrame({"agent": whole}).iloc[501:]  # an Arrow slice with an offset
    issues = by_code(check_frame(sliced, now=NOW))
    assert (issues["validation.formula_like"].count,
            issues["validation.markup"].count) == _expected_text_counts(values[501:])


@pytest.mark.parametrize(("ids", "repeated"), [
    (["999", "1000", "1001", "10000"], 0),          # increasing as numbers, not as text
    (["a", None, "b", None, "c"], 0),
    (["1", "2", "10", "2"], 1),
    (["a", None, "a"], 1),                          # a missing id between the two
    (["10", "9", "10", "10"], 2),
    ([None, None, "x"], 0),                         # missing ids are never duplicates
])
def test_duplicate_ids_with_and_without_the_sorted_shortcut(ids, repeated):
    frame = pd.DataFrame({"interaction_id": pd.Series(ids, dtype="str")})
    expected = int((frame["interaction_id"].duplicated() & frame["interaction_id"].notna()).sum())
    assert expected == repeated
    issues = by_code(check_frame(frame, now=NOW))
    found = issues.get("validation.duplicate_id")
    assert (found.count if found else 0) == repeated


def test_clean_frame_leaves_the_callers_frame_untouched(frame):
    before = frame.copy(deep=True)
    clean_frame(frame, now=NOW)
    pd.testing.assert_frame_equal(frame, before)
