"""A damaged database is set aside, stale temporaries are swept, a full disk changes nothing."""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
import subprocess
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi import store
from kpi.charter import Charter
from kpi.store import DB_NAME, STALE_TEMPORARY_SECONDS, Workspace, WorkspaceError
from kpi.targets import Target

SET_ASIDE = re.compile(r"^workspace\.corrupt-\d{8}T\d{6}(-\d+)?\.sqlite3$")
FIRST = Charter(kpis=("aht",), targets=(Target("aht", value=300.0),), name="Suporte")
SECOND = FIRST.revised(kpis=("aht", "fcr"), notes="second")


def filled_workspace(folder: Path, revisions: int = 12) -> Workspace:
    """A workspace of several pages (charters with long notes, mappings), all connections
    closed so the write-ahead log is folded into the database file."""
    workspace = Workspace.open(folder)
    for i in range(revisions):
        workspace.save_charter(FIRST.revised(notes=f"{i} " + "n" * 5000))
        workspace.save_mapping(f"m{i:02d}", {"columns": {"created_at": "x" * 6000}})
    assert not Path(f"{workspace.db_path}-wal").exists()
    return workspace


def quick_check(path: Path) -> list[tuple[str]] | str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        return f"error: {error}"
    finally:
        conn.close()


def assert_set_aside(workspace: Workspace, folder: Path, damaged: bytes) -> None:
    assert workspace.recovered_from is not None
    assert SET_ASIDE.fullmatch(workspace.recovered_from.name)
    assert workspace.recovered_from.read_bytes() == damaged
    assert workspace.load_charter() is None  # a fresh, empty database
    assert workspace.list_mappings() == []
    assert quick_check(folder / DB_NAME) == [("ok",)]
    workspace.save_charter(SECOND)
    assert Workspace.open(folder).load_charter() == SECOND


def test_garbage_bytes_are_set_aside_with_wal_and_shm_and_datasets_kept(tmp_path):
    workspace = Workspace.open(tmp_path)
    workspace.save_dataset(pd.DataFrame({"x": [1, 2, 3]}), "kept")
    parquet = sorted((tmp_path / "datasets").iterdir())
    garbage = bytes(range(256)) * 40
    (tmp_path / DB_NAME).write_bytes(garbage)
    Path(f"{tmp_path / DB_NAME}-wal").write_bytes(b"wal bytes")
    Path(f"{tmp_path / DB_NAME}-shm").write_bytes(b"shm bytes")

    recovered = Workspace.open(tmp_path)

    aside = recovered.recovered_from
    assert aside is not None
    assert Path(f"{aside}-wal").read_bytes() == b"wal bytes"  # SQLite finds them by name
    assert Path(f"{aside}-shm").read_bytes() == b"shm bytes"
    assert sorted((tmp_path / "datasets").iterdir()) == parquet  # the data files stay
    assert recovered.list_datasets() == []
    assert_set_aside(recovered, tmp_path, garbage)


def test_truncated_database_is_set_aside(tmp_path):
    filled_workspace(tmp_path)
    path = tmp_path / DB_NAME
    size = path.stat().st_size
    os.truncate(path, size // 2)
    damaged = path.read_bytes()
    assert quick_check(path) != [("ok",)]  # SQLite itself calls it damaged
    assert_set_aside(Workspace.open(tmp_path), tmp_path, damaged)


def test_page_overwritten_by_zeros_fails_quick_check_and_is_set_aside(tmp_path):
    filled_workspace(tmp_path)
    path = tmp_path / DB_NAME
    page_size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    with open(path, "r+b") as file:
        file.seek(page_size * 3)  # page 4: inside a table, the header page stays valid
        file.write(b"\0" * page_size)
    damaged = path.read_bytes()
    assert damaged[:16] == b"SQLite format 3\x00"
    assert quick_check(path) != [("ok",)]
    assert_set_aside(Workspace.open(tmp_path), tmp_path, damaged)


def test_settings_still_readable_are_carried_into_the_fresh_database(tmp_path):
    Workspace.open(tmp_path).set_setting("access.code", "scrypt$salt$hash")
    filled_workspace(tmp_path)
    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    settings_page = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'settings'").fetchone()[0]
    conn.close()
    assert settings_page != 4
    with open(path, "r+b") as file:  # page 4 belongs to the charter tables, not to settings
        file.seek(page_size * 3)
        file.write(b"\0" * page_size)
    assert quick_check(path) != [("ok",)]
    workspace = Workspace.open(tmp_path)
    assert workspace.recovered_from is not None
    assert workspace.get_setting("access.code") == "scrypt$salt$hash"  # still protected
    assert workspace.load_charter() is None


def test_two_recoveries_in_the_same_second_get_distinct_names(tmp_path, monkeypatch):
    class FrozenClock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 3, 1, 9, 30, 15)

    monkeypatch.setattr(store, "datetime", FrozenClock)
    names = []
    for text in (b"first damaged file", b"second damaged file"):
        (tmp_path / DB_NAME).write_bytes(text * 10)
        workspace = Workspace.open(tmp_path)
        assert workspace.recovered_from is not None
        assert workspace.recovered_from.read_bytes() == text * 10
        names.append(workspace.recovered_from.name)
    assert names == ["workspace.corrupt-20260301T093015.sqlite3",
                     "workspace.corrupt-20260301T093015-2.sqlite3"]


