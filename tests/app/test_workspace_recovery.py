"""A damaged workspace database is set aside, each session is told once, the app keeps working."""

from __future__ import annotations

import os
import re
from pathlib import Path

from app_support import SAMPLE, open_session, texts

from kpi.charter import Charter
from kpi.store import DB_NAME, Workspace

SET_ASIDE = re.compile(r"workspace\.corrupt-\d{8}T\d{6}(-\d+)?\.sqlite3")


def damage_workspace() -> tuple[Path, bytes]:
    """Save a charter in the app's workspace, then overwrite the database with garbage."""
    folder = Path(os.environ["KPI_WORKBENCH_HOME"])
    Workspace.open(folder).save_charter(Charter(kpis=("aht",), name="before"))
    garbage = b"\x00\xffnot sqlite" * 300
    (folder / DB_NAME).write_bytes(garbage)
    return folder, garbage


def plain(text: str) -> str:
    return text.replace("\\", "")  # markdown escapes of the file name


def test_damaged_database_is_set_aside_and_the_overview_works(monkeypatch):
    folder, garbage = damage_workspace()

    at = open_session("app.py", monkeypatch, data=SAMPLE)

    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    warnings = [plain(w.value) for w in at.warning]
    told = [w for w in warnings if "set aside" in w]
    assert len(told) == 1, warnings
    aside = SET_ASIDE.search(told[0])
    assert aside is not None
    assert (folder / aside.group(0)).read_bytes() == garbage  # the named file holds the old one
    assert str(folder / "datasets") in told[0]
    # the Overview works on the fresh workspace: the sample's scorecard is drawn
    assert at.metric, texts(at)

    at.run()  # once per session: not again on the next run
    assert not any("set aside" in plain(w.value) for w in at.warning)
    assert not at.exception

    # another session on the same server is told too, in its language
    other = open_session("app.py", monkeypatch, data=SAMPLE, locale="pt-BR")
    told_pt = [plain(w.value) for w in other.warning if "posto de lado" in plain(w.value)]
    assert len(told_pt) == 1
    assert aside.group(0) in told_pt[0]
    assert Workspace.open(folder).recovered_from is None  # the fresh database is healthy
