"""Turning one source column into one canonical column (SPEC §3, ARCHITECTURE "kpi/parsing.py").

Every parser takes a pandas Series of any dtype (strings, numbers, typed datetimes, timedeltas,
``datetime.time``, booleans or a mixed ``object`` column) and returns :class:`Parsed`: the values
in the canonical dtype of :data:`kpi.schema.PANDAS_DTYPES`, a mask of the cells that were not
empty but could not be read, and up to five distinct raw values that failed.

Missing, not failed: empty or blank cells and the tokens ``NA``, ``N/A``, ``#N/A``, ``null``,
``None``, ``NaN``, ``NaT``, ``-`` and ``--`` (any case).

Speed (1M-row columns): booleans, durations and numbers are parsed once per distinct value
(``pd.factorize`` → parse the uniques → take). Timestamps detect one explicit format on a sample
and parse the whole column with it through Arrow's ``strptime`` or pandas' ISO 8601 parser (both
C); only the leftovers are tried with the other candidate formats. No element-wise ``dateutil``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kpi.schema import FieldKind

DurationUnit = Literal["seconds", "minutes", "hours"]

_MISSING_WORDS = ("", "na", "n/a", "#n/a", "null", "none", "nan", "nat", "-", "--")
MISSING_TOKENS: frozenset[str] = frozenset(_MISSING_WORDS)
_MISSING_VARIANTS = pa.array(
    sorted({v for w in _MISSING_WORDS for v in (w, w.upper(), w.title(), w.capitalize())}
           | {"NaN", "NaT", "#N/A"})
)

_UNIT_SECONDS: dict[str, float] = {"seconds": 1.0, "minutes": 60.0, "hours": 3600.0}
_SAMPLE_SIZE = 2000
_MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Parsed:
    """A parsed column: canonical ``values``; ``failed`` = non-empty but unreadable cells."""

    values: pd.Series
    failed: pd.Series
    examples: tuple[str, ...]

    @property
    def failed_count(self) -> int:
        """How many non-empty cells could not be read."""
        return int(self.failed.sum())


# --------------------------------------------------------------------------- shared helpers


def _series(s: object) -> pd.Series:
    """``s`` as a Series with a NumPy/pandas dtype (Arrow-typed columns converted)."""
    s = s if isinstance(s, pd.Series) else pd.Series(s)
    if not isinstance(s.dtype, pd.ArrowDtype):
        return s
    kind = s.dtype.pyarrow_dtype
    if pa.types.is_timestamp(kind):
        unit = kind.unit if kind.unit in ("s", "ms", "us", "ns") else "us"
        target: object = (pd.DatetimeTZDtype(unit=unit, tz=kind.tz) if kind.tz
                          else f"datetime64[{unit}]")
    elif pa.types.is_duration(kind):
        target = f"timedelta64[{kind.unit}]"
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        target = "str"
    elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
        target = "float64"
    elif pa.types.is_boolean(kind):
        target = "boolean"
    else:
        target = object
    return s.astype(target)  # type: ignore[call-overload]


def _value_to_text(value: object) -> object:
    """A typed cell of a mixed ``object`` column as the text a person would have typed."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating):
        if not np.isfinite(value):
            return None
        return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(
            float(value))
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _strings(s: pd.Series) -> pd.Series:
    """The column as stripped ``str`` values; missing tokens and blanks become NA."""
    if not isinstance(s.dtype, pd.StringDtype):
        inferred = pd.api.types.infer_dtype(s, skipna=True) if s.dtype == object else ""
        if s.dtype == object and inferred not in ("string", "empty"):
            s = s.map(_value_to_text)
        elif pd.api.types.is_float_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
            s = s.astype(object).map(_value_to_text)
        s = s.astype("str")
    original = pa.array(s.array)
    arrow = pc.utf8_trim_whitespace(original)
    if pc.all(pc.equal(pc.binary_length(arrow), pc.binary_length(original))).as_py() is not False:
        arrow = original  # nothing to strip: keep sharing the column's memory
    del original
    missing = pc.fill_null(pc.is_in(arrow, value_set=_MISSING_VARIANTS), True)
    if pc.any(pc.and_(missing, pc.is_valid(arrow))).as_py():
        arrow = pc.if_else(missing, pa.scalar(None, arrow.type), arrow)
    return pd.Series(pd.array(arrow.to_pandas(), dtype="str"), index=s.index)


def _missing(s: pd.Series) -> np.ndarray:
    """Cells that count as empty (NA, blank, or a missing token)."""
    if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
        return _strings(s).isna().to_numpy()
    return s.isna().to_numpy()


