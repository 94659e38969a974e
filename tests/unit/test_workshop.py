"""Workshop library: proposals, votes (replaced, never lost under concurrency), tallies checked
against numpy/statistics, decisions that become the charter, the shared dataset."""

from __future__ import annotations

import random
import statistics
import threading
from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi import workshop
from kpi.charter import Charter
from kpi.errors import DefinitionError
from kpi.load import load_dataset
from kpi.scorecard import Detectable
from kpi.store import open_named
from kpi.targets import Target


@pytest.fixture
def ws(tmp_path):
    return open_named("ops-brazil", tmp_path)


def test_propose_catalog_and_custom_kpis(ws):
    first = workshop.propose(ws, proposed_by="  Ana   Souza ", kpi="abandonment_rate",
                             why="Customers who wait\n leave")
    second = workshop.propose(ws, proposed_by="Bruno", custom_name="VIP callbacks",
                              why="Our best clients")
    assert (first.kpi, first.proposed_by, first.why) == (
        "abandonment_rate", "Ana Souza", "Customers who wait leave")
    assert first.is_catalog
    assert first.name("pt") == "Taxa de abandono"
    assert (second.kpi, second.label, second.is_catalog) == ("vip_callbacks", "VIP callbacks",
                                                             False)
    assert workshop.proposals(ws) == (first, second)
    for kwargs, code in [
        ({"kpi": "nope", "why": "x"}, "workshop.propose.unknown_kpi"),
        ({"kpi": "aht", "why": "  "}, "workshop.propose.why_missing"),
        ({"why": "x"}, "workshop.propose.kpi_missing"),
        ({"kpi": "aht", "why": "x" * 201}, "workshop.propose.why_too_long"),
    ]:
        with pytest.raises(DefinitionError) as error:
            workshop.propose(ws, proposed_by="Ana", **kwargs)
        assert error.value.code == code
    with pytest.raises(DefinitionError) as nobody:
        workshop.propose(ws, proposed_by=" ", kpi="aht", why="x")
    assert nobody.value.code == "workshop.participant.missing"


def test_a_vote_again_replaces_and_names_match_without_case(ws):
    proposal = workshop.propose(ws, proposed_by="Ana", kpi="aht", why="Cost")
    workshop.vote(ws, proposal.id, "Ana", 2, 300.0)
    workshop.vote(ws, proposal.id, " ana ", 5)  # the same participant after a reload
    workshop.vote(ws, proposal.id, "Bruno", 4, 280.0)
    cast = workshop.votes(ws)
    assert [(v.participant, v.score, v.target) for v in cast] == [
        ("ana", 5, None), ("Bruno", 4, 280.0)]
    assert [v.score for v in workshop.votes(ws, "ANA")] == [5]
    result = workshop.tally(ws)[proposal.id]
    assert (result.count, result.mean, result.targets, result.target_median) == (2, 4.5, 1, 280.0)
    assert result.spread == pytest.approx(statistics.stdev([5, 4]))
    assert result.score_counts == (0, 0, 0, 1, 1)
    for score in (0, 6, 2.5, True):
        with pytest.raises(DefinitionError):
            workshop.vote(ws, proposal.id, "Ana", score)  # type: ignore[arg-type]
    with pytest.raises(DefinitionError) as bad_target:
        workshop.vote(ws, proposal.id, "Ana", 3, float("nan"))
    assert bad_target.value.code == "workshop.vote.bad_target"
    with pytest.raises(DefinitionError) as missing:
        workshop.vote(ws, 999, "Ana", 3)
    assert missing.value.code == "workshop.vote.no_proposal"


