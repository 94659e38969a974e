"""Small pieces several pages draw: errors, the dataset status and summary, validation report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from kpi.errors import KpiError
from kpi.i18n import Lang, translate
from kpi.ui import format as fmt
from kpi.ui import state

if TYPE_CHECKING:
    from kpi.load import Dataset
    from kpi.ui.state import DataSource


_MARKDOWN_SPECIALS = frozenset("\\`*_{}[]<>#+-!|$~")


def escape_markdown(text: str) -> str:
    """Text from data or files shown literally in Streamlit's markdown (no emphasis, links,
    HTML or ``$…$`` maths from a value such as ``R$ 1,97``)."""
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIALS else c for c in text)


@dataclass(frozen=True)
class DatasetSummary:
    """Headline numbers of a loaded dataset."""

    rows: int
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    channels: tuple[str, ...]


def summarise(dataset: Dataset) -> DatasetSummary:
    """Rows, first and last contact, and channels (most frequent first) of ``dataset``."""
    frame = dataset.interactions
    created = frame["created_at"] if "created_at" in frame else pd.Series(dtype="datetime64[us]")
    channels: tuple[str, ...] = ()
    if "channel" in frame:
        channels = tuple(str(c) for c in frame["channel"].value_counts().index)
    start, end = created.min(), created.max()
    return DatasetSummary(
        rows=len(frame),
        start=None if pd.isna(start) else start,
        end=None if pd.isna(end) else end,
        channels=channels,
    )


def show_error(error: KpiError, lang: Lang) -> None:
    """One translated sentence for a project error."""
    st.error(escape_markdown(error.message(lang)), icon=":material/error:")


def source_label(source: DataSource | None, lang: Lang) -> str:
    """``Sample data``, the file's name, or ``3 files``."""
    if source is None:
        return ""
    if source.is_sample:
        return translate("ui.status.sample", lang)
    if len(source.names) == 1:
        return source.names[0]
    return translate("ui.status.files", lang, count=len(source.names))


def dataset_status(lang: Lang, *, on_data_page: bool = False) -> None:
    """The sidebar line saying which data is loaded (or that none is)."""
    dataset = state.get_dataset()
    st.caption(translate("ui.status.heading", lang))
    if dataset is None:
        st.caption(translate("ui.status.none_here" if on_data_page else "ui.status.none", lang))
        return
    summary = summarise(dataset)
    st.caption(
        escape_markdown(
            translate(
                "ui.status.loaded",
                lang,
                source=source_label(state.get_source(), lang),
                rows=fmt.integer(summary.rows, lang),
                start=fmt.date(summary.start, lang),
                end=fmt.date(summary.end, lang),
            )
        )
    )


def validation_headline(dataset: Dataset, lang: Lang) -> str:
    """One sentence: rows kept of rows read, and how many issues need a look."""
    report = dataset.report
    key = "ui.validation.headline" if report.issues else "ui.validation.headline_clean"
    return translate(
        key,
        lang,
        kept=fmt.integer(report.rows_kept, lang),
        read=fmt.integer(report.rows_read, lang),
        issues=fmt.integer(len(report.issues), lang),
    )


def dataset_metrics(dataset: Dataset, lang: Lang) -> None:
    """Contacts as a metric; date range, channels and the validation headline as text.

    (Long values in ``st.metric`` are cut with an ellipsis, so text stays text.)
    """
    summary = summarise(dataset)
    st.metric(translate("ui.overview.rows", lang), fmt.integer(summary.rows, lang))
    date_range = translate(
        "ui.overview.range_value",
        lang,
        start=fmt.date(summary.start, lang),
        end=fmt.date(summary.end, lang),
    )
    channels = ", ".join(summary.channels) or translate("ui.overview.no_channels", lang)
    channels = escape_markdown(channels)
    st.markdown(
        f"**{translate('ui.overview.date_range', lang)}:** {date_range}  \n"
        f"**{translate('ui.overview.channels', lang)}:** {channels}  \n"
        f"**{translate('ui.overview.validation', lang)}:** {validation_headline(dataset, lang)}"
    )


def field_label(name: str, lang: Lang) -> str:
    """A canonical field's name for people ("Canal" for ``channel``); other columns as they are."""
    key = f"data_page.field.{name}"
    text = translate(key, lang)
    return name if text == key else text
