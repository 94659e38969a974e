"""The one accessor of Streamlit session state for domain objects.

Domain state (the language, the loaded dataset and where it came from; later KPI choices,
targets...) lives in typed objects under non-widget keys prefixed ``kpi:``; widgets keep their
own keys and never share one with domain state. Pages read and write domain state only through
this module: a typed :class:`Slot` per object, plus named helpers for the common ones.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

import streamlit as st

from kpi.charter import Charter
from kpi.i18n import Lang, normalise_lang
from kpi.store import Workspace, WorkspaceError

if TYPE_CHECKING:
    from datetime import date

    from kpi.changes import ComparisonPeriods
    from kpi.errors import KpiError
    from kpi.load import Dataset

T = TypeVar("T")


class Slot(Generic[T]):
    """A typed value stored in session state under a non-widget key (``kpi:<name>``)."""

    def __init__(self, name: str) -> None:
        self.key = f"kpi:{name}"

    def get(self) -> T | None:
        """The stored value, or None when nothing was stored in this session."""
        return st.session_state.get(self.key)

    def set(self, value: T) -> None:
        """Store ``value`` for the rest of the session."""
        st.session_state[self.key] = value

    def clear(self) -> None:
        """Forget the value."""
        st.session_state.pop(self.key, None)


@dataclass(frozen=True)
class DataSource:
    """Where the current dataset came from: the files (names and bytes) and how it was loaded.

    ``mapping_json`` is the mapping the user gave (a saved file or corrections), or None when
    the mapping was detected; ``content_key`` identifies the bytes, so caches key on it.
    """

    files: tuple[tuple[str, bytes], ...]
    is_sample: bool = False
    mapping_json: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.files)

    @property
    def content_key(self) -> str:
        return content_key(self.files)

    @property
    def dataset_key(self) -> str:
        """Changes whenever the data or the mapping changes: a cache key for derived results."""
        digest = hashlib.sha256(self.content_key.encode())
        digest.update((self.mapping_json or "").encode())
        return digest.hexdigest()


def content_key(files: Sequence[tuple[str, bytes]]) -> str:
    """A SHA-256 over the file names and bytes, in order."""
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode())
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


LANG: Slot[str] = Slot("lang")
DATASET: Slot[Dataset] = Slot("dataset")
SOURCE: Slot[DataSource] = Slot("source")
DEFAULT_DATA_TRIED: Slot[bool] = Slot("default_data_tried")
#: The error of the last failed load (shown until the next load attempt).
LOAD_ERROR: Slot[KpiError] = Slot("load_error")
#: Content key of the uploads (files + saved mapping) the Data page last acted upon.
LAST_UPLOAD: Slot[str] = Slot("last_upload")
#: The page-level notice to show once after a rerun (a message key and its params).
NOTICE: Slot[tuple[str, dict[str, object]]] = Slot("notice")
#: The KPI charter (chosen KPIs, parameters, custom KPIs, targets), mirrored in the workspace.
CHARTER: Slot[Charter] = Slot("charter")
#: The workspace error met when reading the charter (shown once; the app keeps working).
WORKSPACE_ERROR: Slot[WorkspaceError] = Slot("workspace_error")


def get_lang() -> Lang | None:
    """The language the user chose (or the browser's, once resolved), None before that."""
    value = LANG.get()
    return None if value is None else normalise_lang(value)


def set_lang(lang: str) -> None:
    LANG.set(normalise_lang(lang))


def get_dataset() -> Dataset | None:
    """The loaded dataset, or None when the session has no data yet."""
    return DATASET.get()


def get_source() -> DataSource | None:
    """Where the loaded dataset came from, or None."""
    return SOURCE.get()


def set_dataset(dataset: Dataset, source: DataSource) -> None:
    """Keep ``dataset`` (loaded from ``source``) for every page of this session."""
    DATASET.set(dataset)
    SOURCE.set(source)


def clear_dataset() -> None:
    DATASET.clear()
    SOURCE.clear()


def dataset_key() -> str | None:
    """A key that changes whenever the data or its mapping changes (None without data)."""
    source = get_source()
    return None if source is None else source.dataset_key


def default_data_tried() -> bool:
    return bool(DEFAULT_DATA_TRIED.get())


def mark_default_data_tried() -> None:
    DEFAULT_DATA_TRIED.set(True)


def push_notice(key: str, **params: object) -> None:
    """Remember a message to show once on the next run (e.g. after ``st.rerun``)."""
    NOTICE.set((key, params))


def pop_notice() -> tuple[str, dict[str, object]] | None:
    notice = NOTICE.get()
    NOTICE.clear()
    return notice


def widget_value(key: str) -> object:
    """The current value of the widget with ``key`` (for ``on_change`` callbacks)."""
    return st.session_state.get(key)


@st.cache_resource(show_spinner=False)
def _workspace(path: str | None) -> Workspace:
    return Workspace.open(path)


def workspace() -> Workspace:
    """The workspace of this server (``KPI_WORKBENCH_HOME``, else the user's data folder)."""
    return _workspace(os.environ.get("KPI_WORKBENCH_HOME"))


def get_charter() -> Charter:
    """The KPI charter of this session, read from the workspace on first use.

    A workspace that cannot be read (corrupt, newer version) leaves an empty charter in the
    session and the error in :data:`WORKSPACE_ERROR` for the page to show; nothing is
    overwritten.
    """
    charter = CHARTER.get()
    if charter is None:
        try:
            charter = workspace().load_charter() or Charter()
        except WorkspaceError as error:
            WORKSPACE_ERROR.set(error)
            charter = Charter()
        CHARTER.set(charter)
    return charter


def set_charter(charter: Charter, *, note: str = "") -> Charter:
    """Keep ``charter`` for this session and save it in the workspace (one transaction).

    Make the change with ``state.get_charter().revised(...)``. A failed save raises the
    workspace's :class:`~kpi.store.WorkspaceError` and leaves the session's charter as it was.
    """
    workspace().save_charter(charter, note=note)
    CHARTER.set(charter)
    return charter


#: The periods the Changes page compares (chosen there, or brushed on a Trends chart).
PERIODS: Slot[ComparisonPeriods] = Slot("periods")


def get_periods() -> ComparisonPeriods | None:
    """The baseline and current periods chosen in this session, or None (use the default)."""
    return PERIODS.get()


def set_periods(baseline: tuple[date, date], current: tuple[date, date]) -> None:
    """Remember the periods to compare (inclusive dates) for the rest of the session."""
    from kpi.changes import ComparisonPeriods

    PERIODS.set(ComparisonPeriods(tuple(baseline), tuple(current)))  # type: ignore[arg-type]
