"""What a charter asks for, resolved against a dataset: the KPIs to show, their parameters.

Pages and reports never read the charter's JSON-shaped parts themselves: they call
:func:`resolve`, which turns the charter into typed objects (``KpiParams``, ``CustomKpi``) and
decides which KPIs are shown — the charter's choice, or a sensible default when the team has
not chosen yet — and which of them the data cannot compute (and why).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from kpi.catalog import CATALOG, Availability, KpiParams, availability
from kpi.charter import Charter
from kpi.custom import CustomKpi

#: Shown until a team chooses its own KPIs (those the data supports, in this order).
DEFAULT_KPIS: tuple[str, ...] = (
    "volume",
    "abandonment_rate",
    "service_level",
    "avg_wait",
    "aht",
    "fcr_rate",
    "resolution_rate",
    "csat_score",
    "nps",
)

KpiRef = str | CustomKpi


@dataclass(frozen=True)
class Selection:
    """The resolved charter: KPIs to show (computable), those left out and why, parameters."""

    kpis: tuple[KpiRef, ...]
    unavailable: tuple[tuple[str, Availability], ...]
    params: KpiParams
    custom: tuple[CustomKpi, ...]
    is_default: bool

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of :attr:`kpis`, in order."""
        return tuple(kpi_id(k) for k in self.kpis)

    def ref(self, kpi: str) -> KpiRef:
        """The catalog id or the custom KPI object for ``kpi``."""
        for k in self.kpis:
            if kpi_id(k) == kpi:
                return k
        for c in self.custom:
            if c.id == kpi:
                return c
        return kpi


def kpi_id(ref: KpiRef) -> str:
    """The id of a catalog KPI or a custom one."""
    return ref if isinstance(ref, str) else ref.id


def params_of(charter: Charter) -> KpiParams:
    """The charter's KPI parameters (defaults where it says nothing)."""
    return KpiParams.from_dict(dict(charter.parameters)) if charter.parameters else KpiParams()


def custom_of(charter: Charter) -> tuple[CustomKpi, ...]:
    """The charter's custom KPIs as typed definitions."""
    return tuple(CustomKpi.from_dict(dict(c)) for c in charter.custom_kpis)


def resolve(
    charter: Charter,
    columns: Iterable[str],
    *,
    has_activity: bool = False,
    has_forecast: bool = False,
) -> Selection:
    """Which KPIs to show for a dataset with ``columns`` (and optional tables)."""
    columns = tuple(columns)
    custom = custom_of(charter)
    custom_by_id = {c.id: c for c in custom}
    is_default = not charter.kpis
    wanted: Sequence[str] = DEFAULT_KPIS if is_default else charter.kpis
    shown: list[KpiRef] = []
    unavailable: list[tuple[str, Availability]] = []
    for kpi in wanted:
        if kpi in custom_by_id:
            if set(custom_by_id[kpi].columns()) <= set(columns):
                shown.append(custom_by_id[kpi])
            continue
        definition = CATALOG.get(kpi)
        if definition is None:
            continue
        check = availability(
            definition, columns, has_activity=has_activity, has_forecast=has_forecast
        )
        if check.ok:
            shown.append(kpi)
        elif not is_default:
            unavailable.append((kpi, check))
    return Selection(
        kpis=tuple(shown),
        unavailable=tuple(unavailable),
        params=params_of(charter),
        custom=custom,
        is_default=is_default,
    )


def resolve_for(charter: Charter, interactions: pd.DataFrame, activity: object, forecast: object
                ) -> Selection:
    """:func:`resolve` for a loaded dataset's tables."""
    return resolve(
        charter,
        interactions.columns,
        has_activity=activity is not None,
        has_forecast=forecast is not None,
    )
