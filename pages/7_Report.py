"""Report: the notebook-style report of the chosen KPIs, with its HTML, JSON and CSV exports.

A title and the periods, the team's summary (saved in the charter's notes), the KPIs at a
glance, then per KPI its definition, latest week against target, trend, significant changes
and the channels and teams that stand out; the data-quality notes close it. The same document
(:func:`kpi.report.build_report`) is exported as one self-contained HTML file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from kpi import changes
from kpi.charter import Charter
from kpi.errors import KpiError
from kpi.export import charter_json, file_stem, kpi_table_csv
from kpi.report import Bullets, ChartBlock, Paragraph, ReportDocument, build_report, display_table
from kpi.report_html import render_html
from kpi.selection import resolve_for
from kpi.ui import cache, frame, state
from kpi.ui.periods import data_span, range_inputs, remember
from kpi.ui.widgets import escape_markdown, show_error

SUMMARY_KEY = "report_summary"
#: Why the last summary could not be saved (shown once on the next run).
SAVE_ERROR: state.Slot[KpiError] = state.Slot("report_save_error")


def definitions_of(charter: Charter) -> str:
    """What the document depends on in the charter (not the notes, nor the revision)."""
    return replace(charter, notes="", revision=1, updated_at=None).to_json()


@st.cache_resource(max_entries=8, ttl=cache.TTL_SECONDS, show_spinner=False)
def _document(dataset_key: str, definitions: str, baseline: tuple[dt.date, dt.date],
              current: tuple[dt.date, dt.date], lang: str, _dataset: object) -> ReportDocument:
    """The report without its summary, once per data, charter definitions, periods and language
    (an immutable document, shared read-only)."""
    data = _dataset
    return build_report(
        data.interactions, Charter.from_json(definitions), report=data.report,  # type: ignore[attr-defined]
        activity=data.activity, forecast=data.forecast,  # type: ignore[attr-defined]
        baseline=baseline, current=current, lang=lang, summary="",
    )


@st.cache_resource(max_entries=8, ttl=cache.TTL_SECONDS, show_spinner=False)
def _chart_specs(dataset_key: str, definitions: str, baseline: tuple[dt.date, dt.date],
                 current: tuple[dt.date, dt.date], lang: str, _document: ReportDocument
                 ) -> dict[str, dict]:
    """The document's charts as Vega-Lite specs, built and validated once per document (a
    dozen Altair charts cost most of a rerun otherwise)."""
    return {block.chart_id: block.chart.to_dict() for block in _document.charts}


def save_summary() -> None:
    """``on_change`` of the summary: keep it in the charter's notes (saved to the workspace)."""
    text = str(state.widget_value(SUMMARY_KEY) or "")
    charter = state.get_charter()
    if text == charter.notes:
        return
    try:
        state.set_charter(charter.revised(notes=text), note="report summary")
    except KpiError as error:  # a locked or damaged workspace: say so, keep the text
        SAVE_ERROR.set(error)
        return
    state.push_notice("report_page.summary_saved")


def pick_periods(page: frame.PageContext, last: dt.date) -> changes.ComparisonPeriods | None:
    """Baseline and current periods (shared with the Changes page); None while half picked."""
    stored = state.get_periods() or changes.default_periods(last)
    periods = range_inputs(page.t, page.lang, "report_page", "report", stored)
    return None if periods is None else remember(periods, stored)


def exports(page: frame.PageContext, document: ReportDocument) -> None:
    """Download buttons: the HTML file, the charter and the KPI table, each built on click (a
    deferred download is never fetched by a page that lags behind its session)."""
    t = page.t
    stem = file_stem(document)
    st.markdown(f"**{t('report_page.exports')}**")
    html_col, json_col, csv_col = st.columns(3)
    html_col.download_button(
        t("report_page.download_html"), data=lambda: render_html(document).encode("utf-8"),
        file_name=f"{stem}.html", mime="text/html", key="report_download_html",
        help=t("report_page.html_help"), icon=":material/download:", on_click="ignore",
        type="primary",
    )
    json_col.download_button(
        t("report_page.download_charter"), data=lambda: charter_json(document.charter),
        file_name=f"{stem}-charter.json", mime="application/json",
        key="report_download_charter", icon=":material/download:", on_click="ignore",
    )
    csv_col.download_button(
        t("report_page.download_csv"), data=lambda: kpi_table_csv(document),
        file_name=f"{stem}-kpis.csv", mime="text/csv", key="report_download_csv",
        icon=":material/download:", on_click="ignore",
    )


def show_section_blocks(blocks: tuple, specs: dict[str, dict]) -> None:
    """Text through escaped markdown (never HTML), charts from their cached specs."""
    for block in blocks:
        if isinstance(block, ChartBlock):
            st.vega_lite_chart(spec=specs[block.chart_id], width="stretch",
                               key=f"report_{block.chart_id}")
        elif isinstance(block, Bullets):
            lines = "\n".join(f"- {escape_markdown(item)}" for item in block.items)
            st.markdown(f"**{escape_markdown(block.title)}**\n\n{lines}")
        elif isinstance(block, Paragraph):
            text = escape_markdown(block.text)
            if block.style == "muted":
                st.caption(text)
            elif block.style == "definition":
                st.markdown(f"*{text}*")
            elif block.style == "value":
                st.markdown(f"**{text}**")
            else:
                st.markdown(text)


def report_page(page: frame.PageContext) -> None:
    t, lang = page.t, page.lang
    dataset = state.get_dataset()
    key = state.dataset_key()
    if dataset is None or key is None:
        st.title(t("report_page.title"))
        frame.no_data_panel(page, "report_page.no_data")
        return
    charter = state.get_charter()
    selection = resolve_for(charter, dataset.interactions, dataset.activity, dataset.forecast)
    if not selection.kpis:
        st.title(t("report_page.title"))
        st.info(t("report_page.no_kpis"), icon=":material/info:")
        return
    _, last = data_span(key, dataset.interactions["created_at"])
    st.title(escape_markdown(charter.name or t("report.title")))
    st.caption(t("report_page.intro"))
    periods = pick_periods(page, last)
    if periods is None:
        return
    definitions = definitions_of(charter)
    with st.spinner(t("report_page.building")):
        document = _document(key, definitions, periods.baseline, periods.current, lang, dataset)
        specs = _chart_specs(key, definitions, periods.baseline, periods.current, lang,
                             document)
    document = replace(document, summary=charter.notes)
    error = SAVE_ERROR.get()
    if error is not None:
        SAVE_ERROR.clear()
        show_error(error, lang)
    st.markdown(f"**{escape_markdown(document.period_text)}**")
    st.text_area(t("report_page.summary"), value=charter.notes, key=SUMMARY_KEY,
                 help=t("report_page.summary_help"), on_change=save_summary, height=120)
    exports(page, document)
    st.subheader(t("report.html.kpi_table"))
    st.dataframe(display_table(document), hide_index=True, key="report_table")
    for section in document.sections:
        st.divider()
        st.subheader(escape_markdown(section.heading))
        show_section_blocks(section.blocks, specs)


frame.run_page("report", report_page)