def _examples(raw: pd.Series, failed: np.ndarray) -> tuple[str, ...]:
    if not failed.any():
        return ()
    picked: list[str] = []
    for value in raw[failed].head(10_000).tolist():
        text = str(value)
        if text not in picked:
            picked.append(text)
            if len(picked) == _MAX_EXAMPLES:
                break
    return tuple(picked)


def _result(raw: pd.Series, values: pd.Series, missing: np.ndarray) -> Parsed:
    failed = ~np.asarray(missing, dtype=bool) & values.isna().to_numpy(dtype=bool)
    return Parsed(values, pd.Series(failed, index=raw.index, dtype=bool), _examples(raw, failed))


def _by_uniques(
    s: pd.Series, parse: Callable[[pd.Series], np.ndarray], fill: object
) -> np.ndarray:
    """Apply ``parse`` (object Series of distinct values → array) once per distinct value."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    as_text = isinstance(s.dtype, pd.StringDtype)
    parsed = parse(pd.Series(uniques, dtype="str") if as_text else pd.Series(
        np.asarray(uniques, dtype=object), dtype=object))
    parsed = np.append(parsed, np.array([fill], dtype=parsed.dtype))  # code -1 → last = fill
    return parsed[codes]


def _arrow(text: pd.Series) -> pa.Array:
    return pa.array(text.astype("str").array)


def _extract(text: pd.Series, pattern: str) -> dict[str, pd.Series]:
    """Named groups of ``pattern`` (RE2, C speed) as ``str`` Series; NA where it does not match."""
    parts = pc.extract_regex(_arrow(text), pattern)
    names = [parts.type.field(i).name for i in range(parts.type.num_fields)]
    return {name: pd.Series(pd.array(pc.struct_field(parts, name).to_pandas(), dtype="str"),
                            index=text.index) for name in names}


def _matches(text: pd.Series, pattern: str) -> np.ndarray:
    hit = pc.fill_null(pc.match_substring_regex(_arrow(text), pattern), False)
    return hit.to_numpy(zero_copy_only=False)


def _fold(text: str) -> str:
    """Case- and accent-insensitive form of a token (``"Não "`` → ``"nao"``)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_)


def _sample_positions(n: int, size: int) -> np.ndarray:
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, size=size, replace=False))


# --------------------------------------------------------------------------- datetimes

_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})(?!\d)")
_OFFSET = (r"^(?P<wall>.*\d:\d\d(?::\d\d(?:[.,]\d+)?)?)\s*"
           r"(?P<off>Z|UTC|GMT|[+-]\d\d(?::?\d\d)?)$")
_OFFSET_RE = re.compile(_OFFSET)
_EXCEL_RANGE = (20_000.0, 80_000.0)          # 1954-10-03 … 2119-01-10
_EPOCH_S_RANGE = (3e8, 5e9)                  # 1979 … 2128
_EPOCH_MS_RANGE = (3e11, 5e12)
_EXCEL_EPOCH_DAYS = 25_569                   # 1899-12-30 → 1970-01-01


@dataclass(frozen=True)
class DayfirstEvidence:
    """Rows whose numeric date only reads day-first, only month-first, or either way."""

    day_first: int
    month_first: int
    ambiguous: int

    @property
    def decision(self) -> bool | None:
        """True (day-first), False (month-first) or None when nothing tells them apart.

        Conflicting evidence (a mixed column) goes with the majority, ties day-first.
        """
        if self.day_first == 0 and self.month_first == 0:
            return None
        return self.day_first >= self.month_first

    def explanation(self) -> tuple[str, dict[str, int]] | None:
        """Message key and params saying how the order was decided; None without numeric dates."""
        if self.day_first and self.month_first:
            return "parsing.dayfirst.mixed", {"day_first": self.day_first,
                                              "month_first": self.month_first}
        if self.day_first:
            return "parsing.dayfirst.day_first", {"count": self.day_first}
        if self.month_first:
            return "parsing.dayfirst.month_first", {"count": self.month_first}
        if self.ambiguous:
            return "parsing.dayfirst.undecided", {}
        return None


def dayfirst_evidence(s: pd.Series) -> DayfirstEvidence:
    """Count the rows of ``s`` that prove day-first (first field > 12) or month-first order."""
    s = _series(s)
    if not (s.dtype == object or isinstance(s.dtype, pd.StringDtype)):
        return DayfirstEvidence(0, 0, 0)
    return _dayfirst_counts(_strings(s))


