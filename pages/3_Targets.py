"""Targets: one editable row per chosen KPI (plus channel/team overrides), validated on save,
with each KPI's current value, status and the change its weekly volume can detect."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from kpi.charter import Charter
from kpi.scorecard import (
    Detectable,
    Scorecard,
    detectable_changes,
    kpi_info,
    scope_options,
    scorecard,
    target_table,
    targets_from_table,
)
from kpi.selection import Selection, kpi_id, resolve_for
from kpi.ui import cache, frame, state
from kpi.ui.widgets import escape_markdown

UNIT_KEYS = {"percent": "percent", "duration": "seconds", "nps": "points", "number": "number"}
#: The KPI, its unit, current value and status first; the editable target columns after.
COLUMN_ORDER = ("kpi", "unit", "current", "status", "scope", "target", "lower", "upper",
                "margin", "effective_from")
STATUS_COLOURS = {"on_target": "green", "at_risk": "orange", "off_target": "red"}


@st.cache_data(max_entries=16, ttl=cache.TTL_SECONDS, show_spinner=False)
def _scorecard(dataset_key: str, definitions: str, lang: str, _dataset: object) -> Scorecard:
    """The weekly scorecard without targets, once per data, KPI definitions and language."""
    charter = Charter.from_json(definitions)
    data = _dataset
    selection = resolve_for(charter, data.interactions, data.activity, data.forecast)
    return scorecard(data.interactions, selection, (), activity=data.activity,
                     forecast=data.forecast, freq="week", lang=lang)


def definitions_of(charter: Charter) -> str:
    """The charter's KPIs, parameters and custom KPIs as JSON (no targets): a cache key."""
    return replace(charter, targets=(), revision=1, updated_at=None, notes="", name="").to_json()


@st.cache_data(max_entries=16, ttl=cache.TTL_SECONDS, show_spinner=False)
def _detectable(dataset_key: str, definitions: str, _dataset: object, _selection: Selection,
                _card: Scorecard) -> dict[str, Detectable]:
    """The weekly minimum detectable change of every shown KPI (targets do not change it),
    from the scorecard's weekly statistics when it has them."""
    data = _dataset
    stats = _card.stats if _card.period is not None else None
    return detectable_changes(data.interactions, _selection.kpis, _selection.params, per="week",
                              activity=data.activity, forecast=data.forecast, stats=stats)


@st.cache_data(max_entries=16, ttl=cache.TTL_SECONDS, show_spinner=False)
def _scopes(dataset_key: str, lang: str, _interactions: pd.DataFrame) -> dict[str, object]:
    return scope_options(_interactions, lang)




def editor_frame(table: pd.DataFrame, card: Scorecard, page: frame.PageContext
                 ) -> pd.DataFrame:
    """The table plus read-only columns: the unit, the current value and its status."""
    rows = {r.label: r for r in card.rows}
    all_scopes = page.t("scorecard.scope.all")
    shown = table.copy()
    units = {r.label: page.t(f"targets_page.unit.{UNIT_KEYS[r.value_format]}")
             for r in card.rows}
    shown.insert(1, "unit", shown["kpi"].map(units).astype("str"))
    current, status = [], []
    for record in shown.itertuples():
        row = rows.get(record.kpi)
        main = record.scope == all_scopes and row is not None
        current.append(row.formatted(page.lang) if main else "")
        status.append(page.t(f"targets.status.{row.status}") if main and row.status else "")
    shown["current"] = pd.Series(current, index=shown.index, dtype="str")
    shown["status"] = pd.Series(status, index=shown.index, dtype="str")
    return shown


def save(edited: pd.DataFrame, charter: Charter, selection: Selection,
         scopes: dict[str, object], page: frame.PageContext) -> None:
    targets, problems = targets_from_table(edited, selection.kpis, scopes,
                                           params=selection.params, lang=page.lang)
    if problems:
        st.error("  \n".join(escape_markdown(p.sentence(page.lang)) for p in problems),
                 icon=":material/error:")
        st.caption(page.t("targets_page.nothing_saved"))
        return
    shown = {kpi_id(ref) for ref in selection.kpis}
    kept = tuple(t for t in charter.targets if t.kpi not in shown)
    state.set_charter(charter.revised(targets=(*targets, *kept)))
    state.push_notice("targets_page.saved", count=len(targets))
    st.rerun()


