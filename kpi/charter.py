"""The KPI charter (SPEC §5): what a team agreed in a workshop, as a JSON document.

A charter holds the chosen KPIs in order, their parameters, custom KPI definitions, targets,
notes and a revision number. Parameters and custom KPIs are kept as the plain JSON dicts the
catalog's classes produce (``to_dict()``), so this module does not depend on them.

JSON layout (``format_version`` 1)::

    {"format_version": 1, "name": "...", "revision": 3, "kpis": ["abandonment_rate", ...],
     "parameters": {"service_level_seconds": 20, "fcr_window_days": 7},
     "custom_kpis": [{"id": "vip_rate", ...}], "targets": [{"kpi": ..., "value": ...}],
     "notes": "...", "updated_at": "2026-01-31T10:00:00"}

Reading a file written by a newer app version, or a malformed file, raises
:class:`~kpi.errors.DefinitionError`. KPI ids the app does not know are kept and reported by
:func:`read_charter` rather than dropped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from kpi.catalog import KpiParams
from kpi.errors import DefinitionError
from kpi.i18n import translate
from kpi.targets import Target

#: The charter JSON format this version writes and the newest it reads.
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Charter:
    """A KPI charter; ``revision`` counts saved edits, ``format_version`` is the file format."""

    kpis: tuple[str, ...] = ()
    #: ``kpi.catalog.KpiParams.to_dict()``: thresholds, windows, statistics, business hours.
    parameters: Mapping[str, Any] = field(default_factory=dict, hash=False)
    custom_kpis: tuple[Mapping[str, Any], ...] = field(default=(), hash=False)
    targets: tuple[Target, ...] = ()
    notes: str = ""
    name: str = ""
    revision: int = 1
    updated_at: str | None = None

    @property
    def custom_kpi_ids(self) -> tuple[str, ...]:
        """Ids of the custom KPIs defined in the charter."""
        return tuple(str(c["id"]) for c in self.custom_kpis if "id" in c)

    def referenced_kpis(self) -> tuple[str, ...]:
        """Every KPI id the charter mentions (chosen or targeted), in order."""
        seen: dict[str, None] = {}
        for kpi in (*self.kpis, *(t.kpi for t in self.targets)):
            seen.setdefault(kpi, None)
        return tuple(seen)

    def unknown_kpis(self, known: Iterable[str]) -> tuple[str, ...]:
        """KPI ids mentioned but neither in ``known`` (the catalog) nor defined as custom."""
        known_set = set(known) | set(self.custom_kpi_ids)
        return tuple(k for k in self.referenced_kpis() if k not in known_set)

    def targets_for(self, kpi: str) -> tuple[Target, ...]:
        """The charter's targets of one KPI."""
        return tuple(t for t in self.targets if t.kpi == kpi)

    def revised(self, **changes: Any) -> Charter:
        """A copy with ``changes`` applied, the revision incremented and the time stamped."""
        return replace(
            self,
            **changes,
            revision=self.revision + 1,
            updated_at=datetime.now().replace(microsecond=0).isoformat(),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able document, ``format_version`` first."""
        return {
            "format_version": FORMAT_VERSION,
            "name": self.name,
            "revision": self.revision,
            "updated_at": self.updated_at,
            "kpis": list(self.kpis),
            "parameters": dict(self.parameters),
            "custom_kpis": [dict(c) for c in self.custom_kpis],
            "targets": [t.to_dict() for t in self.targets],
            "notes": self.notes,
        }

    def to_json(self) -> str:
        """The document as indented UTF-8 JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: object) -> Charter:
        """Parse a document; malformed content or a newer format raises DefinitionError."""
        if not isinstance(data, Mapping):
            raise DefinitionError("targets.charter.malformed", detail="not a JSON object")
        version = data.get("format_version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise DefinitionError(
                "targets.charter.malformed", detail="format_version is missing or not a number"
            )
        if version > FORMAT_VERSION:
            raise DefinitionError(
                "targets.charter.newer_version", found=version, supported=FORMAT_VERSION
            )
        kpis = _typed(data, "kpis", list, "a list of KPI ids", [])
        if not all(isinstance(k, str) for k in kpis):
            raise DefinitionError(
                "targets.charter.bad_field", field="kpis", expected="a list of KPI ids"
            )
        parameters = _typed(data, "parameters", dict, "an object of KPI parameters", {})
        if parameters:
            KpiParams.from_dict(parameters)  # raises DefinitionError naming what is wrong
        custom = _typed(data, "custom_kpis", list, "a list of custom KPI definitions", [])
        if not all(isinstance(c, dict) and isinstance(c.get("id"), str) for c in custom):
            raise DefinitionError(
                "targets.charter.bad_field", field="custom_kpis",
                expected="a list of custom KPI definitions, each with an id",
            )
        targets = _typed(data, "targets", list, "a list of targets", [])
        revision = _typed(data, "revision", int, "a whole number", 1)
        updated_at = data.get("updated_at")
        return cls(
            kpis=tuple(kpis),
            parameters=dict(parameters),
            custom_kpis=tuple(dict(c) for c in custom),
            targets=tuple(Target.from_dict(t) if isinstance(t, Mapping) else _bad_target()
                          for t in targets),
            notes=str(_typed(data, "notes", str, "text", "")),
            name=str(_typed(data, "name", str, "text", "")),
            revision=revision,
            updated_at=None if updated_at is None else str(updated_at),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Charter:
        """Parse JSON text (see :meth:`from_dict`)."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise DefinitionError("targets.charter.malformed", detail=str(error)) from None
        return cls.from_dict(data)


def _bad_target() -> Target:
    raise DefinitionError(
        "targets.charter.bad_field", field="targets", expected="a list of targets"
    )


def _typed(data: Mapping[str, Any], key: str, kind: type, expected: str, default: Any) -> Any:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DefinitionError("targets.charter.bad_field", field=key, expected=expected)
    return value


@dataclass(frozen=True)
class CharterImport:
    """An imported charter and the KPI ids in it that the app does not know."""

    charter: Charter
    unknown_kpis: tuple[str, ...]

    def warnings(self, lang: str = "en") -> list[str]:
        """Sentences to show after the import (empty when everything is known)."""
        if not self.unknown_kpis:
            return []
        return [translate("targets.charter.unknown_kpis", lang, kpis=", ".join(self.unknown_kpis))]


def read_charter(text: str | bytes, *, known_kpis: Iterable[str]) -> CharterImport:
    """Import a charter file, reporting KPI ids unknown to the catalog (kept, not dropped)."""
    charter = Charter.from_json(text)
    return CharterImport(charter, charter.unknown_kpis(known_kpis))
