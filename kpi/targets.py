"""Targets for KPIs (SPEC §5): a value or a band, a warning margin, a scope and a start date.

A :class:`Target` is plain data. :func:`validate_target` checks it against the KPI's unit and
direction (which the catalog knows) and raises :class:`~kpi.errors.DefinitionError` with a
sentence the team lead can act on. :func:`status` and :func:`statuses` classify values;
:func:`applicable_target` picks, for a period and a segment, the target that applies.

Status rules (``warning_margin`` is in KPI units, e.g. ``0.01`` = 1 point of a rate, ``30`` =
30 seconds):

* ``higher``: value ≥ target → on target; value ≥ target − margin → at risk; else off target.
* ``lower``: value ≤ target → on target; value ≤ target + margin → at risk; else off target.
* ``band`` (lower, upper): inside the band (edges included) → on target; outside but within the
  margin of the nearer edge → at risk; else off target.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd

from kpi.errors import DefinitionError

Direction = Literal["higher", "lower", "band", "neutral"]
Status = Literal["on_target", "at_risk", "off_target"]
UnitKind = Literal["percent", "duration", "points", "number"]

STATUSES: tuple[Status, ...] = ("on_target", "at_risk", "off_target")
#: Dimensions a target can be scoped to.
SCOPE_DIMENSIONS: tuple[str, ...] = ("channel", "team")

_PERCENT_UNITS = frozenset({"proportion", "percent", "percentage", "rate", "fraction", "share"})
_DURATION_UNITS = frozenset({"seconds", "second", "duration", "s"})
_POINT_UNITS = frozenset({"points", "nps", "nps_points"})


def unit_kind(unit: str | None) -> UnitKind:
    """How a KPI unit is shown: ``percent`` (fractions), ``duration`` (seconds), ``points``
    (NPS) or plain ``number`` (counts, scores, currency, ratios)."""
    key = (unit or "").strip().lower()
    if key in _PERCENT_UNITS:
        return "percent"
    if key in _DURATION_UNITS:
        return "duration"
    if key in _POINT_UNITS:
        return "points"
    return "number"


@dataclass(frozen=True)
class Target:
    """A target for one KPI: ``value`` or ``band=(lower, upper)``, in KPI units (fractions for
    rates, seconds for durations); ``scope`` like ``{"channel": "phone"}`` or None for all."""

    kpi: str
    value: float | None = None
    band: tuple[float, float] | None = None
    warning_margin: float = 0.0
    scope: Mapping[str, str] | None = field(default=None, hash=False)
    effective_from: date | None = None
    note: str = ""

    @property
    def specificity(self) -> int:
        """0 for a target that applies everywhere, 1 for one scoped to a channel or team."""
        return len(self.scope) if self.scope else 0

    def applies_to(self, segment: Mapping[str, object] | None) -> bool:
        """Whether this target's scope matches the segment (a global target matches all)."""
        if not self.scope:
            return True
        segment = segment or {}
        return all(segment.get(k) == v for k, v in self.scope.items())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (dates as ISO strings; absent parts omitted)."""
        out: dict[str, Any] = {"kpi": self.kpi}
        if self.value is not None:
            out["value"] = self.value
        if self.band is not None:
            out["band"] = [self.band[0], self.band[1]]
        out["warning_margin"] = self.warning_margin
        if self.scope:
            out["scope"] = dict(self.scope)
        if self.effective_from is not None:
            out["effective_from"] = self.effective_from.isoformat()
        if self.note:
            out["note"] = self.note
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Target:
        """Inverse of :meth:`to_dict`; wrong types raise :class:`DefinitionError`."""
        if not isinstance(data, Mapping):
            raise DefinitionError(
                "targets.charter.bad_field", field="targets[]", expected="an object"
            )
        kpi = data.get("kpi")
        if not isinstance(kpi, str) or not kpi:
            raise DefinitionError(
                "targets.charter.bad_field", field="targets[].kpi", expected="a KPI id"
            )
        band = data.get("band")
        if band is not None:
            if not isinstance(band, list | tuple) or len(band) != 2:
                raise DefinitionError(
                    "targets.charter.bad_field", field="targets[].band",
                    expected="a list of two numbers",
                )
            band = (_number(kpi, band[0]), _number(kpi, band[1]))
        value = data.get("value")
        effective = data.get("effective_from")
        if effective is not None:
            try:
                effective = date.fromisoformat(str(effective))
            except ValueError:
                raise DefinitionError("targets.bad_date", kpi=kpi, value=effective) from None
        scope = data.get("scope")
        if scope is not None and not isinstance(scope, Mapping):
            raise DefinitionError("targets.bad_scope", scope=scope)
        return cls(
            kpi=kpi,
            value=None if value is None else _number(kpi, value),
            band=band,
            warning_margin=_number(kpi, data.get("warning_margin", 0.0)),
            scope={str(k): str(v) for k, v in scope.items()} if scope else None,
            effective_from=effective,
            note=str(data.get("note", "")),
        )


def _number(kpi: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DefinitionError("targets.not_a_number", kpi=kpi, value=value)
    try:
        number = float(value)
    except OverflowError:  # an integer beyond float range
        number = math.inf
    if not math.isfinite(number):
        raise DefinitionError("targets.not_a_number", kpi=kpi, value=value)
    return number


def validate_target(
    target: Target, *, unit: str | None, direction: Direction, kpi_name: str | None = None
) -> Target:
    """Check a target against its KPI's unit and direction; return it, or raise
    :class:`DefinitionError` (value and band both/neither given, band on a directional KPI or
    value on a band KPI, a neutral KPI, a rate outside 0–100 %, a negative duration, a reversed
    band, a negative margin, a bad scope)."""
    name = kpi_name or target.kpi
    if direction == "neutral":
        raise DefinitionError("targets.neutral_kpi", kpi=name)
    if (target.value is None) == (target.band is None):
        raise DefinitionError("targets.value_or_band", kpi=name)
    if direction == "band" and target.band is None:
        raise DefinitionError("targets.band_required", kpi=name)
    if direction != "band" and target.band is not None:
        raise DefinitionError("targets.value_required", kpi=name)
    numbers = [target.value] if target.band is None else list(target.band)
    for number in numbers:
        _number(name, number)
    kind = unit_kind(unit)
    for number in numbers:
        if kind == "percent" and not 0.0 <= number <= 1.0:
            raise DefinitionError("targets.rate_out_of_range", kpi=name, value=number)
        if kind == "duration" and number < 0:
            raise DefinitionError("targets.negative_duration", kpi=name, value=number)
    if target.band is not None and target.band[0] > target.band[1]:
        raise DefinitionError(
            "targets.band_reversed", kpi=name, lower=target.band[0], upper=target.band[1]
        )
    if _number(name, target.warning_margin) < 0:
        raise DefinitionError("targets.negative_margin", kpi=name, value=target.warning_margin)
    if target.scope is not None and (
        len(target.scope) != 1 or not set(target.scope) <= set(SCOPE_DIMENSIONS)
    ):
        raise DefinitionError("targets.bad_scope", scope=dict(target.scope))
    return target


def statuses(values: pd.Series | np.ndarray, target: Target, direction: Direction) -> pd.Series:
    """Vectorised :func:`status`: a string Series of statuses, ``<NA>`` where a value is
    unknown."""
    x = pd.Series(values, dtype="float64")
    margin = target.warning_margin
    arr = x.to_numpy()
    if direction == "band":
        if target.band is None:
            raise DefinitionError("targets.band_required", kpi=target.kpi)
        lower, upper = target.band
        distance = np.maximum(lower - arr, arr - upper)  # ≤ 0 inside the band
    elif direction in ("higher", "lower"):
        if target.value is None:
            raise DefinitionError("targets.value_required", kpi=target.kpi)
        distance = target.value - arr if direction == "higher" else arr - target.value
    else:
        raise DefinitionError("targets.neutral_kpi", kpi=target.kpi)
    # a tolerance so that 0.87 − 0.85 counts as the margin 0.02 despite binary rounding
    reference = target.band if target.band is not None else (target.value, target.value)
    tolerance = 1e-9 * max(1.0, abs(reference[0]), abs(reference[1]))
    labels = np.select(
        [distance <= tolerance, distance <= margin + tolerance],
        ["on_target", "at_risk"],
        default="off_target",
    )
    out = pd.Series(labels, index=x.index, dtype="str")
    return out.where(x.notna())


def status(value: float | None, target: Target, direction: Direction) -> Status | None:
    """``on_target``, ``at_risk`` or ``off_target`` for one value (None when the value is
    unknown); see the module docstring for the rules."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    result = statuses(np.array([value], dtype="float64"), target, direction).iloc[0]
    return result  # type: ignore[return-value]


