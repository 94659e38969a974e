"""Period and segment comparisons of a KPI selection: what the Changes page and ``kpi compare``
call.

:func:`compare_periods` compares catalog and custom KPIs of a canonical frame between two
periods (per segment when asked); :func:`compare_one_vs_rest` compares each segment with all
the others in one period. :func:`compare_both_units` runs the day and the interaction unit and
says, per comparison, whether the verdict holds at the other unit. :func:`default_periods`,
:func:`change_date_periods` and :func:`brush_periods` decide which dates are compared;
:func:`change_rows` turns comparisons into the rows of the results table.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from kpi.catalog import KpiParams, get_definition, kpi_name
from kpi.compute.source import StatisticsSource, as_source
from kpi.custom import CustomKpi
from kpi.errors import DefinitionError, KpiError
from kpi.stats import Comparison, KpiSpec, compare_frames, compare_segments
from kpi.stats.results import UnitChoice, ValueFormat
from kpi.stats.verdict import format_change, format_p, format_value, verdict

Period = tuple[dt.date, dt.date]
KpiRef = str | CustomKpi
Outcome = Literal["improved", "worsened", "changed", "unclear"]

_FORMATS: dict[str, ValueFormat] = {
    "percent": "percent", "seconds": "duration", "nps": "nps", "points": "nps",
}
#: Kinds whose test does not depend on the unit of analysis (always one unit).
_FIXED_UNIT_KINDS = frozenset({"quantile", "total"})


@dataclass(frozen=True)
class ComparisonPeriods:
    """The two periods a comparison uses (inclusive dates)."""

    baseline: Period
    current: Period

    @property
    def days(self) -> tuple[int, int]:
        """Calendar days of the baseline and of the current period."""
        (b0, b1), (c0, c1) = self.baseline, self.current
        return (b1 - b0).days + 1, (c1 - c0).days + 1


def kpi_id(kpi: KpiRef) -> str:
    """The id of a catalog or custom KPI."""
    return kpi if isinstance(kpi, str) else kpi.id


def kpi_label(kpi: KpiRef, lang: str = "en") -> str:
    """The KPI's name in ``lang`` (a custom KPI keeps the name its team gave it)."""
    return kpi_name(kpi, lang) if isinstance(kpi, str) else kpi.name


def kpi_unit(kpi: KpiRef) -> str:
    """The catalog unit of a KPI (``percent``, ``seconds``, ``count``...)."""
    return get_definition(kpi).unit if isinstance(kpi, str) else kpi.unit


def kpi_spec(kpi: KpiRef, params: KpiParams | None = None, lang: str = "en") -> KpiSpec:
    """How the statistics layer compares a catalog or custom KPI."""
    if isinstance(kpi, CustomKpi):
        return KpiSpec(
            kind=kpi.kind, direction=kpi.direction, band=kpi.band,
            value_format=_FORMATS.get(kpi.unit), label=kpi.name,
            quantile=kpi.level if kpi.level is not None else 0.9,
        )
    definition = get_definition(kpi)
    quantile = definition.quantile_for(params)
    return KpiSpec(
        kind=definition.kind_for(params), direction=definition.direction, band=definition.band,
        value_format=_FORMATS.get(definition.unit), label=kpi_name(kpi, lang),
        quantile=quantile if quantile is not None else 0.9,
    )


def _fetcher(data: StatisticsSource, refs: dict[str, KpiRef], params: KpiParams | None):
    """``raw_values`` for :func:`kpi.stats.compare_frames`: segment filters included."""

    def fetch(kpi: str, period: Period, segment: tuple[str, Any] | None):
        if segment is not None and isinstance(segment[1], tuple):
            # "every other segment": the values of the rows outside the segment.
            field, (_, value) = segment
            try:
                every = data.raw_values(refs[kpi], start=period[0], end=period[1],
                                        params=params)
                mine = data.raw_values(refs[kpi], start=period[0], end=period[1],
                                       by_value={field: value}, params=params)
            except KpiError:
                return None
            return _multiset_difference(every, mine)
        filters = None if segment is None else {segment[0]: segment[1]}
        try:
            return data.raw_values(refs[kpi], start=period[0], end=period[1],
                                   by_value=filters, params=params)
        except KpiError:
            return None

    return fetch


