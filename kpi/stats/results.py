"""Typed settings and the result records of the statistics layer.

Every result is a small frozen dataclass. A degenerate input never turns into NaN, ``p = 1``
or a ``(0, 0)`` interval: the numbers that cannot be computed are ``None`` and ``code`` says why
(a key suffix of :mod:`kpi.messages.stats`, translated by the UI).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["proportion", "mean", "ratio", "nps", "count", "quantile", "total"]
Direction = Literal["higher", "lower", "neutral", "band"]
Unit = Literal["day", "interaction"]
UnitChoice = Literal["auto", "day", "interaction"]
ValueFormat = Literal["percent", "duration", "nps", "number", "rate"]

#: Machine-readable reasons a comparison cannot give a p-value (``stats.code.<name>`` messages).
Code = Literal[
    "empty_period",
    "not_enough_data",
    "zero_variance",
    "all_same",
    "too_few_days",
    "too_few_for_p90",
    "boundary",
    "raw_values_needed",
    "no_denominator",
]

ALPHA = 0.05
#: Days with data each side needs before ``unit="auto"`` picks the day unit (SPEC §6).
AUTO_DAY_UNIT_MIN_DAYS = 7
#: Fewest days each side needs for an explicitly requested day unit (variance with df ≥ 2).
DAY_UNIT_MIN_DAYS = 3

DEFAULT_FORMAT: dict[str, ValueFormat] = {
    "proportion": "percent",
    "nps": "nps",
    "mean": "number",
    "ratio": "number",
    "count": "number",
    "quantile": "number",
    "total": "number",
}


@dataclass(frozen=True)
class SideSummary:
    """One side of a comparison: its KPI value, its ``n`` and (where defined) a 95 % CI."""

    value: float | None
    n: int
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass(frozen=True)
class TestOutcome:
    """What one test returns before the comparison is assembled (internal currency)."""

    test: str
    unit: Unit
    difference: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    code: Code | None = None
    se: float | None = None
    df: float | None = None


@dataclass(frozen=True)
class Comparison:
    """A change between two periods (or a segment and the rest) of one KPI.

    ``difference`` is current − baseline (segment − reference), ``relative_difference`` that
    difference over the baseline value as a fraction. ``significant`` means BH-adjusted
    ``p < 0.05`` within one comparison call. ``mde`` is the smallest change these volumes can
    detect (α 0.05, power 0.8); ``robustness`` a Mann–Whitney p where raw values exist.
    ``versus_rest`` marks a segment (current side) compared with all other segments.
    """

    kpi: str
    kind: Kind
    direction: Direction
    baseline: SideSummary
    current: SideSummary
    difference: float | None
    relative_difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    p_adjusted: float | None
    test: str
    unit: Unit
    significant: bool
    improved: bool | None
    code: Code | None = None
    mde: float | None = None
    robustness: float | None = None
    segment: str | None = None
    segment_value: Any = None
    versus_rest: bool = False
    value_format: ValueFormat | None = None
    label: str | None = None

    @property
    def format(self) -> ValueFormat:
        """How values are shown: the explicit format, else the kind's default."""
        return self.value_format or DEFAULT_FORMAT[self.kind]

    def verdict(self, lang: str = "en") -> str:
        """The plain-language sentence in ``lang``."""
        from kpi.stats.verdict import verdict

        return verdict(self, lang)

    def to_dict(self) -> dict[str, Any]:
        """SPEC §7's compare record (English verdict; the segment field when segmented)."""
        record: dict[str, Any] = {
            "kpi": self.kpi,
            "baseline": {"value": _num(self.baseline.value), "n": self.baseline.n},
            "current": {"value": _num(self.current.value), "n": self.current.n},
            "difference": _num(self.difference),
            "relative_difference": _num(self.relative_difference),
            "ci_low": _num(self.ci_low),
            "ci_high": _num(self.ci_high),
            "p_value": _num(self.p_value),
            "p_adjusted": _num(self.p_adjusted),
            "test": self.test,
            "unit": self.unit,
            "significant": self.significant,
            "improved": self.improved,
            "verdict": self.verdict("en"),
        }
        if self.segment is not None:
            record[self.segment] = _plain(self.segment_value)
        return record


def _num(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _plain(value: Any) -> Any:
    """A JSON-friendly scalar (numpy scalars and timestamps become Python ones)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value