def _dayfirst_counts(text: pd.Series) -> DayfirstEvidence:
    heads = text.str.slice(0, 10)
    codes, uniques = pd.factorize(heads, use_na_sentinel=True)
    kinds = np.full(len(uniques) + 1, 3, dtype=np.int8)  # 0 day-first, 1 month-first, 2 both
    for i, text in enumerate(uniques):
        match = _DMY.match(text)
        if match is None:
            continue
        first, second = int(match[1]), int(match[2])
        if first > 12 and second <= 12:
            kinds[i] = 0
        elif second > 12 and first <= 12:
            kinds[i] = 1
        elif first <= 12 and second <= 12:
            kinds[i] = 2
    counts = np.bincount(kinds[codes], minlength=4)
    return DayfirstEvidence(int(counts[0]), int(counts[1]), int(counts[2]))


def detect_dayfirst(s: pd.Series) -> bool | None:
    """Whether numeric dates in ``s`` are day-first; None when every date reads both ways.

    A first field > 12 anywhere means day-first, a second field > 12 month-first; a column
    holding both goes with the majority. :func:`parse_datetime` reads an undecided column
    day-first (the convention of the product's Brazilian/Iberian users).
    """
    return dayfirst_evidence(s).decision


@dataclass(frozen=True)
class _Format:
    """One candidate timestamp format and the engine that parses it."""

    pattern: str
    engine: Literal["iso", "arrow", "pandas"]
    order: str = ""  # "dmy" | "mdy" | "ymd": which numeric field is the day (arrow check)


def _candidate_formats(dayfirst: bool) -> list[_Format]:
    orders = ["dmy"] if dayfirst else ["mdy"]
    formats = [_Format("ISO8601", "iso")]
    times = ("", " %H:%M", " %H:%M:%S")
    for order in [*orders, "ymd"]:
        for sep in ("/", "-", ".") if order != "ymd" else ("/", "."):
            for year in ("%Y", "%y") if order != "ymd" else ("%Y",):
                parts = {"dmy": ("%d", "%m", year), "mdy": ("%m", "%d", year),
                         "ymd": (year, "%m", "%d")}[order]
                date = sep.join(parts)
                formats += [_Format(date + t, "arrow", order) for t in times]
                formats.append(_Format(date + " %H:%M:%S.%f", "pandas"))
                formats.append(_Format(date + " %I:%M %p", "pandas"))
                formats.append(_Format(date + " %I:%M:%S %p", "pandas"))
    formats += [_Format(p, "pandas") for p in (
        "%d %b %Y", "%d %b %Y %H:%M", "%d %b %Y %H:%M:%S", "%b %d, %Y", "%b %d %Y",
        "%d %B %Y", "%B %d, %Y", "%Y-%m-%d %H:%M:%S,%f")]
    return formats


def _parse_with(text: pd.Series, fmt: _Format) -> np.ndarray:
    """``text`` (str, NA allowed) parsed with one format → datetime64[us] array, NaT on failure."""
    if fmt.engine == "iso":
        try:
            parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
        except (ValueError, TypeError, OverflowError):
            return np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            parsed = parsed.dt.tz_localize(None)
        return parsed.to_numpy(dtype="datetime64[us]")
    if fmt.engine == "pandas":
        try:
            parsed = pd.to_datetime(text, format=fmt.pattern, errors="coerce")
        except (ValueError, TypeError, OverflowError):
            return np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
        return parsed.to_numpy(dtype="datetime64[us]")
    arrow = pa.array(text.array)
    parsed = pc.strptime(arrow, format=fmt.pattern, unit="us", error_is_null=True)
    values = np.array(parsed.to_numpy(zero_copy_only=False).astype("datetime64[us]"))
    if "%Y" in fmt.pattern:  # Arrow takes "24" for %Y: year 24
        values[pc.fill_null(pc.less(pc.year(parsed), 1000), False).to_numpy(
            zero_copy_only=False)] = np.datetime64("NaT")
    # Arrow rolls impossible dates over (31/02 → 02/03, day 1–3): re-check those rows' day.
    suspect = np.flatnonzero(pc.fill_null(pc.less_equal(pc.day(parsed), 3), False)
                             .to_numpy(zero_copy_only=False))
    if suspect.size:
        fields = pc.extract_regex(arrow.take(pa.array(suspect)),
                                  r"^(?P<a>\d+)\D+(?P<b>\d+)\D+(?P<c>\d+)")
        day_field = {"dmy": "a", "mdy": "b", "ymd": "c"}[fmt.order]
        day = pc.cast(pc.struct_field(fields, day_field), pa.int64(), safe=False)
        same = pc.fill_null(pc.equal(day, pc.day(parsed.take(pa.array(suspect)))), False)
        values[suspect[~same.to_numpy(zero_copy_only=False)]] = np.datetime64("NaT")
    return values


