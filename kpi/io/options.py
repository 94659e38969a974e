"""Reading options (the ``"read"`` block of a mapping file) and the table a reader returns."""

from __future__ import annotations

import codecs
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

import pandas as pd

from kpi.errors import MappingError

FileFormat = Literal["csv", "excel", "parquet", "json", "jsonl"]
Compression = Literal["gzip", "zip"]

FORMATS: tuple[str, ...] = ("csv", "excel", "parquet", "json", "jsonl")
COMPRESSIONS: tuple[str, ...] = ("gzip", "zip")
DECIMAL_MARKS: tuple[str, ...] = (".", ",")
THOUSANDS_MARKS: tuple[str, ...] = (".", ",", " ", "'", "\u00a0", "\u202f")


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file; ``None`` means "detect it".

    After a read, :attr:`RawTable.options` holds the values actually used, so saving them
    in a mapping file makes the next read of a similar export skip detection.
    ``skip_rows`` counts the lines before the header (title lines, blank lines); in a
    worksheet it counts the non-empty rows before the header. ``thousands=None`` means none
    was seen (it is looked for again on every read).
    """

    format: FileFormat | None = None
    encoding: str | None = None
    sep: str | None = None
    decimal: str | None = None
    thousands: str | None = None
    dayfirst: bool | None = None
    sheet: str | None = None
    compression: Compression | None = None
    skip_rows: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able ``"read"`` block: only the options that are set."""
        return {key: value for key, value in asdict(self).items() if value is not None}

    @classmethod
    def from_dict(cls, data: object) -> ReadOptions:
        """Options from a ``"read"`` block; unknown keys or bad values raise ``MappingError``."""
        if not isinstance(data, dict):
            raise MappingError("io.option_not_object", type=type(data).__name__)
        known = {f.name for f in fields(cls)}
        for key in data:
            if key not in known:
                raise MappingError("io.option_unknown", key=key, known=", ".join(sorted(known)))
        for key, value in data.items():
            if value is not None:
                _check_option(key, value)
        return cls(**data)

    def merged(self, detected: ReadOptions) -> ReadOptions:
        """These options, with every unset one taken from ``detected``."""
        values = {
            f.name: getattr(self, f.name)
            if getattr(self, f.name) is not None
            else getattr(detected, f.name)
            for f in fields(self)
        }
        return ReadOptions(**values)


def _check_option(key: str, value: object) -> None:
    """Raise ``MappingError`` naming ``key`` when ``value`` is not acceptable for it."""
    expected = {  # examples, not sentences, so they read the same in every language
        "format": " | ".join(FORMATS),
        "compression": " | ".join(COMPRESSIONS),
        "sep": '"," | ";" | "\\t" | "|"',
        "decimal": '"." | ","',
        "thousands": '"." | "," | " " | "\'"',
        "encoding": "utf-8 | latin-1 | cp1252 | utf-16",
        "dayfirst": "true | false",
        "sheet": '"Sheet1"',
        "skip_rows": "0 | 1 | 2 | …",
    }[key]
    if key == "dayfirst":
        ok = isinstance(value, bool)
    elif key == "skip_rows":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    elif not isinstance(value, str):
        ok = False
    elif key == "format":
        ok = value in FORMATS
    elif key == "compression":
        ok = value in COMPRESSIONS
    elif key == "sep":
        ok = len(value) == 1 and value not in "\"\r\n"
    elif key == "decimal":
        ok = value in DECIMAL_MARKS
    elif key == "thousands":
        ok = value in THOUSANDS_MARKS
    elif key == "encoding":
        ok = _is_codec(value)
    else:
        ok = bool(value)
    if not ok:
        raise MappingError("io.option_invalid", key=key, value=repr(value), expected=expected)


def _is_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


@dataclass(frozen=True)
class RawTable:
    """A file as read: its own (cleaned) headers, values as typed as cheaply possible.

    ``options`` are the options used (detected where not given), ``sheets`` the sheets of an
    Excel workbook (empty for other formats), ``source`` the file name, ``skipped_rows`` the
    count of malformed CSV lines (wrong number of fields) that could not be read.
    """

    frame: pd.DataFrame
    options: ReadOptions
    sheets: tuple[str, ...]
    source: str
    skipped_rows: int = 0
