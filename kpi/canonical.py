"""Raw frame + mapping → canonical frame (SPEC §3) and its validation report.

Every mapped column is parsed with :mod:`kpi.parsing` (date order and number format from the
mapping's reading options, duration units, timezone); value mappings make booleans; missing
fields are derived where the SPEC says so (wait from ``answered_at``, resolution from
``resolved_at``, ``resolved`` from ``resolved_at``, ``satisfied`` from the CSAT top-2-box);
channels, statuses and senders are normalised; rows without a usable ``created_at`` (or, for
the activity and forecast tables, a usable date) are dropped and counted. What could not be read
becomes an :class:`~kpi.validation.Issue`; nothing is silently guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from kpi.errors import MappingError, UnusableDataError
from kpi.mapping import (
    Mapping,
    ValueMapping,
    distinct_texts,
    normalise_channel,
    normalise_last_message_from,
    normalise_status,
    normalise_value,
)
from kpi.parsing import (
    Parsed,
    parse_bool,
    parse_datetime,
    parse_duration,
    parse_number,
    parse_text,
    unit_from_header,
)
from kpi.privacy import pseudonymise
from kpi.schema import PANDAS_DTYPES, SOURCE_FILE, SOURCE_ROW, TABLE_FIELDS, Field, TableName
from kpi.validation import Issue, ValidationReport, clean_frame, dropped_counts

_NORMALISERS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "channel": normalise_channel,
    "status": normalise_status,
    "last_message_from": normalise_last_message_from,
}
#: The date column that every row of each table needs.
_KEY_FIELD: dict[TableName, str] = {
    "interactions": "created_at",
    "activity": "date",
    "forecast": "date",
}
_MAX_EXAMPLES = 5


def empty_frame(table: TableName = "interactions") -> pd.DataFrame:
    """A canonical frame with no rows (the key column and the bookkeeping columns)."""
    key = _KEY_FIELD[table]
    columns = {key: pd.Series(dtype="datetime64[us]")}
    if table == "interactions":
        columns[SOURCE_FILE] = pd.Series(dtype="str")
        columns[SOURCE_ROW] = pd.Series(dtype="int64")
    return pd.DataFrame(columns)


#: What phone systems and helpdesks write when the customer is not known. Kept as ids, all of
#: them would be one customer contacting over and over: false repeats for first-contact
#: resolution. Compared case-folded and stripped; ids made only of zeros count too.
PLACEHOLDER_CUSTOMERS: frozenset[str] = frozenset({
    "anonymous", "anonymous caller", "unknown", "unknown caller", "private", "private number",
    "withheld", "number withheld", "restricted", "unavailable", "no caller id", "blocked",
    "anonimo", "anônimo", "desconhecido", "privado", "numero privado", "número privado",
    "nao identificado", "não identificado", "sem numero", "sem número", "restrito", "oculto",
    "numero oculto", "número oculto", "anónimo", "desconocido", "desconegut", "privat", "anònim",
})


def without_placeholder_customers(ids: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``ids`` with placeholder values ("Anonymous", "Privado", "000…") as missing, and the
    placeholders removed (as written, for the report). Works on the distinct values."""
    codes, distinct = pd.factorize(ids)
    folded = pd.Series(distinct, dtype="str").str.strip().str.casefold()
    placeholder = (folded.isin(PLACEHOLDER_CUSTOMERS) | folded.str.fullmatch("0+")).to_numpy(
        dtype=bool)
    hidden = np.zeros(len(ids), dtype=bool)
    present = codes >= 0
    hidden[present] = placeholder[codes[present]]
    if not hidden.any():
        return ids, ids.iloc[:0]
    return ids.mask(hidden), ids[hidden]


