"""The dialect of a delimited text file, decided on a sample of its first lines.

Decides the separator, the title lines before the header, the header itself, the decimal mark,
the thousands separator, whether dates are day-first, the timestamp formats to hand to
pyarrow, and which columns pyarrow must leave as text (durations such as ``01:02:03``,
timestamps with a UTC offset, codes with leading zeros) or that need a thousands separator
removed.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kpi.io.headers import clean_headers

SEPARATORS: tuple[str, ...] = (",", ";", "\t", "|")
NULL_VALUES: tuple[str, ...] = ("", "NA", "N/A", "n/a", "null", "NULL", "-")
SAMPLE_BYTES = 256 * 1024
PROBE_BYTES = 64 * 1024
PROBES = 3
_MAX_TITLE_LINES = 50
_FIELD_LIMIT = 10 * 1024 * 1024

_DURATION = re.compile(r"-?\d+:[0-5]\d(:[0-5]\d)?")
_ISO_WITH_OFFSET = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)"
)
_NUMERIC_DATE = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
    r"(?:(?P<tsep>[ T])(?P<time>\d{1,2}:\d{2}(?P<seconds>:\d{2})?))?"
)
_YEAR_FIRST_DATE = re.compile(
    r"\d{4}(?P<sep>[/.])\d{1,2}(?P=sep)\d{1,2}"
    r"(?:(?P<tsep>[ T])(?P<time>\d{1,2}:\d{2}(?P<seconds>:\d{2})?))?"
)
#: Codes, not quantities: a leading zero ("00123", phone numbers) or more digits than a float
#: holds exactly. Read as text so nothing is lost.
_CODE_LIKE = re.compile(r"[+-]?(0\d+|\d{16,})")
_AMBIGUOUS_GROUP = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")
_COMMA_DECIMAL = re.compile(r"[+-]?(\d+|\d{1,3}(\.\d{3})+),\d+")
_POINT_DECIMAL = re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)\.\d+")


@dataclass(frozen=True)
class Dialect:
    """What the sample says about a delimited file.

    ``data_offset`` counts the UTF-8 bytes of the title lines and the header (where the data
    starts); ``string_columns`` must be read as text; ``thousands_columns`` are read as text,
    then turned into numbers by removing ``thousands``.
    """

    sep: str
    skip_rows: int
    header: tuple[str, ...]
    data_offset: int
    decimal: str
    thousands: str | None
    dayfirst: bool | None
    timestamp_formats: tuple[str, ...]
    string_columns: tuple[str, ...]
    thousands_columns: tuple[str, ...]


def sample_of(data: bytes, size: int = SAMPLE_BYTES) -> tuple[bytes, bool]:
    """The first ``size`` bytes of ``data`` cut after the last line end, and whether that is all."""
    if len(data) <= size:
        return data[:], True  # bytes, also for a file on disk
    head = data[:size]
    cut = head.rfind(b"\n")
    return (head[: cut + 1] if cut > 0 else head), False


def probes_of(
    data: bytes, size: int = PROBE_BYTES, count: int = PROBES, *, start: int = 0,
    encoding: str = "utf-8",
) -> list[str]:
    """Whole lines from ``count`` places further in the text of ``data`` after byte ``start``
    (middle to end), decoded from ``encoding``.

    Exports are usually sorted by time, so the first lines may all fall on the 1st of the
    month; dates further on tell whether the file is day-first.
    """
    length = len(data) - start
    if length <= SAMPLE_BYTES + size:
        return []
    span = length - SAMPLE_BYTES - size
    probes = []
    for step in range(1, count + 1):
        begin = start + SAMPLE_BYTES + span * step // count
        chunk = data[begin : begin + size]
        first, last = chunk.find(b"\n"), chunk.rfind(b"\n")
        if 0 <= first < last:
            probes.append(chunk[first + 1 : last + 1].decode(encoding, errors="replace"))
    return probes


def detect_dialect(
    sample: str,
    *,
    complete: bool,
    probes: Sequence[str] = (),
    sep: str | None = None,
    decimal: str | None = None,
    thousands: str | None = None,
    dayfirst: bool | None = None,
    skip_rows: int | None = None,
    default_sep: str = ",",
) -> Dialect:
    """Decide everything not given on ``sample`` (UTF-8 text without BOM, whole lines).

    ``complete`` says the sample is the whole file (otherwise its last record may be cut);
    ``probes`` are more lines from further in the file, used only for the values.
    """
    csv.field_size_limit(_FIELD_LIMIT)
    chosen_sep = sep or _detect_separator(sample, default_sep)
    lines = io.StringIO(sample, newline="").readlines()
    records, line_ends = _records(lines, chosen_sep)
    if not complete and len(records) > 1:
        records, line_ends = records[:-1], line_ends[:-1]
    header_index = skip_rows if skip_rows is not None else _header_index(records)
    header_index = min(header_index, max(len(records) - 1, 0))
    header_record = records[header_index] if records else []
    data_width = _modal_width(records[header_index + 1 :]) or len(header_record)
    while len(header_record) > data_width and not header_record[-1].strip():
        header_record = header_record[:-1]  # a trailing separator on the header line only
    width = max(len(header_record), data_width)
    header = clean_headers([*header_record, *[""] * (width - len(header_record))])
    consumed = "".join(lines[: line_ends[header_index]]) if records else ""
    data_offset = len(consumed.encode("utf-8"))

    rows = [row for row in records[header_index + 1 :] if row]
    for probe in probes:
        probe_records = _records(io.StringIO(probe, newline="").readlines(), chosen_sep)[0]
        rows.extend(row for row in probe_records[1:-1] if len(row) == len(header))
    columns = _columns(rows, len(header))
    chosen_decimal = decimal or _detect_decimal(columns, chosen_sep)
    chosen_dayfirst = dayfirst if dayfirst is not None else _detect_dayfirst(columns)
    thousands_mark, thousands_columns = _detect_thousands(
        header, columns, chosen_decimal, thousands
    )
    string_columns = [
        name for name, values in zip(header, columns, strict=True)
        if values and (
            all(_DURATION.fullmatch(v) or _ISO_WITH_OFFSET.fullmatch(v) for v in values)
            or any(_CODE_LIKE.fullmatch(v) for v in values)
        )
    ]
    return Dialect(
        sep=chosen_sep,
        skip_rows=header_index,
        header=tuple(header),
        data_offset=data_offset,
        decimal=chosen_decimal,
        thousands=thousands_mark,
        dayfirst=chosen_dayfirst,
        timestamp_formats=_timestamp_formats(columns, chosen_dayfirst),
        string_columns=tuple(string_columns),
        thousands_columns=tuple(c for c in thousands_columns if c not in string_columns),
    )


def _reader(text: str | Sequence[str], sep: str) -> Any:
    source = io.StringIO(text, newline="") if isinstance(text, str) else iter(text)
    return csv.reader(source, delimiter=sep, quotechar='"', doublequote=True, strict=False)


def _records(lines: list[str], sep: str) -> tuple[list[list[str]], list[int]]:
    """Parsed records and, for each, the number of physical lines consumed after it."""
    reader = _reader(lines, sep)
    records: list[list[str]] = []
    ends: list[int] = []
    try:
        for record in reader:
            records.append(record)
            ends.append(reader.line_num)
    except csv.Error:
        pass  # an unterminated quote at the end of the sample: keep what was read
    return records, ends


def _detect_separator(sample: str, default: str) -> str:
    """The candidate that splits the first lines into the most consistent, widest records."""
    head = "".join(io.StringIO(sample, newline="").readlines()[:200])
    best: tuple[float, int, str] | None = None
    for candidate in SEPARATORS:
        if candidate not in head:
            continue
        records = _records(io.StringIO(head, newline="").readlines(), candidate)[0]
        widths = [len(r) for r in records if r]
        if not widths:
            continue
        modal, count = Counter(widths).most_common(1)[0]
        if modal < 2:
            continue
        score = (count / len(widths), modal, candidate)
        if best is None or score[:2] > best[:2]:
            best = score
    return best[2] if best else default


def _modal_width(records: list[list[str]]) -> int:
    widths = [len(r) for r in records if r]
    if not widths:
        return 0
    counts = Counter(widths).most_common()
    top = counts[0][1]
    return max(width for width, count in counts if count == top)


def _header_index(records: list[list[str]]) -> int:
    """Index of the header: the first record as wide as most and with ≥ 2 non-blank fields.

    Lines before it are titles ("Relatório de atendimentos", export dates, blank lines).
    """
    modal = _modal_width(records)
    needed = min(2, modal)
    # Data lines ending with a separator the header line lacks ("1;2;3;" under "a;b;c").
    trailing = all(not r[-1].strip() for r in records if len(r) == modal)
    widths = (modal, modal - 1) if trailing and modal > 2 else (modal,)
    for index, record in enumerate(records[:_MAX_TITLE_LINES]):
        filled = sum(1 for field in record if field.strip())
        if len(record) in widths and filled >= needed:
            return index
    for index, record in enumerate(records):
        if any(field.strip() for field in record):
            return index
    return 0


def _columns(rows: list[list[str]], width: int) -> list[list[str]]:
    """The sample's non-null values, column by column, stripped."""
    columns: list[list[str]] = [[] for _ in range(width)]
    for row in rows:
        for position, value in enumerate(row[:width]):
            text = value.strip()
            if text not in NULL_VALUES:
                columns[position].append(text)
    return columns


