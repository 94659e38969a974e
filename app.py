"""Overview: what the workbench does, the one-click sample, and a summary of the loaded data."""

from __future__ import annotations

import streamlit as st

from kpi.ui import cache, frame, state
from kpi.ui.widgets import dataset_metrics

FLOW_STEPS = ("data", "kpis", "targets", "trends", "changes", "report")


def overview(page: frame.PageContext) -> None:
    t = page.t
    st.title(t("ui.overview.title"))
    st.write(t("ui.overview.intro"))
    dataset = state.get_dataset()
    if dataset is None:
        st.subheader(t("ui.overview.flow_heading"))
        st.markdown(
            "\n".join(
                f"{i}. {t(f'ui.overview.flow.{step}')}"
                for i, step in enumerate(FLOW_STEPS, start=1)
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
            st.page_link(
                "pages/1_Data.py", label=t("ui.overview.own_data"), icon=":material/upload:"
            )
        return
    st.subheader(t("ui.overview.summary_heading"))
    dataset_metrics(dataset, page.lang)
    st.page_link("pages/1_Data.py", label=t("ui.overview.review_data"), icon=":material/upload:")


frame.run_page("overview", overview)