def canonicalise(
    raw: pd.DataFrame,
    mapping: Mapping,
    *,
    source_file: str,
    table: TableName = "interactions",
    now: datetime | pd.Timestamp | None = None,
    consume: bool = False,
    pseudonymise_salt: bytes | None = None,
) -> tuple[pd.DataFrame, ValidationReport]:
    """The canonical frame of ``raw`` under ``mapping`` and what went wrong on the way.

    Unusable data (no date column mapped, or no row with a readable date) does not raise: the
    report's ``fatal`` holds an :class:`~kpi.errors.UnusableDataError` and the frame is empty.
    A mapping naming a column ``raw`` does not have raises :class:`~kpi.errors.MappingError`.
    ``consume=True`` deletes each source column from ``raw`` once parsed (less peak memory
    for callers that no longer need the raw frame). ``pseudonymise_salt`` replaces
    ``customer_id`` (and a dimension read from the same column) by keyed tokens
    (:func:`kpi.privacy.pseudonymise`) right after parsing, so no raw identifier reaches the
    frame or the report's examples.
    """
    _check_columns(raw, mapping)
    fields = {f.name: f for f in TABLE_FIELDS[table]}
    key = _KEY_FIELD[table]
    rows_read = len(raw)
    issues: list[Issue] = []

    if key not in mapping.columns:
        fatal = UnusableDataError("mapping.fatal.no_created_at") if table == "interactions" \
            else UnusableDataError("mapping.fatal.missing_required", table=table, field=key)
        return empty_frame(table), _report(rows_read, 0, {}, issues, fatal)

    index = raw.index
    uses = Counter([*mapping.columns.values(), *(v.column for v in mapping.values.values()),
                    *mapping.dimensions])

    def source(column: str) -> pd.Series:
        values = raw[column]
        uses[column] -= 1
        if consume and uses[column] == 0:
            del raw[column]
        return values

    out: dict[str, pd.Series] = {}
    failed_key: Parsed | None = None
    # the key first: problems are reported for the rows that are kept (a "Total" footer row
    # without a date is counted once, as dropped, not again for each of its other cells)
    kept: np.ndarray | None = None
    for name, column in sorted(mapping.columns.items(), key=lambda item: item[0] != key):
        if name in mapping.values:
            uses[column] -= 1
            continue  # a value mapping wins over a plain column for the same field
        parsed = _parse(fields[name], source(column), column, mapping)
        out[name] = parsed.values
        if name == key:
            failed_key = parsed
            kept = parsed.values.notna().to_numpy()
            continue
        failed = parsed.failed.to_numpy() if kept is None else parsed.failed.to_numpy() & kept
        if failed.any():
            issues.append(Issue(
                code="mapping.issue.unparsed", field=name, column=column,
                count=int(failed.sum()), examples=parsed.examples, severity="warning",
            ))
    for name, spec in mapping.values.items():
        values, unknown, examples = _from_values(source(spec.column), spec, kept)
        out[name] = values
        if unknown:
            issues.append(Issue(
                code="mapping.issue.unmapped_values", field=name, column=spec.column,
                count=unknown, examples=examples, severity="info",
            ))

    derive_satisfied = table == "interactions" and "satisfied" not in out and "csat" in out
    if table == "interactions":
        _derive(out)
        if "interaction_id" not in out:
            out["interaction_id"] = pd.Series(
                np.arange(1, rows_read + 1).astype(str), index=index, dtype="str"
            )
            issues.append(Issue(
                code="mapping.issue.id_generated", field="interaction_id", column=None,
                count=rows_read, examples=(), severity="warning",
            ))

    if "customer_id" in out:
        out["customer_id"], placeholders = without_placeholder_customers(out["customer_id"])
        if len(placeholders):
            issues.append(Issue(
                code="mapping.issue.placeholder_customers", field="customer_id",
                column=mapping.columns.get("customer_id"), count=len(placeholders),
                examples=tuple(pd.unique(placeholders)[:3]), severity="info",
            ))
    if pseudonymise_salt is not None and "customer_id" in out:
        out["customer_id"] = pseudonymise(out["customer_id"], pseudonymise_salt)
    columns = {name: out.pop(name) for name in fields if name in out}
    for column in mapping.dimensions:
        text = parse_text(source(column)).values
        if pseudonymise_salt is not None and column == mapping.columns.get("customer_id"):
            text = pseudonymise(text, pseudonymise_salt)
        if column not in columns:
            columns[column] = text
    if table == "interactions":
        columns[SOURCE_FILE] = pd.Series(source_file, index=index, dtype="str")
    # no copy: every column is a fresh array already
    frame = pd.DataFrame(columns, index=index, copy=False)
    if table == "interactions":
        frame[SOURCE_ROW] = np.arange(1, rows_read + 1, dtype="int64")

    dropped: dict[str, int] = {}
    usable = frame[key].notna().to_numpy()
    if not usable.all():
        unreadable = failed_key.failed.to_numpy() if failed_key is not None else \
            np.zeros(len(usable), dtype=bool)
        if key == "created_at":  # blank dates and unreadable ones are told apart
            parts = [("mapping.issue.no_created_at", unreadable & ~usable),
                     ("mapping.issue.blank_created_at", ~unreadable & ~usable)]
        else:
            parts = [("mapping.issue.missing_required", ~usable)]
        for code, rows in parts:
            count = int(rows.sum())
            if count:
                dropped[code] = count
                examples = failed_key.examples if failed_key is not None else ()
                issues.append(Issue(
                    code=code, field=key, column=mapping.columns[key], count=count,
                    examples=examples if code == "mapping.issue.no_created_at" else (),
                    severity="warning"))
        frame = frame[usable]
    if table != "interactions":
        for name, f in fields.items():
            if f.required and name not in frame.columns:
                fatal = UnusableDataError("mapping.fatal.missing_required", table=table,
                                          field=name)
                return empty_frame(table), _report(rows_read, 0, dropped, issues, fatal)
    frame = frame.reset_index(drop=True)
    if frame.empty:
        fatal = UnusableDataError("mapping.fatal.no_rows", column=mapping.columns[key])
        return empty_frame(table), _report(rows_read, 0, dropped, issues, fatal)

    if table == "interactions":
        frame, found = clean_frame(frame, csat_scale=mapping.scale, now=now)
        issues.extend(found)
        for code, count in dropped_counts(found).items():
            dropped[code] = dropped.get(code, 0) + count
        if derive_satisfied:  # after cleaning: a CSAT off the scale is unknown, not satisfied
            frame.insert(_position(frame, "satisfied"), "satisfied",
                         top_two_box(frame["csat"], mapping.scale))
        if frame.empty:
            fatal = UnusableDataError("mapping.fatal.no_rows", column=mapping.columns[key])
            return empty_frame(table), _report(rows_read, 0, dropped, issues, fatal)
    return frame, _report(rows_read, len(frame), dropped, issues, None)