def detectable_section(selection: Selection, card: Scorecard, found: dict[str, Detectable],
                       page: frame.PageContext) -> None:
    st.subheader(page.t("targets_page.detectable_heading"))
    st.caption(page.t("targets_page.detectable_help"))
    rows = {r.kpi: r for r in card.rows}
    lines = []
    for ref in selection.kpis:
        row = rows.get(kpi_id(ref))
        if row is None or row.direction == "neutral":
            continue
        parts = [f"**{escape_markdown(row.label)}**", row.formatted(page.lang)]
        if row.status:
            colour = STATUS_COLOURS[row.status]
            parts.append(f":{colour}-badge[{page.t(f'targets.status.{row.status}')}]")
        if row.significantly_off:
            parts.append(f":red-badge[:material/warning: "
                         f"{page.t('scorecard.ui.significantly_off')}]")
        detectable = found.get(row.kpi)
        sentence = detectable.sentence(page.lang) if detectable else ""
        lines.append(f"- {' · '.join(parts)} — {escape_markdown(sentence)}")
    if lines:
        st.markdown("\n".join(lines))


def targets_page(page: frame.PageContext) -> None:
    t = page.t
    st.title(t("targets_page.title"))
    dataset = state.get_dataset()
    if dataset is None:
        frame.no_data_panel(page, "targets_page.no_data")
        return
    charter = state.get_charter()
    selection = resolve_for(charter, dataset.interactions, dataset.activity, dataset.forecast)
    key = state.dataset_key() or ""
    definitions = definitions_of(charter)
    card = _scorecard(key, definitions, page.lang, dataset).with_targets(
        charter.targets, dataset.interactions)
    st.write(t("targets_page.intro"))
    st.caption(card.sentence(page.lang))
    for ref in selection.kpis:
        if kpi_info(ref, selection.params).direction == "neutral":
            label = next(r.label for r in card.rows if r.kpi == kpi_id(ref))
            st.caption(t("targets_page.neutral", kpi=escape_markdown(label)))
    for kpi, why in selection.unavailable:
        st.caption(t("targets_page.unavailable", kpi=kpi, reason=why.sentence(page.lang)))
    table = target_table(selection.kpis, charter.targets, params=selection.params,
                         lang=page.lang)
    scopes = _scopes(key, page.lang, dataset.interactions)
    labels = [r.label for r in card.rows if r.direction != "neutral"]
    column = st.column_config
    edited = st.data_editor(
        editor_frame(table, card, page),
        key=f"targets_editor_{charter.revision}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        disabled=["unit", "current", "status"],
        column_order=COLUMN_ORDER,
        placeholder="",
        column_config={
            "kpi": column.SelectboxColumn(t("targets_page.col.kpi"), options=labels,
                                          required=True, width="medium"),
            "unit": column.TextColumn(t("targets_page.col.unit"), width="small"),
            "scope": column.SelectboxColumn(t("targets_page.col.scope"), options=list(scopes),
                                            default=t("scorecard.scope.all"), width="medium",
                                            help=t("targets_page.help.scope")),
            "target": column.NumberColumn(t("targets_page.col.target"), width="small",
                                          help=t("targets_page.help.target")),
            "lower": column.NumberColumn(t("targets_page.col.lower"), width="small",
                                         help=t("targets_page.help.band")),
            "upper": column.NumberColumn(t("targets_page.col.upper"), width="small",
                                         help=t("targets_page.help.band")),
            "margin": column.NumberColumn(t("targets_page.col.margin"), width="small",
                                          help=t("targets_page.help.margin")),
            "effective_from": column.DateColumn(t("targets_page.col.effective_from"),
                                                width="small",
                                                help=t("targets_page.help.effective_from")),
            "current": column.TextColumn(t("targets_page.col.current"), width="small"),
            "status": column.TextColumn(t("targets_page.col.status"), width=110),
        },
    )
    if st.button(t("targets_page.save"), key="targets_save", type="primary",
                 icon=":material/save:"):
        save(edited, charter, selection, scopes, page)
    found = _detectable(key, definitions, dataset, selection, card)
    detectable_section(selection, card, found, page)


frame.run_page("targets", targets_page)
