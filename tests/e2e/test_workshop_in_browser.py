"""Workshop in the browser: two participants (two browser contexts, one server) propose and
vote at the same moment; every vote reaches the workspace and the live results of both."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from browser_support import assert_no_traceback, open_page, screenshot, start_app, wait_for_app_run

from kpi import workshop
from kpi.store import open_named

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

ROOM = "e2e-room"


def vote_form(page: Page) -> Locator:
    return page.locator("[data-testid='stMain'] [data-testid='stForm']").filter(
        has_text="Save my votes")


def propose(page: Page, why: str, custom_name: str | None = None) -> None:
    page.get_by_role("tab", name="1. Propose").click()
    if custom_name is not None:
        page.get_by_text("Our own", exact=True).click()
        wait_for_app_run(page)
        page.get_by_label("Name of the KPI").fill(custom_name)
    page.get_by_label("Why this matters to us").fill(why)
    page.get_by_role("button", name="Propose").click()
    wait_for_app_run(page)


def choose_scores(page: Page, scores: list[int]) -> None:
    page.get_by_role("tab", name="2. Vote").click()
    form = vote_form(page)
    groups = form.locator("[data-testid='stButtonGroup']")
    groups.nth(len(scores) - 1).wait_for()
    for index, score in enumerate(scores):
        groups.nth(index).get_by_role("radio", name=str(score), exact=True).click()


def test_two_browsers_vote_at_once(browser: Browser, tmp_path: Path) -> None:
    root = tmp_path / "workspace"
    with start_app(tmp_path) as url, open_page(browser) as ana, open_page(browser) as bruno:
        for page, name in ((ana, "Ana"), (bruno, "Bruno")):
            page.goto(f"{url}/Workshop?workspace={ROOM}&me={name}")
            wait_for_app_run(page)
            page.locator("h1", has_text="Workshop").wait_for()
        propose(ana, "Customers who wait leave")
        propose(bruno, "Our best clients", custom_name="VIP callbacks")
        # the live results see both proposals in both browsers (no reload by hand)
        for page in (ana, bruno):
            page.get_by_text(re.compile(r"2 proposals, 0 votes so far")).wait_for(timeout=20_000)
        ws = open_named(ROOM, root)
        proposals = workshop.proposals(ws)
        assert [p.proposed_by for p in proposals] == ["Ana", "Bruno"]
        cast = {"Ana": [5, 2], "Bruno": [3, 4]}
        choose_scores(ana, cast["Ana"])
        choose_scores(bruno, cast["Bruno"])
        # both save at the same moment
        vote_form(ana).get_by_role("button", name="Save my votes").click(no_wait_after=True)
        vote_form(bruno).get_by_role("button", name="Save my votes").click(no_wait_after=True)
        for page in (ana, bruno):
            wait_for_app_run(page)
            page.get_by_text(re.compile(r"2 proposals, 4 votes so far")).wait_for(timeout=20_000)
            assert_no_traceback(page)
        stored = {(v.participant, v.proposal_id): v.score for v in workshop.votes(ws)}
        assert stored == {(name, p.id): score for name, scores in cast.items()
                          for p, score in zip(proposals, scores, strict=True)}
        tallies = workshop.tally(ws)
        assert [tallies[p.id].mean for p in proposals] == [4.0, 3.0]
        screenshot(ana, "workshop_vote_ana")
        # a reload keeps Ana's votes: her scores are the selected buttons
        ana.reload()
        wait_for_app_run(ana)
        ana.get_by_role("tab", name="2. Vote").click()
        groups = vote_form(ana).locator("[data-testid='stButtonGroup']")
        groups.nth(1).wait_for()
        for index, score in enumerate(cast["Ana"]):
            selected = groups.nth(index).locator("[aria-checked='true']")
            assert selected.inner_text().strip() == str(score)
