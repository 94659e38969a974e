"""The built-in KPI catalog (SPEC §4) as data, the KPI parameters, and field availability.

Each KPI is a :class:`KpiDefinition` record: what it measures is written in the message
catalog (``kpi/messages/catalog.py``), how it is computed lives in :mod:`kpi.compute`, which
reads ``kind`` and ``variable`` from here. ``needs`` lists *alternatives*: the KPI is
available when every field of at least one alternative is a column of the canonical frame.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, get_args

from kpi.errors import DefinitionError
from kpi.i18n import translate

if TYPE_CHECKING:
    from kpi.business_hours import BusinessCalendar

Category = Literal["effectiveness", "cost", "experience"]
Unit = Literal["percent", "seconds", "count", "score", "currency", "hours", "ratio", "nps"]
Direction = Literal["higher", "lower", "neutral", "band"]
Kind = Literal["proportion", "mean", "ratio", "nps", "count", "quantile", "total"]
Statistic = Literal["mean", "median", "p90"]
Table = Literal["activity", "forecast"]

CATEGORIES: tuple[Category, ...] = get_args(Category)
STATISTICS: tuple[Statistic, ...] = get_args(Statistic)
QUANTILE_OF: dict[Statistic, float] = {"median": 0.5, "p90": 0.9}

#: Parameter names a KPI can depend on (fields of :class:`KpiParams`, plus per-KPI options).
Parameter = Literal[
    "service_level_seconds", "fcr_window_days", "csat_scale", "statistic", "business_hours",
    "include_bot_only",
]


@dataclass(frozen=True)
class KpiDefinition:
    """One built-in KPI: identity, presentation metadata, data needs and statistical kind.

    ``variable`` names the duration a duration KPI summarises ("wait", "handle",
    "resolution"); ``parameters`` the :class:`KpiParams` settings that change its value.
    """

    id: str
    category: Category
    unit: Unit
    direction: Direction
    kind: Kind
    needs: tuple[tuple[str, ...], ...] = (("created_at",),)
    tables: tuple[Table, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    variable: str | None = None
    band: tuple[float, float] | None = None

    @property
    def name_key(self) -> str:
        return f"catalog.{self.id}.name"

    @property
    def description_key(self) -> str:
        return f"catalog.{self.id}.description"

    @property
    def why_key(self) -> str:
        return f"catalog.{self.id}.why"

    def kind_for(self, params: KpiParams | None = None) -> Kind:
        """The kind under ``params``: a mean KPI asked for a median or p90 is a quantile."""
        chosen = (params or KpiParams()).statistic(self.id)
        if "statistic" in self.parameters and chosen != "mean":
            return "quantile"
        return self.kind

    def quantile_for(self, params: KpiParams | None = None) -> float | None:
        """The quantile level computed under ``params`` (None unless the kind is a quantile)."""
        if self.id == "p90_wait":
            return 0.9
        if self.kind_for(params) != "quantile":
            return None
        return QUANTILE_OF[(params or KpiParams()).statistic(self.id)]


_WAIT = (("wait_seconds",), ("answered_at",))
_RESOLUTION = (("resolution_seconds",), ("resolved_at",))
_DURATION = ("statistic", "business_hours")

CATALOG: dict[str, KpiDefinition] = {
    d.id: d
    for d in (
        KpiDefinition("volume", "cost", "count", "neutral", "count"),
        KpiDefinition("abandonment_rate", "experience", "percent", "lower", "proportion",
                      needs=(("abandoned",),)),
        KpiDefinition("service_level", "experience", "percent", "higher", "proportion",
                      needs=(("abandoned", "wait_seconds"), ("abandoned", "answered_at")),
                      parameters=("service_level_seconds", "business_hours"), variable="wait"),
        KpiDefinition("avg_wait", "experience", "seconds", "lower", "mean", needs=_WAIT,
                      parameters=_DURATION, variable="wait"),
        KpiDefinition("p90_wait", "experience", "seconds", "lower", "quantile", needs=_WAIT,
                      parameters=("business_hours",), variable="wait"),
        KpiDefinition("aht", "cost", "seconds", "lower", "mean", needs=(("handle_seconds",),),
                      parameters=("statistic",), variable="handle"),
        KpiDefinition("avg_resolution_time", "experience", "seconds", "lower", "mean",
                      needs=_RESOLUTION, parameters=_DURATION, variable="resolution"),
        KpiDefinition("fcr_rate", "effectiveness", "percent", "higher", "proportion",
                      needs=(("first_contact_resolution",), ("resolved", "customer_id")),
                      parameters=("fcr_window_days",)),
        KpiDefinition("resolution_rate", "effectiveness", "percent", "higher", "proportion",
                      needs=(("resolved",),)),
        KpiDefinition("transfer_rate", "effectiveness", "percent", "lower", "proportion",
                      needs=(("transferred",),)),
        KpiDefinition("identification_rate", "effectiveness", "percent", "higher", "proportion",
                      needs=(("identified",),)),
        KpiDefinition("conversion_rate", "effectiveness", "percent", "higher", "proportion",
                      needs=(("converted",),)),
        KpiDefinition("csat_score", "experience", "score", "higher", "mean",
                      needs=(("csat",),), parameters=("csat_scale",)),
        KpiDefinition("csat_satisfied", "experience", "percent", "higher", "proportion",
                      needs=(("satisfied",), ("csat",)), parameters=("csat_scale",)),
        KpiDefinition("nps", "experience", "nps", "higher", "nps", needs=(("nps",),)),
        KpiDefinition("cost_per_contact", "cost", "currency", "lower", "ratio",
                      needs=(("cost",),)),
        KpiDefinition("closed_per_agent", "effectiveness", "ratio", "higher", "ratio",
                      needs=(("resolved", "agent"),)),
        KpiDefinition("contacts_per_hour", "cost", "ratio", "higher", "ratio",
                      needs=(("agent",),), tables=("activity",)),
        KpiDefinition("occupancy", "cost", "percent", "band", "ratio",
                      needs=(("agent", "handle_seconds"),), tables=("activity",),
                      band=(0.75, 0.85)),
        KpiDefinition("online_hours", "cost", "hours", "neutral", "total", tables=("activity",)),
        KpiDefinition("backlog", "effectiveness", "count", "lower", "count",
                      needs=(("status",),)),
        KpiDefinition("unanswered", "experience", "count", "lower", "count",
                      needs=(("status", "last_message_from"),)),
        KpiDefinition("forecast_accuracy", "cost", "percent", "higher", "ratio",
                      tables=("forecast",)),
    )
}


#: Ten years: a longer repeat window is a typo, and would overflow timestamp arithmetic.
MAX_FCR_WINDOW_DAYS = 3650


@dataclass(frozen=True)
class KpiParams:
    """Settings that change how KPIs are computed; recorded in the KPI charter (JSON).

    ``statistics`` maps a duration KPI id to "mean" | "median" | "p90" (default mean);
    ``business_hours`` lists the KPI ids whose durations count only opening hours of
    ``calendar``. ``include_bot_only`` is recorded but inert: the canonical data has no field
    telling bot-only interactions apart, so every interaction counts.
    """

    service_level_seconds: float = 20.0
    fcr_window_days: int = 7
    csat_scale: tuple[float, float] = (1.0, 5.0)
    statistics: tuple[tuple[str, Statistic], ...] = ()
    business_hours: tuple[str, ...] = ()
    calendar: BusinessCalendar | None = field(default=None, compare=False)
    include_bot_only: bool = True

    def __post_init__(self) -> None:
        if not self.service_level_seconds >= 0:
            raise DefinitionError("catalog.error.threshold", value=self.service_level_seconds)
        if (int(self.fcr_window_days) != self.fcr_window_days
                or not 1 <= self.fcr_window_days <= MAX_FCR_WINDOW_DAYS):
            raise DefinitionError("catalog.error.fcr_window", value=self.fcr_window_days)
        low, high = self.csat_scale
        if not low < high:
            raise DefinitionError("catalog.error.csat_scale", low=low, high=high)
        for kpi_id, statistic in self.statistics:
            definition = CATALOG.get(kpi_id)
            if definition is None or "statistic" not in definition.parameters:
                raise DefinitionError("catalog.error.statistic_kpi", kpi=kpi_id)
            if statistic not in STATISTICS:
                raise DefinitionError("catalog.error.statistic", value=statistic)
        for kpi_id in self.business_hours:
            definition = CATALOG.get(kpi_id)
            if definition is None or "business_hours" not in definition.parameters:
                raise DefinitionError("catalog.error.business_hours_kpi", kpi=kpi_id)

    def statistic(self, kpi_id: str) -> Statistic:
        """The statistic asked for a duration KPI ("mean" unless set)."""
        return dict(self.statistics).get(kpi_id, "mean")

    def with_statistic(self, kpi_id: str, statistic: Statistic) -> KpiParams:
        """A copy with ``statistic`` chosen for ``kpi_id``."""
        chosen = {**dict(self.statistics), kpi_id: statistic}
        return replace(self, statistics=tuple(sorted(chosen.items())))

    def uses_business_hours(self, kpi_id: str) -> bool:
        """Whether ``kpi_id`` counts its durations in business hours (needs a calendar)."""
        return kpi_id in self.business_hours and self.calendar is not None

    @property
    def satisfied_from(self) -> float:
        """Lowest CSAT score counted as satisfied: the top two boxes of the scale."""
        return self.csat_scale[1] - 1

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dictionary (the charter's ``params`` block)."""
        out: dict[str, Any] = {
            "service_level_seconds": self.service_level_seconds,
            "fcr_window_days": self.fcr_window_days,
            "csat_scale": list(self.csat_scale),
            "statistics": dict(self.statistics),
            "business_hours": list(self.business_hours),
            "include_bot_only": self.include_bot_only,
        }
        if self.calendar is not None:
            out["calendar"] = self.calendar.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> KpiParams:
        """Read :meth:`to_dict` output; unknown keys or wrong types raise ``DefinitionError``."""
        if not isinstance(data, Mapping):
            raise DefinitionError("catalog.error.bad_params")
        known = {
            "service_level_seconds", "fcr_window_days", "csat_scale", "statistics",
            "business_hours", "include_bot_only", "calendar",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise DefinitionError("catalog.error.unknown_param", key=unknown[0])
        calendar = None
        if data.get("calendar") is not None:
            from kpi.business_hours import BusinessCalendar

            calendar = BusinessCalendar.from_dict(data["calendar"])
        try:
            scale = tuple(float(v) for v in data.get("csat_scale", (1, 5)))
            if len(scale) != 2:
                raise ValueError
            return cls(
                service_level_seconds=float(data.get("service_level_seconds", 20.0)),
                fcr_window_days=int(data.get("fcr_window_days", 7)),
                csat_scale=(scale[0], scale[1]),
                statistics=tuple(sorted(dict(data.get("statistics", {})).items())),
                business_hours=tuple(data.get("business_hours", ())),
                calendar=calendar,
                include_bot_only=bool(data.get("include_bot_only", True)),
            )
        except (TypeError, ValueError, OverflowError) as error:
            if isinstance(error, DefinitionError):
                raise
            raise DefinitionError("catalog.error.bad_params") from error

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> KpiParams:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise DefinitionError("catalog.error.bad_params") from error
        if not isinstance(data, dict):
            raise DefinitionError("catalog.error.bad_params")
        return cls.from_dict(data)


def get_definition(kpi_id: str) -> KpiDefinition:
    """The built-in KPI ``kpi_id``; an unknown id raises ``DefinitionError``."""
    try:
        return CATALOG[kpi_id]
    except KeyError:
        raise DefinitionError("catalog.error.unknown_kpi", kpi=kpi_id) from None


def kpi_name(kpi_id: str, lang: str | None = "en") -> str:
    """The KPI's display name in ``lang``."""
    return translate(get_definition(kpi_id).name_key, lang)


def definition_text(
    kpi: KpiDefinition | str, params: KpiParams | None = None, lang: str | None = "en"
) -> str:
    """The KPI's definition sentence in ``lang``, reflecting the current ``params``."""
    definition = get_definition(kpi) if isinstance(kpi, str) else kpi
    params = params or KpiParams()
    low, high = params.csat_scale
    text = translate(
        definition.description_key,
        lang,
        threshold=_number(params.service_level_seconds),
        days=params.fcr_window_days,
        low=_number(low),
        high=_number(high),
        satisfied_from=_number(params.satisfied_from),
    )
    extras: list[str] = []
    if "statistic" in definition.parameters:
        statistic = params.statistic(definition.id)
        if statistic != "mean":
            extras.append(translate(f"catalog.statistic.{statistic}", lang))
    if "business_hours" in definition.parameters:
        hours = "business" if params.uses_business_hours(definition.id) else "clock"
        extras.append(translate(f"catalog.hours.{hours}", lang))
    if not params.include_bot_only:
        extras.append(translate("catalog.param.include_bot_only.inert", lang))
    return " ".join([text, *extras])


def _number(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Availability:
    """Whether a KPI can be computed from the data; ``missing`` lists the fields it lacks.

    ``reason`` is a message code (``catalog.missing.<id>``) when not ok; :meth:`sentence`
    gives it in the user's language, e.g. "needs a wait time column or an answered-at time".
    """

    ok: bool
    missing: tuple[str, ...] = ()
    reason: str | None = None

    def sentence(self, lang: str | None = "en") -> str:
        return translate(self.reason, lang) if self.reason else ""


def availability(
    definition: KpiDefinition | str,
    frame_columns: Iterable[str],
    *,
    has_activity: bool = False,
    has_forecast: bool = False,
) -> Availability:
    """Whether ``definition`` can be computed from a canonical frame with ``frame_columns``."""
    definition = get_definition(definition) if isinstance(definition, str) else definition
    columns = set(frame_columns)
    tables = {"activity": has_activity, "forecast": has_forecast}
    missing_tables = tuple(t for t in definition.tables if not tables[t])
    best: tuple[str, ...] | None = None
    for alternative in definition.needs:
        lacking = tuple(f for f in alternative if f not in columns)
        if best is None or len(lacking) < len(best):
            best = lacking
    missing = (*missing_tables, *(best or ()))
    if not missing:
        return Availability(True)
    return Availability(False, missing, f"catalog.missing.{definition.id}")


def available_kpis(
    frame_columns: Iterable[str], *, has_activity: bool = False, has_forecast: bool = False
) -> tuple[str, ...]:
    """Ids of the built-in KPIs computable from the data, in catalog order."""
    columns = tuple(frame_columns)
    return tuple(
        kpi_id
        for kpi_id, d in CATALOG.items()
        if availability(d, columns, has_activity=has_activity, has_forecast=has_forecast).ok
    )


def by_category(kpi_ids: Sequence[str] | None = None) -> dict[Category, tuple[KpiDefinition, ...]]:
    """The catalog (or the given KPIs) grouped by category, in the seed's category order."""
    chosen = [CATALOG[k] for k in (kpi_ids or CATALOG)]
    return {c: tuple(d for d in chosen if d.category == c) for c in CATEGORIES}
