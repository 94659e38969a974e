"""One call from uploaded files to a dataset: read, classify, map, canonicalise, validate.

:func:`load_dataset` reads every file (and every sheet of a workbook), decides which table each
holds (interactions, agent activity or forecast: by the fields detection finds, or by the
mapping's ``sheet``/``file``), maps and canonicalises them, appends the interaction tables
(``source_file`` tells them apart) and reports ids that appear in more than one file as
overlapping exports. A file that cannot be read is reported and skipped; only when nothing
usable remains does the report carry a fatal error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any

import pandas as pd

from kpi.canonical import canonical_dtypes, canonicalise, empty_frame
from kpi.errors import KpiError, UnreadableFileError, UnusableDataError
from kpi.io import RawTable, ReadBudget, ReadOptions, read_file
from kpi.io.budget import LOAD_OVERHEAD_BYTES, FileTooLargeError, check_budget
from kpi.mapping import (
    MIN_CONFIDENCE,
    Mapping,
    MappingProposal,
    detect_mapping,
    header_scores,
)
from kpi.schema import SOURCE_FILE, TABLE_FIELDS, TableName
from kpi.validation import Issue, ValidationReport, merge_issues

_MAX_EXAMPLES = 5


@dataclass(frozen=True)
class FileRead:
    """How one file (or one sheet of a workbook) was read and which table it holds."""

    name: str
    format: str | None
    options: dict[str, Any]
    rows: int
    sheets: tuple[str, ...] = ()
    sheet: str | None = None
    table: TableName | None = None
    columns: tuple[str, ...] = ()
    #: Why the file could not be read (code and parameters, translatable), else None.
    error: UnreadableFileError | None = None

    @property
    def label(self) -> str:
        """``file`` or ``file [sheet]``."""
        return self.name if self.sheet is None else f"{self.name} [{self.sheet}]"


@dataclass(frozen=True)
class Dataset:
    """Everything loaded: canonical tables, the mapping used, how files were read, the report.

    ``proposal`` is the detection for the first interaction table (``None`` when a mapping
    covering it was given).
    """

    interactions: pd.DataFrame
    activity: pd.DataFrame | None
    forecast: pd.DataFrame | None
    mapping: Mapping
    proposal: MappingProposal | None
    reads: tuple[FileRead, ...]
    report: ValidationReport
    proposals: dict[str, MappingProposal] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        """Whether there are interactions to compute with."""
        return self.report.fatal is None and not self.interactions.empty


@dataclass(frozen=True)
class _Table:
    raw: RawTable
    read: FileRead


def _read_all(
    name: str, data: bytes | Path, options: ReadOptions | None, budget: ReadBudget
) -> list[_Table]:
    """The file's table, plus every other sheet of a workbook."""
    first = read_file(name, data, options, budget=budget)
    tables = [_Table(first, _file_read(name, first))]
    if first.options.format == "excel":
        for sheet in first.sheets:
            if sheet == first.options.sheet:
                continue
            sheet_options = replace(options or ReadOptions(), sheet=sheet, skip_rows=None)
            try:
                other = read_file(name, data, sheet_options, budget=budget)
            except UnreadableFileError:
                continue  # an empty or decorative sheet
            tables.append(_Table(other, _file_read(name, other)))
    return tables


def _file_read(name: str, raw: RawTable) -> FileRead:
    options = raw.options.to_dict()
    return FileRead(
        name=name, format=raw.options.format, options=options, rows=len(raw.frame),
        sheets=tuple(raw.sheets),
        sheet=raw.options.sheet if raw.options.format == "excel" else None,
        columns=tuple(map(str, raw.frame.columns)),
    )


def _covers(mapping: Mapping | None, columns: Sequence[str]) -> bool:
    """Whether ``mapping`` (one table's part) names a date column and all its columns exist."""
    if mapping is None or not mapping.columns:
        return False
    return mapping.source_columns() <= set(columns)


def _claimed(mapping: Mapping | None, read: FileRead) -> bool:
    """Whether a nested activity/forecast mapping names this file or sheet."""
    if mapping is None:
        return False
    if mapping.file is not None:
        return PurePath(mapping.file).name == PurePath(read.name).name
    if mapping.sheet is not None:
        return read.sheet == mapping.sheet
    return False


def classify(frame: pd.DataFrame) -> tuple[TableName | None, MappingProposal | None]:
    """Which table ``frame`` holds, by the required fields detection finds, and its proposal.

    Activity and forecast tables are recognised first (they need all their required fields);
    anything with a creation time is interactions.
    """
    for table in ("activity", "forecast"):
        required = {f.name for f in TABLE_FIELDS[table] if f.required}  # type: ignore[index]
        named = {name for column in frame.columns
                 for name, score in header_scores(str(column), table).items()  # type: ignore[arg-type]
                 if score.score >= MIN_CONFIDENCE}
        if not required <= named:
            continue  # headers alone rule it out: no need to look at the content
        proposal = detect_mapping(frame, table)  # type: ignore[arg-type]
        if required <= set(proposal.fields):
            return table, proposal  # type: ignore[return-value]
    proposal = detect_mapping(frame, "interactions")
    if "created_at" in proposal.fields:
        return "interactions", proposal
    return None, proposal