def _to_zone(values: np.ndarray, timezone: str) -> np.ndarray:
    """UTC wall times → wall times in ``timezone`` (naive)."""
    series = pd.Series(values).dt.tz_localize("UTC").dt.tz_convert(timezone).dt.tz_localize(None)
    return series.to_numpy(dtype="datetime64[us]")


def _offset_seconds(offsets: pd.Series) -> np.ndarray:
    def one(token: object) -> float:
        if not isinstance(token, str):
            return np.nan
        if token in ("Z", "UTC", "GMT"):
            return 0.0
        digits = token[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        return (-1.0 if token[0] == "-" else 1.0) * (hours * 3600 + minutes * 60)

    return _by_uniques(offsets, lambda u: np.array([one(v) for v in u], dtype=float), np.nan)


def _datetimes_from_numbers(numbers: np.ndarray, timezone: str | None) -> np.ndarray:
    """Excel serial days (local wall time) or epoch seconds / milliseconds (UTC instants)."""
    out = np.full(len(numbers), np.datetime64("NaT"), dtype="datetime64[us]")
    finite = np.isfinite(numbers)
    ranges = {"excel": _EXCEL_RANGE, "s": _EPOCH_S_RANGE, "ms": _EPOCH_MS_RANGE}
    inside = {k: finite & (numbers >= lo) & (numbers <= hi) for k, (lo, hi) in ranges.items()}
    mode = max(inside, key=lambda k: int(inside[k].sum()))
    take = inside[mode]
    if not take.any():
        return out
    x = numbers[take]
    if mode == "excel":
        micros = np.round((x - _EXCEL_EPOCH_DAYS) * 86_400_000.0) * 1000.0
    elif mode == "s":
        micros = np.round(x * 1e6)
    else:
        micros = np.round(x) * 1000.0
    stamps = micros.astype(np.int64).astype("datetime64[us]")
    if mode != "excel" and timezone:
        stamps = _to_zone(stamps, timezone)
    out[take] = stamps
    return out


_OFFSET_TAIL = r"\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d\d(?::?\d\d)?)$"


def _iso_with_offsets(text: pd.Series, timezone: str | None) -> np.ndarray:
    """ISO timestamps with an offset → wall times (in ``timezone``, else as written); C path."""
    try:
        if timezone:
            parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
            parsed = parsed.dt.tz_convert(timezone)
        else:
            parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
    except (ValueError, TypeError, OverflowError):  # several offsets and no timezone
        return np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(None)
    return parsed.to_numpy(dtype="datetime64[us]")


_DIRECTIVE = re.compile(r"%.")
_LETTERS = re.compile(r"[A-Za-z]")


def _may_read(fmt: _Format, chars: frozenset[str], letters: bool) -> bool:
    """False when no value of the sample can match ``fmt``: a literal character of the format
    (``/``, ``:``, ``.``...) appears in none of them, or month names / AM-PM need letters."""
    if fmt.engine == "iso":
        return True
    if not letters and any(d in fmt.pattern for d in ("%b", "%B", "%p")):
        return False
    return set(_DIRECTIVE.sub("", fmt.pattern).replace(" ", "")) <= chars


def _best_formats(sample: pd.Series, formats: list[_Format]) -> list[_Format]:
    """Formats that read some of ``sample``, best first; stops at one that reads all of it.

    Formats whose separators appear in no value are not tried (they would read nothing).
    """
    values = sample.dropna().tolist()
    chars = frozenset("".join(values))
    letters = any(_LETTERS.search(v) for v in values)
    scored: list[tuple[int, int, _Format]] = []
    for rank, fmt in enumerate(formats):
        if not _may_read(fmt, chars, letters):
            continue
        score = int((~np.isnat(_parse_with(sample, fmt))).sum())
        if score == len(sample):
            return [fmt]
        if score:
            scored.append((-score, rank, fmt))
    return [fmt for _, _, fmt in sorted(scored, key=lambda x: x[:2])]


def _datetimes_from_strings(
    text: pd.Series, dayfirst: bool | None, timezone: str | None
) -> np.ndarray:
    """Stripped strings (NA = missing) → datetime64[us] array with NaT where unreadable."""
    n = len(text)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    todo = np.array(text.notna().to_numpy(dtype=bool))
    if not todo.any():
        return out
    text = text.reset_index(drop=True)

    def sample_of(rows: np.ndarray) -> pd.Series:
        picked = text.iloc[rows[_sample_positions(len(rows), 5 * _SAMPLE_SIZE)]]
        return pd.Series(pd.unique(picked), dtype="str").head(_SAMPLE_SIZE)

    def settle(rows: np.ndarray, stamps: np.ndarray) -> None:
        ok = ~np.isnat(stamps)
        out[rows[ok]] = stamps[ok]
        todo[rows[ok]] = False

    sample = sample_of(np.flatnonzero(todo))
    # numbers written as text: Excel serials, epoch seconds/milliseconds
    if pd.to_numeric(sample, errors="coerce").notna().any():
        numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        rows = np.flatnonzero(~np.isnan(numbers))
        settle(rows, _datetimes_from_numbers(numbers[rows], timezone))
        todo[rows] = False

    # offsets: ISO ones in one C call; any other layout → strip the offset, convert afterwards
    offsets = np.full(n, np.nan)
    if any(_OFFSET_RE.match(v) for v in sample):
        tails = pc.utf8_slice_codeunits(pa.array(text.array), start=-24)
        has = pc.fill_null(pc.match_substring_regex(tails, _OFFSET_TAIL), False)
        rows = np.flatnonzero(has.to_numpy(zero_copy_only=False) & todo)
        settle(rows, _iso_with_offsets(text.iloc[rows], timezone))
        rows = rows[todo[rows]]
        if rows.size:
            parts = pc.extract_regex(pa.array(text.iloc[rows].array), _OFFSET)
            walls = pd.Series(pd.array(pc.struct_field(parts, "wall").to_pandas(), dtype="str"))
            text = text.copy()
            text.iloc[rows] = walls.to_numpy()
            if timezone:
                offsets[rows] = _offset_seconds(pd.Series(pc.struct_field(parts, "off")
                                                          .to_pandas()))

    if todo.any():
        rows = np.flatnonzero(todo)
        sample = sample_of(rows)
        if dayfirst is None and any(_DMY.match(v) for v in sample):
            dayfirst = _dayfirst_counts(text.iloc[rows]).decision
        formats = _best_formats(sample, _candidate_formats(dayfirst is not False))
        for fmt in formats:
            rows = np.flatnonzero(todo)
            if not rows.size:
                break
            subset = text if rows.size == n else text.iloc[rows]
            settle(rows, _parse_with(subset, fmt))

    shifted = ~np.isnan(offsets) & ~np.isnat(out)
    if shifted.any() and timezone:
        utc = out[shifted] - (offsets[shifted] * 1e6).astype("timedelta64[us]")
        out[shifted] = _to_zone(utc, timezone)
    return out


def _typed_datetimes(s: pd.Series, timezone: str | None) -> pd.Series:
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        if timezone:
            s = s.dt.tz_convert(timezone)
        s = s.dt.tz_localize(None)
    return s.astype("datetime64[us]")


def parse_datetime(
    s: pd.Series, *, dayfirst: bool | None = None, timezone: str | None = None
) -> Parsed:
    """Timestamps → naive ``datetime64[us]`` in the data's local wall time.

    Reads ISO 8601 (``T`` or space, seconds, fractions, offsets/``Z``), ``dd/mm/yyyy`` or
    ``mm/dd/yyyy`` with ``/``, ``-`` or ``.`` (order from :func:`detect_dayfirst` when
    ``dayfirst`` is None; undecided → day-first), with or without ``HH:MM[:SS]``, 12-hour
    ``AM/PM`` and English month names; Excel serial days (20000–80000, never shifted); epoch
    seconds or milliseconds (UTC instants: converted to ``timezone`` when given, else kept in
    UTC). Offsets and tz-aware values are converted to ``timezone`` when given, else the wall
    time as written is kept (offset dropped). Naive timestamps are never shifted.
    """
    s = _series(s)
    if isinstance(s.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(s.dtype):
        return _result(s, _typed_datetimes(s, timezone), s.isna().to_numpy())
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_timedelta64_dtype(s.dtype):
        values = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
        return _result(s, values, s.isna().to_numpy())
    if pd.api.types.is_numeric_dtype(s.dtype):
        numbers = s.to_numpy(dtype=float, na_value=np.nan)
        values = pd.Series(_datetimes_from_numbers(numbers, timezone), index=s.index)
        return _result(s, values, np.isnan(numbers))
    if s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) in ("datetime", "date"):
        try:
            typed = pd.to_datetime(s)
        except (ValueError, TypeError, OverflowError):
            pass  # mixed offsets or odd objects: read them as text below
        else:
            return _result(s, _typed_datetimes(typed, timezone), s.isna().to_numpy())
    text = _strings(s)
    values = pd.Series(_datetimes_from_strings(text, dayfirst, timezone), index=s.index)
    return _result(s, values, text.isna().to_numpy())


# --------------------------------------------------------------------------- durations

_CLOCK = (r"^(?P<sign>[-+])?\s*(?:(?P<d>\d+)\s*(?:d|days?|dias?)\s*,?\s*)?"
          r"(?P<a>\d+):(?P<b>\d{1,2})(?::(?P<c>\d{1,2}(?:[.,]\d+)?))?$")
_WORDS = (r"^(?P<sign>-)?\s*(?:(?P<h>\d+(?:[.,]\d+)?)\s*(?:h|hrs?|hours?|horas?|hores)\s*)?"
          r"(?:(?P<m>\d+(?:[.,]\d+)?)\s*(?:m|mins?|minutes?|minutos?|minuts)\s*)?"
          r"(?:(?P<s>\d+(?:[.,]\d+)?)\s*(?:s|secs?|seconds?|seg|segundos?|segons)\s*)?$")

_HEADER_UNITS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("minutes", re.compile(r"[(\[]\s*(?:min|mins|minutos?|minutes?|minuts|m)\s*[)\]]")),
    ("hours", re.compile(r"[(\[]\s*(?:h|hr|hrs|hours?|horas?|hores)\s*[)\]]")),
    ("seconds", re.compile(r"[(\[]\s*(?:s|sec|secs|seg|segs|seconds?|segundos?|segons)\s*[)\]]")),
    ("minutes", re.compile(r"\b(?:mins?|minutos?|minutes?|minuts)\b")),
    ("hours", re.compile(r"\b(?:hrs?|hours?|horas?|hores)\b")),
    ("seconds", re.compile(r"\b(?:secs?|seg|segs|seconds?|segundos?|segons)\b")),
)


