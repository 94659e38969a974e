from __future__ import annotations

import multiprocessing
import sqlite3
import stat
import threading
from datetime import date

import pandas as pd
import pytest

from kpi.charter import Charter
from kpi.store import (
    DB_NAME,
    SCHEMA_VERSION,
    Workspace,
    WorkspaceError,
    default_workspace_dir,
)
from kpi.targets import Target


def sample_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "interaction_id": pd.array(["a1", "a2", "a3"], dtype="str"),
            "created_at": pd.to_datetime(
                ["2024-01-01 08:00", "2024-01-01 09:30", "2024-01-02 10:00"]
            ).astype("datetime64[us]"),
            "channel": pd.array(["phone", None, "chat"], dtype="str"),
            "wait_seconds": [12.5, float("nan"), 40.0],
            "abandoned": pd.array([False, True, pd.NA], dtype="boolean"),
        }
    )


def test_charter_round_trip_history_and_restart(tmp_path):
    workspace = Workspace.open(tmp_path / "ws")
    assert workspace.load_charter() is None
    first = Charter(
        kpis=("aht",),
        targets=(Target("aht", value=300.0, effective_from=date(2024, 2, 1)),),
        name="Suporte",
    )
    second = first.revised(kpis=("aht", "nps"), notes="added NPS")
    first_id = workspace.save_charter(first, note="workshop 1")
    workspace.save_charter(second)
    assert workspace.load_charter() == second

    reopened = Workspace.open(tmp_path / "ws")  # a new process would see the same
    assert reopened.load_charter() == second
    history = reopened.charter_history()
    assert [r.charter for r in history] == [second, first]
    assert history[1].note == "workshop 1"
    assert reopened.restore_charter(first_id) == first
    assert reopened.load_charter() == first
    assert len(reopened.charter_history()) == 3
    with pytest.raises(WorkspaceError):
        reopened.restore_charter(999)


def test_mappings_are_named_and_replaced(tmp_path):
    workspace = Workspace.open(tmp_path)
    mapping = {"read": {"sep": ";", "decimal": ","}, "columns": {"created_at": "Data/Hora"}}
    workspace.save_mapping("Zendesk export", mapping)
    workspace.save_mapping("Chatwoot", {"columns": {}})
    workspace.save_mapping("Zendesk export", {**mapping, "timezone": "America/Sao_Paulo"})
    assert workspace.list_mappings() == ["Chatwoot", "Zendesk export"]
    assert Workspace.open(tmp_path).load_mapping("Zendesk export")["timezone"] == (
        "America/Sao_Paulo"
    )
    assert workspace.delete_mapping("Chatwoot") is True
    assert workspace.delete_mapping("Chatwoot") is False
    with pytest.raises(WorkspaceError) as info:
        workspace.load_mapping("Chatwoot")
    assert info.value.code == "targets.store.no_mapping"
    with pytest.raises(WorkspaceError):
        workspace.save_mapping("  ", mapping)


def test_dataset_round_trip_keeps_canonical_dtypes_and_replaces_files(tmp_path):
    workspace = Workspace.open(tmp_path)
    frame = sample_frame()
    info = workspace.save_dataset(frame, "janeiro", metadata={"source": "export.csv"})
    assert info.rows == 3
    loaded = Workspace.open(tmp_path).load_dataset_frame("janeiro")
    pd.testing.assert_frame_equal(loaded, frame)
    assert workspace.dataset_info("janeiro").metadata == {"source": "export.csv"}

    workspace.save_dataset(frame.iloc[:1], "janeiro")
    assert len(workspace.load_dataset_frame("janeiro")) == 1
    files = list((tmp_path / "datasets").iterdir())
    assert len(files) == 1  # the replaced file is gone, no temporary left behind
    assert workspace.delete_dataset("janeiro") is True
    assert list((tmp_path / "datasets").iterdir()) == []
    with pytest.raises(WorkspaceError) as info_error:
        workspace.load_dataset_frame("janeiro")
    assert info_error.value.code == "targets.store.no_dataset"


def test_folder_and_files_are_owner_only_and_wal_is_on(tmp_path):
    workspace = Workspace.open(tmp_path / "private")
    workspace.save_dataset(sample_frame(), "d")
    assert stat.S_IMODE((tmp_path / "private").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "private" / "datasets").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "private" / DB_NAME).stat().st_mode) == 0o600
    for parquet in (tmp_path / "private" / "datasets").iterdir():
        assert stat.S_IMODE(parquet.stat().st_mode) == 0o600
    with sqlite3.connect(tmp_path / "private" / DB_NAME) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert workspace.schema_version == SCHEMA_VERSION


def test_damaged_file_is_set_aside_and_a_fresh_workspace_started(tmp_path):
    garbage = b"this is not a database, just some bytes\x00" * 200
    (tmp_path / DB_NAME).write_bytes(garbage)
    workspace = Workspace.open(tmp_path)
    assert workspace.recovered_from is not None
    assert workspace.recovered_from.parent == tmp_path
    assert workspace.recovered_from.read_bytes() == garbage  # moved, not rewritten
    assert workspace.load_charter() is None
    workspace.save_charter(Charter(kpis=("aht",)))
    reopened = Workspace.open(tmp_path)
    assert reopened.recovered_from is None  # the fresh database is healthy
    assert reopened.load_charter() == Charter(kpis=("aht",))