class ComparisonSource:
    """The data comparisons read, with what stays the same when only the periods change.

    ``interactions`` is the canonical frame (with ``activity`` and ``forecast``) or any
    :class:`kpi.compute.source.StatisticsSource` (its own tables are used), e.g. Parquet read
    by DuckDB or Spark. Daily statistics are computed once per segment field over the whole
    date range (and sliced per comparison); raw values are kept per KPI, period and segment
    (the baseline and the other-unit run reuse them). Shared between reruns (and sessions):
    read-only inputs, thread-safe caches, at most ``raw_entries`` raw-value arrays kept.
    """

    def __init__(self, interactions: pd.DataFrame | StatisticsSource, *,
                 activity: pd.DataFrame | None = None, forecast: pd.DataFrame | None = None,
                 params: KpiParams | None = None, raw_entries: int = 64) -> None:
        self.data = as_source(interactions, activity, forecast)
        self.interactions = interactions
        self.activity = self.data.activity
        self.forecast = self.data.forecast
        self.params = params
        self._raw_entries = raw_entries
        self._daily: dict[str | None, dict[str, pd.DataFrame]] = {}
        self._raw: OrderedDict[tuple[str, Period, Any], Any] = OrderedDict()
        self._dated_values: dict[tuple[str, str], tuple[np.ndarray, np.ndarray] | None] = {}
        self._lock = threading.Lock()

    def statistics(self, refs: Sequence[KpiRef], span: Period, by: str | None) -> pd.DataFrame:
        """The daily statistics of ``refs`` (per ``by``) on the days of ``span``: the rows the
        direct computation with ``period=span`` gives (days without data aside)."""
        with self._lock:
            known = dict(self._daily.get(by, {}))
        missing = [r for r in refs if kpi_id(r) not in known]
        if missing:
            frame = _statistics(self.data, missing, None, by, self.params)
            days = pd.to_datetime(frame["period"]).dt.normalize()
            for kpi, rows in frame.assign(_day=days).groupby("kpi", sort=False):
                known[str(kpi)] = rows.reset_index(drop=True)
            with self._lock:
                self._daily.setdefault(by, {}).update(known)
        start, end = pd.Timestamp(span[0]), pd.Timestamp(span[1])
        parts = []
        for ref in refs:
            rows = known.get(kpi_id(ref))
            if rows is not None:
                day = rows["_day"]
                parts.append(rows[(day >= start) & (day <= end)])
        if not parts:
            return _statistics(self.data, list(refs), span, by, self.params)
        return pd.concat(parts, ignore_index=True).drop(columns="_day")

    def fetcher(self, refs: Mapping[str, KpiRef]):
        """``raw_values`` for :func:`kpi.stats.compare_frames`, remembered per request."""
        fetch = _fetcher(self.data, dict(refs), self.params)

        def remembered(kpi: str, period: Period, segment: tuple[str, Any] | None):
            if segment is None:
                dated = self._dated(refs[kpi])
                if dated is not None:
                    days, values = dated
                    low, high = np.datetime64(period[0], "D"), np.datetime64(period[1], "D")
                    return values[(days >= low) & (days <= high)]
            key = (kpi, tuple(period), segment)
            with self._lock:
                if key in self._raw:
                    self._raw.move_to_end(key)
                    return self._raw[key]
            values = fetch(kpi, period, segment)
            with self._lock:
                self._raw[key] = values
                while len(self._raw) > self._raw_entries:
                    self._raw.popitem(last=False)
            return values

        return remembered

    def _dated(self, ref: KpiRef) -> tuple[np.ndarray, np.ndarray] | None:
        """The KPI's raw values over the whole range with their days (None: no raw values)."""
        key = ("_dated", kpi_id(ref))
        with self._lock:
            if key in self._dated_values:
                return self._dated_values[key]
        try:
            dated = self.data.dated_raw_values(ref, self.params)
        except KpiError:
            dated = None
        with self._lock:
            self._dated_values[key] = dated
        return dated