def _detect_decimal(columns: list[list[str]], sep: str) -> str:
    """"," when more values read as decimal-comma numbers than as decimal-point ones."""
    comma = point = 0
    for values in columns:
        for value in values:
            if _AMBIGUOUS_GROUP.fullmatch(value):
                continue
            if _COMMA_DECIMAL.fullmatch(value):
                comma += 1
            elif _POINT_DECIMAL.fullmatch(value):
                point += 1
    if comma != point:
        return "," if comma > point else "."
    return "," if sep == ";" else "."


def _thousands_pattern(decimal: str, mark: str) -> re.Pattern[str]:
    group, dec = re.escape(mark), re.escape(decimal)
    return re.compile(rf"[+-]?(\d{{1,3}}({group}\d{{3}})+|\d+)({dec}\d+)?")


def _detect_thousands(
    header: list[str], columns: list[list[str]], decimal: str, given: str | None
) -> tuple[str | None, list[str]]:
    """The thousands separator and the columns whose every value is a grouped number."""
    candidates = [given] if given else ([".", " ", "\u00a0"] if decimal == "," else [","])
    for mark in candidates:
        if mark == decimal:
            continue
        pattern = _thousands_pattern(decimal, mark)
        matched = [
            name for name, values in zip(header, columns, strict=True)
            if values
            and any(mark in value for value in values)
            and all(pattern.fullmatch(value) for value in values)
        ]
        if matched:
            return mark, matched
    return given, []


