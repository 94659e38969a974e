"""Workshop mode (issue 6): propose KPIs, vote on them, adopt a charter — over a workspace.

Each change is one transaction of the workspace's SQLite store, so participants proposing and
voting from several sessions (threads or processes) at the same moment lose nothing. A vote is
keyed by proposal and participant (the name they type, compared without case or extra spaces):
voting again replaces the earlier vote, so a participant who reloads the page keeps theirs.

* :func:`propose` — a catalog KPI or a custom one (a name, optionally with a definition), with
  a one-line reason.
* :func:`vote` — an importance score 1–5 and an optional suggested target (KPI units:
  fractions for rates, seconds for durations).
* :func:`tally` — per proposal: count, mean, spread (sample standard deviation), score counts,
  median suggested target.
* :func:`decide` — the adopted proposals and targets become the workspace's charter; the
  proposals, who made them and their tallies are kept with the decision (:func:`decisions`).
* :func:`share_dataset` / :func:`shared_dataset` — the dataset everyone in the workspace sees.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kpi.catalog import CATALOG, kpi_name
from kpi.charter import Charter
from kpi.errors import DefinitionError
from kpi.store import Workspace, insert_charter
from kpi.targets import Target, validate_target

if TYPE_CHECKING:
    from kpi.load import Dataset
    from kpi.scorecard import Detectable
    from kpi.stats.results import ValueFormat

SCORES: tuple[int, ...] = (1, 2, 3, 4, 5)
MAX_WHY = 200
MAX_NAME = 60
#: Names of the shared dataset's tables in the workspace's dataset store.
SHARED_TABLES: tuple[str, ...] = ("interactions", "activity", "forecast")
_SHARED_PREFIX = "workshop:"


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _one_line(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def participant_key(name: str) -> str:
    """How votes recognise a participant: ``" Ana  Souza"`` and ``"ana souza"`` are one."""
    return _one_line(name).casefold()


def _participant(name: str) -> str:
    cleaned = _one_line(name)
    if not cleaned:
        raise DefinitionError("workshop.participant.missing")
    if len(cleaned) > MAX_NAME:
        raise DefinitionError("workshop.participant.too_long", length=MAX_NAME)
    return cleaned


@dataclass(frozen=True)
class Proposal:
    """A proposed KPI: a catalog id, or a custom KPI (``custom`` holds its definition when one
    was given; ``label`` its name)."""

    id: int
    kpi: str
    label: str
    why: str
    proposed_by: str
    created_at: str
    custom: Mapping[str, Any] | None = field(default=None, hash=False)

    @property
    def is_catalog(self) -> bool:
        return self.kpi in CATALOG and self.custom is None and not self.label

    def name(self, lang: str | None = "en") -> str:
        """The KPI's name: translated for a catalog KPI, as given for a custom one."""
        return kpi_name(self.kpi, lang) if self.is_catalog else self.label

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kpi": self.kpi, "label": self.label, "why": self.why,
                "proposed_by": self.proposed_by, "created_at": self.created_at,
                "custom": None if self.custom is None else dict(self.custom)}


@dataclass(frozen=True)
class Vote:
    """One participant's vote on one proposal."""

    proposal_id: int
    participant: str
    score: int
    target: float | None
    voted_at: str


@dataclass(frozen=True)
class Tally:
    """The votes on one proposal: ``spread`` is the sample standard deviation (None below two
    votes); ``score_counts`` counts the votes of each score 1–5."""

    proposal_id: int
    count: int
    mean: float | None
    spread: float | None
    score_counts: tuple[int, ...]
    targets: int
    target_median: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"proposal_id": self.proposal_id, "count": self.count, "mean": self.mean,
                "spread": self.spread, "score_counts": list(self.score_counts),
                "targets": self.targets, "target_median": self.target_median}


@dataclass(frozen=True)
class Adoption:
    """The facilitator's choice: adopt ``proposal_id``, optionally with a ``target`` value."""

    proposal_id: int
    target: float | None = None


@dataclass(frozen=True)
class Decision:
    """A recorded decision: the charter it produced and what was adopted, with the tallies."""

    id: int
    decided_at: str
    decided_by: str
    charter_history_id: int | None
    adopted: tuple[Mapping[str, Any], ...] = field(hash=False)


