"""What the Trends page shows, as pure functions: series with targets, control-chart frames,
trend sentences, heatmap cells and the interactions behind a point.

Every function takes the statistics or value frames of :mod:`kpi.compute` (or the canonical
interactions) and returns small tidy frames ready for :mod:`kpi.charts`, or a sentence.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from kpi.catalog import KpiParams
from kpi.changes import KpiRef, kpi_id, kpi_label, kpi_spec, kpi_unit
from kpi.i18n import translate
from kpi.stats.control import ControlChart, laney_p_chart, xmr_chart
from kpi.stats.trend import mann_kendall, trend_sentence
from kpi.sufficient import STAT_COLUMNS
from kpi.targets import Target, attach_targets

Freq = Literal["day", "week", "month"]
#: Breakdown dimensions offered when the data has them.
DIMENSIONS: tuple[str, ...] = ("channel", "team", "agent", "topic")
#: Rolling-mean window (buckets) per bucket size: a week of days, a month of weeks, a quarter.
ROLLING: dict[str, int] = {"day": 7, "week": 4, "month": 3}
#: Characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_NEXT: dict[str, pd.DateOffset | pd.Timedelta] = {
    "day": pd.Timedelta(days=1), "week": pd.Timedelta(days=7), "month": pd.offsets.MonthBegin(1),
}


def dimensions_in(columns: Iterable[str]) -> tuple[str, ...]:
    """The breakdown dimensions present in a frame's columns, in :data:`DIMENSIONS` order."""
    present = set(columns)
    return tuple(d for d in DIMENSIONS if d in present)


def series_with_targets(
    values: pd.DataFrame,
    kpi: KpiRef,
    targets: Sequence[Target],
    *,
    by: str | None = None,
    params: KpiParams | None = None,
) -> pd.DataFrame:
    """One KPI's rows of a value frame (``kpi_values`` output) with its applicable targets.

    Columns: ``period, [by], kpi, value, n, target, target_lower, target_upper, status``.
    A target scoped to a channel or team applies to that segment's series only.
    """
    rows = values[values["kpi"] == kpi_id(kpi)].reset_index(drop=True)
    direction = kpi_spec(kpi, params).direction
    return attach_targets(rows, targets, direction=direction,
                          segment_columns=[by] if by else [])


def constant_target(series: pd.DataFrame) -> tuple[float | None, tuple[float, float] | None]:
    """``(target, band)`` when one target applies to every row of ``series``, else
    ``(None, None)`` (the chart then draws the varying target from the columns)."""
    if series.empty:
        return None, None
    target, lower, upper = (series[c] for c in ("target", "target_lower", "target_upper"))
    if target.notna().all() and target.nunique() == 1:
        return float(target.iloc[0]), None
    if lower.notna().all() and lower.nunique() == 1 and upper.nunique() == 1:
        return None, (float(lower.iloc[0]), float(upper.iloc[0]))
    return None, None


def trend_text(
    series: pd.DataFrame, kpi: KpiRef, freq: Freq, lang: str = "en",
    params: KpiParams | None = None,
) -> str:
    """The Mann–Kendall sentence of a one-series value frame (``period``, ``value``): the slope
    is per bucket of ``freq`` ("rising by 0.3 points a week since March 2026")."""
    ordered = series.dropna(subset=["value"]).sort_values("period")
    label = kpi_label(kpi, lang)
    start = pd.Timestamp(ordered["period"].iloc[0]).date() if len(ordered) else dt.date.today()
    trend = mann_kendall(ordered["value"].to_numpy(float))
    fmt = kpi_spec(kpi, params).value_format or "number"
    return trend_sentence(trend, label, start, per=freq, value_format=fmt, lang=lang)


