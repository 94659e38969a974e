"""``kpi validate FILE...``: what was detected in the files and what is wrong with the data.

Prints each file's format and reading options, each table's field → column choices with their
confidence and reason, and the validation report. Exit status 1 when the data is unusable.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from kpi.i18n import translate
from kpi.load import Dataset, FileRead, load_dataset
from kpi.mapping import FieldMatch, Mapping


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` sub-command."""
    parser = sub.add_parser(
        "validate",
        help=translate("mapping.cli.help"),
        description="Read the files, detect (or apply) the column mapping and report problems.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="exported data files")
    parser.add_argument("--mapping", help="mapping file (JSON) to use instead of detection")
    parser.add_argument("--save-mapping", metavar="OUT", help="write the mapping used as JSON")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the files, print what was found; 1 when unusable, else 0."""
    mapping = Mapping.load(args.mapping) if args.mapping else None
    files = [(Path(path).name, Path(path)) for path in args.files]
    if mapping is not None:
        files += companion_files(mapping, Path(args.mapping).parent, {n for n, _ in files})
    dataset = load_dataset(files, mapping)
    if args.save_mapping:
        dataset.mapping.save(args.save_mapping)
    lang = args.lang
    if args.format == "json":
        print(json.dumps(as_json(dataset, lang), ensure_ascii=False, indent=2, default=str))
    else:
        print("\n".join(text_lines(dataset, lang)))
        if args.save_mapping:
            print(translate("mapping.cli.saved", lang, path=args.save_mapping))
    return 0 if dataset.usable else 1


def companion_files(mapping: Mapping, folder: Path, given: set[str]) -> list[tuple[str, Path]]:
    """Activity/forecast files the mapping names (relative to its own folder), if not given."""
    out = []
    for nested in (mapping.activity, mapping.forecast):
        if nested is None or nested.file is None:
            continue
        path = folder / nested.file
        if path.name not in given and path.exists():
            out.append((path.name, path))
    return out


def _details(read: FileRead, lang: str) -> str:
    options = read.options
    parts = []
    if options.get("encoding"):
        parts.append(translate("mapping.cli.encoding", lang, value=options["encoding"]))
    if options.get("sep"):
        sep = {"\t": "tab", " ": "space"}.get(options["sep"], options["sep"])
        parts.append(translate("mapping.cli.sep", lang, value=sep))
    if options.get("decimal"):
        parts.append(translate("mapping.cli.decimal", lang, value=options["decimal"]))
    if read.sheet:
        parts.append(translate("mapping.cli.sheet", lang, value=read.sheet))
    dayfirst = options.get("dayfirst")
    key = {True: "dayfirst", False: "monthfirst", None: "dateorder_unknown"}[dayfirst]
    parts.append(translate(f"mapping.cli.{key}", lang))
    return "; " + ", ".join(parts)


def _matches(dataset: Dataset, read: FileRead) -> tuple[list[FieldMatch], tuple[str, ...]]:
    """Detected matches for a table, or the given mapping's columns shown as matches."""
    proposal = dataset.proposals.get(read.label)
    if proposal is not None:
        return list(proposal.matches), proposal.unmapped_columns
    mapping = dataset.mapping
    if read.table == "activity" and mapping.activity is not None:
        mapping = mapping.activity
    elif read.table == "forecast" and mapping.forecast is not None:
        mapping = mapping.forecast
    matches = [FieldMatch(name, column, 1.0, "mapping.reason.given",
                          {"column": column, "field": name})
               for name, column in mapping.columns.items()]
    matches += [FieldMatch(name, spec.column, 1.0, "mapping.reason.given",
                           {"column": spec.column, "field": name},
                           true_values=spec.true, false_values=spec.false)
                for name, spec in mapping.values.items()]
    unused = tuple(c for c in read.columns if c not in mapping.source_columns())
    return matches, unused


def text_lines(dataset: Dataset, lang: str = "en") -> list[str]:
    """The human-readable report."""
    lines: list[str] = []
    for read in dataset.reads:
        if read.format is None:
            continue
        lines.append(translate("mapping.cli.file", lang, file=read.label, format=read.format,
                               rows=read.rows, details=_details(read, lang)))
    for read in dataset.reads:
        if read.table is None:
            continue
        lines.append("")
        lines.append(translate("mapping.cli.table", lang, table=read.table, file=read.label))
        matches, unused = _matches(dataset, read)
        for match in matches:
            lines.append(translate(
                "mapping.cli.field", lang, field=match.field, column=match.column,
                confidence=round(match.confidence * 100),
                reason=translate(match.reason, lang, **match.params),
            ))
        if unused:
            lines.append(translate("mapping.cli.unmapped", lang, columns=", ".join(unused)))
    lines.append("")
    lines.append(translate("mapping.cli.report", lang))
    lines.extend(f"  {line}" for line in dataset.report.lines(lang))
    if dataset.report.fatal is not None:
        lines.append(translate("mapping.cli.unusable", lang,
                               detail=dataset.report.fatal.message(lang)))
    return lines


def as_json(dataset: Dataset, lang: str = "en") -> dict[str, Any]:
    """The machine-readable report."""
    tables = []
    for read in dataset.reads:
        if read.table is None:
            continue
        matches, unused = _matches(dataset, read)
        tables.append({
            "file": read.name, "sheet": read.sheet, "table": read.table,
            "fields": [
                {"field": m.field, "column": m.column, "confidence": m.confidence,
                 "reason": m.reason, "explanation": translate(m.reason, lang, **m.params),
                 "unit": m.unit, "true": list(m.true_values), "false": list(m.false_values)}
                for m in matches
            ],
            "unmapped": list(unused),
        })
    report = dataset.report
    return {
        "usable": dataset.usable,
        "files": [{"file": r.name, "sheet": r.sheet, "format": r.format, "rows": r.rows,
                   "options": r.options, "table": r.table} for r in dataset.reads],
        "tables": tables,
        "mapping": dataset.mapping.to_dict(),
        "report": {
            "rows_read": report.rows_read, "rows_kept": report.rows_kept,
            "dropped": dict(report.dropped),
            "issues": [
                {"code": i.code, "field": i.field, "column": i.column, "count": i.count,
                 "examples": list(i.examples), "severity": i.severity}
                for i in report.issues
            ],
            "lines": report.lines(lang),
            "fatal": None if report.fatal is None else report.fatal.message(lang),
        },
    }