# -- proposals ------------------------------------------------------------------------------
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")[:40]


def propose(
    workspace: Workspace,
    *,
    proposed_by: str,
    why: str,
    kpi: str | None = None,
    custom_name: str | None = None,
    custom: Mapping[str, Any] | None = None,
) -> Proposal:
    """Add a proposal: a catalog ``kpi``, or a custom KPI named ``custom_name`` (with its
    ``custom`` definition, ``CustomKpi.to_dict()``, when the team has one); ``why`` is one line
    ("why this matters to us"). Raises :class:`DefinitionError` naming what is missing."""
    who = _participant(proposed_by)
    reason = _one_line(why)
    if not reason:
        raise DefinitionError("workshop.propose.why_missing")
    if len(reason) > MAX_WHY:
        raise DefinitionError("workshop.propose.why_too_long", length=MAX_WHY)
    label = _one_line(custom_name)
    if kpi is not None and not label and custom is None:
        if kpi not in CATALOG:
            raise DefinitionError("workshop.propose.unknown_kpi", kpi=kpi)
        kpi_id = kpi
    elif custom is not None:
        kpi_id = str(custom.get("id") or "")
        label = label or str(custom.get("name") or kpi_id)
        if not kpi_id:
            raise DefinitionError("workshop.propose.custom_missing")
    elif label:
        kpi_id = _slug(label) or "custom"
    else:
        raise DefinitionError("workshop.propose.kpi_missing")
    if len(label) > MAX_NAME:
        raise DefinitionError("workshop.propose.name_too_long", length=MAX_NAME)
    created = _now()
    document = None if custom is None else json.dumps(dict(custom), ensure_ascii=False)

    def change(conn: sqlite3.Connection) -> int:
        cursor = conn.execute(
            "INSERT INTO workshop_proposals (kpi, label, why, proposed_by, custom, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)", (kpi_id, label, reason, who, document, created))
        return int(cursor.lastrowid or 0)

    proposal_id = workspace.transact(change)
    return Proposal(proposal_id, kpi_id, label, reason, who, created,
                    None if custom is None else dict(custom))


def proposals(workspace: Workspace) -> tuple[Proposal, ...]:
    """Every proposal, in the order they were made."""
    rows = workspace.query(
        "SELECT id, kpi, label, why, proposed_by, created_at, custom FROM workshop_proposals "
        "ORDER BY id")
    return tuple(Proposal(int(i), k, lab, w, who, at, None if c is None else json.loads(c))
                 for i, k, lab, w, who, at, c in rows)


def withdraw(workspace: Workspace, proposal_id: int) -> bool:
    """Remove a proposal and its votes; True when it existed."""
    return bool(workspace.transact(lambda conn: conn.execute(
        "DELETE FROM workshop_proposals WHERE id = ?", (proposal_id,)).rowcount))


# -- votes ----------------------------------------------------------------------------------
def vote(
    workspace: Workspace, proposal_id: int, participant: str, score: int,
    target: float | None = None,
) -> Vote:
    """Record ``participant``'s importance ``score`` (1–5) and optional suggested ``target``
    for a proposal, replacing their earlier vote on it (one transaction)."""
    who = _participant(participant)
    if isinstance(score, bool) or not isinstance(score, int | np.integer) or score not in SCORES:
        raise DefinitionError("workshop.vote.bad_score", score=score)
    if target is not None:
        if isinstance(target, bool) or not isinstance(target, int | float) \
                or not math.isfinite(target):
            raise DefinitionError("workshop.vote.bad_target", value=target)
        target = float(target)
    voted = _now()

    def change(conn: sqlite3.Connection) -> None:
        exists = conn.execute("SELECT 1 FROM workshop_proposals WHERE id = ?",
                              (proposal_id,)).fetchone()
        if exists is None:
            raise DefinitionError("workshop.vote.no_proposal", proposal=proposal_id)
        conn.execute(
            "INSERT INTO workshop_votes "
            "(proposal_id, participant_key, participant, score, target, voted_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(proposal_id, participant_key) DO UPDATE SET "
            "participant = excluded.participant, score = excluded.score, "
            "target = excluded.target, voted_at = excluded.voted_at",
            (proposal_id, participant_key(who), who, int(score), target, voted))

    workspace.transact(change)
    return Vote(proposal_id, who, int(score), target, voted)