class _DirectSource(ComparisonSource):
    """A source used once: statistics computed for the span, raw values fetched as asked."""

    def statistics(self, refs: Sequence[KpiRef], span: Period, by: str | None) -> pd.DataFrame:
        return _statistics(self.data, list(refs), span, by, self.params)

    def fetcher(self, refs: Mapping[str, KpiRef]):
        return _fetcher(self.data, dict(refs), self.params)


def _source(interactions: pd.DataFrame | StatisticsSource | ComparisonSource,
            activity: pd.DataFrame | None, forecast: pd.DataFrame | None,
            params: KpiParams | None) -> ComparisonSource:
    """``interactions`` itself when it is a comparison source, else a one-off source of the
    arguments."""
    if isinstance(interactions, ComparisonSource):
        return interactions
    return _DirectSource(interactions, activity=activity, forecast=forecast, params=params)


def _multiset_difference(every: Sequence[float], mine: Sequence[float]) -> list[float]:
    """The values of ``every`` left after removing one occurrence per value of ``mine``."""
    counts = pd.Series(every).value_counts().sub(pd.Series(mine).value_counts(), fill_value=0)
    counts = counts[counts > 0].astype("int64")
    return counts.index.repeat(counts.to_numpy()).astype("float64").tolist()


def _statistics(data: StatisticsSource, refs: Sequence[KpiRef], span: Period | None,
                by: str | None, params: KpiParams | None) -> pd.DataFrame:
    return data.statistics(list(refs), freq="day", by=(by,) if by else (), params=params,
                           period=span)


def compare_periods(
    interactions: pd.DataFrame | StatisticsSource | ComparisonSource,
    kpis: Sequence[KpiRef],
    baseline: Period,
    current: Period,
    *,
    by: str | None = None,
    unit: UnitChoice = "auto",
    activity: pd.DataFrame | None = None,
    forecast: pd.DataFrame | None = None,
    params: KpiParams | None = None,
    lang: str = "en",
) -> list[Comparison]:
    """Compare KPIs (catalog ids or custom KPIs) of a canonical frame between two periods.

    Daily statistics, one comparison per KPI (per ``by`` segment when given), Benjamini–
    Hochberg across all of them. ``interactions`` may be a :class:`ComparisonSource` (then
    its activity, forecast and parameters are used): the daily statistics and raw values it
    keeps are reused, so a new pair of periods costs only the tests.
    """
    source = _source(interactions, activity, forecast, params)
    refs = {kpi_id(k): k for k in kpis}
    if by is not None and by not in source.data.columns:
        raise DefinitionError("stats.cli.unknown_field", field=by)
    span = (min(baseline[0], current[0]), max(baseline[1], current[1]))
    stats = source.statistics(list(refs.values()), span, by)
    kinds = {k: kpi_spec(ref, source.params, lang) for k, ref in refs.items()}
    return compare_frames(stats, kinds, baseline, current, by=by, unit=unit,
                          raw_values=source.fetcher(refs))


def compare_one_vs_rest(
    interactions: pd.DataFrame | StatisticsSource | ComparisonSource,
    kpis: Sequence[KpiRef],
    period: Period,
    by: str,
    *,
    unit: UnitChoice = "auto",
    activity: pd.DataFrame | None = None,
    forecast: pd.DataFrame | None = None,
    params: KpiParams | None = None,
    lang: str = "en",
) -> list[Comparison]:
    """Each segment of ``by`` against all the others in ``period`` (difference: segment − rest).

    ``interactions`` may be a :class:`ComparisonSource`, as in :func:`compare_periods`.
    """
    source = _source(interactions, activity, forecast, params)
    refs = {kpi_id(k): k for k in kpis}
    if by not in source.data.columns:
        raise DefinitionError("stats.cli.unknown_field", field=by)
    stats = source.statistics(list(refs.values()), period, by)
    kinds = {k: kpi_spec(ref, source.params, lang) for k, ref in refs.items()}
    return compare_segments(stats, kinds, period, by, unit=unit,
                            raw_values=source.fetcher(refs))


