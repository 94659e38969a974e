"""The user's language: the browser's at first, then the sidebar switch (English / Português)."""

from __future__ import annotations

import streamlit as st

from kpi.i18n import LANGUAGES, Lang, normalise_lang, translate
from kpi.ui import state

SWITCH_KEY = "ui_lang_switch"


def browser_lang() -> Lang:
    """The supported language closest to the browser's ``navigator.language``."""
    return normalise_lang(st.context.locale)


def current_lang() -> Lang:
    """The session's language, resolved from the browser on the first run."""
    lang = state.get_lang()
    if lang is None:
        lang = browser_lang()
        state.set_lang(lang)
    return lang


def _on_switch() -> None:
    state.set_lang(str(state.widget_value(SWITCH_KEY)))


def language_switch(lang: Lang) -> None:
    """The English / Português switch; a change takes effect on the run it triggers."""
    options = list(LANGUAGES)
    st.radio(
        translate("ui.lang.label", lang),
        options,
        index=options.index(lang),
        format_func=LANGUAGES.__getitem__,
        horizontal=True,
        key=SWITCH_KEY,
        on_change=_on_switch,
    )
