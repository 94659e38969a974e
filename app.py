"""Overview: the scorecard of the chosen KPIs; with no data, the flow and the one-click sample."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from kpi.charter import Charter
from kpi.charts import sparkline
from kpi.scorecard import Freq, Scorecard, ScoreRow, scorecard
from kpi.selection import resolve_for
from kpi.ui import cache, frame, state
from kpi.ui.widgets import dataset_metrics, escape_markdown

FLOW_STEPS = ("data", "kpis", "targets", "trends", "changes", "report")
FREQS: tuple[Freq, ...] = ("week", "month")
CARDS_PER_ROW = 3
STATUS_COLOURS = {"on_target": "green", "at_risk": "orange", "off_target": "red"}


@st.cache_data(max_entries=16, ttl=cache.TTL_SECONDS, show_spinner=False)
def _scorecard(dataset_key: str, definitions: str, freq: Freq, lang: str,
               _dataset: object) -> Scorecard:
    """The scorecard without targets, once per data, KPI definitions, period and language
    (targets are applied per run: cheap, so editing one never recomputes the aggregation)."""
    charter = Charter.from_json(definitions)
    data = _dataset
    selection = resolve_for(charter, data.interactions, data.activity, data.forecast)
    return scorecard(data.interactions, selection, (), activity=data.activity,
                     forecast=data.forecast, freq=freq, lang=lang)


def definitions_of(charter: Charter) -> str:
    """The charter's KPIs, parameters and custom KPIs as JSON (no targets): a cache key."""
    return replace(charter, targets=(), revision=1, updated_at=None, notes="", name="").to_json()


@st.cache_data(max_entries=16, ttl=cache.TTL_SECONDS, show_spinner=False)
def _sparkline_specs(dataset_key: str, charter_json: str, freq: Freq, lang: str,
                     _card: Scorecard) -> dict[str, dict]:
    """The cards' sparklines as Vega-Lite specs, built and validated once per scorecard (nine
    Altair charts cost ~0.4 s to build and validate on every rerun otherwise)."""
    specs = {}
    for row in _card.rows:
        if row.sparkline.empty:
            continue
        value_target = row.target.value if row.target is not None else None
        chart = sparkline(row.sparkline, unit=row.unit, lang=lang, target=value_target,
                          width=220)
        specs[row.kpi] = chart.to_dict()
    return specs


def empty_state(page: frame.PageContext) -> None:
    t = page.t
    st.subheader(t("ui.overview.flow_heading"))
    st.markdown(
        "\n".join(
            f"{i}. {t(f'ui.overview.flow.{step}')}" for i, step in enumerate(FLOW_STEPS, start=1)
        )
    )
    sample_col, own_col = st.columns(2)
    if sample_col.button(
        t("ui.overview.sample_button"),
        key="overview_sample",
        type="primary",
        icon=":material/science:",
    ):
        source = cache.sample_source()
        with st.spinner():
            state.set_dataset(cache.load(source), source)
        st.rerun()
    with own_col:
        st.page_link("pages/1_Data.py", label=t("ui.overview.own_data"), icon=":material/upload:")


def change_badge(row: ScoreRow, page: frame.PageContext) -> None:
    comparison = row.comparison
    if comparison is None or comparison.p_value is None:
        st.badge(page.t("scorecard.ui.change.unknown"), color="gray")
    elif not comparison.significant:
        st.badge(page.t("scorecard.ui.change.none"), color="gray", icon=":material/remove:")
    elif comparison.improved is True:
        st.badge(page.t("scorecard.ui.change.better"), color="green",
                 icon=":material/trending_up:")
    elif comparison.improved is False:
        st.badge(page.t("scorecard.ui.change.worse"), color="red",
                 icon=":material/trending_down:")
    else:
        st.badge(page.t("scorecard.ui.change.changed"), color="blue")


def card(row: ScoreRow, page: frame.PageContext, tested: int, spec: dict | None) -> None:
    t, lang = page.t, page.lang
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(row.label)}**")
        st.markdown(f"### {row.formatted(lang)}")
        if row.reason:
            st.caption(escape_markdown(row.reason_text(lang)))
        target = row.target_text(lang)
        if row.direction == "neutral":
            st.caption(t("scorecard.ui.no_target_neutral"))
        elif not target:
            st.caption(t("scorecard.ui.no_target"))
        else:
            st.caption(t("scorecard.ui.target", target=target))
            if row.status is not None:
                st.badge(t(f"targets.status.{row.status}"), color=STATUS_COLOURS[row.status])
            if row.significantly_off:
                st.badge(t("scorecard.ui.significantly_off"), color="red",
                         icon=":material/warning:")
        if spec is not None:
            st.vega_lite_chart(spec=spec, width="content")
        change_badge(row, page)
        verdict = row.verdict(lang, count=tested if tested > 1 else None)
        if verdict:
            st.caption(escape_markdown(verdict))


def scorecard_section(page: frame.PageContext) -> None:
    t, lang = page.t, page.lang
    dataset = state.get_dataset()
    charter = state.get_charter()
    st.subheader(t("scorecard.ui.heading"))
    freq = st.segmented_control(
        t("scorecard.ui.freq"), FREQS, default="week", key="overview_freq",
        format_func=lambda f: t(f"scorecard.ui.freq.{f}"),
    ) or "week"
    key = state.dataset_key() or ""
    charter_json = charter.to_json()
    card_data = _scorecard(key, definitions_of(charter), freq, lang, dataset).with_targets(
        charter.targets, dataset.interactions)
    specs = _sparkline_specs(key, charter_json, freq, lang, card_data)
    st.caption(card_data.sentence(lang))
    selection = resolve_for(charter, dataset.interactions, dataset.activity, dataset.forecast)
    if selection.is_default:
        st.caption(t("scorecard.ui.default_kpis"))
    if not card_data.rows:
        st.info(t("scorecard.ui.no_kpis"))
    for start in range(0, len(card_data.rows), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, row in zip(columns, card_data.rows[start:start + CARDS_PER_ROW],
                               strict=False):
            with column:
                card(row, page, card_data.tested, specs.get(row.kpi))
    for kpi, why in selection.unavailable:
        name = next((r.label for r in card_data.rows if r.kpi == kpi), None)
        st.caption(t("scorecard.ui.unavailable", kpi=escape_markdown(name or _name(kpi, lang)),
                     reason=why.sentence(lang)))
    links = st.columns(3)
    if _exists("2_KPIs.py"):
        links[0].page_link("pages/2_KPIs.py", label=t("ui.choose_kpis"),
                           icon=":material/checklist:")
    if _exists("3_Targets.py"):
        links[1].page_link("pages/3_Targets.py", label=t("scorecard.ui.set_targets"),
                           icon=":material/flag:")


def _name(kpi: str, lang: str) -> str:
    from kpi.catalog import CATALOG, kpi_name

    return kpi_name(kpi, lang) if kpi in CATALOG else kpi


def _exists(page_file: str) -> bool:
    return (cache.ROOT / "pages" / page_file).is_file()


def overview(page: frame.PageContext) -> None:
    t = page.t
    st.title(t("ui.overview.title"))
    st.write(t("ui.overview.intro"))
    dataset = state.get_dataset()
    if dataset is None:
        empty_state(page)
        return
    if isinstance(dataset.interactions, pd.DataFrame) and not dataset.interactions.empty:
        scorecard_section(page)
    st.subheader(t("ui.overview.summary_heading"))
    dataset_metrics(dataset, page.lang)
    st.page_link("pages/1_Data.py", label=t("ui.overview.review_data"), icon=":material/upload:")


frame.run_page("overview", overview)
