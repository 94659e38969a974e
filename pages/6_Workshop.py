"""Workshop: a facilitator and participants propose KPIs, vote on them, adopt a charter."""

from __future__ import annotations

import streamlit as st

from kpi import workshop
from kpi.catalog import CATALOG, KpiParams, kpi_name
from kpi.scorecard import Detectable, detectable_changes
from kpi.ui import cache, frame, state
from kpi.ui import workspace as workspace_ui
from kpi.ui.widgets import escape_markdown

#: Seconds between live refreshes of the results.
REFRESH_SECONDS = 3
PARTICIPANT_PARAM = "me"


@st.cache_data(max_entries=16, ttl=cache.TTL_SECONDS, show_spinner=False)
def _detectable(dataset_key: str, kpis: tuple[str, ...], params_json: str,
                _interactions: object) -> dict[str, Detectable]:
    """Minimum detectable changes of the proposed catalog KPIs, once per data and KPI set."""
    import json

    params = KpiParams.from_dict(json.loads(params_json)) if params_json else KpiParams()
    return detectable_changes(_interactions, list(kpis), params)


def detectable_for(proposals: tuple[workshop.Proposal, ...]) -> dict[str, Detectable]:
    import json

    dataset = state.get_dataset()
    key = state.dataset_key()
    kpis = tuple(sorted({p.kpi for p in proposals if p.is_catalog}))
    if dataset is None or key is None or not kpis or dataset.interactions.empty:
        return {}
    parameters = state.get_charter().parameters
    return _detectable(key, kpis, json.dumps(dict(parameters), sort_keys=True),
                       dataset.interactions)


def participant(page: frame.PageContext) -> str:
    """The participant's name, kept in the URL (``?me=``) so a reload keeps it."""
    if "workshop_me" not in st.session_state:
        st.session_state["workshop_me"] = st.query_params.get(PARTICIPANT_PARAM, "")
    name = st.text_input(page.t("workshop.participant.label"), key="workshop_me",
                         max_chars=workshop.MAX_NAME,
                         help=page.t("workshop.participant.help"))
    name = " ".join(name.split())
    if name and st.query_params.get(PARTICIPANT_PARAM) != name:
        st.query_params[PARTICIPANT_PARAM] = name
    return name


# ------------------------------------------------------------------------------- propose
def propose_step(page: frame.PageContext, me: str) -> None:
    t = page.t
    st.caption(t("workshop.propose.intro"))
    kind = st.radio(t("workshop.propose.kind"), ["catalog", "custom"], horizontal=True,
                    key="workshop_kind", format_func=lambda k: t(f"workshop.propose.kind.{k}"))
    with st.form("workshop_propose_form", clear_on_submit=True):
        if kind == "catalog":
            kpi = st.selectbox(t("workshop.propose.kpi"), list(CATALOG), key="workshop_kpi",
                               format_func=lambda k: kpi_name(k, page.lang))
            custom_name = None
        else:
            kpi = None
            custom_name = st.text_input(t("workshop.propose.custom_name"),
                                        key="workshop_custom_name",
                                        max_chars=workshop.MAX_NAME)
        why = st.text_input(t("workshop.propose.why"), key="workshop_why",
                            max_chars=workshop.MAX_WHY, placeholder=t("workshop.propose.why_hint"))
        submitted = st.form_submit_button(t("workshop.propose.submit"), type="primary",
                                          icon=":material/add:")
    if submitted:
        definitions = {str(c.get("name", "")).casefold(): c
                       for c in state.get_charter().custom_kpis}
        custom = definitions.get((custom_name or "").strip().casefold())
        proposal = workshop.propose(state.workspace(), proposed_by=me, why=why, kpi=kpi,
                                    custom_name=custom_name, custom=custom)
        state.push_notice("workshop.propose.done", kpi=proposal.name(page.lang))
        st.rerun()