def default_control_baseline(periods: pd.Series) -> tuple[dt.date, dt.date] | None:
    """The first half of the buckets (control limits are computed from it)."""
    ordered = pd.to_datetime(pd.Series(periods)).drop_duplicates().sort_values()
    if len(ordered) < 2:
        return None
    half = ordered.iloc[: max(len(ordered) // 2, 2)]
    return half.iloc[0].date(), half.iloc[-1].date()


@dataclass(frozen=True)
class ControlView:
    """A control chart ready for :func:`kpi.charts.control_chart` (``frame``) and the
    underlying result (``chart``: kind, centre, ``code`` when it could not be drawn)."""

    chart: ControlChart
    frame: pd.DataFrame
    baseline: tuple[dt.date, dt.date] | None


def control_view(
    stats: pd.DataFrame, kpi: KpiRef, *, baseline: tuple[dt.date, dt.date] | None = None,
    params: KpiParams | None = None, lang: str = "en",
) -> ControlView:
    """Laney p′ chart for a proportion KPI, XmR (individuals) chart otherwise, from a
    statistics frame without segments (one row per bucket and KPI).

    ``baseline`` (inclusive dates) gives the limits; default the first half of the buckets.
    The frame has ``period, value, n, center, lcl, ucl, flagged, rule`` (rule: the broken run
    rules as translated text, e.g. "1 (a point beyond the limits)").
    """
    rows = stats[stats["kpi"] == kpi_id(kpi)].sort_values("period").reset_index(drop=True)
    rows = rows[rows["n"].fillna(0) > 0]
    if baseline is None:
        baseline = default_control_baseline(rows["period"])
    kind = kpi_spec(kpi, params).kind
    if kind == "proportion":
        chart = laney_p_chart(rows["period"], rows["sum_y"], rows["sum_x"], baseline=baseline)
    else:
        chart = xmr_chart(rows["period"], rows["value"], baseline=baseline, n=rows["n"])
    out = chart.frame.rename(columns={"lower": "lcl", "upper": "ucl"})
    out["rule"] = [_rule_text(r, lang) for r in out["rules"]]
    columns = ["period", "value", "n", "center", "lcl", "ucl", "flagged", "rule", "in_baseline"]
    return ControlView(chart, out[columns].reset_index(drop=True), baseline)


def _rule_text(rules: str, lang: str) -> str | None:
    if not rules:
        return None
    return "; ".join(translate(f"explore.rule.{r}", lang) for r in rules.split(","))


def can_pool(kpi: KpiRef, params: KpiParams | None = None) -> bool:
    """Whether a KPI's value over several buckets follows from their sufficient statistics
    (every kind but percentiles); the heatmap offers only these."""
    return kpi_spec(kpi, params).kind != "quantile"


def heatmap_cells(
    stats: pd.DataFrame, kpi: KpiRef, x: str, y: str, *, top: int = 12,
    params: KpiParams | None = None,
) -> pd.DataFrame:
    """A KPI over two dimensions, pooled over every bucket of a statistics frame computed
    ``by=(x, y)``: the ``top`` values of each dimension with most contacts (or responses).

    Columns ``x, y, value, n``; ratio KPIs pool their sums (Σy / Σx), counts add up.
    Percentile KPIs cannot be pooled from sufficient statistics: ``ValueError``.
    """
    kind = kpi_spec(kpi, params).kind
    if kind == "quantile":
        raise ValueError("percentiles cannot be pooled from sufficient statistics")
    rows = stats[(stats["kpi"] == kpi_id(kpi)) & stats[x].notna() & stats[y].notna()]
    pooled = rows.groupby([x, y], observed=True, sort=False)[list(STAT_COLUMNS)].sum()
    pooled = pooled.reset_index()
    if kind in ("count", "total"):
        pooled["value"] = pooled["n"] if kind == "count" else pooled["sum_y"]
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            pooled["value"] = np.where(pooled["sum_x"] != 0, pooled["sum_y"] / pooled["sum_x"],
                                       np.nan)
    pooled = pooled[pooled["n"] > 0]
    top_x = pooled.groupby(x)["n"].sum().nlargest(top).index
    top_y = pooled.groupby(y)["n"].sum().nlargest(top).index
    cells = pooled[pooled[x].isin(top_x) & pooled[y].isin(top_y)]
    order_x = {v: i for i, v in enumerate(top_x)}
    order_y = {v: i for i, v in enumerate(top_y)}
    cells = cells.assign(_ox=cells[x].map(order_x), _oy=cells[y].map(order_y))
    cells = cells.sort_values(["_oy", "_ox"])
    return cells[[x, y, "value", "n"]].reset_index(drop=True)


def bucket_bounds(period_start: dt.date | pd.Timestamp, freq: Freq
                  ) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``[start, end)`` of the bucket starting at ``period_start``."""
    start = pd.Timestamp(period_start).normalize()
    return start, start + _NEXT[freq]


def interactions_behind(
    frame: pd.DataFrame,
    period_start: dt.date | pd.Timestamp,
    freq: Freq,
    segment: tuple[str, str] | None = None,
    *,
    limit: int | None = None,
) -> pd.DataFrame:
    """The interactions created in the bucket starting ``period_start`` (and in ``segment``,
    e.g. ``("channel", "chat")``), newest last; at most ``limit`` rows."""
    start, end = bucket_bounds(period_start, freq)
    created = frame["created_at"]
    mask = (created >= start) & (created < end)
    if segment is not None:
        field, value = segment
        mask &= frame[field].astype("str") == str(value)
    rows = frame.loc[mask.fillna(False).to_numpy()].sort_values("created_at", kind="stable")
    if limit is not None:
        rows = rows.head(limit)
    return rows.reset_index(drop=True)


def neutralise(value: object) -> object:
    """A text cell starting with ``= + - @``, tab or CR gets a leading ``'`` (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV (with a BOM, so spreadsheets read accents; CRLF line ends as in
    RFC 4180) in which no text cell
    or header can be taken for a formula: see :func:`neutralise`. Numbers stay numbers."""
    out = frame.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for column in out.columns:
        values = out[column]
        if values.dtype.kind in "biufcmM" or str(values.dtype) == "boolean":
            continue
        text = values.astype("object")
        risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES))
        if bool(risky.any()):
            out[column] = text.where(~risky, "'" + text.where(risky, "").astype("str"))
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\r\n")  # RFC 4180: CR in a cell is quoted
    return buffer.getvalue().encode("utf-8-sig")


def unit_of(kpi: KpiRef) -> str:
    """The catalog unit of a KPI (for the chart builders)."""
    return kpi_unit(kpi)