def unit_from_header(header: str) -> DurationUnit | None:
    """The unit a header announces (EN/PT/ES/CA): ``"Espera (min)"`` → ``"minutes"``, else None."""
    folded = _fold(str(header))
    for unit, pattern in _HEADER_UNITS:
        if pattern.search(folded):
            return unit  # type: ignore[return-value]
    return None


def _decimal_comma_numbers(text: pd.Series) -> pd.Series:
    """Plain numbers, with ``,`` read as the decimal mark when the text has no ``.``."""
    swapped = text.where(text.str.contains(".", regex=False), text.str.replace(",", ".",
                                                                               regex=False))
    return pd.to_numeric(swapped, errors="coerce")


def _number_group(part: pd.Series) -> np.ndarray:
    """A captured group of digits (``"07"``, ``"27,5"``; ``""`` when absent) → float, NaN."""
    digits = pc.replace_substring(_arrow(part), ",", ".")
    digits = pc.if_else(pc.equal(digits, ""), pa.scalar(None, digits.type), digits)
    try:
        return np.asarray(pc.cast(digits, pa.float64()).to_numpy(zero_copy_only=False))
    except pa.ArrowInvalid:  # not a group of digits after all
        return pd.to_numeric(part.str.replace(",", ".", regex=False), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan)


