"""Choosing the shared workspace: ``?workspace=ops-brazil``, the picker and the access prompt.

The current workspace lives in :mod:`kpi.ui.state` (``state.workspace()``); this module draws
the widgets that change it. :func:`workspace_picker` lists the server's named workspaces and
opens (or creates) one by name, keeping ``?workspace=`` in the URL so the link can be shared;
:func:`access_prompt` asks for the code of a protected workspace and returns whether the
session may use it.
"""

from __future__ import annotations

import os

import streamlit as st

from kpi.errors import KpiError
from kpi.i18n import Lang, translate
from kpi.store import Workspace, named_workspaces, workspace_name
from kpi.ui import state
from kpi.ui.widgets import show_error

#: The picker's entry for the server's own (unnamed) workspace.
SERVER_WORKSPACE = ""


def current() -> Workspace:
    """The current workspace (raises ``AccessDeniedError`` while it is locked)."""
    return state.workspace()


def label(lang: Lang) -> str:
    """The current workspace's name, or what the server's own one is called."""
    return state.workspace_name() or translate("workshop.workspace.server", lang)


def open_named(name: str | None) -> None:
    """Switch this session to ``name`` (None: the server's own) and put it in the URL."""
    state.switch_workspace(name)
    if name is None:
        st.query_params.pop(state.WORKSPACE_PARAM, None)
    else:
        st.query_params[state.WORKSPACE_PARAM] = name


def workspace_picker(lang: Lang) -> None:
    """Pick a named workspace of this server, or open/create one by name."""
    current_name = state.workspace_name()
    names = named_workspaces(os.environ.get("KPI_WORKBENCH_HOME"))
    if current_name is not None and current_name not in names:
        names.append(current_name)
    options = [SERVER_WORKSPACE, *sorted(names)]
    chosen = st.selectbox(
        translate("workshop.workspace.pick", lang), options,
        index=options.index(current_name or SERVER_WORKSPACE),
        format_func=lambda n: n or translate("workshop.workspace.server", lang),
        key=f"workspace_pick_{current_name or ''}",
    )
    if (chosen or None) != current_name:
        open_named(chosen or None)
        st.rerun()
    with st.form("workspace_open_form", clear_on_submit=True, border=False):
        typed = st.text_input(translate("workshop.workspace.open_label", lang),
                              key="workspace_open_name",
                              placeholder="ops-brazil",
                              help=translate("workshop.workspace.open_help", lang))
        if st.form_submit_button(translate("workshop.workspace.open_button", lang)):
            try:
                name = workspace_name(typed)
            except KpiError as error:
                show_error(error, lang)
            else:
                open_named(name)
                st.rerun()


def warn_bad_url(lang: Lang) -> None:
    """Say so when ``?workspace=`` in the URL is not a valid name (it is then ignored)."""
    asked = st.query_params.get(state.WORKSPACE_PARAM)
    if not asked:
        return
    try:
        workspace_name(asked)
    except KpiError as error:
        st.warning(error.message(lang), icon=":material/warning:")


def access_prompt(lang: Lang) -> bool:
    """True when the session may use the current workspace; otherwise asks for its code."""
    if state.is_unlocked():
        return True
    st.warning(translate("workshop.access.locked", lang, name=label(lang)),
               icon=":material/lock:")
    with st.form("workspace_code_form", clear_on_submit=True):
        code = st.text_input(translate("workshop.access.code_label", lang), type="password",
                             key="workspace_code")
        submitted = st.form_submit_button(translate("workshop.access.unlock", lang),
                                          type="primary")
    if submitted:
        try:
            state.unlock_workspace(code)
        except KpiError as error:
            show_error(error, lang)
            return False
        st.rerun()
    return False
