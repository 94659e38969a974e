"""The frame every page starts with: page config, language, sidebar navigation, data status.

A page is ``frame.run_page("data", body)``: the frame resolves the language, draws the sidebar,
loads ``KPI_DEFAULT_DATA`` on a fresh session, then runs ``body(page)`` so that any
:class:`~kpi.errors.KpiError` becomes one translated sentence and any other exception one
generic sentence (logged) — never a traceback. Each page is self-sufficient, so a deep link
works on a fresh server.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from kpi.changes import kpi_label
from kpi.errors import KpiError
from kpi.i18n import Lang, translate
from kpi.selection import Selection, resolve_for
from kpi.store import DATASETS_DIR
from kpi.ui import cache, state
from kpi.ui import workspace as workspace_ui
from kpi.ui.lang import current_lang, language_switch
from kpi.ui.nav import page_label, sidebar_nav

if TYPE_CHECKING:
    from kpi.load import Dataset
from kpi.ui.widgets import dataset_status, escape_markdown, show_error

logger = logging.getLogger(__name__)

DEFAULT_DATA_ENV = "KPI_DEFAULT_DATA"
#: An emoji favicon is drawn locally; a Material one is fetched from Google's CDN.
PAGE_ICON = "📊"


@dataclass(frozen=True)
class PageContext:
    """What a page body needs from the frame: its id and the user's language."""

    page_id: str
    lang: Lang

    def t(self, key: str, /, **params: object) -> str:
        """The message ``key`` in the page's language."""
        return translate(key, self.lang, **params)


def translator() -> Callable[..., str]:
    """``translate`` bound to the session's language: ``t = frame.translator(); t("key")``."""
    lang = current_lang()

    def t(key: str, /, **params: object) -> str:
        return translate(key, lang, **params)

    return t


@contextmanager
def guard(lang: Lang) -> Iterator[None]:
    """Show a ``KpiError`` as its sentence and anything else as one generic sentence."""
    try:
        yield
    except KpiError as error:
        show_error(error, lang)
    except Exception:
        logger.exception("unexpected error on a page")
        st.error(translate("ui.error.unexpected", lang), icon=":material/error:")


def start_page(page_id: str) -> PageContext:
    """Configure the page and draw the shared sidebar; returns the page's context."""
    lang = current_lang()
    title = f"{page_label(page_id, lang)} · {translate('ui.app_title', lang)}"
    st.set_page_config(page_title=title, page_icon=PAGE_ICON, layout="wide")
    with guard(lang):
        load_default_data(lang)
    with st.sidebar:
        st.markdown(f"**{translate('ui.app_title', lang)}**")
        sidebar_nav(lang)
        st.divider()
        dataset_status(lang, on_data_page=page_id == "data")
        st.divider()
        with st.expander(workspace_ui.label(lang), icon=":material/groups:"):
            workspace_ui.workspace_picker(lang)
        language_switch(lang)
    notice = state.pop_notice()
    if notice is not None:
        key, params = notice
        st.success(translate(key, lang, **params), icon=":material/check_circle:")
    recovery_warning(lang)
    return PageContext(page_id, lang)


#: Set-aside workspace databases this session was told about (each is told once).
RECOVERIES_SHOWN: state.Slot[frozenset[str]] = state.Slot("workspace_recoveries_shown")


def recovery_warning(lang: Lang) -> None:
    """Once per session, say that the workspace's damaged database was set aside (by
    :meth:`kpi.store.Workspace.open`) and where it is; a workspace that cannot be opened is
    reported by the page itself."""
    try:
        recovered = state.open_workspace().recovered_from
    except KpiError:
        return
    shown = RECOVERIES_SHOWN.get() or frozenset()
    if recovered is None or str(recovered) in shown:
        return
    RECOVERIES_SHOWN.set(shown | {str(recovered)})
    datasets = recovered.parent / DATASETS_DIR
    st.warning(translate("targets.store.recovered", lang, file=escape_markdown(recovered.name),
                         datasets=escape_markdown(str(datasets))), icon=":material/warning:")


def run_page(page_id: str, body: Callable[[PageContext], None]) -> None:
    """Start the page, then run its body under :func:`guard`."""
    page = start_page(page_id)
    with guard(page.lang):
        workspace_ui.warn_bad_url(page.lang)
        # A workspace with an access code shows nothing of its own until it is unlocked.
        if workspace_ui.access_prompt(page.lang):
            body(page)


def load_default_data(lang: Lang) -> None:
    """Once per session, load ``$KPI_DEFAULT_DATA`` when no data is loaded: a data file (with
    its companions) or a converted Parquet folder, glob or URI (its last six months)."""
    value = os.environ.get(DEFAULT_DATA_ENV)
    if not value or state.default_data_tried() or state.get_dataset() is not None:
        return
    state.mark_default_data_tried()
    try:
        source = cache.default_source(value)
        state.set_dataset(cache.load(source), source)
    except KpiError as error:
        if error.code == "parquet.error.not_found":
            st.warning(translate("ui.error.default_data_missing", lang, path=value))
        else:
            st.warning(translate("ui.error.default_data", lang, path=value,
                                 reason=error.message(lang)))


def no_data_panel(page: PageContext, message_key: str) -> None:
    """What a page shows without data: why, a one-click sample and a link to the Data page."""
    st.info(page.t(message_key), icon=":material/info:")
    left, right = st.columns(2)
    if left.button(page.t("ui.overview.sample_button"), key=f"{page.page_id}_sample",
                   type="primary", icon=":material/science:"):
        source = cache.sample_source()
        with st.spinner():
            state.set_dataset(cache.load(source), source)
        st.rerun()
    with right:
        st.page_link("pages/1_Data.py", label=page.t("ui.overview.own_data"),
                     icon=":material/upload:")


def unavailable_note(page: PageContext, selection: Selection, heading_key: str) -> None:
    """A warning listing the chosen KPIs the data cannot compute, each with the reason."""
    if not selection.unavailable:
        return
    lines = [
        f"- {escape_markdown(kpi_label(kpi, page.lang))}: "
        f"{escape_markdown(check.sentence(page.lang))}"
        for kpi, check in selection.unavailable
    ]
    st.warning(page.t(heading_key) + "\n\n" + "\n".join(lines), icon=":material/block:")


@dataclass(frozen=True)
class ChosenData:
    """What an analysis page works on: the dataset, its cache key and the resolved KPIs."""

    dataset: Dataset
    key: str
    selection: Selection


def chosen_data(page: PageContext, prefix: str) -> ChosenData | None:
    """The loaded dataset with the charter's KPIs resolved against it, after the note on the
    KPIs it cannot compute; None once the page has said why there is nothing to show (no data:
    ``<prefix>.no_data``; no computable KPI: ``<prefix>.no_kpis`` and a link to the KPIs page).
    """
    dataset, key = state.get_dataset(), state.dataset_key()
    if dataset is None or key is None:
        no_data_panel(page, f"{prefix}.no_data")
        return None
    selection = resolve_for(state.get_charter(), dataset.interactions, dataset.activity,
                            dataset.forecast)
    unavailable_note(page, selection, f"{prefix}.unavailable")
    if not selection.kpis:
        st.info(page.t(f"{prefix}.no_kpis"), icon=":material/info:")
        st.page_link("pages/2_KPIs.py", label=page.t("ui.choose_kpis"), icon=":material/tune:")
        return None
    return ChosenData(dataset, key, selection)
