"""What was wrong with the data, and what was done about it: issues and the validation report.

Policy (applied by :func:`clean_frame`, which the canonicalisation layer calls once per file):

* ``created_at`` before 1990-01-01 or more than a year after ``now``: the row is **dropped**
  (issue ``validation.created_at_implausible``; the only reason this module drops a row, and
  the caller adds its count to ``ValidationReport.dropped`` — see :func:`dropped_counts`).
* ``created_at`` after ``now`` (one day's tolerance for time zones) but within a year: kept,
  reported (``validation.created_at_future``).
* other timestamps outside 1990 … now + 1 year → missing; ``answered_at`` / ``resolved_at``
  before ``created_at`` → missing (the contact stays, its wait/resolution is unknown).
* negative durations → missing; CSAT outside its scale → missing; NPS outside 0–10 → missing.
* duplicate ``interaction_id``: reported, every row kept (they may be distinct contacts).
* text that starts like a spreadsheet formula (``=``, ``+``, ``-``, ``@``; phone numbers and
  signed numbers aside) or contains markup (``<script``, HTML tags): reported as information,
  kept verbatim as plain text — escaping is the job of whoever renders or exports it.

Every count is of rows; examples are up to five distinct offending values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from babel.numbers import format_decimal

from kpi.errors import KpiError
from kpi.i18n import normalise_lang, translate
from kpi.schema import ACTIVITY_FIELDS, FORECAST_FIELDS, INTERACTION_FIELDS

Severity = Literal["info", "warning", "error"]

EARLIEST = pd.Timestamp("1990-01-01")
FUTURE_TOLERANCE = pd.Timedelta(days=1)
LATEST_AHEAD = pd.Timedelta(days=366)
NPS_SCALE = (0.0, 10.0)
MAX_EXAMPLES = 5

#: Issue codes whose rows :func:`clean_frame` removed (code → ``dropped`` reason key).
DROPPING_CODES: frozenset[str] = frozenset({"validation.created_at_implausible"})

_KIND = {f.name: f.kind for f in (*INTERACTION_FIELDS, *ACTIVITY_FIELDS, *FORECAST_FIELDS)}
_FORMULA = r"^[=+\-@]"
_SIGNED_NUMBER_OR_PHONE = r"^[+\-]?[\d\s().\-/]*\d[\d\s().\-/]*$"
_MARKUP = r"(?i)<\s*script|<\s*/?\s*[a-z][a-z0-9]*(?:\s[^<>]*)?/?\s*>"
_LOCALES = {"en": "en_US", "pt": "pt_BR"}


@dataclass(frozen=True)
class Issue:
    """One fact: ``count`` rows of ``field`` (source ``column``) have problem ``code``.

    ``code`` is a message key; ``params`` fill its extra placeholders (e.g. a scale's bounds).
    """

    code: str
    field: str | None
    column: str | None
    count: int
    examples: tuple[str, ...] = ()
    severity: Severity = "warning"
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    #: The error behind the issue (a skipped file's), translated in ``line`` instead of the
    #: English ``examples``; not part of ``to_dict``.
    error: KpiError | None = dataclasses.field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {"code": self.code, "field": self.field, "column": self.column,
                "count": int(self.count), "examples": list(self.examples),
                "severity": self.severity, "params": dict(self.params)}

    def line(self, lang: str | None = "en") -> str:
        """The issue as one sentence in ``lang``."""
        return translate(self.code, lang, **self._params(lang))

    def _params(self, lang: str | None) -> dict[str, Any]:
        shown = ", ".join(f"'{_shorten(e)}'" for e in self.examples)
        return {
            "field": self.field or "",
            "column": self.column or "",
            "file": self.column or "",
            "detail": self.error.message(lang) if self.error is not None
            else self.examples[0] if self.examples else "",
            **self.params,
            "count": format_number(self.count, lang),
            "examples": shown,
        }


def _shorten(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_number(value: float, lang: str | None = "en") -> str:
    """A number in the user's locale: 1204 → "1,204" (en) or "1.204" (pt)."""
    return format_decimal(value, locale=_LOCALES[normalise_lang(lang)])


@dataclass(frozen=True)
class ValidationReport:
    """Rows read and kept, rows dropped per reason, issues found, and a fatal error if any."""

    rows_read: int
    rows_kept: int
    dropped: dict[str, int] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    fatal: KpiError | None = None

    @property
    def usable(self) -> bool:
        """True when there is no fatal error and at least one row was kept."""
        return self.fatal is None and self.rows_kept > 0

    @property
    def dropped_total(self) -> int:
        """Rows dropped for any reason."""
        return int(sum(self.dropped.values()))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (the fatal error as its code, params and English sentence)."""
        fatal = None if self.fatal is None else {
            "code": self.fatal.code,
            "params": {k: str(v) for k, v in self.fatal.params.items()},
            "message": str(self.fatal),
        }
        return {"rows_read": int(self.rows_read), "rows_kept": int(self.rows_kept),
                "dropped": {k: int(v) for k, v in self.dropped.items()},
                "issues": [i.to_dict() for i in self.issues], "fatal": fatal,
                "usable": self.usable}

    def lines(self, lang: str | None = "en") -> list[str]:
        """One translated sentence per fact: the row counts, the fatal error, then each issue."""
        read, kept = format_number(self.rows_read, lang), format_number(self.rows_kept, lang)
        if self.dropped_total:
            out = [translate("validation.summary_dropped", lang, read=read, kept=kept,
                             dropped=format_number(self.dropped_total, lang))]
        else:
            out = [translate("validation.summary", lang, read=read, kept=kept)]
        if self.fatal is not None:
            out.append(self.fatal.message(lang))
        explained = {i.code for i in self.issues}
        for code, count in self.dropped.items():
            if code not in explained:  # normally an issue with the same code tells the story
                out.append(translate("validation.dropped_reason", lang,
                                     count=format_number(count, lang), reason=code))
        out.extend(issue.line(lang) for issue in self.issues)
        return out

    def merge(self, other: ValidationReport) -> ValidationReport:
        """The report of two files read together: counts added, issues of one kind pooled."""
        dropped = dict(self.dropped)
        for code, count in other.dropped.items():
            dropped[code] = dropped.get(code, 0) + count
        return ValidationReport(
            rows_read=self.rows_read + other.rows_read,
            rows_kept=self.rows_kept + other.rows_kept,
            dropped=dropped,
            issues=merge_issues([*self.issues, *other.issues]),
            fatal=self.fatal if self.fatal is not None else other.fatal,
        )


def merge_issues(issues: Iterable[Issue]) -> list[Issue]:
    """Pool issues with the same code, field, column and params (counts added, examples joined)."""
    pooled: dict[tuple[Any, ...], Issue] = {}
    for issue in issues:
        key = (issue.code, issue.field, issue.column, repr(sorted(issue.params.items())))
        if key not in pooled:
            pooled[key] = issue
            continue
        old = pooled[key]
        examples = tuple(dict.fromkeys((*old.examples, *issue.examples)))[:MAX_EXAMPLES]
        worst = max((old.severity, issue.severity), key=("info", "warning", "error").index)
        pooled[key] = dataclasses.replace(old, count=old.count + issue.count,
                                          examples=examples, severity=worst)
    return list(pooled.values())


def dropped_counts(issues: Iterable[Issue]) -> dict[str, int]:
    """Rows :func:`clean_frame` dropped, per reason code, from the issues it returned."""
    out: dict[str, int] = {}
    for issue in issues:
        if issue.code in DROPPING_CODES:
            out[issue.code] = out.get(issue.code, 0) + issue.count
    return out


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class _Finding:
    issue: Issue
    column: str
    mask: np.ndarray
    action: Literal["keep", "missing", "drop"]


def _examples(values: pd.Series, mask: np.ndarray) -> tuple[str, ...]:
    picked = pd.Series(pd.unique(values[mask].head(10_000))[:MAX_EXAMPLES])
    if pd.api.types.is_datetime64_dtype(picked.dtype):
        picked = picked.dt.strftime("%Y-%m-%d %H:%M:%S").str.removesuffix(" 00:00:00")
    return tuple(_as_text(v) for v in picked)


def _as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _finding(frame: pd.DataFrame, column: str, mask: np.ndarray, code: str, action: str,
             severity: Severity = "warning", **params: Any) -> _Finding | None:
    count = int(mask.sum())
    if not count:
        return None
    issue = Issue(code=code, field=column, column=None, count=count,
                  examples=_examples(frame[column], mask), severity=severity, params=params)
    return _Finding(issue, column, mask, action)  # type: ignore[arg-type]


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _timestamps(frame: pd.DataFrame, column: str) -> pd.Series:
    values = frame[column]
    if not pd.api.types.is_datetime64_dtype(values.dtype):
        values = pd.to_datetime(values, errors="coerce")
    return values


def _text_columns(frame: pd.DataFrame) -> list[str]:
    out = []
    for column in frame.columns:
        kind = _KIND.get(str(column))
        dtype = frame[column].dtype
        if kind in ("text", "id") or (kind is None and (
                isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype))):
            out.append(str(column))
    return out


def _repeated(ids: pd.Series) -> np.ndarray:
    """Rows whose (non-missing) id appeared on an earlier row.

    Ids that only ever increase (an export sorted by id) are all distinct: that is checked
    without hashing, in (length, text) order so that "999" < "1000" as the numbers are.
    """
    if isinstance(ids.dtype, pd.StringDtype) and len(ids) > 1:
        present = pc.drop_null(pa.array(ids.array))
        length = pc.binary_length(present).to_numpy(zero_copy_only=False)
        less = pc.less(present[:-1], present[1:]).to_numpy(zero_copy_only=False)
        before, after = length[:-1], length[1:]
        if np.all((before < after) | ((before == after) & less)):
            return np.zeros(len(ids), dtype=bool)
    return (ids.duplicated(keep="first") & ids.notna()).to_numpy(dtype=bool)


def _findings(frame: pd.DataFrame, csat_scale: Sequence[float],
              now: datetime | pd.Timestamp | None) -> list[_Finding]:
    now_ts = pd.Timestamp.now() if now is None else pd.Timestamp(now)
    if now_ts.tzinfo is not None:
        now_ts = now_ts.tz_localize(None)
    found: list[_Finding | None] = []

    if "interaction_id" in frame:
        ids = frame["interaction_id"]
        repeated = _repeated(ids)
        if repeated.any():
            shown = ids.isin(ids[repeated].head(10_000)).to_numpy(dtype=bool)
            finding = _finding(frame, "interaction_id", shown, "validation.duplicate_id", "keep")
            if finding is not None:
                issue = dataclasses.replace(finding.issue, count=int(repeated.sum()))
                found.append(_Finding(issue, "interaction_id", repeated, "keep"))

    for column in frame.columns:
        if _KIND.get(str(column)) == "duration":
            mask = _numbers(frame, column) < 0
            found.append(_finding(frame, column, mask, "validation.negative_duration", "missing"))

    low, high = (float(v) for v in csat_scale)
    if "csat" in frame:
        x = _numbers(frame, "csat")
        found.append(_finding(frame, "csat", (x < low) | (x > high), "validation.csat_off_scale",
                              "missing", low=_as_text(low), high=_as_text(high)))
    if "nps" in frame:
        x = _numbers(frame, "nps")
        found.append(_finding(frame, "nps", (x < NPS_SCALE[0]) | (x > NPS_SCALE[1]),
                              "validation.nps_off_scale", "missing"))

    latest = now_ts + LATEST_AHEAD
    created = _timestamps(frame, "created_at") if "created_at" in frame else None
    for column in frame.columns:
        if _KIND.get(str(column)) != "datetime":
            continue
        values = _timestamps(frame, column)
        implausible = ((values < EARLIEST) | (values > latest)).to_numpy(dtype=bool)
        if column == "created_at":
            found.append(_finding(frame, column, implausible, "validation.created_at_implausible",
                                  "drop", earliest=EARLIEST.year))
            future = ((values > now_ts + FUTURE_TOLERANCE) & (values <= latest)).to_numpy(
                dtype=bool)
            found.append(_finding(frame, column, future, "validation.created_at_future", "keep",
                                  now=now_ts.strftime("%Y-%m-%d %H:%M")))
            continue
        found.append(_finding(frame, column, implausible, "validation.date_implausible",
                              "missing", earliest=EARLIEST.year))
        if created is not None and column in ("answered_at", "resolved_at"):
            early = ((values < created) & ~pd.Series(implausible, index=values.index)).to_numpy(
                dtype=bool)
            found.append(_finding(frame, column, early, f"validation.{column}_before_created",
                                  "missing"))

    for column in _text_columns(frame):
        found.extend(_text_findings(frame, column))
    return [f for f in found if f is not None]


def _string_layout(values: pd.Series) -> tuple[pa.Array, np.ndarray, np.ndarray, np.ndarray]:
    """A text column as one Arrow array, its row offsets, its UTF-8 bytes and its validity."""
    arrow = pa.array(values.astype("str").array)
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    if not pa.types.is_large_string(arrow.type):
        arrow = arrow.cast(pa.large_string())
    _validity, offsets_buffer, data_buffer = arrow.buffers()
    if offsets_buffer is None:  # no rows
        return arrow, np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.uint8), np.zeros(0, bool)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)
    offsets = offsets[arrow.offset:arrow.offset + len(arrow) + 1]
    data = (np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None
            else np.zeros(0, dtype=np.uint8))
    valid = arrow.is_valid().to_numpy(zero_copy_only=False)
    return arrow, offsets, data, valid


def _first_byte_in(offsets: np.ndarray, data: np.ndarray, valid: np.ndarray,
                   chars: bytes) -> np.ndarray:
    """Rows whose text starts with one of the ASCII ``chars`` (straight from the bytes)."""
    starts = offsets[:-1]
    filled = valid & (offsets[1:] > starts)
    first = np.zeros(len(starts), dtype=np.uint8)
    first[filled] = data[starts[filled]]
    return filled & np.isin(first, np.frombuffer(chars, dtype=np.uint8))


def _containing(offsets: np.ndarray, data: np.ndarray, valid: np.ndarray,
                char: bytes) -> np.ndarray:
    """Rows whose text contains the ASCII ``char`` (one pass over the bytes)."""
    out = np.zeros(len(offsets) - 1, dtype=bool)
    begin, end = int(offsets[0]), int(offsets[-1])
    positions = np.flatnonzero(data[begin:end] == char[0]) + begin
    if positions.size:
        out[np.searchsorted(offsets, positions, side="right") - 1] = True
    return out & valid


def _matching(arrow: pa.Array, candidates: np.ndarray, pattern: str) -> np.ndarray:
    """Rows among ``candidates`` (a cheap pre-filter) whose text matches ``pattern``."""
    out = np.zeros(len(arrow), dtype=bool)
    rows = np.flatnonzero(candidates)
    if rows.size:
        hits = pc.match_substring_regex(arrow.take(pa.array(rows)), pattern)
        out[rows] = pc.fill_null(hits, False).to_numpy(zero_copy_only=False)
    return out


def _text_findings(frame: pd.DataFrame, column: str) -> list[_Finding | None]:
    """Formula-like and markup cells of one text column (reported, kept).

    Both regexes only see the rows a look at the raw bytes lets through: a first byte of
    ``= + - @``, or a ``<`` anywhere.
    """
    arrow, offsets, data, valid = _string_layout(frame[column])
    formula = _matching(arrow, _first_byte_in(offsets, data, valid, b"=+-@"), _FORMULA)
    if formula.any():
        formula &= ~_matching(arrow, formula, _SIGNED_NUMBER_OR_PHONE)
    markup = _matching(arrow, _containing(offsets, data, valid, b"<"), _MARKUP)
    return [_finding(frame, column, formula, "validation.formula_like", "keep", severity="info"),
            _finding(frame, column, markup, "validation.markup", "keep", severity="info")]


def check_frame(
    frame: pd.DataFrame,
    *,
    csat_scale: Sequence[float] = (1, 5),
    now: datetime | pd.Timestamp | None = None,
) -> list[Issue]:
    """Problems in a canonical frame (any subset of the schema's columns); changes nothing."""
    return [f.issue for f in _findings(frame, csat_scale, now)]


def clean_frame(
    frame: pd.DataFrame,
    *,
    csat_scale: Sequence[float] = (1, 5),
    now: datetime | pd.Timestamp | None = None,
) -> tuple[pd.DataFrame, list[Issue]]:
    """Apply the module's policy: invalid values → missing, implausible ``created_at`` → row
    dropped; return the cleaned frame (index reset when rows were dropped) and the issues."""
    findings = _findings(frame, csat_scale, now)
    out = frame.copy(deep=False)  # copy-on-write: columns are copied only when changed
    drop = np.zeros(len(frame), dtype=bool)
    for finding in findings:
        if finding.action == "missing":
            out[finding.column] = out[finding.column].mask(finding.mask)
        elif finding.action == "drop":
            drop |= finding.mask
    if drop.any():
        out = out[~drop].reset_index(drop=True)
    return out, [f.issue for f in findings]
