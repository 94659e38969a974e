"""Trends: each chosen KPI over time with its target, a rolling mean, an optional breakdown,
a control-chart mode and the Mann–Kendall sentence; a brushed interval becomes the Changes
page's current period, a clicked point opens the interactions behind it; a heatmap tab."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import streamlit as st

from kpi import charts, explore
from kpi.changes import brush_periods, kpi_label, kpi_spec
from kpi.selection import Selection
from kpi.ui import frame, state
from kpi.ui.format import date as format_date
from kpi.ui.format import integer
from kpi.ui.widgets import escape_markdown, field_label

TTL = 3600
FREQS = ("day", "week", "month")
TABLE_ROWS = 1000


def selection_key(selection: Selection) -> str:
    """What changes the computed values: parameters and custom definitions (not targets)."""
    return json.dumps([selection.params.to_json(), [c.to_json() for c in selection.custom]])


@st.cache_data(max_entries=32, ttl=TTL, show_spinner=False)
def _values(key: str, sel_key: str, kpis: tuple[str, ...], freq: str, by: str | None,
            _dataset: object, _selection: Selection) -> pd.DataFrame:
    from kpi.compute import kpi_values

    refs = [_selection.ref(k) for k in kpis]
    return kpi_values(
        _dataset.interactions, refs, freq=freq, by=(by,) if by else (),  # type: ignore[attr-defined]
        params=_selection.params, activity=_dataset.activity,  # type: ignore[attr-defined]
        forecast=_dataset.forecast,  # type: ignore[attr-defined]
    )


@st.cache_data(max_entries=32, ttl=TTL, show_spinner=False)
def _statistics(key: str, sel_key: str, kpis: tuple[str, ...], freq: str, by: tuple[str, ...],
                _dataset: object, _selection: Selection) -> pd.DataFrame:
    from kpi.compute import compute_statistics

    refs = [_selection.ref(k) for k in kpis]
    return compute_statistics(
        _dataset.interactions, refs, freq=freq, by=by,  # type: ignore[attr-defined]
        params=_selection.params, activity=_dataset.activity,  # type: ignore[attr-defined]
        forecast=_dataset.forecast,  # type: ignore[attr-defined]
    )




def trends(page: frame.PageContext) -> None:
    t, lang = page.t, page.lang
    st.title(t("explore.title"))
    chosen = frame.chosen_data(page, "explore")
    if chosen is None:
        return
    dataset, key, selection = chosen.dataset, chosen.key, chosen.selection
    ids = selection.ids
    labels = {k: kpi_label(selection.ref(k), lang) for k in ids}
    dimensions = explore.dimensions_in(dataset.interactions.columns)
    sel_key = selection_key(selection)

    tab_trends, tab_heatmap = st.tabs([t("explore.tab.trends"), t("explore.tab.heatmap")])
    with tab_trends:
        trends_tab(page, dataset, key, sel_key, selection, ids, labels, dimensions)
    with tab_heatmap:
        heatmap_tab(page, dataset, key, sel_key, selection, ids, labels, dimensions)


def trends_tab(page: frame.PageContext, dataset, key: str, sel_key: str, selection: Selection,
               ids: tuple[str, ...], labels: dict[str, str], dimensions: tuple[str, ...]) -> None:
    t, lang = page.t, page.lang
    top = st.columns([4, 2, 2, 2])
    chosen = top[0].multiselect(t("explore.kpis"), ids, default=list(ids[:3]),
                                format_func=labels.get, key="trends_kpis")
    freq = top[1].radio(t("explore.freq"), FREQS, index=1, horizontal=True,
                        format_func=lambda f: t(f"explore.freq.{f}"), key="trends_freq")
    mode = top[2].radio(t("explore.mode"), ("normal", "control"), horizontal=True,
                        format_func=lambda m: t(f"explore.mode.{m}"), key="trends_mode")
    by = top[3].selectbox(t("explore.breakdown"), (None, *dimensions),
                          format_func=lambda d: t(f"explore.dim.{d or 'none'}"),
                          key="trends_by")
    small = False
    if by and mode == "normal":
        small = st.toggle(t("explore.small_multiples"), key="trends_small")
    if not chosen:
        st.info(t("explore.pick_kpi"), icon=":material/info:")
        return
    if mode == "control":
        st.caption(t("explore.control_help"))
        if by:
            st.caption(t("explore.control_total"))
    else:
        st.caption(t("explore.select_help"))
    with st.spinner():
        totals = _values(key, sel_key, tuple(chosen), freq, None, dataset, selection)
        values = (_values(key, sel_key, tuple(chosen), freq, by, dataset, selection)
                  if by else totals)
    targets = state.get_charter().targets
    for kpi in chosen:
        ref = selection.ref(kpi)
        st.subheader(labels[kpi])
        total_series = totals[totals["kpi"] == kpi]
        if mode == "control":
            control_section(page, dataset, key, sel_key, selection, kpi, freq)
        else:
            series = explore.series_with_targets(values, ref, targets, by=by,
                                                 params=selection.params)
            target, band = explore.constant_target(series)
            chart = charts.trend_chart(
                series, unit=explore.unit_of(ref), lang=lang, title=labels[kpi], target=target,
                band=band, rolling=explore.ROLLING[freq], breakdown=by,
                breakdown_title=t(f"explore.dim.{by}") if by else None,
                small_multiples=small, freq=freq,
            )
            event = st.altair_chart(chart, on_select="rerun", key=f"trends_chart_{kpi}",
                                    width="stretch")
            handle_selection(page, dataset, event, freq, by, kpi)
        st.caption(explore.trend_text(total_series, ref, freq, lang, selection.params))


def control_section(page: frame.PageContext, dataset, key: str, sel_key: str,
                    selection: Selection, kpi: str, freq: str) -> None:
    t, lang = page.t, page.lang
    ref = selection.ref(kpi)
    stats = _statistics(key, sel_key, (kpi,), freq, (), dataset, selection)
    periods = state.get_periods()
    view = explore.control_view(stats, ref, baseline=periods.baseline if periods else None,
                                params=selection.params, lang=lang)
    if view.chart.code is not None:
        st.info(t("explore.control_code", reason=t(f"stats.code.{view.chart.code}")),
                icon=":material/info:")
        return
    chart = charts.control_chart(view.frame, unit=explore.unit_of(ref), lang=lang,
                                 title=kpi_label(ref, lang), freq=freq)
    st.altair_chart(chart, key=f"trends_control_{kpi}", width="stretch")
    flagged = int(view.frame["flagged"].sum())
    start, end = view.baseline or (None, None)
    st.caption(t(
        "explore.control_summary",
        kind=t(f"explore.control_kind.{view.chart.kind}"),
        start=format_date(start, lang), end=format_date(end, lang),
        flagged=integer(flagged, lang),
    ))


def handle_selection(page: frame.PageContext, dataset, event, freq: str, by: str | None,
                     kpi: str) -> None:
    """Brush → the Changes page's periods; point → the interactions behind it."""
    t, lang = page.t, page.lang
    selection = getattr(event, "selection", None) or {}
    brush = selection.get(charts.BRUSH_NAME) or {}
    interval = brush.get("period") if isinstance(brush, dict) else None
    if interval and len(interval) == 2:
        periods = brush_periods(float(interval[0]), float(interval[1]), freq)  # type: ignore[arg-type]
        if periods is not None:
            state.set_periods(periods.baseline, periods.current)
            st.success(t(
                "explore.brushed",
                start=format_date(periods.current[0], lang),
                end=format_date(periods.current[1], lang),
                base_start=format_date(periods.baseline[0], lang),
                base_end=format_date(periods.baseline[1], lang),
            ), icon=":material/date_range:")
            st.page_link("pages/5_Changes.py", label=t("explore.go_changes"),
                         icon=":material/compare_arrows:")
    picks = selection.get(charts.POINT_NAME) or []
    if picks and isinstance(picks, list) and picks[0].get("period") is not None:
        pick = picks[0]
        start = pd.Timestamp(pick["period"], unit="ms").date()
        segment = (by, str(pick["series"])) if by and pick.get("series") is not None else None
        show_interactions(page, dataset, start, freq, segment, kpi)


