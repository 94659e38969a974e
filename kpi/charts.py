"""Altair chart builders: pure functions from tidy frames to ``alt.Chart`` objects.

Like altair's own ``api.py`` this module only builds specifications; a page renders them with
``st.altair_chart`` and the report with ``vl_convert``. Every builder takes *aggregated* data
(a few thousand rows at most), returns a chart with axis titles that carry the unit, a tooltip,
colours from :data:`PALETTE`, and the number/time locale of ``lang`` already configured. A
frame without any value gives :func:`empty_chart` (a sentence instead of an error).

Units (the catalog's ``unit``, see :func:`kpi.targets.unit_kind`): fractions are shown as
percentages (``.1%``, decimal comma in Portuguese); seconds as minutes on the axis (hours when
the largest value is two hours or more) with an ``mm:ss`` label computed into the data for the
tooltip; NPS in points; anything else as a plain number.

**How the locale reaches the browser.** Vega-Lite's top-level ``config.locale`` (Altair's
``alt.Locale(number=..., time=...)``, set by :func:`localise`) is compiled into the Vega spec,
and Vega's ``View`` applies a spec's locale to that view only. Streamlit 1.67 passes the spec
unchanged to its bundled vega-embed (its ``embed`` chunk contains Vega's parser, which reads
``config.locale``), so no embed options are needed and sessions in different languages do not
interfere. ``vl_convert.vegalite_to_svg`` honours ``config.locale`` too (also accepting
``format_locale=``/``time_format_locale=`` arguments, fed by :func:`vega_locale`). The locale
definitions are embedded below as data (the d3-format / d3-time-format ``pt-BR`` and ``en-US``
files), so nothing is fetched over the network.

**Selections.** :func:`trend_chart` carries an interval selection on x named
:data:`BRUSH_NAME` (``"period_brush"``) and a click selection on points named
:data:`POINT_NAME` (``"point_pick"``). With ``st.altair_chart(chart, on_select="rerun")`` the
event holds ``event.selection["period_brush"] == {"period": [start_ms, end_ms]}`` and
``event.selection["point_pick"] == [{"period": ms, ...}]`` (epoch milliseconds in the data's
local wall time).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt
import numpy as np
import pandas as pd

from kpi.i18n import Lang, normalise_lang, translate
from kpi.targets import unit_kind

Freq = Literal["day", "week", "month"]
Chart = alt.Chart | alt.LayerChart | alt.FacetChart | alt.ConcatChart | alt.VConcatChart

BRUSH_NAME = "period_brush"
POINT_NAME = "point_pick"
THEME_NAME = "kpi_workbench"

#: The one palette shared by charts and the Streamlit theme (``.streamlit/config.toml``).
PALETTE: dict[str, str] = {
    "primary": "#1f5fa8",
    "secondary": "#5b8fd1",
    "target": "#2b8a3e",
    "band": "#8ccf9a",
    "good": "#2b8a3e",
    "risk": "#e8a317",
    "bad": "#c92a2a",
    "neutral": "#495057",
    "muted": "#adb5bd",
    "grid": "#e9ecef",
    "text": "#212529",
}
#: Categorical colours for breakdowns (Okabe–Ito, readable with colour-blindness), primary first.
CATEGORY_COLOURS: tuple[str, ...] = (
    "#1f5fa8", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000",
    "#999999", "#7b4ea3",
)

_NUMBER_LOCALES: dict[Lang, dict[str, Any]] = {
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
    "pt": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["R$", ""]},
}
_TIME_LOCALES: dict[Lang, dict[str, Any]] = {
    "en": {
        "dateTime": "%x, %X",
        "date": "%-m/%-d/%Y",
        "time": "%-I:%M:%S %p",
        "periods": ["AM", "PM"],
        "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        "months": [
            "January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December",
        ],
        "shortMonths": [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ],
    },
    "pt": {
        "dateTime": "%A, %e de %B de %Y. %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["Domingo", "Segunda", "Terça", "Quarta", "Quinta", "Sexta", "Sábado"],
        "shortDays": ["Dom", "Seg", "Ter", "Qua", "Qui", "Sex", "Sáb"],
        "months": [
            "Janeiro", "Fevereiro", "Março", "Abril", "Maio", "Junho", "Julho", "Agosto",
            "Setembro", "Outubro", "Novembro", "Dezembro",
        ],
        "shortMonths": [
            "Jan", "Fev", "Mar", "Abr", "Mai", "Jun", "Jul", "Ago", "Set", "Out", "Nov", "Dez",
        ],
    },
}
#: Axis label and tooltip date formats per bucket size and language.
_AXIS_DATE: dict[Lang, dict[str, str]] = {
    "en": {"day": "%b %-d", "week": "%b %-d", "month": "%b %Y"},
    "pt": {"day": "%-d %b", "week": "%-d %b", "month": "%b %Y"},
}
_TOOLTIP_DATE: dict[Lang, dict[str, str]] = {
    "en": {"day": "%a %b %-d, %Y", "week": "week of %b %-d, %Y", "month": "%B %Y"},
    "pt": {"day": "%a %-d %b %Y", "week": "semana de %-d %b %Y", "month": "%B de %Y"},
}


def vega_locale(lang: str | None) -> dict[str, dict[str, Any]]:
    """``{"number": d3-format locale, "time": d3-time-format locale}`` for ``lang`` (pt → pt-BR,
    otherwise en-US); pass to ``alt.Locale(**...)`` or to vl_convert's ``format_locale`` and
    ``time_format_locale``."""
    code = normalise_lang(lang)
    return {"number": dict(_NUMBER_LOCALES[code]), "time": dict(_TIME_LOCALES[code])}


def localise(chart: Chart, lang: str | None) -> Chart:
    """The chart with the number and time locale of ``lang`` in its top-level config (do this
    last: a configured chart cannot be layered or concatenated any more)."""
    return chart.configure(locale=alt.Locale(**vega_locale(lang)))


@alt.theme.register(THEME_NAME, enable=False)
def kpi_theme() -> alt.theme.ThemeConfig:
    """The workbench's Altair theme (enable with ``alt.theme.enable(THEME_NAME)``)."""
    return {
        "config": {
            "font": "Source Sans Pro, Helvetica, Arial, sans-serif",
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 260},
            "range": {"category": list(CATEGORY_COLOURS)},
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
                "titleColor": PALETTE["text"],
                "labelColor": PALETTE["neutral"],
                "gridColor": PALETTE["grid"],
                "domainColor": PALETTE["muted"],
            },
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "line": {"strokeWidth": 2, "color": PALETTE["primary"]},
            "point": {"filled": True, "color": PALETTE["primary"]},
        }
    }