# ------------------------------------------------------------------------------- vote
def vote_step(page: frame.PageContext, me: str,
              proposals: tuple[workshop.Proposal, ...]) -> None:
    t = page.t
    if not proposals:
        st.info(t("workshop.vote.none"))
        return
    mine = {v.proposal_id: v for v in workshop.votes(state.workspace(), me)}
    who = workshop.participant_key(me)
    with st.form("workshop_vote_form"):
        st.caption(t("workshop.vote.intro"))
        chosen: dict[int, tuple[int | None, float | None]] = {}
        for proposal in proposals:
            earlier = mine.get(proposal.id)
            left, right = st.columns([3, 2])
            with left:
                st.markdown(f"**{escape_markdown(proposal.name(page.lang))}** · "
                            f"{escape_markdown(proposal.why)}")
                score = st.segmented_control(
                    t("workshop.vote.score"), workshop.SCORES,
                    default=earlier.score if earlier else None,
                    key=f"workshop_score_{proposal.id}_{who}",
                )
            target = None
            if workshop.takes_target(proposal):
                scale = workshop.display_scale(proposal)
                with right:
                    typed = st.number_input(
                        t("workshop.vote.target", unit=unit_hint(proposal, page)),
                        value=None if earlier is None or earlier.target is None
                        else earlier.target / scale,
                        key=f"workshop_target_{proposal.id}_{who}", format="%g",
                    )
                target = None if typed is None else float(typed) * scale
            chosen[proposal.id] = (score, target)
        submitted = st.form_submit_button(t("workshop.vote.submit"), type="primary",
                                          icon=":material/how_to_vote:")
    if submitted:
        saved = 0
        for proposal_id, (score, target) in chosen.items():
            if score is not None:
                workshop.vote(state.workspace(), proposal_id, me, int(score), target)
                saved += 1
        state.push_notice("workshop.vote.done", count=saved)
        st.rerun()


def unit_hint(proposal: workshop.Proposal, page: frame.PageContext) -> str:
    return page.t(f"workshop.unit.{workshop.value_format(proposal)}")


@st.fragment(run_every=REFRESH_SECONDS)
def live_results(page: frame.PageContext, known: int) -> None:
    """The tally for everyone, refreshed every few seconds; a new proposal reloads the page."""
    t = page.t
    current = state.workspace()
    proposals = workshop.proposals(current)
    if len(proposals) != known:
        st.rerun(scope="app")
    st.subheader(t("workshop.results.heading"))
    if not proposals:
        st.caption(t("workshop.vote.none"))
        return
    tallies = workshop.tally_votes(workshop.votes(current), [p.id for p in proposals])
    table = workshop.results_frame(proposals, tallies, detectable_for(proposals), lang=page.lang)
    total = sum(r.count for r in tallies.values())
    st.caption(t("workshop.results.summary", proposals=len(proposals), votes=total))
    st.dataframe(
        table, hide_index=True, key="workshop_results",
        column_config={
            "kpi": st.column_config.TextColumn(t("workshop.results.kpi")),
            "proposed_by": st.column_config.TextColumn(t("workshop.results.proposed_by")),
            "why": st.column_config.TextColumn(t("workshop.results.why")),
            "votes": st.column_config.NumberColumn(t("workshop.results.votes")),
            "mean": st.column_config.NumberColumn(t("workshop.results.mean"), format="%.2f"),
            "spread": st.column_config.NumberColumn(t("workshop.results.spread"),
                                                    format="%.2f"),
            "target": st.column_config.TextColumn(t("workshop.results.target")),
            "detectable": st.column_config.TextColumn(
                t("workshop.results.detectable"), help=t("workshop.results.detectable_help")),
        },
    )
    if state.get_dataset() is None:
        st.caption(t("workshop.results.no_data"))