def show_interactions(page: frame.PageContext, dataset, start: dt.date, freq: str,
                      segment: tuple[str, str] | None, kpi: str) -> None:
    t, lang = page.t, page.lang
    rows = explore.interactions_behind(dataset.interactions, start, freq, segment)  # type: ignore[arg-type]
    where = "" if segment is None else t("explore.in_segment", value=escape_markdown(segment[1]))
    st.markdown(t("explore.behind", count=integer(len(rows), lang),
                  start=format_date(start, lang), freq=t(f"explore.freq.{freq}").lower(),
                  where=where))
    if len(rows) > TABLE_ROWS:
        st.caption(t("explore.first_rows", count=integer(TABLE_ROWS, lang)))
    shown = rows.head(TABLE_ROWS).rename(columns=lambda column: field_label(column, lang))
    st.dataframe(shown, hide_index=True, key=f"trends_rows_{kpi}")
    name = f"interactions_{start.isoformat()}" + (f"_{segment[1]}" if segment else "") + ".csv"
    st.download_button(t("explore.download"), lambda: explore.safe_csv(rows), file_name=name,
                       mime="text/csv", key=f"trends_download_{kpi}", on_click="ignore",
                       icon=":material/download:")


def heatmap_tab(page: frame.PageContext, dataset, key: str, sel_key: str,
                selection: Selection, ids: tuple[str, ...], labels: dict[str, str],
                dimensions: tuple[str, ...]) -> None:
    t, lang = page.t, page.lang
    if len(dimensions) < 2:
        st.info(t("explore.heatmap.no_dimensions"), icon=":material/info:")
        return
    poolable = [k for k in ids if explore.can_pool(selection.ref(k), selection.params)]
    if not poolable:
        st.info(t("explore.heatmap.no_kpi"), icon=":material/info:")
        return
    cols = st.columns([3, 2, 2, 2])
    kpi = cols[0].selectbox(t("explore.heatmap.kpi"), poolable, format_func=labels.get,
                            index=poolable.index("aht") if "aht" in poolable else 0,
                            key="trends_heat_kpi")
    default_y = dimensions.index("agent") if "agent" in dimensions else 0
    y = cols[1].selectbox(t("explore.heatmap.rows"), dimensions, index=default_y,
                          format_func=lambda d: t(f"explore.dim.{d}"), key="trends_heat_y")
    others = [d for d in dimensions if d != y]
    default_x = others.index("topic") if "topic" in others else 0
    x = cols[2].selectbox(t("explore.heatmap.columns"), others, index=default_x,
                          format_func=lambda d: t(f"explore.dim.{d}"), key="trends_heat_x")
    top = cols[3].slider(t("explore.heatmap.top"), 3, 30, 12, key="trends_heat_top")
    if len(poolable) < len(ids):
        st.caption(t("explore.heatmap.percentiles"))
    ref = selection.ref(kpi)
    stats = _statistics(key, sel_key, (kpi,), "month", (x, y), dataset, selection)
    cells = explore.heatmap_cells(stats, ref, x, y, top=top, params=selection.params)

    chart = charts.heatmap(
        cells, x, y, unit=explore.unit_of(ref), lang=lang, title=labels[kpi],
        x_title=t(f"explore.dim.{x}"), y_title=t(f"explore.dim.{y}"),
        direction=kpi_spec(ref, selection.params).direction,
    )
    st.altair_chart(chart, key="trends_heatmap")
    st.caption(t("explore.heatmap.caption", top=top))


frame.run_page("trends", trends)