def _duration_strings(text: pd.Series, factor: float) -> np.ndarray:
    """Stripped distinct strings → seconds (NaN where unreadable)."""
    out = np.array((_decimal_comma_numbers(text) * factor).to_numpy(dtype=float,
                                                                     na_value=np.nan))
    rest = np.isnan(out) & text.notna().to_numpy()
    if not rest.any():
        return out
    left = text[rest].str.lower()
    clock = _extract(left, _CLOCK)
    a, b, c, days = (_number_group(clock[k]) for k in ("a", "b", "c", "d"))
    hms = ~np.isnan(c)
    seconds = np.where(hms, a * 3600 + b * 60 + c, a * 60 + b)
    valid = (b < 60) & (np.isnan(c) | (c < 60))
    seconds = np.where(valid, seconds + np.nan_to_num(days) * 86400, np.nan)
    words = _extract(left, _WORDS)
    h, m, sec = (_number_group(words[k]) for k in ("h", "m", "s"))
    spoken = np.nansum(np.vstack([h * 3600, m * 60, sec]), axis=0)
    any_part = ~(np.isnan(h) & np.isnan(m) & np.isnan(sec))
    seconds = np.where(np.isnan(seconds) & any_part, spoken, seconds)
    sign = np.where((clock["sign"] == "-").fillna(False).to_numpy(dtype=bool)
                    | (words["sign"] == "-").fillna(False).to_numpy(dtype=bool), -1.0, 1.0)
    out[rest] = seconds * sign
    return out


def _duration_uniques(uniques: pd.Series, factor: float) -> np.ndarray:
    if isinstance(uniques.dtype, pd.StringDtype):
        return _duration_strings(_strings(uniques), factor)
    out = np.full(len(uniques), np.nan)
    for i, value in enumerate(uniques):
        if isinstance(value, dt.timedelta):  # pd.Timedelta is one too
            out[i] = value.total_seconds()
        elif isinstance(value, dt.time):
            out[i] = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        elif _is_number(value):
            out[i] = float(value) * factor
    is_text = uniques.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    if is_text.any():
        out[is_text] = _duration_strings(_strings(uniques[is_text]), factor)
    out[~np.isfinite(out)] = np.nan
    return out