def test_healthy_database_after_a_crash_is_not_set_aside(tmp_path):
    # a writer that died with its write-ahead log on disk: SQLite replays it, nothing is moved
    Workspace.open(tmp_path).save_charter(FIRST)
    live = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    live.execute("PRAGMA wal_autocheckpoint = 0")
    live.execute("BEGIN IMMEDIATE")
    live.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
    live.execute("COMMIT")
    copy = tmp_path / "copy"
    copy.mkdir()
    for suffix in ("", "-wal"):  # the files as a kill would leave them
        shutil.copyfile(f"{tmp_path / DB_NAME}{suffix}", f"{copy / DB_NAME}{suffix}")
    live.close()
    assert (copy / f"{DB_NAME}-wal").stat().st_size > 0
    reopened = Workspace.open(copy)
    assert reopened.recovered_from is None
    assert reopened.load_charter() == FIRST
    assert reopened.get_setting("k") == "v"


def test_stale_temporaries_are_removed_and_fresh_ones_kept(tmp_path):
    workspace = Workspace.open(tmp_path)
    stale = tmp_path / "datasets" / ".dead.parquet.tmp"
    fresh = tmp_path / "datasets" / ".writing.parquet.tmp"
    for path in (stale, fresh):
        path.write_bytes(b"PAR1 partial")
    old = time.time() - STALE_TEMPORARY_SECONDS - 5
    os.utime(stale, (old, old))
    info = workspace.save_dataset(pd.DataFrame({"x": [1.5]}), "d")
    assert Workspace.open(tmp_path).recovered_from is None
    assert not stale.exists()
    assert fresh.exists()  # may belong to a writer in another process
    assert (tmp_path / "datasets" / info.file).exists()
    assert workspace.remove_stale_temporaries(older_than=0) == 1
    assert not fresh.exists()


def test_parquet_write_on_a_full_disk_changes_nothing(tmp_path, monkeypatch):
    workspace = Workspace.open(tmp_path)
    first = workspace.save_dataset(pd.DataFrame({"x": [1, 2]}), "d")

    def write_then_fail(self: pd.DataFrame, path: Path, **_: object) -> None:
        Path(path).write_bytes(b"PAR1 half a file")
        raise OSError(errno.ENOSPC, "Error writing bytes to file. Detail: [errno 28] No space "
                      "left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", write_then_fail)
    with pytest.raises(WorkspaceError) as info:
        workspace.save_dataset(pd.DataFrame({"x": [3]}), "d")
    assert info.value.code == "targets.store.disk_full"
    assert "cheio" in info.value.message("pt")
    assert [p.name for p in (tmp_path / "datasets").iterdir()] == [first.file]
    assert workspace.dataset_info("d") == first
    monkeypatch.undo()
    assert workspace.load_dataset_frame("d")["x"].tolist() == [1, 2]


# -- a real full disk: a 2 MB tmpfs ---------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs mounted at ``tmp_path/disk`` (root only), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs to fill a disk needs root")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> Path:
    """Write a filler file until the disk refuses (ENOSPC); returns it."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as file:
        for chunk in (64 * 1024, 4096, 512, 1):
            try:
                while True:
                    file.write(b"\0" * chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    return filler


def test_full_disk_refuses_saves_and_keeps_the_previous_state(small_disk):
    folder = small_disk / "ws"
    workspace = Workspace.open(folder)
    first_id = workspace.save_charter(FIRST)
    filler = fill(small_disk)
    assert shutil.disk_usage(small_disk).free < 64 * 1024

    with pytest.raises(WorkspaceError) as charter_error:
        workspace.save_charter(SECOND)
    assert charter_error.value.code == "targets.store.disk_full"
    assert "nothing was saved" in str(charter_error.value)
    frame = pd.DataFrame({"x": np.arange(200_000, dtype="int64")})
    with pytest.raises(WorkspaceError) as dataset_error:
        workspace.save_dataset(frame, "big")
    assert dataset_error.value.code == "targets.store.disk_full"
    assert not list((folder / "datasets").iterdir())  # the temporary file is gone

    # still full: the previous state reads back and is sound
    assert workspace.load_charter() == FIRST
    assert workspace.current_charter_id() == first_id
    assert workspace.list_datasets() == []
    conn = sqlite3.connect(f"{(folder / DB_NAME).as_uri()}?immutable=1", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()

    filler.unlink()
    reopened = Workspace.open(folder)
    assert reopened.recovered_from is None
    assert [r.charter for r in reopened.charter_history()] == [FIRST]
    reopened.save_charter(SECOND)  # room again: saving works
    assert Workspace.open(folder).load_charter() == SECOND