def test_tally_matches_numpy_on_random_votes():
    rng = np.random.default_rng(7)
    cast = [workshop.Vote(int(p), f"p{i}", int(s), None if t < 0.3 else float(t), "")
            for i, (p, s, t) in enumerate(zip(rng.integers(1, 4, 60), rng.integers(1, 6, 60),
                                              rng.random(60), strict=True))]
    stray = workshop.Vote(9, "ghost", 1, 1.0, "")  # a vote on a proposal not listed: ignored
    result = workshop.tally_votes([*cast, stray], [4, 3, 1, 2])
    assert list(result) == [4, 3, 1, 2]
    for pid in (1, 2, 3):
        scores = np.array([v.score for v in cast if v.proposal_id == pid], dtype=float)
        targets = [v.target for v in cast if v.proposal_id == pid and v.target is not None]
        assert result[pid].count == len(scores)
        assert result[pid].mean == pytest.approx(scores.mean())
        assert result[pid].spread == pytest.approx(scores.std(ddof=1))
        assert result[pid].score_counts == tuple(int((scores == s).sum()) for s in range(1, 6))
        assert result[pid].target_median == pytest.approx(statistics.median(targets))
    assert result[4] == workshop.Tally(4, 0, None, None, (0, 0, 0, 0, 0), 0, None)


def test_threads_proposing_and_voting_at_once_lose_nothing(ws):
    seed = [workshop.propose(ws, proposed_by="Ana", kpi=k, why="w")
            for k in ("aht", "abandonment_rate")]
    expected: dict[tuple[int, str], int] = {}
    lock = threading.Lock()
    errors: list[BaseException] = []

    def participant(index: int) -> None:
        try:
            rng = random.Random(index)
            name = f"participant {index}"
            own = workshop.propose(ws, proposed_by=name, custom_name=f"Idea {index}", why="w")
            for round_ in range(6):
                for proposal in (*seed, own):
                    score = rng.randint(1, 5)
                    workshop.vote(ws, proposal.id, name, score, float(round_))
                    with lock:
                        expected[(proposal.id, name.casefold())] = score
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=participant, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(workshop.proposals(ws)) == 2 + 6
    cast = {(v.proposal_id, v.participant.casefold()): v.score for v in workshop.votes(ws)}
    assert cast == expected
    result = workshop.tally(ws)
    for proposal in workshop.proposals(ws):
        scores = [s for (pid, _), s in expected.items() if pid == proposal.id]
        assert result[proposal.id].count == len(scores)
        assert result[proposal.id].mean == pytest.approx(statistics.fmean(scores))


def test_decide_adopts_kpis_and_targets_and_keeps_who_proposed_what(ws):
    aht = workshop.propose(ws, proposed_by="Ana", kpi="aht", why="Cost")
    aband = workshop.propose(ws, proposed_by="Bruno", kpi="abandonment_rate", why="Waiting")
    idea = workshop.propose(ws, proposed_by="Carla", custom_name="Happy agents", why="Churn")
    custom = {"id": "vip_rate", "name": "VIP rate", "unit": "percent", "direction": "higher"}
    vip = workshop.propose(ws, proposed_by="Dani", why="VIPs", custom=custom)
    for name, scores in {"Ana": (5, 3, 4, 2), "Bruno": (4, 5, 2, 2)}.items():
        for proposal, score in zip((aht, aband, idea, vip), scores, strict=True):
            workshop.vote(ws, proposal.id, name, score)
    base = Charter(kpis=("csat_score",), targets=(
        Target("aht", value=400.0), Target("aht", value=350.0, scope={"channel": "phone"}),
        Target("csat_score", value=4.2)), notes="Q3")
    ws.save_charter(base)
    charter, decision = workshop.decide(
        ws, [workshop.Adoption(aband.id, 0.05), workshop.Adoption(aht.id, 300.0),
             workshop.Adoption(idea.id), workshop.Adoption(vip.id)], decided_by="Ana")
    assert charter.kpis == ("abandonment_rate", "aht", "vip_rate")
    assert charter.custom_kpis == (custom,)
    assert charter.targets == (
        Target("aht", value=350.0, scope={"channel": "phone"}),
        Target("abandonment_rate", value=0.05, note="workshop"),
        Target("aht", value=300.0, note="workshop"),
    )
    assert charter.notes == "Q3\nHappy agents: Churn"
    assert charter.revision == base.revision + 1
    assert ws.load_charter() == charter
    assert ws.current_charter_id() == decision.charter_history_id
    [recorded] = workshop.decisions(ws)
    assert recorded == decision
    first = recorded.adopted[0]
    assert first["proposal"]["proposed_by"] == "Bruno"
    assert first["target"] == 0.05
    assert first["tally"] == {"proposal_id": aband.id, "count": 2, "mean": 4.0,
                              "spread": pytest.approx(statistics.stdev([3, 5])),
                              "score_counts": [0, 0, 1, 0, 1], "targets": 0,
                              "target_median": None}
    history = ws.charter_history()
    assert history[0].note == "workshop: abandonment_rate, aht, happy_agents, vip_rate"
    with pytest.raises(DefinitionError) as bad_rate:  # 5 means 500 %: refused, nothing saved
        workshop.decide(ws, [workshop.Adoption(aband.id, 5.0)], decided_by="Ana")
    assert bad_rate.value.code == "targets.rate_out_of_range"
    assert len(workshop.decisions(ws)) == 1
    assert ws.load_charter() == charter
    with pytest.raises(DefinitionError):
        workshop.decide(ws, [], decided_by="Ana")