def _position(frame: pd.DataFrame, name: str) -> int:
    """Where ``name`` goes among ``frame``'s columns to keep the schema order."""
    order = [f.name for f in TABLE_FIELDS["interactions"]]
    after = order[order.index(name) + 1:]
    for i, column in enumerate(frame.columns):
        if column in after or column not in order:
            return i
    return len(frame.columns)


def _report(rows_read: int, rows_kept: int, dropped: dict[str, int], issues: list[Issue],
            fatal: UnusableDataError | None) -> ValidationReport:
    return ValidationReport(rows_read=rows_read, rows_kept=rows_kept, dropped=dropped,
                            issues=issues, fatal=fatal)


def _check_columns(raw: pd.DataFrame, mapping: Mapping) -> None:
    present = set(map(str, raw.columns))
    wanted = [(name, column) for name, column in mapping.columns.items()]
    wanted += [(name, spec.column) for name, spec in mapping.values.items()]
    wanted += [("dimensions", column) for column in mapping.dimensions]
    for name, column in wanted:
        if column not in present:
            raise MappingError("mapping.error.column_missing", field=name, column=column)


def _parse(field: Field, raw: pd.Series, column: str, mapping: Mapping) -> Parsed:
    kind = field.kind
    if kind == "datetime":
        return parse_datetime(raw, dayfirst=mapping.dayfirst, timezone=mapping.timezone)
    if kind == "duration":
        unit = mapping.units.get(field.name) or unit_from_header(column) or "seconds"
        return parse_duration(raw, unit=unit)  # type: ignore[arg-type]
    if kind == "number":
        return parse_number(raw, decimal=mapping.read.get("decimal") or ".")
    if kind == "bool":
        return parse_bool(raw)
    normalise = _NORMALISERS.get(field.name)
    if normalise is not None:  # strips and reads missing tokens itself, per distinct value
        return Parsed(normalise(raw), pd.Series(False, index=raw.index), ())
    return parse_text(raw)


