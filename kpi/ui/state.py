"""The one accessor of Streamlit session state for domain objects.

Domain state (the language, the loaded dataset and where it came from; later KPI choices,
targets...) lives in typed objects under non-widget keys prefixed ``kpi:``; widgets keep their
own keys and never share one with domain state. Pages read and write domain state only through
this module: a typed :class:`Slot` per object, plus named helpers for the common ones.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

import streamlit as st

from kpi.charter import Charter
from kpi.errors import KpiError
from kpi.i18n import Lang, normalise_lang
from kpi.store import Workspace, WorkspaceError

if TYPE_CHECKING:
    from datetime import date

    from kpi.changes import ComparisonPeriods
    from kpi.load import Dataset
    from kpi.parquet_dataset import ParquetInfo

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
class ParquetSelection:
    """Months of a converted Parquet dataset opened by path or URI.

    ``fingerprint`` covers the files' paths, sizes and modification times
    (:attr:`kpi.parquet_dataset.ParquetInfo.fingerprint`), so a rewritten month reloads.
    """

    location: str
    months: tuple[str, ...]
    fingerprint: str


@dataclass(frozen=True)
class DataSource:
    """Where the current dataset came from and how it was loaded.

    Either uploaded ``files`` (names and bytes) or a ``parquet`` selection (path + months).
    ``mapping_json`` is the mapping the user gave (a saved file or corrections), or None when
    the mapping was detected; ``salt`` pseudonymises customer ids (None: kept as they are);
    ``shared`` marks the workspace's shared dataset, which is not loaded from here.
    ``content_key`` identifies the data, so caches key on it; the salt itself never enters a
    key, only its digest.
    """

    files: tuple[tuple[str, bytes], ...] = ()
    is_sample: bool = False
    mapping_json: str | None = None
    salt: bytes | None = field(default=None, repr=False)
    parquet: ParquetSelection | None = None
    shared: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        if self.parquet is not None:
            return (self.parquet.location,)
        return tuple(name for name, _ in self.files)

    @property
    def content_key(self) -> str:
        if self.parquet is not None:
            selection = self.parquet
            text = "\n".join(("parquet", selection.location, ",".join(selection.months),
                              selection.fingerprint))
            return hashlib.sha256(text.encode()).hexdigest()
        return content_key(self.files)

    @property
    def privacy_key(self) -> str:
        """A digest of the salt ("" when customer ids are not pseudonymised)."""
        from kpi.privacy import salt_digest

        return salt_digest(self.salt)

    @property
    def load_key(self) -> str:
        """The content and the pseudonymisation: what the loaded frame depends on (without
        the mapping)."""
        return f"{self.content_key}:{self.privacy_key}"

    @property
    def dataset_key(self) -> str:
        """Changes whenever the data, the mapping or the pseudonymisation changes: a cache key
        for derived results."""
        digest = hashlib.sha256(self.content_key.encode())
        digest.update((self.mapping_json or "").encode())
        if self.salt is not None:
            digest.update(b"\0privacy:" + self.privacy_key.encode())
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
#: The converted Parquet dataset the Data page inspected (its months, before loading).
PARQUET_INFO: Slot[ParquetInfo] = Slot("parquet_info")
#: The error of the last failed change of the pseudonymisation setting (shown once).
PRIVACY_ERROR: Slot[KpiError] = Slot("privacy_error")
#: A pseudonymisation salt of this session only, used when the workspace cannot be read.
SESSION_SALT: Slot[bytes] = Slot("session_salt")


def get_lang() -> Lang | None:
    """The language the user chose (or the browser's, once resolved), None before that."""
    value = LANG.get()
    return None if value is None else normalise_lang(value)


def set_lang(lang: str) -> None:
    LANG.set(normalise_lang(lang))


def get_dataset() -> Dataset | None:
    """The loaded dataset, or None when the session has no data yet.

    A session without data that opens a workspace with a shared dataset (``kpi.workshop.
    share_dataset``) gets that one.
    """
    dataset = DATASET.get()
    if dataset is None:
        dataset = _shared_dataset()
    return dataset


@st.cache_resource(max_entries=4, ttl=3600, show_spinner=False)
def _shared(path: str, key: str) -> object:
    from kpi.workshop import shared_dataset

    return shared_dataset(Workspace(Path(path)))


def _shared_dataset() -> Dataset | None:
    from kpi.workshop import shared_key

    try:
        if not is_unlocked():
            return None
        current = workspace()
        key = shared_key(current)
        if key is None:
            return None
        shared = _shared(str(current.path), key)
    except KpiError:
        return None
    if shared is None:
        return None
    label = shared.label or (workspace_name() or "workspace")
    set_dataset(shared.dataset, DataSource(files=((label, key.encode()),), shared=True))
    return shared.dataset


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


#: The named workspace this session works in (None: the server's own workspace).
WORKSPACE_NAME: Slot[str] = Slot("workspace_name")
#: Named workspaces whose access code this session gave (``""`` is the server's own).
UNLOCKED: Slot[frozenset[str]] = Slot("workspace_unlocked")
#: History id of the charter in :data:`CHARTER` (another session's save changes it).
CHARTER_ID: Slot[int] = Slot("charter_id")
#: The query parameter naming the workspace: ``?workspace=ops-brazil``.
WORKSPACE_PARAM = "workspace"


def workspace_name() -> str | None:
    """The current named workspace: ``?workspace=`` when the URL has a valid one (switching
    to it), else the one chosen earlier in this session, else None (the server's own)."""
    from kpi.store import workspace_name as valid_name

    asked = st.query_params.get(WORKSPACE_PARAM)
    if asked:
        try:
            name = valid_name(asked)
        except WorkspaceError:
            name = None
        if name is not None and name != WORKSPACE_NAME.get():
            switch_workspace(name)
    return WORKSPACE_NAME.get()


def switch_workspace(name: str | None) -> None:
    """Work in the named workspace ``name`` (None: the server's own) from now on.

    Everything loaded for the previous workspace (data, charter, periods) is forgotten, so one
    workspace's data never shows in another.
    """
    if name == WORKSPACE_NAME.get():
        return
    for slot in (DATASET, SOURCE, CHARTER, CHARTER_ID, PERIODS, WORKSPACE_ERROR, LOAD_ERROR,
                 LAST_UPLOAD, PARQUET_INFO):
        slot.clear()
    if name is None:
        WORKSPACE_NAME.clear()
    else:
        WORKSPACE_NAME.set(name)


def _workspace_path() -> str | None:
    from kpi.store import named_workspace_dir

    root = os.environ.get("KPI_WORKBENCH_HOME")
    name = workspace_name()
    return root if name is None else str(named_workspace_dir(name, root))


def open_workspace() -> Workspace:
    """The current workspace even when it is locked (to ask for its code or show its name)."""
    return _workspace(_workspace_path())


def is_unlocked() -> bool:
    """Whether this session may use the current workspace (no code, or the code was given)."""
    from kpi.access import has_code

    if (workspace_name() or "") in (UNLOCKED.get() or frozenset()):
        return True
    return not has_code(open_workspace())


def unlock_workspace(code: str) -> None:
    """Give the current workspace's access code; raises ``AccessDeniedError`` when wrong or while
    attempts are slowed down."""
    from kpi.access import unlock

    unlock(open_workspace(), code)
    _mark_unlocked()


def protect_workspace(code: str | None) -> None:
    """Set (or with None/blank remove) the current workspace's access code; this session
    keeps access. Raises ``AccessDeniedError`` for a code too short, or a locked workspace."""
    from kpi.access import set_code

    set_code(workspace(), code)
    _mark_unlocked()


def _mark_unlocked() -> None:
    UNLOCKED.set((UNLOCKED.get() or frozenset()) | {workspace_name() or ""})
    # what was read while locked (an empty charter and the refusal) is read again
    CHARTER.clear()
    CHARTER_ID.clear()
    WORKSPACE_ERROR.clear()


def workspace() -> Workspace:
    """The current workspace (named, else ``KPI_WORKBENCH_HOME``, else the user's data folder).

    Raises :class:`~kpi.access.AccessDeniedError` (a ``WorkspaceError``) when it has an access code
    this session has not given.
    """
    from kpi.access import AccessDeniedError

    if not is_unlocked():
        raise AccessDeniedError("workshop.access.locked", name=workspace_name() or "")
    return open_workspace()


def pseudonymisation_salt() -> bytes | None:
    """The salt customer ids are pseudonymised with in the current workspace (None: off).

    On by default (:func:`kpi.privacy.workspace_salt`). A workspace that cannot be read
    still pseudonymises, with a salt of this session only (tokens stable within the session).
    """
    from kpi.privacy import new_salt, workspace_salt

    try:
        return workspace_salt(open_workspace())
    except (KpiError, sqlite3.Error, OSError):
        salt = SESSION_SALT.get()
        if salt is None:
            salt = new_salt()
            SESSION_SALT.set(salt)
        return salt


def pseudonymising() -> bool:
    """Whether the current workspace pseudonymises customer ids (True when it cannot say)."""
    from kpi.privacy import is_pseudonymising

    try:
        return is_pseudonymising(open_workspace())
    except (KpiError, sqlite3.Error, OSError):
        return True


def set_pseudonymising(on: bool) -> None:
    """Switch pseudonymisation of the current workspace (saved at once). Raises the
    workspace's error when it is locked or cannot be written."""
    from kpi.privacy import set_pseudonymisation

    set_pseudonymisation(workspace(), on)


def get_charter() -> Charter:
    """The KPI charter of the current workspace, re-read whenever anyone saved a new one.

    A workspace that cannot be read (corrupt, newer version, locked) leaves an empty charter in
    the session and the error in :data:`WORKSPACE_ERROR` for the page to show; nothing is
    overwritten.
    """
    charter = CHARTER.get()
    try:
        current = workspace().current_charter_id()
        if charter is None or current != CHARTER_ID.get():
            charter = workspace().load_charter() or Charter()
            if current is not None:
                CHARTER_ID.set(current)
    except WorkspaceError as error:
        WORKSPACE_ERROR.set(error)
        charter = charter or Charter()
    CHARTER.set(charter)
    return charter


def set_charter(charter: Charter, *, note: str = "") -> Charter:
    """Keep ``charter`` for this session and save it in the workspace (one transaction).

    Make the change with ``state.get_charter().revised(...)``. A failed save raises the
    workspace's :class:`~kpi.store.WorkspaceError` and leaves the session's charter as it was.
    """
    history_id = workspace().save_charter(charter, note=note)
    remember_charter(charter, history_id)
    return charter


def remember_charter(charter: Charter, history_id: int) -> None:
    """Keep ``charter`` (already saved as history entry ``history_id``) for this session."""
    CHARTER.set(charter)
    CHARTER_ID.set(history_id)


#: The periods the Changes page compares (chosen there, or brushed on a Trends chart).
PERIODS: Slot[ComparisonPeriods] = Slot("periods")


def get_periods() -> ComparisonPeriods | None:
    """The baseline and current periods chosen in this session, or None (use the default)."""
    return PERIODS.get()


def set_periods(baseline: tuple[date, date], current: tuple[date, date]) -> None:
    """Remember the periods to compare (inclusive dates) for the rest of the session."""
    from kpi.changes import ComparisonPeriods

    PERIODS.set(ComparisonPeriods(tuple(baseline), tuple(current)))  # type: ignore[arg-type]