def test_foreign_sqlite_database_is_not_adopted(tmp_path):
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    with pytest.raises(WorkspaceError) as info:
        Workspace.open(tmp_path)
    assert info.value.code == "targets.store.foreign"
    assert "outro programa" in info.value.message("pt")
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    conn.close()
    assert names == ["invoices"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["datasets", DB_NAME]  # not moved


def test_newer_schema_version_is_refused_and_left_untouched(tmp_path):
    Workspace.open(tmp_path).save_mapping("m", {"columns": {}})
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = (tmp_path / DB_NAME).read_bytes()
    with pytest.raises(WorkspaceError) as info:
        Workspace.open(tmp_path)
    assert info.value.code == "targets.store.newer_version"
    assert f"schema {SCHEMA_VERSION + 1}" in str(info.value)
    assert (tmp_path / DB_NAME).read_bytes() == before
    assert not list(tmp_path.glob("*corrupt*"))  # newer is not damaged: never set aside


def test_two_writers_at_once_lose_nothing(tmp_path):
    Workspace.open(tmp_path)
    errors: list[BaseException] = []

    def writer(prefix: str) -> None:
        try:
            workspace = Workspace.open(tmp_path)  # its own connections
            for i in range(40):
                workspace.save_mapping(f"{prefix}{i:02d}", {"i": i})
                workspace.save_charter(Charter(kpis=(f"{prefix}{i}",)))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(p,)) for p in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    workspace = Workspace.open(tmp_path)
    assert len(workspace.list_mappings()) == 80
    assert len(workspace.charter_history()) == 80


def _process_writer(path: str, prefix: str) -> None:
    workspace = Workspace.open(path)
    for i in range(25):
        workspace.save_mapping(f"{prefix}{i:02d}", {"i": i})


def test_two_processes_writing_at_once(tmp_path):
    Workspace.open(tmp_path)
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_process_writer, args=(str(tmp_path), p)) for p in ("x", "y")
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [p.exitcode for p in processes] == [0, 0]
    names = Workspace.open(tmp_path).list_mappings()
    assert len(names) == 50
    assert names[:2] == ["x00", "x01"]


def test_default_location_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KPI_WORKBENCH_HOME", str(tmp_path / "custom"))
    assert default_workspace_dir() == tmp_path / "custom"
    monkeypatch.delenv("KPI_WORKBENCH_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_workspace_dir() == tmp_path / "xdg" / "kpi-workbench"
    workspace = Workspace.open()
    assert workspace.path == tmp_path / "xdg" / "kpi-workbench"
    assert workspace.db_path.exists()


# -- schema 2: migration, named workspaces, settings -----------------------------------------
V1_TABLES = {"charter_history", "charter_current", "mappings", "datasets"}


def _tables(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    conn.close()
    return {r[0] for r in rows}


def test_version_1_database_is_migrated_keeping_its_rows(tmp_path):
    # a workspace exactly as version 1 wrote it: its four tables and user_version 1
    from kpi import store

    charter = Charter(kpis=("aht",), targets=(Target("aht", value=300.0),))
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        conn.executescript(store._SCHEMA)
        conn.execute("INSERT INTO charter_history (saved_at, note, document) VALUES (?, ?, ?)",
                     ("2026-01-01T00:00:00", "v1", charter.to_json()))
        conn.execute("INSERT INTO charter_current (slot, history_id) VALUES (1, 1)")
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    assert _tables(tmp_path / DB_NAME) == V1_TABLES
    workspace = Workspace.open(tmp_path)
    assert SCHEMA_VERSION == 2
    assert workspace.schema_version == 2
    assert _tables(tmp_path / DB_NAME) == V1_TABLES | {
        "settings", "workshop_proposals", "workshop_votes", "workshop_decisions"}
    assert workspace.load_charter() == charter
    assert workspace.current_charter_id() == 1
    assert [r.note for r in workspace.charter_history()] == ["v1"]
    Workspace.open(tmp_path)  # opening again changes nothing
    assert workspace.schema_version == 2
    assert workspace.load_charter() == charter


def test_named_workspaces_are_separate_folders(tmp_path):
    from kpi.store import named_workspaces, open_named, workspace_name

    assert workspace_name("  Ops Brazil ") == "ops-brazil"
    assert workspace_name("team_7") == "team-7"
    for bad in ("", "-x", "x-", "a/b", "..", "é", "x" * 41):
        with pytest.raises(WorkspaceError) as info:
            workspace_name(bad)
        assert info.value.code == "workshop.workspace.bad_name"
    brazil, chile = open_named("ops-brazil", tmp_path), open_named("Ops Chile", tmp_path)
    assert brazil.path == tmp_path / "workspaces" / "ops-brazil"
    assert (brazil.name, chile.name, Workspace.open(tmp_path).name) == (
        "ops-brazil", "ops-chile", None)
    brazil.save_charter(Charter(kpis=("aht",)))
    brazil.save_dataset(sample_frame(), "contacts")
    brazil.set_setting("access.code", "x")
    assert chile.load_charter() is None
    assert chile.list_datasets() == []
    assert chile.get_setting("access.code") is None
    assert Workspace.open(tmp_path).load_charter() is None
    assert named_workspaces(tmp_path) == ["ops-brazil", "ops-chile"]
    brazil.set_setting("access.code", None)
    assert brazil.get_setting("access.code") is None
