"""Changes: is the difference between two periods (or between a segment and the rest) real?

Pick the periods (or a change date), a segment dimension and the unit of analysis; every chosen
KPI is compared with its confidence interval, adjusted p-value and verdict, shown as a table,
as sentences and as a forest plot, with a check of the verdict at the other unit.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import streamlit as st

from kpi import changes, charts, explore
from kpi.selection import Selection
from kpi.ui import frame, state
from kpi.ui.format import date as format_date
from kpi.ui.periods import DATE_FORMATS, data_span, range_inputs, remember
from kpi.ui.widgets import escape_markdown

TTL = 3600
UNITS = ("auto", "day", "interaction")
OUTCOME_COLOURS = {
    "improved": "background-color: #d3f9d8",
    "worsened": "background-color: #ffe3e3",
    "changed": "background-color: #e7f5ff",
    "unclear": "",
}


def selection_key(selection: Selection) -> str:
    """What changes the comparisons: parameters and custom definitions (not targets)."""
    return json.dumps([selection.params.to_json(), [c.to_json() for c in selection.custom]])


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def _source(key: str, sel_key: str, _dataset: object, _selection: Selection
            ) -> changes.ComparisonSource:
    """What stays the same when only the periods change (daily statistics, raw values)."""
    return changes.ComparisonSource(
        _dataset.interactions,  # type: ignore[attr-defined]
        activity=_dataset.activity,  # type: ignore[attr-defined]
        forecast=_dataset.forecast,  # type: ignore[attr-defined]
        params=_selection.params,
    )


@st.cache_data(max_entries=32, ttl=TTL, show_spinner=False)
def _compare(key: str, sel_key: str, kpis: tuple[str, ...], baseline: tuple[dt.date, dt.date],
             current: tuple[dt.date, dt.date], by: str | None, versus_rest: bool, unit: str,
             _dataset: object, _selection: Selection) -> changes.UnitCheck:
    refs = [_selection.ref(k) for k in kpis]
    common = {"interactions": _source(key, sel_key, _dataset, _selection)}
    if versus_rest and by:
        return changes.compare_both_units(changes.compare_one_vs_rest, refs, unit,  # type: ignore[arg-type]
                                          period=current, by=by, **common)
    return changes.compare_both_units(changes.compare_periods, refs, unit,  # type: ignore[arg-type]
                                      baseline=baseline, current=current, by=by, **common)




def pick_periods(page: frame.PageContext, first: dt.date, last: dt.date
                 ) -> changes.ComparisonPeriods | None:
    """The period widgets; None while a range is half picked."""
    t = page.t
    stored = state.get_periods() or changes.default_periods(last)
    mode = st.radio(t("changes_page.mode"), ("periods", "change_date"), horizontal=True,
                    format_func=lambda m: t(f"changes_page.mode.{m}"), key="changes_mode")
    if mode == "change_date":
        change = st.date_input(t("changes_page.change_date"), value=stored.current[0],
                               min_value=first, max_value=last, format=DATE_FORMATS[page.lang],
                               key="changes_change_date")
        periods = changes.change_date_periods(change, first, last)
    else:
        periods = range_inputs(t, page.lang, "changes_page", "changes", stored)
    return None if periods is None else remember(periods, stored)


def changes_page(page: frame.PageContext) -> None:
    t, lang = page.t, page.lang
    st.title(t("changes_page.title"))
    chosen = frame.chosen_data(page, "changes_page")
    if chosen is None:
        return
    dataset, key, selection = chosen.dataset, chosen.key, chosen.selection
    ids = selection.ids
    labels = {k: changes.kpi_label(selection.ref(k), lang) for k in ids}
    first, last = data_span(key, dataset.interactions["created_at"])

    periods = pick_periods(page, first, last)
    if periods is None:
        return
    dimensions = explore.dimensions_in(dataset.interactions.columns)
    cols = st.columns([3, 2, 2, 2])
    chosen = cols[0].multiselect(t("changes_page.kpis"), ids, default=list(ids),
                                 format_func=labels.get, key="changes_kpis")
    by = cols[1].selectbox(t("changes_page.segment"), (None, *dimensions),
                           format_func=lambda d: t(f"explore.dim.{d or 'none'}"),
                           key="changes_by")
    versus_rest = False
    if by:
        versus_rest = cols[2].radio(
            t("changes_page.segment_mode"), ("periods", "rest"),
            format_func=lambda m: t(f"changes_page.segment_mode.{m}"), key="changes_versus",
        ) == "rest"
    unit = cols[3].radio(t("changes_page.unit"), UNITS,
                         format_func=lambda u: t(f"changes_page.unit.{u}"), key="changes_unit")
    if versus_rest:
        st.caption(t("changes_page.rest_period", start=format_date(periods.current[0], lang),
                     end=format_date(periods.current[1], lang)))
    else:
        st.caption(t(
            "changes_page.periods", b0=format_date(periods.baseline[0], lang),
            b1=format_date(periods.baseline[1], lang), c0=format_date(periods.current[0], lang),
            c1=format_date(periods.current[1], lang),
        ))
    if not chosen:
        st.info(t("changes_page.pick_kpi"), icon=":material/info:")
        return
    with st.spinner(t("changes_page.computing")):
        check = _compare(key, selection_key(selection), tuple(chosen), periods.baseline,
                         periods.current, by, versus_rest, unit, dataset, selection)
    rows = changes.change_rows(check, lang, labels)
    if rows.empty:
        st.info(t("changes_page.nothing"), icon=":material/info:")
        return
    results_table(page, rows, by)
    verdicts(page, rows, by)
    forest(page, rows, by, selection)


def results_table(page: frame.PageContext, rows: pd.DataFrame, by: str | None) -> None:
    t = page.t
    st.subheader(t("changes_page.table"))
    holds = rows["holds"].map(
        lambda h: t("changes_page.holds.none") if h is None or pd.isna(h)
        else t("changes_page.holds.yes") if h else t("changes_page.holds.no")
    )
    shown = pd.DataFrame({
        "kpi": rows["label"],
        **({"segment": rows["segment"]} if by else {}),
        "baseline": rows["baseline"],
        "current": rows["current"],
        "difference": rows["difference"],
        "ci": rows["ci"],
        "p": rows["p_text"],
        "outcome": rows["outcome"].map(lambda o: t(f"changes_page.outcome.{o}")),
        "unit": rows["unit"].map(lambda u: t(f"changes_page.unit.{u}")),
        "holds": holds,
    })
    colours = rows["outcome"].map(OUTCOME_COLOURS).tolist()
    styled = shown.style.apply(lambda _: colours, axis=0)
    config = {
        "kpi": st.column_config.TextColumn(t("changes_page.col.kpi")),
        "segment": st.column_config.TextColumn(t(f"explore.dim.{by}") if by else ""),
        "baseline": st.column_config.TextColumn(t("changes_page.col.baseline")),
        "current": st.column_config.TextColumn(t("changes_page.col.current")),
        "difference": st.column_config.TextColumn(t("changes_page.col.difference")),
        "ci": st.column_config.TextColumn(t("changes_page.col.ci")),
        "p": st.column_config.TextColumn(t("changes_page.col.p"),
                                         help=t("changes_page.col.p_help")),
        "outcome": st.column_config.TextColumn(t("changes_page.col.outcome")),
        "unit": st.column_config.TextColumn(t("changes_page.col.unit")),
        "holds": st.column_config.TextColumn(t("changes_page.col.holds"),
                                             help=t("changes_page.col.holds_help")),
    }
    st.dataframe(styled, hide_index=True, column_config=config, key="changes_table")


def verdicts(page: frame.PageContext, rows: pd.DataFrame, by: str | None) -> None:
    st.subheader(page.t("changes_page.verdicts"))
    order = {"worsened": 0, "improved": 1, "changed": 2, "unclear": 3}
    ranked = rows.assign(_rank=rows["outcome"].map(order)).sort_values("_rank", kind="stable")
    colours = {"improved": "green", "worsened": "red", "changed": "blue", "unclear": "gray"}
    lines = []
    for row in ranked.itertuples():
        badge = f":{colours[row.outcome]}-badge[{page.t(f'changes_page.outcome.{row.outcome}')}]"
        prefix = f"**{escape_markdown(str(row.segment))}** · " if by and row.segment else ""
        lines.append(f"- {badge} {prefix}{escape_markdown(row.verdict)}")
    st.markdown("\n".join(lines))


def forest(page: frame.PageContext, rows: pd.DataFrame, by: str | None,
           selection: Selection) -> None:
    t, lang = page.t, page.lang
    st.subheader(t("changes_page.forest"))
    relative = st.toggle(t("changes_page.relative"), value=True, key="changes_relative")
    data = rows.assign(
        difference=rows["difference_value"].astype("float64"),
        label=rows["label"] + (" · " + rows["segment"].fillna("") if by else ""),
        unit=[changes.kpi_unit(selection.ref(k)) for k in rows["kpi"]],
    )
    if relative:
        st.altair_chart(charts.forest_plot(data, relative=True, lang=lang), key="changes_forest")
        return
    # one plot per unit: differences in points, minutes or counts do not share an axis
    for unit, group in data.groupby("unit", sort=False):
        st.altair_chart(
            charts.forest_plot(group, relative=False, lang=lang, unit=str(unit)),
            key=f"changes_forest_{unit}",
        )


frame.run_page("changes", changes_page)