# -- units ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitFormat:
    """How values of one unit are drawn: ``scale`` multiplies data values into axis values,
    ``axis_format``/``tooltip_format`` are d3 formats, ``unit_key`` names the unit in titles,
    ``duration_label`` asks for an ``mm:ss`` text label in the tooltip."""

    kind: str
    scale: float
    axis_format: str
    tooltip_format: str
    unit_key: str | None
    duration_label: bool = False

    def title(self, title: str, lang: Lang) -> str:
        """An axis title with the unit in brackets, e.g. ``Average wait (minutes)``."""
        if self.unit_key is None:
            return title
        unit = translate(self.unit_key, lang)
        return translate("charts.titled_unit", lang, title=title, unit=unit)


def unit_format(unit: str | None, values: pd.Series | Sequence[float] | None = None) -> UnitFormat:
    """The :class:`UnitFormat` of a KPI unit; durations use hours when the largest of
    ``values`` is at least two hours, minutes otherwise."""
    kind = unit_kind(unit)
    if kind == "percent":
        return UnitFormat(kind, 1.0, ".0%", ".1%", "charts.unit.percent")
    if kind == "duration":
        known = np.abs(np.asarray(values if values is not None else [], dtype="float64"))
        known = known[~np.isnan(known)]
        if known.size and known.max() >= 7200:
            return UnitFormat(kind, 1 / 3600, ",.1~f", ",.2f", "charts.unit.hours", True)
        return UnitFormat(kind, 1 / 60, ",.1~f", ",.2f", "charts.unit.minutes", True)
    if kind == "points":
        return UnitFormat(kind, 1.0, ",.0f", ",.1f", "charts.unit.points")
    if (unit or "").lower() == "hours":
        return UnitFormat(kind, 1.0, ",.1~f", ",.2f", "charts.unit.hours")
    return UnitFormat(kind, 1.0, ",.2~f", ",.2~f", None)


def duration_labels(seconds: pd.Series) -> pd.Series:
    """``m:ss`` (or ``h:mm:ss`` from one hour) text for durations in seconds; ``<NA>`` when
    unknown. Negative durations (differences) get a minus sign."""
    s = pd.Series(seconds, dtype="float64")
    known = s.notna()
    total = s.abs().round().fillna(0).astype("int64")
    hours, rest = total // 3600, total % 3600
    minutes, secs = rest // 60, rest % 60
    two = lambda v: v.astype(str).str.zfill(2)  # noqa: E731
    short = minutes.astype(str) + ":" + two(secs)
    long = hours.astype(str) + ":" + two(minutes) + ":" + two(secs)
    text = long.where(hours > 0, short)
    text = ("-" + text).where(s < 0, text)
    return text.astype("str").where(known)


