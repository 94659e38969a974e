"""The baseline and current periods the Changes and Report pages pick (shared in the session)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from kpi.changes import ComparisonPeriods, check_periods
from kpi.i18n import Lang
from kpi.ui import state
from kpi.ui.cache import TTL_SECONDS

#: How a date is typed in the date inputs, per language.
DATE_FORMATS = {"en": "YYYY/MM/DD", "pt": "DD/MM/YYYY"}


@st.cache_data(max_entries=32, ttl=TTL_SECONDS, show_spinner=False)
def data_span(dataset_key: str, _created: pd.Series) -> tuple[dt.date, dt.date]:
    """The first and last day of the data (once per dataset)."""
    return _created.min().date(), _created.max().date()


def range_inputs(t: Callable[..., str], lang: Lang, messages: str, key: str,
                 stored: ComparisonPeriods) -> ComparisonPeriods | None:
    """Two date ranges side by side (labels ``<messages>.baseline`` / ``.current``, widget keys
    ``<key>_baseline`` / ``_current``); None, with ``<messages>.pick_end``, while one is half
    picked. Raises the periods' own error when they cannot be compared."""
    left, right = st.columns(2)
    baseline = left.date_input(t(f"{messages}.baseline"), value=stored.baseline,
                               format=DATE_FORMATS[lang], key=f"{key}_baseline")
    current = right.date_input(t(f"{messages}.current"), value=stored.current,
                               format=DATE_FORMATS[lang], key=f"{key}_current")
    if len(baseline) != 2 or len(current) != 2:
        st.info(t(f"{messages}.pick_end"), icon=":material/info:")
        return None
    periods = ComparisonPeriods(tuple(baseline), tuple(current))  # type: ignore[arg-type]
    check_periods(periods)
    return periods


def remember(periods: ComparisonPeriods, stored: ComparisonPeriods) -> ComparisonPeriods:
    """``periods``, kept in the session when they differ from ``stored`` (both pages share)."""
    if periods != stored:
        state.set_periods(periods.baseline, periods.current)
    return periods