@dataclass(frozen=True)
class UnitCheck:
    """The comparisons at the chosen unit and, per comparison, the verdict at the other one.

    ``holds[i]`` is True when the other unit gives the same verdict (both significant in the
    same direction, or both not significant), False when it does not, None when the other unit
    cannot tell (its test does not depend on the unit, or it has too little data).
    """

    comparisons: tuple[Comparison, ...]
    other: tuple[Comparison | None, ...]
    holds: tuple[bool | None, ...]


def other_unit(comparisons: Sequence[Comparison]) -> Literal["day", "interaction"]:
    """The unit to check against: the one most of ``comparisons`` did not use."""
    days = sum(c.unit == "day" for c in comparisons if c.kind not in _FIXED_UNIT_KINDS)
    rest = sum(c.unit == "interaction" for c in comparisons if c.kind not in _FIXED_UNIT_KINDS)
    return "interaction" if days >= rest else "day"


def verdict_holds(first: Comparison, second: Comparison | None) -> bool | None:
    """Whether ``second`` (another unit) tells the same story as ``first``."""
    if second is None or second.p_adjusted is None or first.p_adjusted is None:
        return None
    if first.unit == second.unit:
        return None
    if first.significant != second.significant:
        return False
    if not first.significant:
        return True
    return (first.difference or 0) * (second.difference or 0) > 0


def compare_both_units(
    run: Any, kpis: Sequence[KpiRef], unit: UnitChoice = "auto", **kwargs: Any,
) -> UnitCheck:
    """Run ``run(kpis=..., unit=..., **kwargs)`` (:func:`compare_periods` or
    :func:`compare_one_vs_rest`) at ``unit`` and again at the other unit, for the KPIs whose
    test depends on the unit; pair the results."""
    params = kwargs.get("params")
    if isinstance(kwargs.get("interactions"), ComparisonSource):
        params = kwargs["interactions"].params
    primary = run(kpis=kpis, unit=unit, **kwargs)
    other_kind = other_unit(primary)
    flexible = [k for k in kpis if kpi_spec(k, params).kind not in _FIXED_UNIT_KINDS]
    second = run(kpis=flexible, unit=other_kind, **kwargs) if flexible else []
    index = {(c.kpi, _key(c.segment_value)): c for c in second}
    others = tuple(index.get((c.kpi, _key(c.segment_value))) for c in primary)
    holds = tuple(verdict_holds(c, o) for c, o in zip(primary, others, strict=True))
    return UnitCheck(tuple(primary), others, holds)


def _key(value: Any) -> str:
    return "" if value is None else str(value)


def outcome(comparison: Comparison) -> Outcome:
    """``improved`` / ``worsened`` (significant, KPI with a better direction), ``changed``
    (significant, neutral KPI) or ``unclear`` (not significant or not testable)."""
    if not comparison.significant:
        return "unclear"
    if comparison.improved is None:
        return "changed"
    return "improved" if comparison.improved else "worsened"


def change_rows(check: UnitCheck, lang: str = "en", labels: Mapping[str, str] | None = None
                ) -> pd.DataFrame:
    """The results table: one row per comparison, values formatted in ``lang`` (``labels``:
    KPI id → name in ``lang``; default the comparisons' own labels).

    Columns: ``kpi, label, segment, baseline, current, difference, ci, p_adjusted (float),
    outcome (code), unit (code), holds (bool or None), verdict`` plus the numbers the forest
    plot needs (``difference_value, relative_difference, ci_low, ci_high, baseline_value,
    significant, improved, value_format``).
    """
    tested = sum(c.p_value is not None for c in check.comparisons)
    rows = []
    for c, holds in zip(check.comparisons, check.holds, strict=True):
        fmt = c.format
        ci = "—"
        if c.ci_low is not None and c.ci_high is not None:
            ci = f"{format_change(c.ci_low, fmt, lang)} … {format_change(c.ci_high, fmt, lang)}"
        label = (labels or {}).get(c.kpi) or c.label or c.kpi
        rows.append({
            "kpi": c.kpi,
            "label": label,
            "segment": None if c.segment_value is None else str(c.segment_value),
            "baseline": format_value(c.baseline.value, fmt, lang),
            "current": format_value(c.current.value, fmt, lang),
            "difference": "—" if c.difference is None else format_change(c.difference, fmt, lang),
            "ci": ci,
            "p_adjusted": c.p_adjusted,
            "p_text": "—" if c.p_adjusted is None else format_p(c.p_adjusted, lang),
            "outcome": outcome(c),
            "unit": c.unit,
            "holds": holds,
            "verdict": verdict(c, lang, label=label, count=tested),
            "difference_value": c.difference,
            "relative_difference": c.relative_difference,
            "ci_low": c.ci_low,
            "ci_high": c.ci_high,
            "baseline_value": c.baseline.value,
            "significant": c.significant,
            "improved": c.improved,
            "value_format": fmt,
        })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- which dates are compared