# ------------------------------------------------------------------------------- decide
def decide_step(page: frame.PageContext, me: str,
                proposals: tuple[workshop.Proposal, ...]) -> None:
    t = page.t
    if not proposals:
        st.info(t("workshop.vote.none"))
        return
    tallies = workshop.tally(state.workspace())
    ranked = sorted(proposals, key=lambda p: -(tallies[p.id].mean or 0.0))
    by_id = {p.id: p for p in proposals}
    chosen = st.multiselect(
        t("workshop.decide.choose"), [p.id for p in ranked], key="workshop_adopt",
        placeholder=t("workshop.decide.placeholder"),
        format_func=lambda i: t("workshop.decide.option", kpi=by_id[i].name(page.lang),
                                mean=_mean(tallies[i].mean), votes=tallies[i].count),
    )
    adoptions = []
    for proposal_id in chosen:
        proposal = by_id[proposal_id]
        target = None
        if workshop.takes_target(proposal):
            scale = workshop.display_scale(proposal)
            median = tallies[proposal_id].target_median
            typed = st.number_input(
                t("workshop.decide.target", kpi=proposal.name(page.lang),
                  unit=unit_hint(proposal, page)),
                value=None if median is None else median / scale,
                key=f"workshop_adopt_target_{proposal_id}", format="%g",
            )
            target = None if typed is None else float(typed) * scale
        adoptions.append(workshop.Adoption(proposal_id, target))
    if st.button(t("workshop.decide.submit"), type="primary", key="workshop_decide",
                 icon=":material/gavel:", disabled=not chosen):
        charter, decision = workshop.decide(state.workspace(), adoptions, decided_by=me,
                                            base=state.get_charter(), lang=page.lang)
        state.remember_charter(charter, decision.charter_history_id or 0)
        state.push_notice("workshop.decide.done", count=len(charter.kpis))
        st.rerun()
    history(page)


def _mean(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def history(page: frame.PageContext) -> None:
    t = page.t
    decided = workshop.decisions(state.workspace())
    if not decided:
        return
    st.subheader(t("workshop.history.heading"))
    for decision in decided:
        with st.expander(t("workshop.history.entry", when=decision.decided_at,
                           who=decision.decided_by, count=len(decision.adopted))):
            for item in decision.adopted:
                proposal, result = item["proposal"], item["tally"]
                name = (kpi_name(proposal["kpi"], page.lang)
                        if proposal["kpi"] in CATALOG and not proposal["label"]
                        else proposal["label"])
                st.markdown("- " + escape_markdown(t(
                    "workshop.history.item", kpi=name, who=proposal["proposed_by"],
                    why=proposal["why"], votes=result["count"], mean=_mean(result["mean"]))))


# ------------------------------------------------------------------------------- workspace
def workspace_section(page: frame.PageContext) -> None:
    # The frame draws the workspace picker (sidebar) and the access prompt on every page.
    st.caption(page.t("workshop.workspace.current", name=workspace_ui.label(page.lang)))


def share_section(page: frame.PageContext) -> None:
    t = page.t
    dataset, source = state.get_dataset(), state.get_source()
    shared = workshop.shared_key(state.workspace())
    if dataset is None:
        st.caption(t("workshop.share.no_data"))
        return
    if shared is not None and source is not None and source.files[0][1] == shared.encode():
        st.caption(t("workshop.share.shared"))
        return
    if st.button(t("workshop.share.button"), key="workshop_share", icon=":material/share:"):
        label = ", ".join(source.names) if source is not None else ""
        with st.spinner():
            workshop.share_dataset(state.workspace(), dataset, label=label)
        state.push_notice("workshop.share.done")
        st.rerun()


def protect_section(page: frame.PageContext) -> None:
    from kpi.access import has_code

    t = page.t
    protected = has_code(state.workspace())
    with st.expander(t("workshop.access.heading"), icon=":material/key:"):
        st.caption(t("workshop.access.protected" if protected else "workshop.access.open"))
        with st.form("workshop_code_set", clear_on_submit=True, border=False):
            code = st.text_input(t("workshop.access.new_code"), type="password",
                                 key="workshop_new_code")
            if st.form_submit_button(t("workshop.access.save")):
                state.protect_workspace(code)
                state.push_notice("workshop.access.saved" if code.strip()
                                  else "workshop.access.removed")
                st.rerun()


def workshop_page(page: frame.PageContext) -> None:
    t = page.t
    st.title(t("workshop.title"))
    st.write(t("workshop.intro"))
    workspace_section(page)
    share_section(page)
    protect_section(page)
    me = participant(page)
    proposals = workshop.proposals(state.workspace())
    live_results(page, len(proposals))
    if not me:
        st.info(t("workshop.participant.needed"))
        return
    propose_tab, vote_tab, decide_tab = st.tabs(
        [t("workshop.step.propose"), t("workshop.step.vote"), t("workshop.step.decide")],
        key="workshop_step", on_change="rerun")
    with propose_tab:
        propose_step(page, me)
    with vote_tab:
        vote_step(page, me, proposals)
    with decide_tab:
        decide_step(page, me, proposals)


frame.run_page("workshop", workshop_page)