def test_results_frame_ranks_by_average_and_keeps_text_plain(ws):
    a = workshop.propose(ws, proposed_by="<script>alert(1)</script>", kpi="abandonment_rate",
                         why="=HYPERLINK(\"x\")")
    b = workshop.propose(ws, proposed_by="Bruno", kpi="aht", why="Cost")
    workshop.vote(ws, a.id, "Ana", 2, 0.05)
    workshop.vote(ws, b.id, "Ana", 5, 290.0)
    workshop.vote(ws, b.id, "Bruno", 4, 310.0)
    frame = workshop.results_frame(workshop.proposals(ws), workshop.tally(ws), lang="en")
    assert frame["kpi"].tolist() == ["Average handle time", "Abandonment rate"]
    assert frame["mean"].tolist() == [4.5, 2.0]
    assert frame["target"].tolist() == ["5:00", "5.0 %"]
    detectable = {"abandonment_rate": Detectable("abandonment_rate", 0.023, "percent", 300.0,
                                                 "scorecard.detectable.text", {}),
                  "aht": Detectable("aht", 45.0, "duration", 300.0, "x", {})}
    shown = workshop.results_frame(workshop.proposals(ws), workshop.tally(ws), detectable,
                                   lang="pt")
    assert shown["detectable"].tolist() == ["±0:45", "±2,3 pontos"]
    assert shown["kpi"].tolist() == ["Tempo médio de atendimento (TMA)", "Taxa de abandono"]
    assert frame.loc[1, "proposed_by"] == "<script>alert(1)</script>"
    assert frame.loc[1, "why"] == "=HYPERLINK(\"x\")"
    assert workshop.display_scale(a) == 0.01
    assert workshop.display_scale(b) == 1.0


def _sample_dataset():
    rows = 200
    created = pd.date_range("2026-01-05", periods=rows, freq="3h", tz="UTC")
    frame = pd.DataFrame({
        "ticket_id": [f"T{i}" for i in range(rows)],
        "created_at": created.strftime("%Y-%m-%d %H:%M"),
        "channel": np.where(np.arange(rows) % 2 == 0, "phone", "chat"),
        "handle_seconds": np.arange(rows) % 50 + 100,
    })
    return load_dataset([("contacts.csv", frame.to_csv(index=False).encode())])


def test_shared_dataset_round_trip_and_isolation(tmp_path):
    shared_ws, other = open_named("ops-brazil", tmp_path), open_named("ops-chile", tmp_path)
    assert workshop.shared_dataset(shared_ws) is None
    assert workshop.shared_key(shared_ws) is None
    dataset = _sample_dataset()
    workshop.share_dataset(shared_ws, dataset, label="contacts.csv")
    shared = workshop.shared_dataset(shared_ws)
    assert shared is not None
    assert shared.label == "contacts.csv"
    pd.testing.assert_frame_equal(shared.dataset.interactions, dataset.interactions)
    assert shared.dataset.mapping.to_dict() == dataset.mapping.to_dict()
    assert shared.dataset.report.rows_kept == dataset.report.rows_kept == 200
    assert shared.key == workshop.shared_key(shared_ws)
    assert workshop.shared_dataset(other) is None
    workshop.share_dataset(shared_ws, dataset, label="again")
    assert workshop.shared_key(shared_ws) != shared.key  # a new share, a new cache key
    assert date.fromisoformat("2026-01-05") == shared.dataset.interactions[
        "created_at"].min().date()