def _value_columns(frame: pd.DataFrame, column: str, fmt: UnitFormat) -> pd.DataFrame:
    """Add ``<column>_y`` (scaled for the axis) and, for durations, ``<column>_label``."""
    out = frame.copy()
    out[f"{column}_y"] = out[column].astype("float64") * fmt.scale
    if fmt.duration_label:
        out[f"{column}_label"] = duration_labels(out[column])
    return out


def _value_tooltip(column: str, title: str, fmt: UnitFormat) -> alt.Tooltip:
    if fmt.duration_label:
        return alt.Tooltip(f"{column}_label:N", title=title)
    return alt.Tooltip(f"{column}_y:Q", title=title, format=fmt.tooltip_format)


def _has_values(frame: pd.DataFrame | None, column: str = "value") -> bool:
    return frame is not None and column in frame and bool(frame[column].notna().any())


def empty_chart(lang: str | None = "en", *, width: int = 560, height: int = 120) -> Chart:
    """A chart that says there is no data (used by every builder for empty input)."""
    code = normalise_lang(lang)
    message = pd.DataFrame({"message": [translate("charts.empty", code)]})
    chart = (
        alt.Chart(message)
        .mark_text(fontSize=14, color=PALETTE["neutral"])
        .encode(text="message:N")
        .properties(width=width, height=height)
    )
    return localise(chart, code).configure_view(stroke=None)