def votes(workspace: Workspace, participant: str | None = None) -> tuple[Vote, ...]:
    """Every vote (or only ``participant``'s), by proposal then participant."""
    sql = ("SELECT proposal_id, participant, score, target, voted_at FROM workshop_votes")
    params: tuple[Any, ...] = ()
    if participant is not None:
        sql += " WHERE participant_key = ?"
        params = (participant_key(participant),)
    rows = workspace.query(sql + " ORDER BY proposal_id, participant_key", params)
    return tuple(Vote(int(p), who, int(s), None if t is None else float(t), at)
                 for p, who, s, t, at in rows)


def tally_votes(cast: Sequence[Vote], proposal_ids: Sequence[int]) -> dict[int, Tally]:
    """The :class:`Tally` of each proposal in ``proposal_ids`` from the votes ``cast``."""
    ids = np.asarray(list(proposal_ids), dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    voted = np.fromiter((v.proposal_id for v in cast), dtype=np.int64, count=len(cast))
    scores = np.fromiter((v.score for v in cast), dtype=np.float64, count=len(cast))
    targets = np.fromiter((np.nan if v.target is None else v.target for v in cast),
                          dtype=np.float64, count=len(cast))
    position = np.searchsorted(ids[order], voted)
    known = (position < len(ids)) & (ids[order][np.minimum(position, len(ids) - 1)] == voted) \
        if len(ids) else np.zeros(len(cast), dtype=bool)
    slot = order[position[known]]
    scores, targets = scores[known], targets[known]
    size = len(ids)
    count = np.bincount(slot, minlength=size)
    total = np.bincount(slot, weights=scores, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
        squares = np.bincount(slot, weights=(scores - mean[slot]) ** 2, minlength=size)
        spread = np.sqrt(squares / (count - 1))
    per_score = np.bincount(slot * len(SCORES) + (scores.astype(np.int64) - 1),
                            minlength=size * len(SCORES)).reshape(size, len(SCORES))
    has_target = ~np.isnan(targets)
    medians = (pd.Series(targets[has_target]).groupby(slot[has_target]).median()
               .reindex(range(size)).to_numpy())
    target_count = np.bincount(slot[has_target], minlength=size)
    return {
        int(pid): Tally(
            proposal_id=int(pid),
            count=int(count[i]),
            mean=float(mean[i]) if count[i] else None,
            spread=float(spread[i]) if count[i] > 1 else None,
            score_counts=tuple(int(c) for c in per_score[i]),
            targets=int(target_count[i]),
            target_median=None if np.isnan(medians[i]) else float(medians[i]),
        )
        for i, pid in enumerate(ids)
    }


def tally(workspace: Workspace) -> dict[int, Tally]:
    """The current tally of every proposal (proposals without votes have ``count`` 0)."""
    return tally_votes(votes(workspace), [p.id for p in proposals(workspace)])


# -- decisions ------------------------------------------------------------------------------
def adopted_charter(
    base: Charter, chosen: Sequence[tuple[Proposal, float | None]], *, lang: str = "en",
) -> Charter:
    """``base`` revised so its KPIs are the ``chosen`` proposals in order, with their targets.

    Catalog KPIs and custom KPIs with a definition join ``kpis`` (the definition joins
    ``custom_kpis``); a custom KPI without one is listed in the notes to be defined. A target
    replaces the KPI's unscoped targets and is checked against the KPI (a band or neutral KPI
    takes none here); other targets of adopted KPIs are kept.
    """
    kpis: list[str] = []
    custom = {str(c["id"]): c for c in base.custom_kpis if "id" in c}
    to_define: list[str] = []
    new_targets: dict[str, Target] = {}
    for proposal, target in chosen:
        if proposal.custom is not None:
            custom[proposal.kpi] = dict(proposal.custom)
        elif not proposal.is_catalog and proposal.kpi not in custom:
            to_define.append(f"{proposal.label}: {proposal.why}")
            continue
        if proposal.kpi in kpis:
            continue
        kpis.append(proposal.kpi)
        if target is not None:
            new_targets[proposal.kpi] = _checked_target(proposal, target, custom, lang)
    kept = tuple(t for t in base.targets if t.kpi in kpis
                 and not (t.kpi in new_targets and not t.scope))
    notes = base.notes
    if to_define:
        notes = "\n".join([*(filter(None, [notes])), *to_define])
    return base.revised(
        kpis=tuple(kpis),
        custom_kpis=tuple(c for cid, c in custom.items() if cid in kpis),
        targets=kept + tuple(new_targets[k] for k in kpis if k in new_targets),
        notes=notes,
    )


def _checked_target(proposal: Proposal, value: float, custom: Mapping[str, Any],
                    lang: str) -> Target:
    if proposal.kpi in CATALOG and proposal.custom is None:
        definition = CATALOG[proposal.kpi]
        unit, direction = definition.unit, definition.direction
    else:
        document = custom[proposal.kpi]
        unit, direction = document.get("unit"), document.get("direction", "higher")
    target = Target(kpi=proposal.kpi, value=float(value), note="workshop")
    return validate_target(target, unit=unit, direction=direction,
                           kpi_name=proposal.name(lang))


def decide(
    workspace: Workspace,
    adoptions: Sequence[Adoption],
    *,
    decided_by: str,
    base: Charter | None = None,
    lang: str = "en",
) -> tuple[Charter, Decision]:
    """Adopt proposals (with targets) as the workspace's charter and record the decision —
    who proposed what, the reasons and the tallies — in one transaction."""
    who = _participant(decided_by)
    if not adoptions:
        raise DefinitionError("workshop.decide.nothing")
    by_id = {p.id: p for p in proposals(workspace)}
    missing = [a.proposal_id for a in adoptions if a.proposal_id not in by_id]
    if missing:
        raise DefinitionError("workshop.vote.no_proposal", proposal=missing[0])
    chosen = [(by_id[a.proposal_id], a.target) for a in adoptions]
    base = base if base is not None else (workspace.load_charter() or Charter())
    charter = adopted_charter(base, chosen, lang=lang)
    tallies = tally(workspace)
    adopted = tuple(
        {"proposal": proposal.to_dict(), "target": target,
         "tally": tallies[proposal.id].to_dict()}
        for proposal, target in chosen
    )
    decided_at = _now()
    document = json.dumps({"adopted": list(adopted)}, ensure_ascii=False)
    note = "workshop: " + ", ".join(p.kpi for p, _ in chosen)

    def change(conn: sqlite3.Connection) -> tuple[int, int]:
        history_id = insert_charter(conn, charter, note)
        cursor = conn.execute(
            "INSERT INTO workshop_decisions (decided_at, decided_by, charter_history_id, "
            "document) VALUES (?, ?, ?, ?)", (decided_at, who, history_id, document))
        return int(cursor.lastrowid or 0), history_id

    decision_id, history_id = workspace.transact(change)
    return charter, Decision(decision_id, decided_at, who, history_id, adopted)


def decisions(workspace: Workspace) -> tuple[Decision, ...]:
    """Every recorded decision, newest first."""
    rows = workspace.query(
        "SELECT id, decided_at, decided_by, charter_history_id, document "
        "FROM workshop_decisions ORDER BY id DESC")
    return tuple(Decision(int(i), at, who, h, tuple(json.loads(d)["adopted"]))
                 for i, at, who, h, d in rows)


# -- the shared dataset ---------------------------------------------------------------------
@dataclass(frozen=True)
class SharedDataset:
    """The dataset shared with a workspace; ``key`` changes with every share (a cache key)."""

    dataset: Dataset
    key: str
    label: str


def share_dataset(workspace: Workspace, dataset: Dataset, *, label: str) -> None:
    """Save ``dataset``'s canonical tables (Parquet), mapping and validation report in the
    workspace, replacing any shared before; sessions that open the workspace load it."""
    metadata = {"label": label, "mapping": dataset.mapping.to_dict(),
                "report": dataset.report.to_dict()}
    for table in SHARED_TABLES:
        frame = getattr(dataset, table)
        name = _SHARED_PREFIX + table
        if frame is None:
            workspace.delete_dataset(name)
        else:
            workspace.save_dataset(frame, name, metadata=metadata)


def shared_key(workspace: Workspace) -> str | None:
    """A key of the dataset shared with the workspace (changes with every share), or None
    when none was shared; cheap (one small query), unlike loading it."""
    rows = workspace.query("SELECT name, file FROM datasets WHERE name LIKE ? ORDER BY name",
                           (_SHARED_PREFIX + "%",))
    if not any(name == _SHARED_PREFIX + "interactions" for name, _ in rows):
        return None
    return "|".join(f"{name}={file}" for name, file in rows)


def shared_dataset(workspace: Workspace) -> SharedDataset | None:
    """The dataset shared with the workspace, or None when none was."""
    from kpi.load import Dataset
    from kpi.mapping import Mapping
    from kpi.validation import Issue, ValidationReport

    infos = {i.name: i for i in workspace.list_datasets() if i.name.startswith(_SHARED_PREFIX)}
    main = infos.get(_SHARED_PREFIX + "interactions")
    if main is None:
        return None
    frames = {table: workspace.load_dataset_frame(_SHARED_PREFIX + table)
              if _SHARED_PREFIX + table in infos else None for table in SHARED_TABLES}
    metadata = main.metadata
    report = metadata.get("report", {})
    dataset = Dataset(
        interactions=frames["interactions"],
        activity=frames["activity"],
        forecast=frames["forecast"],
        mapping=Mapping.from_dict(metadata["mapping"]),
        proposal=None,
        reads=(),
        report=ValidationReport(
            rows_read=int(report.get("rows_read", main.rows)),
            rows_kept=int(report.get("rows_kept", main.rows)),
            dropped={k: int(v) for k, v in report.get("dropped", {}).items()},
            issues=[Issue(code=i["code"], field=i["field"], column=i["column"],
                          count=int(i["count"]), examples=tuple(i["examples"]),
                          severity=i["severity"], params=dict(i["params"]))
                    for i in report.get("issues", [])],
        ),
    )
    return SharedDataset(dataset, shared_key(workspace) or "", str(metadata.get("label", "")))


# -- what the Workshop page shows -----------------------------------------------------------
def value_format(proposal: Proposal) -> ValueFormat:
    """How the proposal's values and targets are written (``percent``, ``duration``...)."""
    if proposal.is_catalog:
        from kpi.scorecard import kpi_info

        return kpi_info(proposal.kpi).value_format
    unit = str((proposal.custom or {}).get("unit") or "")
    return {"percent": "percent", "seconds": "duration", "nps": "nps"}.get(unit, "number")


def display_scale(proposal: Proposal) -> float:
    """Typed target × scale = KPI units: people type 85 for 85 %, stored as 0.85."""
    return 0.01 if value_format(proposal) == "percent" else 1.0


def takes_target(proposal: Proposal) -> bool:
    """Whether a single-value target can be suggested (not for band or neutral KPIs)."""
    if proposal.is_catalog:
        return CATALOG[proposal.kpi].direction in ("higher", "lower")
    return str((proposal.custom or {}).get("direction", "higher")) in ("higher", "lower")


def results_frame(
    shown: Sequence[Proposal], tallies: Mapping[int, Tally],
    detectable: Mapping[str, Detectable] | None = None, *, lang: str = "en",
) -> pd.DataFrame:
    """One row per proposal, best average first: name, who proposed it and why, the vote
    count, average and spread, the median suggested target and, when data is loaded, the
    smallest change the data can detect next to it (plain text, never HTML)."""
    from kpi.stats.verdict import format_change, format_value

    rows = []
    for proposal in shown:
        result = tallies[proposal.id]
        fmt = value_format(proposal)
        found = (detectable or {}).get(proposal.kpi)
        rows.append({
            "kpi": proposal.name(lang),
            "proposed_by": proposal.proposed_by,
            "why": proposal.why,
            "votes": result.count,
            "mean": result.mean,
            "spread": result.spread,
            "target": "" if result.target_median is None
            else format_value(result.target_median, fmt, lang),
            "detectable": "" if found is None or found.change is None
            else "±" + format_change(found.change, found.unit, lang, signed=False),
        })
    frame = pd.DataFrame(rows, columns=["kpi", "proposed_by", "why", "votes", "mean", "spread",
                                        "target", "detectable"])
    return frame.sort_values(["mean", "votes"], ascending=False, na_position="last",
                             kind="stable").reset_index(drop=True)