def load_dataset(
    files: Sequence[tuple[str, bytes | Path]],
    mapping: Mapping | None = None,
    *,
    now: datetime | pd.Timestamp | None = None,
    pseudonymise_salt: bytes | None = None,
    budget: ReadBudget | None = None,
) -> Dataset:
    """Read, map, canonicalise and validate ``files`` (name, bytes or path) into a dataset.

    ``mapping`` (optional) gives the reading options and columns; what it does not cover is
    detected. Raises only :class:`~kpi.errors.KpiError` subclasses: a mapping naming a column a
    file lacks raises ``MappingError``; unreadable files are reported, fatal if none is left.
    ``pseudonymise_salt`` replaces ``customer_id`` by keyed tokens
    (:func:`kpi.privacy.pseudonymise`): same customer, same token, no raw identifier kept.
    ``budget`` (default :class:`~kpi.io.ReadBudget`) is checked for each file, and for all
    files together, before anything is parsed: a file over it is reported like an unreadable
    one; files that fit alone but not together raise ``io.load_too_big_for_memory``.
    """
    budget = budget if budget is not None else ReadBudget()
    _check_total(files, budget)
    issues: list[Issue] = []
    reads: list[FileRead] = []
    tables: list[_Table] = []
    given_read = ReadOptions.from_dict(mapping.read) if mapping is not None else None
    for name, data in files:
        options = given_read
        for nested in (mapping.activity, mapping.forecast) if mapping is not None else ():
            if nested is not None and nested.file is not None and nested.read and \
                    PurePath(nested.file).name == PurePath(name).name:
                options = ReadOptions.from_dict(nested.read)
        try:
            found = _read_all(name, data, options, budget)
        except UnreadableFileError as error:
            issues.append(Issue(code="mapping.issue.file_failed", field=None, column=name,
                                count=1, examples=(error.message("en"),), severity="error",
                                error=error))
            reads.append(FileRead(name=name, format=None, options={}, rows=0, error=error))
            continue
        tables.extend(found)

    parts: dict[TableName, list[pd.DataFrame]] = {"interactions": [], "activity": [],
                                                  "forecast": []}
    used: dict[TableName, Mapping] = {}
    proposals: dict[str, MappingProposal] = {}
    first_proposal: MappingProposal | None = None
    rows_read = 0
    dropped: dict[str, int] = {}
    fatal: KpiError | None = None
    generated: set[str] = set()
    interaction_mapping = _interaction_part(mapping)
    last_headers: tuple[str, ...] | None = None

    tables.reverse()
    while tables:
        item = tables.pop()  # let each raw table go once it is canonical
        read, frame = item.read, item.raw.frame
        table: TableName | None
        proposal: MappingProposal | None = None
        table_mapping: Mapping | None = None
        if mapping is not None and _claimed(mapping.activity, read):
            table, table_mapping = "activity", mapping.activity
        elif mapping is not None and _claimed(mapping.forecast, read):
            table, table_mapping = "forecast", mapping.forecast
        elif _covers(interaction_mapping, read.columns):
            table, table_mapping = "interactions", interaction_mapping
        else:
            table, proposal = classify(frame)
            if table in ("interactions", None) and interaction_mapping is not None \
                    and interaction_mapping.columns:
                # the given mapping does not fit this file: say which column is missing
                table, table_mapping = "interactions", interaction_mapping
        label = read.label
        if table is None:
            issues.append(Issue(code="mapping.issue.unclassified", field=None, column=label,
                                count=read.rows, examples=(), severity="warning"))
            reads.append(read)
            continue
        if table_mapping is None and table == "interactions" and last_headers == read.columns \
                and "interactions" in used:
            table_mapping = used["interactions"]  # same export layout: same mapping
        if table_mapping is None:
            assert proposal is not None
            proposals[label] = proposal
            table_mapping = _from_proposal(proposal, item.raw, read)
            if table == "interactions" and first_proposal is None:
                first_proposal = proposal
        if table == "interactions":
            last_headers = read.columns
        reads.append(replace(read, table=table))
        canonical, report = canonicalise(frame, table_mapping, source_file=read.name,
                                         table=table, now=now, consume=True,
                                         pseudonymise_salt=pseudonymise_salt)
        del frame, item
        used.setdefault(table, table_mapping)
        rows_read += report.rows_read if table == "interactions" else 0
        for code, count in report.dropped.items():
            dropped[code] = dropped.get(code, 0) + count
        issues.extend(report.issues)
        if report.fatal is not None:
            if table == "interactions":
                fatal = fatal or report.fatal
            else:
                issues.append(Issue(code=report.fatal.code, field=None, column=label,
                                    count=read.rows, examples=(), severity="warning"))
            continue
        if table == "interactions" and any(
                i.code == "mapping.issue.id_generated" for i in report.issues):
            generated.add(read.name)
        parts[table].append(canonical)

    interactions = _append(parts["interactions"], generated)
    if parts["interactions"]:
        fatal = None  # at least one file gave interactions; the others are reported
        issues.extend(_overlaps(interactions, generated))
    elif fatal is None:
        failed_all = reads and all(r.format is None for r in reads)
        fatal = UnusableDataError("mapping.fatal.no_file" if failed_all
                                  else "mapping.fatal.no_interactions")
    final_mapping = _combined(mapping, used)
    report = ValidationReport(rows_read=rows_read, rows_kept=len(interactions),
                              dropped=dropped, issues=merge_issues(issues), fatal=fatal)
    return Dataset(
        interactions=interactions,
        activity=_stack(parts["activity"]),
        forecast=_stack(parts["forecast"]),
        mapping=final_mapping,
        proposal=first_proposal,
        reads=tuple(reads),
        report=report,
        proposals=proposals,
    )