# -- trend -----------------------------------------------------------------------------------
def trend_chart(
    values: pd.DataFrame,
    *,
    unit: str | None,
    lang: str | None = "en",
    title: str | None = None,
    target: float | None = None,
    band: tuple[float, float] | None = None,
    rolling: int | None = None,
    breakdown: str | None = None,
    breakdown_title: str | None = None,
    small_multiples: bool = False,
    freq: Freq = "day",
    brush_name: str | None = BRUSH_NAME,
    pick_name: str | None = POINT_NAME,
    width: int = 560,
    height: int = 260,
) -> Chart:
    """A KPI over time with optional target line or band, rolling mean and breakdown.

    ``values`` is a tidy value frame of ONE KPI with columns ``period`` (datetime or ISO date
    text: the bucket start), ``value`` (KPI units: fractions, seconds, points...; NaN when
    unknown), optionally ``n`` and the ``breakdown`` column (e.g. ``channel``). ``target`` and
    ``band`` are in KPI units; without them, ``target`` or ``target_lower``/``target_upper``
    columns of ``values`` (see :func:`kpi.targets.attach_targets`) draw a target that changes
    over time or per series as steps. ``rolling`` is a window in buckets: an unweighted mean of the
    bucket values, per series, drawn from the first full window. With a breakdown, series are
    coloured, or drawn as small multiples (a facet per value, 3 columns) when
    ``small_multiples``. ``brush_name``/``pick_name`` name the selections (None: no selection).
    """
    code = normalise_lang(lang)
    if not _has_values(values):
        return empty_chart(code, width=width)
    fmt = unit_format(unit, values["value"])
    title = title or translate("charts.value", code)
    y_title = fmt.title(title, code)
    varying = [c for c in ("target", "target_lower", "target_upper") if _has_values(values, c)]
    if target is not None or band is not None:
        varying = []
    columns = ["period", "value"] + [c for c in ("n", *varying) if c in values]
    data = values[columns + ([breakdown] if breakdown else [])].copy()
    data["period"] = pd.to_datetime(data["period"])
    data = data.rename(columns={breakdown: "series"}) if breakdown else data
    if breakdown:
        data["series"] = data["series"].astype("str").fillna("—")
    data = data.sort_values(["series", "period"] if breakdown else ["period"])
    data = _value_columns(data, "value", fmt)
    if rolling and rolling > 1:
        grouped = data.groupby("series", sort=False)["value_y"] if breakdown else data["value_y"]
        data["rolling_y"] = grouped.transform(
            lambda s: s.rolling(rolling, min_periods=rolling).mean()
        ) if breakdown else grouped.rolling(rolling, min_periods=rolling).mean()
    if target is not None:
        data["target_y"] = float(target) * fmt.scale
    if band is not None:
        data["band_low_y"] = float(band[0]) * fmt.scale
        data["band_high_y"] = float(band[1]) * fmt.scale

    x = alt.X(
        "period:T",
        title=translate("charts.period", code),
        axis=alt.Axis(format=_AXIS_DATE[code][freq], labelOverlap=True, labelAngle=0),
    )
    y_axis = alt.Axis(format=fmt.axis_format)

    def y(field: str) -> alt.Y:
        return alt.Y(field, title=y_title, axis=y_axis, scale=alt.Scale(zero=False))

    series_title = breakdown_title or (breakdown or "").capitalize()
    coloured = bool(breakdown) and not small_multiples
    colour: Any = (
        alt.Color("series:N", title=series_title, scale=alt.Scale(range=list(CATEGORY_COLOURS)))
        if coloured
        else alt.value(PALETTE["primary"])
    )
    tooltip = [
        alt.Tooltip("period:T", title=translate("charts.period", code),
                    format=_TOOLTIP_DATE[code][freq]),
        _value_tooltip("value", title, fmt),
    ]
    if "n" in data:
        tooltip.append(alt.Tooltip("n:Q", title=translate("charts.n", code), format=",d"))
    if breakdown:
        tooltip.insert(0, alt.Tooltip("series:N", title=series_title))

    base = alt.Chart()
    layers: list[alt.Chart] = []
    if band is not None:
        layers.append(
            base.mark_rect(color=PALETTE["band"], opacity=0.25).encode(
                y=y("mean(band_low_y):Q"), y2="mean(band_high_y):Q",
                tooltip=[
                    alt.Tooltip("mean(band_low_y):Q", title=translate("charts.band", code),
                                format=fmt.tooltip_format),
                    alt.Tooltip("mean(band_high_y):Q", title=translate("charts.band", code),
                                format=fmt.tooltip_format),
                ],
            )
        )
    if target is not None:
        layers.append(
            base.mark_rule(color=PALETTE["target"], strokeDash=[6, 4], strokeWidth=2).encode(
                y=y("mean(target_y):Q"),
                tooltip=[alt.Tooltip("mean(target_y):Q", title=translate("charts.target", code),
                                     format=fmt.tooltip_format)],
            )
        )
    if varying:
        layers.extend(_varying_target_layers(data, varying, fmt, x, y, code, breakdown))
    line = base.mark_line(strokeWidth=2).encode(x=x, y=y("value_y:Q"), color=colour)
    if breakdown:
        line = line.encode(detail="series:N")
    if brush_name:
        line = line.add_params(alt.selection_interval(name=brush_name, encodings=["x"]))
    layers.append(line)
    if rolling and rolling > 1:
        rolling_line = base.mark_line(strokeDash=[2, 2], strokeWidth=1.5, opacity=0.9).encode(
            x=x, y=y("rolling_y:Q"),
            color=colour if coloured else alt.value(PALETTE["neutral"]),
            tooltip=[alt.Tooltip("rolling_y:Q", format=fmt.tooltip_format,
                                 title=translate("charts.rolling_mean", code, window=rolling))],
        )
        if breakdown:
            rolling_line = rolling_line.encode(detail="series:N")
        layers.append(rolling_line)
    points = base.mark_point(filled=True, size=45).encode(
        x=x, y=y("value_y:Q"), color=colour, tooltip=tooltip
    )
    if pick_name:
        fields = ["period", "series"] if breakdown else ["period"]
        pick = alt.selection_point(name=pick_name, fields=fields, on="click", clear="dblclick")
        points = points.add_params(pick).encode(
            size=alt.condition(pick, alt.value(60), alt.value(30))
        )
    layers.append(points)

    chart: Chart = alt.layer(*layers, data=data)
    if breakdown and small_multiples:
        chart = chart.properties(width=max(160, width // 3), height=max(100, height // 2)).facet(
            facet=alt.Facet("series:N", title=series_title), columns=3
        )
    else:
        chart = chart.properties(width=width, height=height)
    return localise(chart, code)


def _varying_target_layers(
    data: pd.DataFrame, varying: list[str], fmt: UnitFormat, x: alt.X, y: Any, lang: Lang,
    breakdown: str | None,
) -> list[alt.Chart]:
    """Targets that change over time or per series (columns added by
    :func:`kpi.targets.attach_targets`), drawn as steps."""
    for column in varying:
        data[f"{column}_y"] = data[column].astype("float64") * fmt.scale
    layers: list[alt.Chart] = []
    if "target_lower" in varying and "target_upper" in varying:
        area = alt.Chart().mark_area(interpolate="step-after", color=PALETTE["band"],
                                     opacity=0.25)
        layers.append(area.encode(x=x, y=y("target_lower_y:Q"), y2="target_upper_y:Q",
                                  detail="series:N") if breakdown else
                      area.encode(x=x, y=y("target_lower_y:Q"), y2="target_upper_y:Q"))
    if "target" in varying:
        rule = alt.Chart().mark_line(interpolate="step-after", color=PALETTE["target"],
                                     strokeDash=[6, 4], strokeWidth=2)
        rule = rule.encode(x=x, y=y("target_y:Q"), tooltip=[
            alt.Tooltip("target_y:Q", title=translate("charts.target", lang),
                        format=fmt.tooltip_format)])
        layers.append(rule.encode(detail="series:N") if breakdown else rule)
    return layers


# -- control chart ---------------------------------------------------------------------------
def control_chart(
    frame: pd.DataFrame,
    *,
    unit: str | None,
    lang: str | None = "en",
    title: str | None = None,
    freq: Freq = "day",
    width: int = 560,
    height: int = 260,
) -> Chart:
    """A control chart: values, centre line, control limits and flagged points.

    ``frame`` columns: ``period``, ``value``, ``center``, ``lcl``, ``ucl`` (KPI units; limits
    may vary per point, as in a Laney p′ chart; NaN where none), ``flagged`` (bool) and
    optionally ``rule`` (the broken run rule, text) and ``n``.
    """
    code = normalise_lang(lang)
    if not _has_values(frame):
        return empty_chart(code, width=width)
    fmt = unit_format(unit, frame["value"])
    title = title or translate("charts.value", code)
    y_title = fmt.title(title, code)
    data = frame.copy()
    data["period"] = pd.to_datetime(data["period"])
    data["flagged"] = data["flagged"].fillna(False).astype(bool)
    if "rule" not in data:
        data["rule"] = None
    data = data.sort_values("period")
    for column in ("value", "center", "lcl", "ucl"):
        data = _value_columns(data, column, fmt)

    x = alt.X("period:T", title=translate("charts.period", code),
              axis=alt.Axis(format=_AXIS_DATE[code][freq], labelOverlap=True, labelAngle=0))

    def y(field: str) -> alt.Y:
        return alt.Y(field, title=y_title, axis=alt.Axis(format=fmt.axis_format),
                     scale=alt.Scale(zero=False))

    tooltip = [
        alt.Tooltip("period:T", title=translate("charts.period", code),
                    format=_TOOLTIP_DATE[code][freq]),
        _value_tooltip("value", title, fmt),
        _value_tooltip("lcl", translate("charts.lower_limit", code), fmt),
        _value_tooltip("ucl", translate("charts.upper_limit", code), fmt),
        alt.Tooltip("rule:N", title=translate("charts.rule", code)),
    ]
    base = alt.Chart()
    limits = base.mark_area(interpolate="step-after", color=PALETTE["secondary"],
                            opacity=0.12).encode(x=x, y=y("lcl_y:Q"), y2="ucl_y:Q")
    upper = base.mark_line(interpolate="step-after", color=PALETTE["bad"], strokeDash=[4, 3],
                           strokeWidth=1).encode(x=x, y=y("ucl_y:Q"))
    lower = base.mark_line(interpolate="step-after", color=PALETTE["bad"], strokeDash=[4, 3],
                           strokeWidth=1).encode(x=x, y=y("lcl_y:Q"))
    centre = base.mark_line(interpolate="step-after", color=PALETTE["neutral"],
                            strokeWidth=1).encode(x=x, y=y("center_y:Q"))
    line = base.mark_line(color=PALETTE["primary"], strokeWidth=2).encode(x=x, y=y("value_y:Q"))
    points = base.mark_point(filled=True, size=40).encode(
        x=x, y=y("value_y:Q"),
        color=alt.condition("datum.flagged", alt.value(PALETTE["bad"]),
                            alt.value(PALETTE["primary"])),
        shape=alt.condition("datum.flagged", alt.value("diamond"), alt.value("circle")),
        size=alt.condition("datum.flagged", alt.value(110), alt.value(40)),
        tooltip=tooltip,
    )
    chart = alt.layer(limits, upper, lower, centre, line, points, data=data).properties(
        width=width, height=height
    )
    return localise(chart, code)


# -- sizing ----------------------------------------------------------------------------------
#: Streamlit's ``st.altair_chart(..., width="stretch")`` adds ``autosize: fit`` when a spec has
#: none, which squeezes axes, labels and legends INTO the given height; a chart with rows (a
#: heatmap, a forest plot) sizes its rows by ``alt.Step`` and fits only its width instead, so it
#: looks the same under ``theme="streamlit"`` and ``theme=None``.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def _tick_step(low: float, high: float, count: int) -> float:
    """d3's ``tickIncrement``: ``(high - low) / count`` rounded to 1, 2, 5 or 10 times a power
    of ten (at the geometric midpoints √2, √10 and √50)."""
    raw = (high - low) / count
    power = 10.0 ** np.floor(np.log10(raw))
    error = raw / power
    factor = 10 if error >= np.sqrt(50) else 5 if error >= np.sqrt(10) else (
        2 if error >= np.sqrt(2) else 1)
    return float(factor * power)


def tick_decimals(values: pd.Series | Sequence[float] | np.ndarray, *, ticks: int = 8) -> int:
    """Decimals that tell apart the ticks of a linear axis over ``values`` and zero with
    ``tickCount=ticks``, as Vega draws it: the domain is first made "nice" (d3 ``nice(10)``),
    then ticks are chosen on it; e.g. 0 for −2.8…2.75 (ticks −3…3 step 1), 2 for −0.11…0.09."""
    known = np.asarray(values, dtype="float64")
    known = known[np.isfinite(known)]
    if not known.size:
        return 0
    low, high = min(float(known.min()), 0.0), max(float(known.max()), 0.0)
    if high <= low:
        return 0
    for _ in range(10):  # d3's linear nice(): widen to whole steps until stable
        step = _tick_step(low, high, 10)
        nice = (np.floor(low / step) * step, np.ceil(high / step) * step)
        if nice == (low, high):
            break
        low, high = nice
    step = _tick_step(low, high, ticks)
    return max(0, -int(np.floor(np.log10(step) + 1e-9)))


def _title_lines(text: str, width: int = 24) -> list[str] | str:
    """A long legend title as lines (Vega draws a list as several lines)."""
    lines = textwrap.wrap(text, width=width)
    return lines if len(lines) > 1 else text


# -- heatmap ---------------------------------------------------------------------------------
def heatmap(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    unit: str | None,
    lang: str | None = "en",
    title: str | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    direction: str = "neutral",
    width: int = 560,
    cell_height: int = 24,
) -> Chart:
    """A heatmap of a KPI over two dimensions (e.g. agent × topic).

    ``frame`` columns: ``x`` and ``y`` (text), ``value`` (KPI units) and optionally ``n``.
    Colour: for a ``higher``/``lower`` KPI better cells are green and worse ones red (the
    forest plot's improvement/worsening colours) through a light middle; a single blue scale
    for neutral ones. Rows are ``cell_height`` pixels (``alt.Step``) and the width fits the
    container. Rows and columns keep the frame's order.
    """
    code = normalise_lang(lang)
    if not _has_values(frame):
        return empty_chart(code, width=width)
    fmt = unit_format(unit, frame["value"])
    title = title or translate("charts.value", code)
    columns = [x, y, "value"] + (["n"] if "n" in frame else [])
    data = _value_columns(frame[columns].copy(), "value", fmt)
    data[x] = data[x].astype("str").fillna("—")
    data[y] = data[y].astype("str").fillna("—")
    diverging = [PALETTE["good"], "#f1f3f5", PALETTE["bad"]]
    scale = alt.Scale(scheme="blues")
    if direction == "higher":
        scale = alt.Scale(range=diverging[::-1], interpolate="lab")
    elif direction == "lower":
        scale = alt.Scale(range=diverging, interpolate="lab")
    tooltip = [
        alt.Tooltip(f"{y}:N", title=y_title or y.capitalize()),
        alt.Tooltip(f"{x}:N", title=x_title or x.capitalize()),
        _value_tooltip("value", title, fmt),
    ]
    if "n" in data:
        tooltip.append(alt.Tooltip("n:Q", title=translate("charts.n", code), format=",d"))
    legend_format = f",.{tick_decimals(data['value_y'], ticks=4)}f"
    if fmt.kind == "percent":
        legend_format = f".{tick_decimals(data['value_y'] * 100, ticks=4)}%"
    chart = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(f"{x}:N", title=x_title or x.capitalize(), sort=None,
                    axis=alt.Axis(labelAngle=-40, labelAlign="right", labelLimit=140,
                                  labelOverlap=False)),
            y=alt.Y(f"{y}:N", title=y_title or y.capitalize(), sort=None,
                    axis=alt.Axis(labelLimit=160)),
            color=alt.Color("value_y:Q", title=fmt.title(title, code), scale=scale,
                            legend=alt.Legend(title=_title_lines(fmt.title(title, code)),
                                              format=legend_format, orient="right",
                                              titleLimit=220)),
            tooltip=tooltip,
        )
        .properties(width=width, height=alt.Step(cell_height), autosize=FIT_WIDTH)
    )
    return localise(chart, code)