def default_periods(last_day: dt.date, weeks: int = 4) -> ComparisonPeriods:
    """The last ``weeks`` complete ISO weeks (Monday–Sunday) up to ``last_day`` against the
    ``weeks`` weeks before them."""
    days_after_sunday = (last_day.weekday() + 1) % 7
    end = last_day - dt.timedelta(days=days_after_sunday)
    length = dt.timedelta(days=7 * weeks)
    current = (end - length + dt.timedelta(days=1), end)
    baseline = (current[0] - length, current[0] - dt.timedelta(days=1))
    return ComparisonPeriods(baseline, current)


def change_date_periods(change: dt.date, first_day: dt.date, last_day: dt.date
                        ) -> ComparisonPeriods:
    """Before and after ``change`` with equal lengths, as long as the data allows: the
    baseline ends the day before ``change``, the current period starts on it."""
    length = min((change - first_day).days, (last_day - change).days + 1)
    if length < 1:
        raise DefinitionError(
            "changes_page.error.change_date", date=change.isoformat(),
            first=first_day.isoformat(), last=last_day.isoformat(),
        )
    days = dt.timedelta(days=length)
    return ComparisonPeriods((change - days, change - dt.timedelta(days=1)),
                             (change, change + days - dt.timedelta(days=1)))


def check_periods(periods: ComparisonPeriods) -> None:
    """Raise ``DefinitionError`` for a reversed period."""
    for start, end in (periods.baseline, periods.current):
        if end < start:
            raise DefinitionError("changes_page.error.reversed", start=start.isoformat(),
                                  end=end.isoformat())


def brush_periods(start_ms: float, end_ms: float, freq: Literal["day", "week", "month"]
                  ) -> ComparisonPeriods | None:
    """The periods a brushed interval of a trend chart stands for.

    The current period is made of the buckets whose start (the point drawn) lies in the
    interval, from the first bucket's start to the last bucket's end; the baseline is the same
    number of days right before it. None when no bucket start is inside the interval.
    """
    import math

    from kpi.compute import bucket_start

    # A brush only yields real dates; anything else (NaN, ±inf, beyond pandas' range) is no period.
    if not all(isinstance(v, int | float) and math.isfinite(v) and abs(v) < 9e15
               for v in (start_ms, end_ms)):
        return None
    low, high = sorted((start_ms, end_ms))
    start = pd.Timestamp(low, unit="ms")
    end = pd.Timestamp(high, unit="ms")
    first = bucket_start(start, freq)
    if first < start:
        first = _next_bucket(first, freq)
    last = bucket_start(end, freq)
    if last < first:
        return None
    last_day = _next_bucket(last, freq) - pd.Timedelta(days=1)
    current = (first.date(), last_day.date())
    days = dt.timedelta(days=(current[1] - current[0]).days + 1)
    baseline = (current[0] - days, current[0] - dt.timedelta(days=1))
    return ComparisonPeriods(baseline, current)


def _next_bucket(start: pd.Timestamp, freq: str) -> pd.Timestamp:
    if freq == "day":
        return start + pd.Timedelta(days=1)
    if freq == "week":
        return start + pd.Timedelta(days=7)
    return start + pd.offsets.MonthBegin(1)
