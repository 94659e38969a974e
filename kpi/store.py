"""The workspace: an embedded SQLite database plus a folder of Parquet files.

Layout of a workspace folder (created ``0700``; files ``0600``)::

    workspace.sqlite3        charter (current + history), mappings, dataset metadata,
                             workshop proposals / votes / decisions, settings (access code)
    datasets/<uuid>.parquet  one canonical table per saved dataset
    workspaces/<name>/       named shared workspaces (``?workspace=ops-brazil``), same layout

Schema versions: 1 (charter, mappings, datasets); 2 adds ``settings`` and the workshop tables.
A version-1 database is migrated in place, in one transaction, when it is opened.

Every change is one transaction (``BEGIN IMMEDIATE``; a busy database is retried with
back-off on top of SQLite's busy timeout), the journal is in WAL mode so readers never block
the writer, and ``PRAGMA user_version`` records the schema version. Parquet files are written
to a temporary file and moved into place with ``os.replace`` before the database row that
names them is committed, so a crash leaves either the old or the new state.

Faults, when :meth:`Workspace.open` runs (under an exclusive lock on the folder):

* a damaged database (not a SQLite file, or ``PRAGMA quick_check`` fails) is renamed, with its
  ``-wal``/``-shm``, to ``workspace.corrupt-<YYYYmmddTHHMMSS>[-n].sqlite3`` and a fresh one is
  started; :attr:`Workspace.recovered_from` names the set-aside file. The ``datasets`` folder is
  kept as it is.
* a database written by a newer version, or a SQLite database that is not a workspace (foreign
  tables), raises :class:`WorkspaceError` and is never modified or moved.
* temporary Parquet files (``datasets/.*.tmp``) older than a minute, left by a killed writer,
  are deleted (younger ones may belong to a writer in another process).

A full disk (SQLite's ``SQLITE_FULL``, a SQLite I/O error while the disk has no room, or
``ENOSPC``/``EDQUOT`` while writing Parquet) raises ``targets.store.disk_full``; the failed
transaction is rolled back and the temporary file removed, so nothing changes.

Each operation opens its own short-lived connection, so one :class:`Workspace` can be shared by
the threads of a Streamlit server and by several processes on the same folder.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import sqlite3
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kpi.charter import Charter
from kpi.errors import KpiError

#: The database schema this version creates and the newest it can open.
SCHEMA_VERSION = 2
DB_NAME = "workspace.sqlite3"
DATASETS_DIR = "datasets"
#: Sub-folder of the server's workspace folder holding the named workspaces.
NAMED_DIR = "workspaces"
#: A workspace name: lower-case letters, digits and inner hyphens, at most 40 characters.
NAME_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
APP_DIR_NAME = "kpi-workbench"
#: Environment variable that overrides the default workspace folder.
ENV_VAR = "KPI_WORKBENCH_HOME"

_BUSY_TIMEOUT_SECONDS = 5.0
_RETRIES = 5
#: The first 16 bytes of every SQLite 3 database file.
_SQLITE_HEADER = b"SQLite format 3\x00"
#: Temporary Parquet files younger than this may belong to a writer in another process.
STALE_TEMPORARY_SECONDS = 60.0
#: With less room than this on the disk, a SQLite I/O error is taken for a full disk.
_NEARLY_FULL_BYTES = 256 * 1024

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS charter_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    saved_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    document TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS charter_current (
    slot INTEGER PRIMARY KEY CHECK (slot = 1),
    history_id INTEGER NOT NULL REFERENCES charter_history(id)
);
CREATE TABLE IF NOT EXISTS mappings (
    name TEXT PRIMARY KEY,
    saved_at TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS datasets (
    name TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    rows INTEGER NOT NULL,
    columns TEXT NOT NULL,
    metadata TEXT NOT NULL
);
"""