def parse_duration(s: pd.Series, *, unit: DurationUnit = "seconds") -> Parsed:
    """Durations → seconds (float64).

    Plain numbers are in ``unit`` (``"1,5"`` with a decimal comma too); ``hh:mm:ss`` (hours may
    exceed 24), ``h:mm:ss``, ``mm:ss``, ``1d 02:03:04``, ``1h 02m 03s``, timedeltas and
    ``datetime.time`` values are read as written. Negative values are kept (validation
    reports them); a typed datetime column gives the time of day.
    """
    s = _series(s)
    factor = _UNIT_SECONDS[unit]
    if pd.api.types.is_timedelta64_dtype(s.dtype):
        values = s.dt.total_seconds().astype("float64")
        return _result(s, values, s.isna().to_numpy())
    if isinstance(s.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(s.dtype):
        clock = s.dt.tz_localize(None) if isinstance(s.dtype, pd.DatetimeTZDtype) else s
        values = (clock - clock.dt.normalize()).dt.total_seconds().astype("float64")
        return _result(s, values, s.isna().to_numpy())
    if pd.api.types.is_bool_dtype(s.dtype):
        values = pd.Series(np.nan, index=s.index)
        return _result(s, values, s.isna().to_numpy())
    if pd.api.types.is_numeric_dtype(s.dtype):
        numbers = s.to_numpy(dtype=float, na_value=np.nan)
        values = pd.Series(np.where(np.isfinite(numbers), numbers * factor, np.nan), index=s.index)
        return _result(s, values, np.isnan(numbers))
    values = pd.Series(_by_uniques(s, lambda u: _duration_uniques(u, factor), np.nan),
                       index=s.index)
    return _result(s, values, _missing(s))


# --------------------------------------------------------------------------- booleans

TRUE_WORDS: frozenset[str] = frozenset({
    "true", "t", "yes", "y", "1", "1.0", "sim", "s", "si", "verdadeiro", "verdadero", "cert",
    "veritat", "on", "ok",
})
FALSE_WORDS: frozenset[str] = frozenset({
    "false", "f", "no", "n", "0", "0.0", "nao", "falso", "fals", "off",
})
MARKER_WORDS: frozenset[str] = frozenset({"x", "✓", "✔", "✔️", "☑", "☒", "✗", "*", "•", "●"})


def _bool_key(value: object) -> str | None:
    """The lookup key of a cell; None for an empty cell, a never-matching key for odd types."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if _is_number(value):
        number = float(value)  # type: ignore[arg-type]
        if np.isnan(number):
            return None
        return str(int(number)) if number in (0.0, 1.0) else repr(number)
    if isinstance(value, str):
        return _fold(value)
    return f"\x00{value!r}"


def parse_bool(
    s: pd.Series, *, true_values: Iterable[object] = (), false_values: Iterable[object] = ()
) -> Parsed:
    """Booleans → nullable ``boolean``.

    Reads true/false, 1/0 (numbers too), yes/no, y/n, sim/não, sí/no, verdadeiro/falso,
    cert/fals, plus the user's ``true_values``/``false_values`` (checked first; case- and
    accent-insensitive). A marker column — every non-empty value "x", "✓" or alike — reads the
    marker as True and every empty cell as False.
    """
    s = _series(s)
    user_true = {_bool_key(v) for v in true_values} - {None}
    user_false = {_bool_key(v) for v in false_values} - {None}
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    keys = [_bool_key(v) for v in uniques]
    present = [k for k in keys if k is not None and k not in MISSING_TOKENS]
    markers = bool(present) and all(k in MARKER_WORDS for k in present) and not (
        set(present) & (user_true | user_false))
    table = np.full(len(keys) + 1, -1, dtype=np.int8)  # -1 unknown, 0 false, 1 true
    absent = np.zeros(len(keys) + 1, dtype=bool)
    absent[-1] = True
    for i, key in enumerate(keys):
        if key is None or key in MISSING_TOKENS:
            absent[i] = True
        elif key in user_true:
            table[i] = 1
        elif key in user_false:
            table[i] = 0
        elif markers or key in TRUE_WORDS:
            table[i] = 1
        elif key in FALSE_WORDS:
            table[i] = 0
    if markers:
        table[absent] = 0
    picked = table[codes]
    values = pd.Series(pd.arrays.BooleanArray(picked == 1, picked == -1), index=s.index)
    missing = absent[codes] & (not markers)
    return _result(s, values, missing)


# --------------------------------------------------------------------------- numbers and text

_CURRENCY = r"(?:R\$|US\$|\$|€|£|¥|EUR|USD|BRL|GBP)"
_GROUP = "[ \u00a0\u202f']"


def _number_strings(text: pd.Series, decimal: str) -> np.ndarray:
    parts = _extract(
        text,
        rf"^(?P<sign>[+-]?)\s*{_CURRENCY}?\s*(?P<body>[+-]?[\d.,\s{_GROUP[1:-1]}]*?\d"
        rf"(?:[eE][+-]?\d+)?)\s*(?:%|{_CURRENCY})?$")
    body = parts["body"]
    sign = np.where((parts["sign"] == "-").fillna(False).to_numpy(dtype=bool), -1.0, 1.0)
    thousands = "." if decimal == "," else ","
    dec, th = re.escape(decimal), re.escape(thousands)
    strict = (rf"^[+-]?(?:\d{{1,3}}(?:(?:{th}|{_GROUP})\d{{3}})+|\d+)(?:{dec}\d*)?$"
              rf"|^[+-]?{dec}\d+$|^[+-]?\d+(?:{dec}\d+)?[eE][+-]?\d+$")
    lenient = r"^[+-]?\d*[.,]\d+$"
    is_strict = _matches(body, strict)
    is_lenient = ~is_strict & _matches(body, lenient)
    cleaned = body.str.replace(rf"(?:{th}|{_GROUP})", "", regex=True).str.replace(
        decimal, ".", regex=False)
    plain = body.str.replace(",", ".", regex=False)
    chosen = cleaned.where(is_strict, plain.where(is_lenient))
    numbers = pd.to_numeric(chosen, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    numbers = np.array(numbers * sign)
    numbers[~np.isfinite(numbers)] = np.nan
    return numbers


def _number_uniques(uniques: pd.Series, decimal: str) -> np.ndarray:
    if isinstance(uniques.dtype, pd.StringDtype):
        return _number_strings(_strings(uniques), decimal)
    out = np.full(len(uniques), np.nan)
    is_text = uniques.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    for i, value in enumerate(uniques):
        if _is_number(value) or isinstance(value, bool | np.bool_):
            out[i] = float(value)
    if is_text.any():
        out[is_text] = _number_strings(_strings(uniques[is_text]), decimal)
    out[~np.isfinite(out)] = np.nan
    return out


def parse_number(s: pd.Series, *, decimal: str = ".") -> Parsed:
    """Numbers → float64.

    ``decimal`` is the decimal mark; the other of ``.``/``,`` and spaces group thousands
    (``"1.234,56"`` with ``decimal=","`` → 1234.56). A single separator that cannot group
    thousands is read as the decimal mark (``"12.50"`` → 12.5 either way). Currency signs
    (``R$``, ``€``, ``$``, ``£``, codes) are dropped, and a percent sign too: ``"12%"`` → 12.0
    (not 0.12). Numeric columns pass through; booleans read as 1/0.
    """
    s = _series(s)
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
        numbers = np.array(s.astype("float64").to_numpy(dtype=float, na_value=np.nan))
        missing = np.isnan(numbers)
        numbers[~np.isfinite(numbers)] = np.nan
        return _result(s, pd.Series(numbers, index=s.index), missing)
    values = pd.Series(_by_uniques(s, lambda u: _number_uniques(u, decimal), np.nan),
                       index=s.index)
    return _result(s, values, _missing(s))


def parse_text(s: pd.Series) -> Parsed:
    """Text → ``str``: stripped, empty/missing tokens → NA, everything else kept verbatim."""
    s = _series(s)
    values = _strings(s)
    return Parsed(values, pd.Series(False, index=s.index, dtype=bool), ())


# --------------------------------------------------------------------------- share

_PARSERS: dict[str, Callable[[pd.Series], Parsed]] = {
    "datetime": parse_datetime,
    "duration": parse_duration,
    "number": parse_number,
    "bool": parse_bool,
    "text": parse_text,
    "id": parse_text,
}


def parse_share(kind: FieldKind, s: pd.Series) -> float:
    """Share (0–1) of the non-empty values of ``s`` that parse as ``kind`` (sample of ≤ 2,000)."""
    s = _series(s)
    sample = s.iloc[_sample_positions(len(s), 4 * _SAMPLE_SIZE)]
    present = sample[~_missing(sample)]
    if present.empty:
        return 0.0
    present = present.iloc[: _SAMPLE_SIZE]
    parsed = _PARSERS[kind](present)
    return float(1.0 - parsed.failed.mean())