def _check_total(files: Sequence[tuple[str, bytes | Path]], budget: ReadBudget) -> None:
    """Refuse a load whose files each fit the budget but together need more memory."""
    if budget.max_memory_bytes is None or len(files) < 2:
        return
    fitting: list[str] = []
    need = LOAD_OVERHEAD_BYTES  # once for the whole load
    for name, data in files:
        try:
            need += check_budget(name, data, budget).expected_peak_bytes - LOAD_OVERHEAD_BYTES
        except UnreadableFileError:
            continue  # reported with the file when it is read
        fitting.append(name)
    if len(fitting) > 1 and need > budget.max_memory_bytes:
        raise FileTooLargeError("io.load_too_big_for_memory", count=len(fitting),
                                name=", ".join(fitting[:5]), need=need,
                                available=budget.max_memory_bytes)


def _interaction_part(mapping: Mapping | None) -> Mapping | None:
    if mapping is None:
        return None
    return replace(mapping, activity=None, forecast=None)


def _from_proposal(proposal: MappingProposal, raw: RawTable, read: FileRead) -> Mapping:
    detected = replace(proposal, read=raw.options.to_dict())
    mapping = detected.to_mapping()
    if proposal.table != "interactions":
        where = {"sheet": read.sheet} if read.sheet is not None else {"file": read.name}
        mapping = replace(mapping, **where)
    return mapping


def _combined(given: Mapping | None, used: dict[TableName, Mapping]) -> Mapping:
    """The mapping that reproduces this load: interactions part plus nested tables."""
    base = used.get("interactions") or _interaction_part(given) or Mapping()
    activity = used.get("activity") or (given.activity if given else None)
    forecast = used.get("forecast") or (given.forecast if given else None)
    if activity is not None and activity.read == base.read:
        activity = replace(activity, read={})
    if forecast is not None and forecast.read == base.read:
        forecast = replace(forecast, read={})
    return replace(base, activity=activity, forecast=forecast)


def _append(frames: list[pd.DataFrame], generated: set[str]) -> pd.DataFrame:
    """Interaction tables of several files as one, with canonical dtypes kept."""
    if not frames:
        return empty_frame("interactions")
    if len(frames) == 1:
        return frames[0]
    if generated:
        frames = [_prefixed_ids(f) if f[SOURCE_FILE].iloc[0] in generated else f
                  for f in frames]
    combined = pd.concat(frames, ignore_index=True)
    dtypes = canonical_dtypes("interactions")
    for column in combined.columns:
        if column in dtypes and str(combined[column].dtype) != dtypes[column]:
            combined[column] = combined[column].astype(dtypes[column])
    order = [c for c in dtypes if c in combined.columns and c not in (SOURCE_FILE, "source_row")]
    extra = [c for c in combined.columns if c not in dtypes]
    return combined[[*order, *extra, SOURCE_FILE, "source_row"]]


def _prefixed_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """Generated (row-number) ids made unique across files: ``file:row``."""
    out = frame.copy()
    out["interaction_id"] = (out[SOURCE_FILE] + ":" + out["interaction_id"]).astype("str")
    return out


def _overlaps(frame: pd.DataFrame, generated: set[str]) -> list[Issue]:
    """Ids present in more than one file (overlapping exports)."""
    if "interaction_id" not in frame or frame[SOURCE_FILE].nunique() < 2:
        return []
    pairs = frame.loc[~frame[SOURCE_FILE].isin(generated), ["interaction_id", SOURCE_FILE]]
    pairs = pairs.dropna().drop_duplicates()
    repeated = pairs["interaction_id"][pairs["interaction_id"].duplicated()].unique()
    if len(repeated) == 0:
        return []
    return [Issue(code="mapping.issue.overlap", field="interaction_id", column=None,
                  count=len(repeated), examples=tuple(map(str, repeated[:_MAX_EXAMPLES])),
                  severity="warning")]


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame | None:
    if not frames:
        return None
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