def applicable_target(
    targets: Iterable[Target],
    kpi: str,
    *,
    period_start: date | None = None,
    segment: Mapping[str, object] | None = None,
) -> Target | None:
    """The target that applies to ``kpi`` for a period starting ``period_start`` in a segment
    (e.g. ``{"channel": "phone"}``): among targets whose scope matches and whose
    ``effective_from`` is on or before the period start (or unset), the most specific scope
    wins, then the latest start date. None when no target applies."""
    if isinstance(period_start, pd.Timestamp):
        period_start = period_start.date()
    candidates = [
        t
        for t in targets
        if t.kpi == kpi
        and t.applies_to(segment)
        and (t.effective_from is None or period_start is None or t.effective_from <= period_start)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda t: (t.specificity, t.effective_from or date.min))


def attach_targets(
    values: pd.DataFrame,
    targets: Iterable[Target],
    *,
    direction: Direction,
    kpi: str | None = None,
    segment_columns: Iterable[str] = (),
) -> pd.DataFrame:
    """Add the applicable target and the status to each row of a tidy value frame.

    ``values`` has ``period`` (bucket start), ``value`` and ``kpi`` (or pass ``kpi`` for a
    one-KPI frame), plus the ``segment_columns`` (e.g. ``["channel"]``) that scoped targets
    match. Adds ``target`` (value targets), ``target_lower``/``target_upper`` (bands; NaN
    otherwise) and ``status`` (``<NA>`` without a target or a value). The target is chosen once
    per distinct (kpi, period, segment), so the cost does not grow with the rows' count.
    """
    targets = tuple(targets)
    segments = list(segment_columns)
    out = values.copy()
    kpis = out["kpi"] if "kpi" in out else pd.Series(kpi, index=out.index, dtype="str")
    keys = pd.DataFrame({"kpi": kpis, "period": pd.to_datetime(out["period"])})
    for column in segments:
        keys[column] = out[column]
    out["target"] = np.nan
    out["target_lower"] = np.nan
    out["target_upper"] = np.nan
    out["status"] = pd.Series(pd.NA, index=out.index, dtype="str")
    if direction == "neutral" or not targets:
        return out
    for key, rows in keys.groupby(list(keys.columns), dropna=False, sort=False).groups.items():
        kpi_id, period, *segment_values = key
        segment = {c: v for c, v in zip(segments, segment_values, strict=True) if pd.notna(v)}
        chosen = applicable_target(targets, kpi_id, period_start=period.date(), segment=segment)
        if chosen is None:
            continue
        if chosen.band is not None:
            out.loc[rows, ["target_lower", "target_upper"]] = chosen.band
        else:
            out.loc[rows, "target"] = chosen.value
        out.loc[rows, "status"] = statuses(out.loc[rows, "value"], chosen, direction)
    return out
