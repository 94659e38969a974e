"""A writer killed (SIGKILL) in the middle of saving leaves the old or the new state, never a mix.

A child process saves charters (alone, and together with a setting in one transaction) or a
200k-row dataset as fast as it can; the parent kills it after a random delay, many times over,
and after each kill opens the workspace afresh and checks it. Children come from a fork server
that has already imported pandas and the store (a fresh interpreter per child, as with
``spawn``, would spend over a second importing them each time).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import sqlite3
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi.charter import Charter
from kpi.store import (
    DB_NAME,
    STALE_TEMPORARY_SECONDS,
    Workspace,
    insert_charter,
    write_setting,
)
from kpi.targets import Target

pytestmark = pytest.mark.slow

CHARTER_KILLS = 48
DATASET_KILLS = 8
PAIR_SETTING = "crash.pair"
#: The two charters saved alone, one after the other.
ALTERNATING = (
    Charter(kpis=("aht", "fcr"), targets=(Target("aht", value=300.0),), name="A"),
    Charter(kpis=("csat",), targets=(Target("csat", value=0.85), Target("aht", value=280.0)),
            name="B", notes="second of the pair"),
)


def paired(marker: str) -> Charter:
    """The charter saved in one transaction with the setting ``crash.pair = marker``."""
    return Charter(kpis=("nps",), targets=(Target("nps", value=40.0),), name=f"pair {marker}")


#: Imported once by the fork server, so a child only imports this module's own body. (The
#: fork server of Python 3.11 does not get the test folder on its path, so not this module.)
PRELOAD = ["pytest", "numpy", "pandas", "pyarrow.parquet", "kpi.store", "kpi.charter",
           "kpi.targets"]


def context() -> multiprocessing.context.BaseContext:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def write_charters(folder: str, round_number: int, started: object) -> None:
    """Child: save charters until killed."""
    workspace = Workspace.open(folder)
    i = 0
    while True:
        workspace.save_charter(ALTERNATING[i % 2], note=f"{round_number}:{i}")
        marker = f"{round_number}-{i}"

        def both(conn: sqlite3.Connection, marker: str = marker) -> None:
            insert_charter(conn, paired(marker), note="pair")
            write_setting(conn, PAIR_SETTING, marker)

        workspace.transact(both)
        if i == 0:
            started.set()  # type: ignore[attr-defined]
        i += 1


def big_frame(rows: int = 200_000) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame({
        "interaction_id": pd.array([f"i{n:07d}" for n in range(rows)], dtype="str"),
        "created_at": pd.Timestamp("2024-01-01") + pd.to_timedelta(
            rng.integers(0, 90 * 86_400, rows), unit="s"),
        "agent": pd.array(rng.choice(["ana", "bruno", "carla", "davi"], rows), dtype="str"),
        "wait_seconds": rng.exponential(60.0, rows),
    })


def write_datasets(folder: str, started: object) -> None:
    """Child: replace the dataset ``big`` until killed."""
    workspace = Workspace.open(folder)
    frame = big_frame()
    i = 0
    while True:
        workspace.save_dataset(frame.iloc[: len(frame) - i % 3], "big", metadata={"i": i})
        if i == 0:
            started.set()  # type: ignore[attr-defined]
        i += 1


def kill_after(ctx: multiprocessing.context.BaseContext, target: object, args: tuple,
               delay: float) -> None:
    started = ctx.Event()
    process = ctx.Process(target=target, args=(*args, started), daemon=True)
    process.start()
    try:
        assert started.wait(60), "the writer never started"
        time.sleep(delay)
    finally:
        process.kill()
        process.join(30)
    assert process.exitcode == -9  # SIGKILL, not an error in the writer


def integrity(folder: Path) -> list[tuple[str]]:
    conn = sqlite3.connect(folder / DB_NAME)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


def test_killed_charter_writer_leaves_old_or_new_state(tmp_path):
    ctx = context()
    rng = random.Random(8)
    Workspace.open(tmp_path).save_charter(ALTERNATING[0], note="before")
    seen: list[int] = []
    mid_write = 0
    for round_number in range(CHARTER_KILLS):
        kill_after(ctx, write_charters, (str(tmp_path), round_number), rng.uniform(0, 0.04))
        mid_write += Path(f"{tmp_path / DB_NAME}-wal").exists()  # a connection was open

        workspace = Workspace.open(tmp_path)  # as a restarted server would
        assert workspace.recovered_from is None  # a crash never looks like damage
        assert integrity(tmp_path) == [("ok",)]
        history = workspace.charter_history()  # every row parses
        ids = [r.id for r in reversed(history)]
        assert ids[: len(seen)] == seen  # nothing committed before is lost
        seen = ids
        current = workspace.load_charter()
        assert current in (*ALTERNATING, paired(current.name.removeprefix("pair ")))
        assert workspace.current_charter_id() == history[0].id  # the newest saved is current
        # the charter and the setting written in one transaction: both or neither
        pairs = [r for r in history if r.note == "pair"]
        setting = workspace.get_setting(PAIR_SETTING)
        if pairs:
            assert pairs[0].charter == paired(setting)
        else:
            assert setting is None
    assert len(seen) > 2 * CHARTER_KILLS  # the writers did write
    assert mid_write >= CHARTER_KILLS // 2, f"only {mid_write} kills hit an open transaction"


def test_killed_dataset_writer_leaves_readable_files_and_no_visible_temporaries(tmp_path):
    ctx = context()
    rng = random.Random(11)
    datasets = tmp_path / "datasets"
    Workspace.open(tmp_path)
    temporaries_left = 0
    for _ in range(DATASET_KILLS):
        kill_after(ctx, write_datasets, (str(tmp_path),), rng.uniform(0, 0.5))
        workspace = Workspace.open(tmp_path)
        assert workspace.recovered_from is None
        assert integrity(tmp_path) == [("ok",)]
        for info in workspace.list_datasets():
            assert not info.file.endswith(".tmp")
            frame = workspace.load_dataset_frame(info.name)  # exists and reads whole
            assert len(frame) == info.rows
            assert info.rows == 200_000 - info.metadata["i"] % 3
        temporaries = list(datasets.glob(".*.tmp"))
        temporaries_left += bool(temporaries)
        # a kill leaves at most the one temporary being written; once stale it is swept
        assert len(temporaries) <= 1
        old = time.time() - STALE_TEMPORARY_SECONDS - 1
        for temporary in temporaries:
            os.utime(temporary, (old, old))
        Workspace.open(tmp_path)
        assert list(datasets.glob(".*.tmp")) == []
    assert [d.name for d in Workspace.open(tmp_path).list_datasets()] == ["big"]
    assert temporaries_left >= 1, "no kill landed during a Parquet write"