# -- forest plot -----------------------------------------------------------------------------
def forest_plot(
    comparisons: pd.DataFrame,
    *,
    relative: bool,
    lang: str | None = "en",
    unit: str | None = None,
    label: str = "label",
    width: int = 520,
    row_height: int = 34,
) -> Chart:
    """Differences with their 95 % confidence intervals, one row per comparison.

    ``comparisons`` columns: ``label`` (the KPI or segment shown on the row), ``difference``,
    ``ci_low``, ``ci_high`` (KPI units, current − baseline), optionally ``significant`` and
    ``improved`` (bool or None for neutral KPIs: they colour the point) and ``p_adjusted``.
    ``relative=True`` draws ``relative_difference`` (a fraction) with the interval
    ``relative_ci_low``/``relative_ci_high`` when given, else the absolute interval divided by
    ``baseline_value``. Absolute mode uses ``unit`` (rows should share it): percentage points
    for rates, minutes for durations (``m:ss`` in the tooltip), points for NPS. Each row is
    ``row_height`` pixels (``alt.Step``); the x axis has one title and ticks with enough
    decimals for the data's range; the legend lists the outcomes present.
    """
    code = normalise_lang(lang)
    if not _has_values(comparisons, "difference"):
        return empty_chart(code, width=width)
    data = comparisons.copy()
    data["row"] = data[label].astype("str")
    durations = False
    if relative:
        data["x"] = data["relative_difference"].astype("float64")
        if {"relative_ci_low", "relative_ci_high"} <= set(data.columns):
            data["x_low"] = data["relative_ci_low"].astype("float64")
            data["x_high"] = data["relative_ci_high"].astype("float64")
        else:
            base = data["baseline_value"].astype("float64").abs().replace(0, np.nan)
            data["x_low"] = data["ci_low"].astype("float64") / base
            data["x_high"] = data["ci_high"].astype("float64") / base
        decimals = tick_decimals(data[["x", "x_low", "x_high"]].to_numpy() * 100)
        axis_format, tick_step = f".{decimals}%", 10.0 ** -decimals / 100
        tip_format = f"+.{max(1, decimals)}%"
        x_title = translate("charts.titled_unit", code,
                            title=translate("charts.relative_difference", code),
                            unit=translate("charts.unit.percent", code))
    else:
        kind = unit_kind(unit)
        if kind == "percent":
            scale, unit_key = 100.0, "charts.unit.percentage_points"
        else:
            fmt = unit_format(unit, data[["ci_low", "ci_high"]].abs().max(axis=1))
            scale, unit_key, durations = fmt.scale, fmt.unit_key, fmt.duration_label
        data["x"] = data["difference"].astype("float64") * scale
        data["x_low"] = data["ci_low"].astype("float64") * scale
        data["x_high"] = data["ci_high"].astype("float64") * scale
        decimals = tick_decimals(data[["x", "x_low", "x_high"]].to_numpy())
        axis_format, tick_step = f",.{decimals}f", 10.0 ** -decimals
        tip_format = f"+,.{max(2, decimals)}f"
        if durations:
            for column, source in (("x", "difference"), ("x_low", "ci_low"),
                                   ("x_high", "ci_high")):
                labels = duration_labels(data[source]).str.replace("-", "\N{MINUS SIGN}")
                data[f"{column}_label"] = labels.where(labels.str.startswith("\N{MINUS SIGN}"),
                                                       "+" + labels)
        difference = translate("charts.difference", code)
        x_title = (translate("charts.titled_unit", code, title=difference,
                             unit=translate(unit_key, code)) if unit_key else difference)
    data["outcome"] = [
        _outcome(significant, improved, code)
        for significant, improved in zip(
            data.get("significant", pd.Series([None] * len(data))),
            data.get("improved", pd.Series([None] * len(data))),
            strict=True,
        )
    ]
    outcomes = [translate(f"charts.outcome.{k}", code)
                for k in ("improved", "worsened", "neutral", "unclear")]
    colours = [PALETTE["good"], PALETTE["bad"], PALETTE["primary"], PALETTE["muted"]]
    present = set(data["outcome"])
    shown = [(o, c) for o, c in zip(outcomes, colours, strict=True) if o in present]
    order = list(dict.fromkeys(data["row"]))
    # the row labels name themselves (KPIs, segments): no y title to collide with long labels
    y = alt.Y("row:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    # every layer's x carries the same title and axis, so Vega-Lite draws ONE title
    axis = alt.Axis(format=axis_format, tickMinStep=tick_step, tickCount=8, labelOverlap=True)

    def x(field: str) -> alt.X:
        return alt.X(field, title=x_title, axis=axis)

    def tip(column: str, title: str) -> alt.Tooltip:
        if durations:
            return alt.Tooltip(f"{column}_label:N", title=title)
        return alt.Tooltip(f"{column}:Q", title=title, format=tip_format)

    tooltip = [
        alt.Tooltip("row:N", title=translate("charts.comparison", code)),
        tip("x", x_title),
        tip("x_low", translate("charts.ci_low", code)),
        tip("x_high", translate("charts.ci_high", code)),
        alt.Tooltip("outcome:N", title=translate("charts.outcome", code)),
    ]
    if "p_adjusted" in data:
        tooltip.append(alt.Tooltip("p_adjusted:Q", title="p", format=".4f"))
    colour = alt.Color("outcome:N", title=translate("charts.outcome", code),
                       scale=alt.Scale(domain=[o for o, _ in shown],
                                       range=[c for _, c in shown]))
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(
        color=PALETTE["neutral"], strokeDash=[3, 3]
    ).encode(x=x("zero:Q"))
    intervals = alt.Chart(data).mark_rule(strokeWidth=2).encode(
        y=y, x=x("x_low:Q"), x2=alt.X2("x_high:Q", title=None), color=colour, tooltip=tooltip,
    )
    points = alt.Chart(data).mark_point(filled=True, size=80, opacity=1).encode(
        y=y, x=x("x:Q"), color=colour, tooltip=tooltip
    )
    chart = alt.layer(zero, intervals, points).properties(
        width=width, height=alt.Step(row_height), autosize=FIT_WIDTH
    )
    return localise(chart, code)


def _outcome(significant: object, improved: object, lang: Lang) -> str:
    if significant is None or pd.isna(significant) or not bool(significant):
        return translate("charts.outcome.unclear", lang)
    if improved is None or pd.isna(improved):
        return translate("charts.outcome.neutral", lang)
    return translate("charts.outcome.improved" if improved else "charts.outcome.worsened", lang)


# -- sparkline -------------------------------------------------------------------------------
def sparkline(
    values: pd.DataFrame,
    *,
    unit: str | None = None,
    lang: str | None = "en",
    target: float | None = None,
    width: int = 140,
    height: int = 36,
) -> Chart:
    """A tiny axis-less line of a KPI over time for a scorecard, last point marked.

    ``values`` columns: ``period`` and ``value`` (KPI units), as for :func:`trend_chart`.
    """
    code = normalise_lang(lang)
    if not _has_values(values):
        return empty_chart(code, width=width, height=height)
    fmt = unit_format(unit, values["value"])
    data = values[["period", "value"]].copy()
    data["period"] = pd.to_datetime(data["period"])
    data = _value_columns(data.sort_values("period"), "value", fmt)
    x = alt.X("period:T", axis=None)
    y = alt.Y("value_y:Q", axis=None, scale=alt.Scale(zero=False))
    tooltip = [alt.Tooltip("period:T", title=translate("charts.period", code), format="%x"),
               _value_tooltip("value", translate("charts.value", code), fmt)]
    line = alt.Chart().mark_line(color=PALETTE["primary"], strokeWidth=1.5).encode(
        x=x, y=y, tooltip=tooltip)
    last = alt.Chart().mark_point(filled=True, size=25, color=PALETTE["primary"]).encode(
        x=x, y=y, tooltip=tooltip
    ).transform_window(rank="rank()", sort=[alt.SortField("period", order="descending")]
                       ).transform_filter("datum.rank == 1")
    layers: list[alt.Chart] = [line, last]
    if target is not None:
        data["target_y"] = float(target) * fmt.scale
        rule = alt.Chart().mark_rule(color=PALETTE["target"], strokeDash=[3, 2], strokeWidth=1)
        layers.insert(0, rule.encode(y=alt.Y("mean(target_y):Q", axis=None)))
    chart = alt.layer(*layers, data=data).properties(width=width, height=height)
    return localise(chart, code).configure_view(stroke=None)