#: Version 2: key/value settings (the access code) and the workshop's tables.
_SCHEMA_V2 = """
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS workshop_proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kpi TEXT NOT NULL,
    label TEXT NOT NULL,
    why TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    custom TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS workshop_votes (
    proposal_id INTEGER NOT NULL REFERENCES workshop_proposals(id) ON DELETE CASCADE,
    participant_key TEXT NOT NULL,
    participant TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    target REAL,
    voted_at TEXT NOT NULL,
    PRIMARY KEY (proposal_id, participant_key)
);
CREATE TABLE IF NOT EXISTS workshop_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    decided_at TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    charter_history_id INTEGER REFERENCES charter_history(id),
    document TEXT NOT NULL
);
"""


def _execute_script(conn: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


class WorkspaceError(KpiError):
    """The workspace cannot be used (damaged, newer version, busy, disk full, missing entry)."""


class _ForeignDatabaseError(Exception):
    """The database file holds tables that are not a workspace's."""


@dataclass(frozen=True)
class CharterRevision:
    """One saved version of the charter."""

    id: int
    saved_at: str
    note: str
    charter: Charter


@dataclass(frozen=True)
class DatasetInfo:
    """Metadata of a saved dataset (its frame is in ``datasets/<file>``)."""

    name: str
    file: str
    saved_at: str
    rows: int
    columns: tuple[str, ...]
    metadata: Mapping[str, Any]


def default_workspace_dir() -> Path:
    """``$KPI_WORKBENCH_HOME``, else ``$XDG_DATA_HOME/kpi-workbench``, else
    ``~/.local/share/kpi-workbench`` (``%APPDATA%`` on Windows)."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or (
        os.environ.get("APPDATA") if os.name == "nt" else None
    )
    root = Path(base) if base else Path.home() / ".local" / "share"
    return root / APP_DIR_NAME


def _now() -> str:
    return datetime.now().isoformat(timespec="microseconds")


class Workspace:
    """A workspace folder; open with :meth:`open`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db_path = path / DB_NAME
        self.datasets_dir = path / DATASETS_DIR
        #: The damaged database :meth:`open` set aside before starting a fresh one, or None.
        self.recovered_from: Path | None = None

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Workspace:
        """Open (creating if needed) the workspace at ``path`` (default
        :func:`default_workspace_dir`). A damaged database is set aside and a fresh one started
        (see :attr:`recovered_from`); a newer or foreign database raises
        :class:`WorkspaceError`."""
        folder = Path(path) if path is not None else default_workspace_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        (folder / DATASETS_DIR).mkdir(mode=0o700, exist_ok=True)
        workspace = cls(folder)
        with _folder_lock(folder):  # one process at a time decides about a damaged file
            if workspace._is_damaged():
                workspace.recovered_from = workspace._set_aside()
            if not workspace.db_path.exists():
                # create the file owner-only before SQLite touches it (its -wal/-shm inherit
                # this)
                fd = os.open(workspace.db_path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            workspace._initialise()
            if workspace.recovered_from is not None:
                workspace._carry_settings(workspace.recovered_from)
        workspace.remove_stale_temporaries()
        return workspace

    def _is_damaged(self) -> bool:
        """Whether the database file is not SQLite or fails ``PRAGMA quick_check``. A newer
        or foreign database is not looked into (it is refused later, untouched)."""
        try:
            with open(self.db_path, "rb") as file:
                header = file.read(len(_SQLITE_HEADER))
        except FileNotFoundError:
            return False
        if not header:  # an empty file is a new database
            return False
        if header != _SQLITE_HEADER:
            return True
        try:
            with self._connection(map_corruption=False) as conn:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION or (version == 0 and _has_tables(conn)):
                    return False
                return conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]
        except sqlite3.DatabaseError as error:  # a full disk arrives mapped already
            if _error_code(error) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
                return True
            if _error_code(error) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise WorkspaceError("targets.store.busy", path=str(self.db_path)) from error
            raise

    def _set_aside(self) -> Path:
        """Rename the damaged database (and its ``-wal``/``-shm``) to a timestamped name that
        no file has yet; returns the new path."""
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        stem = DB_NAME.removesuffix(".sqlite3")
        candidate = self.path / f"{stem}.corrupt-{stamp}.sqlite3"
        number = 1
        while any(Path(f"{candidate}{s}").exists() for s in ("", "-wal", "-shm")):
            number += 1
            candidate = self.path / f"{stem}.corrupt-{stamp}-{number}.sqlite3"
        for suffix in ("-wal", "-shm", ""):  # the main file last: it marks the move as done
            source = Path(f"{self.db_path}{suffix}")
            if source.exists():
                os.rename(source, f"{candidate}{suffix}")
        logger.warning("damaged workspace database %s set aside as %s", self.db_path, candidate)
        return candidate

    def _carry_settings(self, damaged: Path) -> None:
        """Copy the settings (access code, pseudonymisation salt) that can still be read from
        the damaged database into the fresh one, so a protected workspace stays protected."""
        try:
            rows = _read_as_is(damaged, "SELECT key, value FROM settings")
        except sqlite3.Error:
            return
        if rows:
            self.transact(lambda c: [write_setting(c, str(k), str(v)) for k, v in rows])
            logger.warning("settings carried over from %s: %s", damaged.name,
                           ", ".join(sorted(str(k) for k, _ in rows)))

    def remove_stale_temporaries(self, older_than: float = STALE_TEMPORARY_SECONDS) -> int:
        """Delete temporary Parquet files (``datasets/.*.tmp``) last written more than
        ``older_than`` seconds ago (left by a killed writer); returns how many."""
        limit = time.time() - older_than
        removed = 0
        for temporary in self.datasets_dir.glob(".*.tmp"):
            with contextlib.suppress(OSError):  # gone already, or not ours to delete
                if temporary.stat().st_mtime < limit:
                    temporary.unlink()
                    removed += 1
        return removed

    def _initialise(self) -> None:
        with self._connection() as conn:
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise WorkspaceError(
                        "targets.store.newer_version",
                        path=str(self.db_path), found=version, supported=SCHEMA_VERSION,
                    )
                if version < SCHEMA_VERSION:
                    self._write(conn, self._create_schema)
                mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                if str(mode).lower() != "wal":  # e.g. a network file system
                    conn.execute("PRAGMA journal_mode=DELETE")
            except _ForeignDatabaseError as error:
                raise WorkspaceError("targets.store.foreign", path=str(self.db_path)) from error
            except sqlite3.DatabaseError as error:
                if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
                    raise WorkspaceError("targets.store.busy", path=str(self.db_path)) from error
                raise self._workspace_error(error) or WorkspaceError(
                    "targets.store.corrupt", path=str(self.db_path)
                ) from error

    @staticmethod
    def _create_schema(conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            # an empty file or a foreign database: refuse the latter instead of adding tables
            foreign = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]
            if foreign:
                raise _ForeignDatabaseError
            _execute_script(conn, _SCHEMA)
            version = 1
        if version == 1:  # migration 1 -> 2: new tables only, existing rows untouched
            _execute_script(conn, _SCHEMA_V2)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextlib.contextmanager
    def _connection(self, *, map_corruption: bool = True) -> Iterator[sqlite3.Connection]:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves
        conn = sqlite3.connect(
            self.db_path, timeout=_BUSY_TIMEOUT_SECONDS, isolation_level=None
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT_SECONDS * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn
        except sqlite3.DatabaseError as error:
            mapped = self._workspace_error(error)
            if mapped is None or (mapped.code == "targets.store.corrupt" and not map_corruption):
                raise
            raise mapped from error
        finally:
            conn.close()

    def _workspace_error(self, error: sqlite3.DatabaseError) -> WorkspaceError | None:
        """The workspace's own error for a damaged database or a full disk, else None."""
        code = _error_code(error)
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return WorkspaceError("targets.store.corrupt", path=str(self.db_path))
        if code == sqlite3.SQLITE_FULL or (
            code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN) and _nearly_full(self.path)
        ):
            return WorkspaceError("targets.store.disk_full", path=str(self.path))
        return None

    def _write(self, conn: sqlite3.Connection, change: Any) -> Any:
        """Run ``change(conn)`` in one ``BEGIN IMMEDIATE`` transaction, retrying while busy."""
        for attempt in range(_RETRIES):
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                time.sleep(0.05 * 2**attempt)
                continue
            try:
                result = change(conn)
                conn.execute("COMMIT")
            except BaseException:
                # SQLite may have rolled back already (e.g. SQLITE_FULL); keep the first error
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise
            return result
        raise WorkspaceError("targets.store.busy", path=str(self.db_path))

    def transact(self, change: Any) -> Any:
        """Run ``change(connection)`` atomically (one transaction) and return its result."""
        with self._connection() as conn:
            return self._write(conn, change)

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._connection() as conn:
                return conn.execute(sql, params).fetchall()
        except WorkspaceError as error:
            if error.code != "targets.store.disk_full" or _wal_has_frames(self.db_path):
                raise
        # On a full disk SQLite cannot create the shared-memory file even to read; with no
        # write-ahead log pending the database file alone is complete, so read it as is.
        return _read_as_is(self.db_path, sql, params)

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of one read-only statement (its own connection; sees committed changes)."""
        return self._read(sql, params)

    @property
    def name(self) -> str | None:
        """The workspace's name when it is a named one (its folder under ``workspaces/``)."""
        return self.path.name if self.path.parent.name == NAMED_DIR else None

    # -- settings --------------------------------------------------------------------------
    def get_setting(self, key: str) -> str | None:
        """A stored setting (e.g. the access code's hash), or None."""
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_setting(self, key: str, value: str | None) -> None:
        """Store (or with None delete) a setting, in one transaction."""
        self.transact(lambda conn: write_setting(conn, key, value))

    @property
    def schema_version(self) -> int:
        """The database's ``user_version``."""
        return int(self._read("PRAGMA user_version")[0][0])

    # -- charter ---------------------------------------------------------------------------
    def save_charter(self, charter: Charter, *, note: str = "") -> int:
        """Save ``charter`` as the current one (the previous stays in the history); returns its
        history id."""
        return self.transact(lambda conn: insert_charter(conn, charter, note))

    def current_charter_id(self) -> int | None:
        """History id of the current charter (changes whenever anyone saves one), or None."""
        rows = self._read("SELECT history_id FROM charter_current WHERE slot = 1")
        return int(rows[0][0]) if rows else None

    def load_charter(self) -> Charter | None:
        """The current charter, or None when none was saved."""
        rows = self._read(
            "SELECT h.document FROM charter_current c JOIN charter_history h "
            "ON h.id = c.history_id WHERE c.slot = 1"
        )
        return Charter.from_json(rows[0][0]) if rows else None

    def charter_history(self) -> list[CharterRevision]:
        """Every saved charter, newest first."""
        rows = self._read(
            "SELECT id, saved_at, note, document FROM charter_history ORDER BY id DESC"
        )
        return [CharterRevision(i, s, n, Charter.from_json(d)) for i, s, n, d in rows]

    def restore_charter(self, history_id: int) -> Charter:
        """Make a past charter the current one again (recorded as a new history entry)."""
        rows = self._read("SELECT document FROM charter_history WHERE id = ?", (history_id,))
        if not rows:
            raise WorkspaceError("targets.store.no_revision", name=str(history_id))
        charter = Charter.from_json(rows[0][0])
        self.save_charter(charter, note=f"restored #{history_id}")
        return charter

    # -- mappings --------------------------------------------------------------------------
    def save_mapping(self, name: str, mapping: Mapping[str, Any]) -> None:
        """Save (or replace) a named mapping document (``Mapping.to_dict()``)."""
        name = _clean_name(name)
        document = json.dumps(mapping, ensure_ascii=False)
        self.transact(
            lambda conn: conn.execute(
                "INSERT INTO mappings (name, saved_at, document) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET saved_at = excluded.saved_at, "
                "document = excluded.document",
                (name, _now(), document),
            )
        )

    def list_mappings(self) -> list[str]:
        """Names of the saved mappings, alphabetically."""
        return [r[0] for r in self._read("SELECT name FROM mappings ORDER BY name")]

    def load_mapping(self, name: str) -> dict[str, Any]:
        """The mapping document saved under ``name``."""
        rows = self._read("SELECT document FROM mappings WHERE name = ?", (name,))
        if not rows:
            raise WorkspaceError("targets.store.no_mapping", name=name)
        return json.loads(rows[0][0])

    def delete_mapping(self, name: str) -> bool:
        """Delete a mapping; True when it existed."""
        cursor_count = self.transact(
            lambda conn: conn.execute("DELETE FROM mappings WHERE name = ?", (name,)).rowcount
        )
        return bool(cursor_count)

    # -- datasets --------------------------------------------------------------------------
    def save_dataset(
        self, frame: pd.DataFrame, name: str, *, metadata: Mapping[str, Any] | None = None
    ) -> DatasetInfo:
        """Save a canonical frame under ``name`` (replacing any dataset of that name)."""
        name = _clean_name(name)
        file_name = f"{uuid.uuid4().hex}.parquet"
        target = self.datasets_dir / file_name
        temporary = self.datasets_dir / f".{file_name}.tmp"
        try:
            frame.to_parquet(temporary, index=False)
            os.chmod(temporary, 0o600)
            os.replace(temporary, target)
        except BaseException as error:
            temporary.unlink(missing_ok=True)
            if isinstance(error, OSError) and _is_disk_full(error):
                raise WorkspaceError("targets.store.disk_full", path=str(self.path)) from error
            raise
        info = DatasetInfo(
            name=name,
            file=file_name,
            saved_at=_now(),
            rows=len(frame),
            columns=tuple(str(c) for c in frame.columns),
            metadata=dict(metadata or {}),
        )

        def change(conn: sqlite3.Connection) -> str | None:
            old = conn.execute("SELECT file FROM datasets WHERE name = ?", (name,)).fetchone()
            conn.execute(
                "INSERT INTO datasets (name, file, saved_at, rows, columns, metadata) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "file = excluded.file, saved_at = excluded.saved_at, rows = excluded.rows, "
                "columns = excluded.columns, metadata = excluded.metadata",
                (name, file_name, info.saved_at, info.rows, json.dumps(list(info.columns)),
                 json.dumps(info.metadata, ensure_ascii=False, default=str)),
            )
            return old[0] if old else None

        try:
            replaced = self.transact(change)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        if replaced and replaced != file_name:
            (self.datasets_dir / replaced).unlink(missing_ok=True)
        return info

    def list_datasets(self) -> list[DatasetInfo]:
        """Saved datasets, newest first."""
        rows = self._read(
            "SELECT name, file, saved_at, rows, columns, metadata FROM datasets "
            "ORDER BY saved_at DESC"
        )
        return [
            DatasetInfo(n, f, s, int(r), tuple(json.loads(c)), json.loads(m))
            for n, f, s, r, c, m in rows
        ]

    def dataset_info(self, name: str) -> DatasetInfo:
        """Metadata of one saved dataset."""
        for info in self.list_datasets():
            if info.name == name:
                return info
        raise WorkspaceError("targets.store.no_dataset", name=name)

    def load_dataset_frame(self, name: str) -> pd.DataFrame:
        """The frame saved under ``name``."""
        info = self.dataset_info(name)
        path = self.datasets_dir / info.file
        if not path.exists():
            raise WorkspaceError("targets.store.missing_file", name=name)
        return pd.read_parquet(path)

    def delete_dataset(self, name: str) -> bool:
        """Delete a dataset and its file; True when it existed."""

        def change(conn: sqlite3.Connection) -> str | None:
            row = conn.execute("SELECT file FROM datasets WHERE name = ?", (name,)).fetchone()
            conn.execute("DELETE FROM datasets WHERE name = ?", (name,))
            return row[0] if row else None

        file_name = self.transact(change)
        if file_name:
            (self.datasets_dir / file_name).unlink(missing_ok=True)
        return file_name is not None


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock on the workspace folder (no-op where ``flock`` is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _error_code(error: sqlite3.Error) -> int | None:
    """SQLite's primary result code of ``error`` (e.g. ``SQLITE_FULL``), or None."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def _nearly_full(folder: Path) -> bool:
    """Whether the disk holding ``folder`` has (almost) no room left for this user."""
    try:
        usage = os.statvfs(folder)
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        return False
    return usage.f_bavail * usage.f_frsize < _NEARLY_FULL_BYTES


def _is_disk_full(error: OSError) -> bool:
    """Whether ``error`` says the disk or the user's quota is full (pyarrow's errors carry
    the errno, sometimes only in the text)."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(error)
    return "No space left on device" in text or "Disk quota exceeded" in text


def _wal_has_frames(db_path: Path) -> bool:
    """Whether the database's write-ahead log holds changes not yet in the database file."""
    try:
        return Path(f"{db_path}-wal").stat().st_size > 0
    except FileNotFoundError:
        return False


def _has_tables(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchone()[0])


def _read_as_is(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of one statement on the database file as it is on disk (``immutable``: no lock, no
    ``-shm``, never written)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True,
                           isolation_level=None)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def insert_charter(conn: sqlite3.Connection, charter: Charter, note: str = "") -> int:
    """Inside a transaction: record ``charter`` in the history and make it the current one;
    returns its history id (lets another change share the transaction)."""
    cursor = conn.execute(
        "INSERT INTO charter_history (saved_at, note, document) VALUES (?, ?, ?)",
        (_now(), note, charter.to_json()),
    )
    history_id = int(cursor.lastrowid or 0)
    conn.execute(
        "INSERT INTO charter_current (slot, history_id) VALUES (1, ?) "
        "ON CONFLICT(slot) DO UPDATE SET history_id = excluded.history_id",
        (history_id,),
    )
    return history_id


def write_setting(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    """Inside a transaction: store (or with None delete) a setting."""
    if value is None:
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
    else:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


# -- named workspaces ----------------------------------------------------------------------
def workspace_name(text: str) -> str:
    """``" Ops Brazil "`` → ``"ops-brazil"``; raises :class:`WorkspaceError` when the result is
    not a valid name (letters, digits and hyphens, at most 40 characters)."""
    name = re.sub(r"[\s_]+", "-", (text or "").strip().lower())
    if not NAME_PATTERN.fullmatch(name):
        raise WorkspaceError("workshop.workspace.bad_name", name=text or "")
    return name


def named_workspace_dir(name: str, root: str | os.PathLike[str] | None = None) -> Path:
    """The folder of the named workspace ``name`` under ``root`` (default: the server's)."""
    base = Path(root) if root is not None else default_workspace_dir()
    return base / NAMED_DIR / workspace_name(name)


def open_named(name: str, root: str | os.PathLike[str] | None = None) -> Workspace:
    """Open (creating if needed) the named workspace ``name`` on this server."""
    return Workspace.open(named_workspace_dir(name, root))


def named_workspaces(root: str | os.PathLike[str] | None = None) -> list[str]:
    """Names of the named workspaces that exist under ``root``, alphabetically."""
    base = (Path(root) if root is not None else default_workspace_dir()) / NAMED_DIR
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir()
                  if NAME_PATTERN.fullmatch(p.name) and (p / DB_NAME).is_file())


def _clean_name(name: str) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise WorkspaceError("targets.store.bad_name")
    return cleaned
