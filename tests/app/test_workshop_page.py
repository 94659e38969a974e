"""AppTest flows of the Workshop page: two sessions on one named workspace proposing and voting
at once (the tally equals the votes cast), reload keeps votes, adopting writes the charter,
access codes, workspace isolation of data, Portuguese, and text from users kept plain."""

from __future__ import annotations

import os
import statistics
import threading
from pathlib import Path

import pytest
from app_support import ROOT, TIMEOUT_S, texts
from streamlit.testing.v1 import AppTest

from kpi import access, workshop
from kpi.store import open_named
from kpi.targets import Target

PAGE = "pages/6_Workshop.py"
WS = "ops-brazil"


def workspace_root() -> Path:
    return Path(os.environ["KPI_WORKBENCH_HOME"])


def open_page(workspace: str | None = WS, *, me: str | None = None,
              locale: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
    if locale is not None:
        at.context = {"locale": locale}
    if workspace is not None:
        at.query_params["workspace"] = workspace
    if me is not None:
        at.query_params["me"] = me
    at.switch_page(PAGE)
    return at.run()


def submit(at: AppTest, form: str) -> AppTest:
    [button] = [b for b in at.button if str(b.key).startswith(f"FormSubmitter:{form}-")]
    return button.click().run()


def propose(at: AppTest, kpi: str, why: str) -> AppTest:
    at.radio(key="workshop_kind").set_value("catalog")
    at.selectbox(key="workshop_kpi").set_value(kpi)
    at.text_input(key="workshop_why").input(why)
    return submit(at, "workshop_propose_form")


def results(at: AppTest):
    """The live results table (the page's only dataframe), or None when not shown."""
    frames = [d.value for d in at.dataframe if "proposed_by" in d.value.columns]
    return frames[0] if frames else None


@pytest.fixture(autouse=True)
def _no_default_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KPI_DEFAULT_DATA", raising=False)


def test_two_sessions_propose_and_vote_at_once_and_the_tally_is_the_votes_cast():
    ana, bruno = open_page(me="Ana"), open_page(me="Bruno")
    assert not ana.exception
    assert not bruno.exception
    propose(ana, "abandonment_rate", "Customers who wait leave")
    propose(bruno, "aht", "Handle time is cost")
    ws = open_named(WS, workspace_root())
    proposals = {p.kpi: p for p in workshop.proposals(ws)}
    assert set(proposals) == {"abandonment_rate", "aht"}
    assert proposals["aht"].proposed_by == "Bruno"
    ana.run()
    bruno.run()
    cast = {"Ana": {"abandonment_rate": (5, 4.0), "aht": (2, None)},
            "Bruno": {"abandonment_rate": (3, 6.0), "aht": (4, 300.0)}}
    for at, name in ((ana, "Ana"), (bruno, "Bruno")):
        who = workshop.participant_key(name)
        for kpi, (score, target) in cast[name].items():
            pid = proposals[kpi].id
            at.segmented_control(key=f"workshop_score_{pid}_{who}").set_value(score)
            if target is not None:
                at.number_input(key=f"workshop_target_{pid}_{who}").set_value(target)
    # both sessions save their votes at the same moment
    submitters = [threading.Thread(target=submit, args=(at, "workshop_vote_form"))
                  for at in (ana, bruno)]
    for thread in submitters:
        thread.start()
    for thread in submitters:
        thread.join()
    assert not ana.exception
    assert not bruno.exception
    table = results(open_page(me="Carla")).set_index("kpi")
    for kpi, label in (("abandonment_rate", "Abandonment rate"),
                       ("aht", "Average handle time")):
        scores = [cast[n][kpi][0] for n in cast]
        assert table.loc[label, "votes"] == 2
        assert table.loc[label, "mean"] == pytest.approx(statistics.fmean(scores))
        assert table.loc[label, "spread"] == pytest.approx(statistics.stdev(scores))
    assert table.loc["Abandonment rate", "target"] == "5.0 %"  # median of 4 % and 6 %
    assert table.loc["Average handle time", "target"] == "5:00"
    assert table.loc["Average handle time", "proposed_by"] == "Bruno"
    stored = {(v.participant, v.proposal_id): (v.score, v.target) for v in workshop.votes(ws)}
    assert stored[("Ana", proposals["abandonment_rate"].id)] == (5, pytest.approx(0.04))
    assert stored[("Bruno", proposals["aht"].id)] == (4, 300.0)
    # a reload (a new session with the same name in the URL) shows the votes as cast
    again = open_page(me="bruno")
    pid = proposals["aht"].id
    assert again.segmented_control(key=f"workshop_score_{pid}_bruno").value == 4
    assert again.number_input(key=f"workshop_target_{pid}_bruno").value == 300.0


def test_adopting_writes_the_workspace_charter_with_its_history():
    ws = open_named(WS, workspace_root())
    aht = workshop.propose(ws, proposed_by="Ana", kpi="aht", why="Cost")
    fcr = workshop.propose(ws, proposed_by="Bruno", kpi="abandonment_rate", why="Waiting")
    workshop.vote(ws, aht.id, "Ana", 4, 320.0)
    workshop.vote(ws, aht.id, "Bruno", 2, 280.0)
    workshop.vote(ws, fcr.id, "Ana", 5, 0.05)
    at = open_page(me="Facilitator")
    at.multiselect(key="workshop_adopt").set_value([fcr.id, aht.id]).run()
    # the target defaults to the median suggestion, shown in the KPI's display unit
    assert at.number_input(key=f"workshop_adopt_target_{aht.id}").value == 300.0
    assert at.number_input(key=f"workshop_adopt_target_{fcr.id}").value == pytest.approx(5.0)
    at.number_input(key=f"workshop_adopt_target_{fcr.id}").set_value(4.0)
    at.button(key="workshop_decide").click().run()
    assert not at.exception
    charter = ws.load_charter()
    assert charter.kpis == ("abandonment_rate", "aht")
    assert charter.targets == (Target("abandonment_rate", value=0.04, note="workshop"),
                               Target("aht", value=300.0, note="workshop"))
    assert "The charter now has 2 KPIs." in texts(at)
    [decision] = workshop.decisions(ws)
    assert decision.decided_by == "Facilitator"
    assert "Average handle time, proposed by Ana (Cost): 2 votes, average 3.0" in texts(at)
    # the server's own workspace and another named one are untouched
    assert open_named("ops-chile", workspace_root()).load_charter() is None
    kpis = open_page(workspace="ops-chile")
    kpis.switch_page("pages/2_KPIs.py").run()
    assert not kpis.exception


def test_wrong_code_is_refused_right_code_opens():
    ws = open_named(WS, workspace_root())
    access.set_code(ws, "tangerine")
    workshop.propose(ws, proposed_by="Ana", kpi="aht", why="Secret plans")
    at = open_page(me="Eve")
    assert "The workspace ops-brazil is protected" in texts(at)
    assert "Secret plans" not in texts(at)
    assert len(at.tabs) == 0
    at.text_input(key="workspace_code").input("lemon")
    submit(at, "workspace_code_form")
    assert "That access code is not right." in texts(at)
    assert len(at.tabs) == 0
    for _ in range(access.FREE_ATTEMPTS - 1):
        at.text_input(key="workspace_code").input("lemon")
        submit(at, "workspace_code_form")
    at.text_input(key="workspace_code").input("tangerine")
    submit(at, "workspace_code_form")
    assert "Too many wrong codes" in texts(at)  # slowed down: even the right code waits
    ws.set_setting(access.FAILURES_KEY, None)  # as if the wait were over
    at.text_input(key="workspace_code").input("tangerine")
    submit(at, "workspace_code_form")
    assert not at.exception
    assert len(at.tabs) == 3
    assert results(at)["why"].tolist() == ["Secret plans"]
    # another session without the code: every page shows only the code prompt
    other = open_page(me="Mallory")
    for path in ("app.py", "pages/2_KPIs.py", "pages/3_Targets.py"):
        other.switch_page(path).run()
        assert not other.exception
        assert "The workspace ops-brazil is protected" in texts(other)
        assert [b for b in other.button if b.key == "overview_sample"] == []
        assert [c for c in other.checkbox if (c.key or "").startswith("kpis_pick_")] == []
    assert ws.load_charter() is None
    assert ws.charter_history() == []


def test_shared_dataset_loads_in_its_workspace_only():
    at = open_page(me="Ana")
    at.switch_page("app.py").run()
    at.button(key="overview_sample").click().run()
    at.switch_page(PAGE).run()
    at.button(key="workshop_share").click().run()
    assert "Dataset shared" in texts(at)
    assert workshop.shared_key(open_named(WS, workspace_root())) is not None
    # a fresh session on the workspace gets the data; the detectable change is shown
    ws = open_named(WS, workspace_root())
    proposal = workshop.propose(ws, proposed_by="Ana", kpi="abandonment_rate", why="w")
    workshop.vote(ws, proposal.id, "Ana", 4, 0.05)
    fresh = open_page(me="Bruno")
    assert "Everyone in this workspace sees this dataset." in texts(fresh)
    row = results(fresh).iloc[0]
    from kpi.load import load_dataset
    from kpi.scorecard import detectable_changes
    from kpi.stats.verdict import format_change
    from kpi.ui.cache import sample_source

    sample = load_dataset(list(sample_source().files)).interactions
    expected = detectable_changes(sample, ["abandonment_rate"])["abandonment_rate"]
    assert expected.change is not None
    assert row["detectable"] == "±" + format_change(expected.change, expected.unit, "en",
                                                    signed=False)
    assert row["target"] == "5.0 %"
    # another workspace, and switching to it, shows none of it
    chile = open_page(workspace="ops-chile", me="Bruno")
    assert "No data loaded" in texts(chile)
    assert results(chile) is None or results(chile).empty
    fresh.query_params["workspace"] = "ops-chile"
    fresh.run()
    assert "No data loaded" in texts(fresh)


def test_portuguese_and_plain_text_from_users():
    ws = open_named(WS, workspace_root())
    workshop.propose(ws, proposed_by="<script>alert(1)</script>", kpi="aht",
                     why="=HYPERLINK(\"http://x\") **bold**")
    at = open_page(me="Ana", locale="pt-BR")
    assert not at.exception
    assert at.title[0].value == "Oficina de KPIs"
    assert [t.label for t in at.tabs] == ["1. Propor", "2. Votar", "3. Decidir"]
    shown = texts(at)
    assert "workshop." not in shown
    assert "Resultados ao vivo" in shown
    table = results(at)
    assert table.loc[0, "proposed_by"] == "<script>alert(1)</script>"
    vote_line = next(m.value for m in at.markdown if "HYPERLINK" in m.value)
    assert "\\*\\*bold\\*\\*" in vote_line


def test_without_a_name_nobody_proposes_and_bad_names_are_refused():
    bad_link = open_page(workspace="../etc")
    assert "'../etc' cannot name a workspace" in texts(bad_link)
    assert "Workspace: This server's workspace" in texts(bad_link)
    assert not (workspace_root() / "workspaces").exists()
    at = open_page()
    assert "Type your name to propose and vote." in texts(at)
    assert len(at.tabs) == 0
    at.text_input(key="workspace_open_name").input("a/b")
    submit(at, "workspace_open_form")
    assert "cannot name a workspace" in texts(at)
    at.text_input(key="workspace_open_name").input("Ops Chile")
    submit(at, "workspace_open_form")
    assert at.query_params["workspace"] == ["ops-chile"] or \
        at.query_params["workspace"] == "ops-chile"
    assert "Workspace: ops-chile" in texts(at)


def test_protecting_the_workspace_keeps_this_session_in_and_locks_others_out():
    at = open_page(me="Ana")
    at.text_input(key="workshop_new_code").input("abc")
    submit(at, "workshop_code_set")
    assert "An access code needs at least 4 characters." in texts(at)
    at.text_input(key="workshop_new_code").input("tangerine")
    submit(at, "workshop_code_set")
    assert "The workspace is now protected by the access code." in texts(at)
    assert len(at.tabs) == 3
    assert access.has_code(open_named(WS, workspace_root()))
    other = open_page(me="Bruno")
    assert "is protected" in texts(other)
    assert len(other.tabs) == 0