def _detect_dayfirst(columns: list[list[str]]) -> bool | None:
    """True when a numeric date has a first field above 12, False when its second does."""
    day_first = month_first = False
    for values in columns:
        for value in values:
            match = _NUMERIC_DATE.fullmatch(value)
            if match is None:
                continue
            day_first |= int(match["a"]) > 12
            month_first |= int(match["b"]) > 12
    if day_first == month_first:
        return None
    return day_first


def _timestamp_formats(columns: list[list[str]], dayfirst: bool | None) -> tuple[str, ...]:
    """strptime formats of the sample's numeric dates (only once the day order is known)."""
    formats: list[str] = []
    for values in columns:
        matches = [_NUMERIC_DATE.fullmatch(v) for v in values]
        if values and dayfirst is not None and all(matches):
            for match in matches:
                assert match is not None
                order = ("%d", "%m") if dayfirst else ("%m", "%d")
                year = "%Y" if len(match["year"]) == 4 else "%y"
                date = f"{order[0]}{match['sep']}{order[1]}{match['sep']}{year}"
                _add(formats, date + _time_format(match))
            continue
        year_first = [_YEAR_FIRST_DATE.fullmatch(v) for v in values]
        if values and all(year_first):
            for match in year_first:
                assert match is not None
                _add(formats, f"%Y{match['sep']}%m{match['sep']}%d" + _time_format(match))
    return tuple(formats)


def _time_format(match: re.Match[str]) -> str:
    if not match["time"]:
        return ""
    return match["tsep"] + ("%H:%M:%S" if match["seconds"] else "%H:%M")


def _add(formats: list[str], fmt: str) -> None:
    if fmt not in formats:
        formats.append(fmt)