def _from_values(raw: pd.Series, spec: ValueMapping, kept: np.ndarray | None = None
                 ) -> tuple[pd.Series, int, tuple[str, ...]]:
    """A boolean from a value mapping, and how many non-empty cells (of the ``kept`` rows) are
    in neither list, with examples."""
    codes, texts = distinct_texts(raw)
    true_set = {normalise_value(v) for v in spec.true}
    false_set = {normalise_value(v) for v in spec.false}
    # per distinct value: 1 true, 0 false, -1 in neither list, -2 missing
    table = np.full(len(texts) + 1, -2, dtype=np.int8)
    for i, text in enumerate(texts):
        if text is not None:
            key = normalise_value(text)
            table[i] = 1 if key in true_set else 0 if key in false_set else -1
    picked = table[codes]
    known = picked >= 0
    values = pd.Series(pd.arrays.BooleanArray(picked == 1, ~known), index=raw.index)
    unknown = picked == -1
    if kept is not None:
        unknown &= kept
    shown = set(np.unique(codes[unknown]).tolist())
    examples = tuple(t for i, t in enumerate(texts) if i in shown and t is not None)
    return values, int(unknown.sum()), examples[:_MAX_EXAMPLES]


def _seconds_between(start: pd.Series, end: pd.Series) -> pd.Series:
    return (end - start).dt.total_seconds().astype("float64")


def _derive(out: dict[str, pd.Series]) -> None:
    """Fields the SPEC derives when the data does not give them (``satisfied`` comes later,
    from the cleaned CSAT)."""
    created = out.get("created_at")
    if created is not None and "wait_seconds" not in out and "answered_at" in out:
        out["wait_seconds"] = _seconds_between(created, out["answered_at"])
    if created is not None and "resolution_seconds" not in out and "resolved_at" in out:
        out["resolution_seconds"] = _seconds_between(created, out["resolved_at"])
    if "resolved" not in out and "resolved_at" in out:
        out["resolved"] = out["resolved_at"].notna().astype("boolean")


def top_two_box(csat: pd.Series, scale: tuple[float, float]) -> pd.Series:
    """Satisfied = the top two points of the scale (≥ 4 on 1–5, ≥ 9 on 0–10); NA when unrated.

    Scales of more than 11 points (0–100) use the top fifth instead.
    """
    low, high = scale
    threshold = high - 1 if high - low <= 10 else high - 0.2 * (high - low)
    values = csat.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(values)
    return pd.Series(
        pd.arrays.BooleanArray(np.where(missing, False, values >= threshold), missing),
        index=csat.index,
    )


def canonical_dtypes(table: TableName = "interactions") -> dict[str, str]:
    """Column → dtype of a canonical frame of ``table`` (bookkeeping columns included)."""
    out: dict[str, Any] = {f.name: PANDAS_DTYPES[f.kind] for f in TABLE_FIELDS[table]}
    if table == "interactions":
        out[SOURCE_FILE] = "str"
        out[SOURCE_ROW] = "int64"
    return out
