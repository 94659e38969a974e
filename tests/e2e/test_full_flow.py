"""The whole flow in real headless Chromium: sample → KPIs → Targets → Trends → Changes,
a chart point click, every page in English and Português, and a deep link on a fresh server.

Screenshots of every page in both languages land in ``artifacts/screenshots/flow_*.png``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import browser_support
import pandas as pd
import pytest
from browser_support import (
    ROOT,
    assert_no_traceback,
    checkbox,
    edit_grid_cell,
    open_page,
    screenshot,
    sidebar,
    start_app,
    wait_for_app_run,
)
from playwright.sync_api import expect

from kpi.i18n import catalog, translate
from kpi.ui.nav import nav_items

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.e2e

SAMPLE = ROOT / "sample_data" / "contacts.csv"
#: page id → (sidebar label key, title key)
PAGES = {
    "overview": ("ui.nav.overview", "ui.overview.title"),
    "data": ("ui.nav.data", "data_page.title"),
    "kpis": ("ui.nav.kpis", "kpis_page.title"),
    "targets": ("ui.nav.targets", "targets_page.title"),
    "trends": ("ui.nav.trends", "explore.title"),
    "changes": ("ui.nav.changes", "changes_page.title"),
}
#: the KPIs the flow drops from the default choice and the one it adds
DROPPED = ("volume", "nps")
ADDED = "p90_wait"
#: a message key left untranslated shows as ``area.some_key``
RAW_KEY = re.compile(
    r"\b(?:" + "|".join(sorted({key.split(".")[0] for key in catalog()})) + r")\.[a-z0-9_]+\b"
)


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """The sample's contact times, read with pandas alone (not the app's loader)."""
    raw = pd.read_csv(SAMPLE, usecols=["Created At"], parse_dates=["Created At"])
    return raw.rename(columns={"Created At": "created_at"})


def t(key: str, lang: str = "en", **params: object) -> str:
    return translate(key, lang, **params)


def go_to(page: Page, page_id: str, lang: str = "en") -> None:
    """Open a page with the translated sidebar link and wait for its title."""
    nav, title = PAGES[page_id]
    browser_support.go_to(page, t(nav, lang), t(title, lang))


def check_page(page: Page, lang: str, name: str) -> None:
    """No traceback and no raw message key on the page; then a screenshot."""
    assert_no_traceback(page)
    text = page.inner_text("body")
    assert not RAW_KEY.findall(text), f"untranslated keys on {name}: {RAW_KEY.findall(text)}"
    screenshot(page, name)


def load_sample_from_overview(page: Page, url: str, lang: str = "en") -> None:
    page.goto(url)
    wait_for_app_run(page)
    page.get_by_role("button", name=t("ui.overview.sample_button", lang)).click()
    wait_for_app_run(page)
    page.get_by_text(t("scorecard.ui.heading", lang), exact=True).wait_for()


def test_whole_flow_on_the_sample(app_url: str, page: Page) -> None:
    # Overview, empty: the flow and the one-click sample
    page.goto(app_url)
    wait_for_app_run(page)
    check_page(page, "en", "flow_overview_empty_en")
    load_sample_from_overview(page, app_url)
    check_page(page, "en", "flow_overview_en")

    go_to(page, "data")
    assert "40,000" in sidebar(page).inner_text()
    check_page(page, "en", "flow_data_en")

    # KPIs: drop two of the default KPIs, add one, save
    go_to(page, "kpis")
    page.get_by_text(t("kpis_page.default_choice")).wait_for()
    for kpi in DROPPED:
        box = checkbox(page, t(f"catalog.{kpi}.name"))
        assert box.locator("input").is_checked()
        box.locator("label").click()
        wait_for_app_run(page)
    added = checkbox(page, t(f"catalog.{ADDED}.name"))
    assert not added.locator("input").is_checked()
    added.locator("label").click()
    wait_for_app_run(page)
    page.get_by_role("button", name=t("kpis_page.save")).click()
    wait_for_app_run(page)
    page.get_by_text(t("kpis_page.saved", count=8, revision=2)).wait_for()
    for kpi in DROPPED:
        assert not checkbox(page, t(f"catalog.{kpi}.name")).locator("input").is_checked()
    check_page(page, "en", "flow_kpis_en")

    # Targets: abandonment rate (the first row now that Contacts is gone) at most 5 %
    go_to(page, "targets")
    grid = page.locator("[data-testid='stDataFrame']").first
    edit_grid_cell(page, grid, row=0, column=5, text="5")
    wait_for_app_run(page)
    page.get_by_role("button", name=t("targets_page.save")).click()
    wait_for_app_run(page)
    page.get_by_text(t("targets_page.saved", count=1)).wait_for()
    # the KPI now has a status (the page finishes drawing after the notice)
    statuses = "|".join(t(f"targets.status.{s}") for s in ("on_target", "at_risk", "off_target"))
    detectable = page.locator("li", has_text=t("catalog.abandonment_rate.name")).first
    expect(detectable).to_contain_text(re.compile(statuses))
    check_page(page, "en", "flow_targets_en")

    # Overview: the card shows the target
    go_to(page, "overview")
    page.get_by_text(t("scorecard.ui.target", target="≤ 5.0 %")).wait_for()

    # Trends: one chart per shown KPI, with marks drawn
    go_to(page, "trends")
    over_time = page.get_by_role("tabpanel").first
    charts = over_time.locator("[data-testid='stVegaLiteChart']")
    charts.first.wait_for()
    expect(charts).to_have_count(3)  # the first three chosen KPIs
    assert charts.first.locator("g.mark-symbol path").count() >= 20  # 26 weeks of points
    assert charts.first.locator("g.mark-line path").count() >= 1
    page.get_by_role("heading", name=t("catalog.abandonment_rate.name")).first.wait_for()
    check_page(page, "en", "flow_trends_en")

    # Changes: the results table and one verdict per chosen KPI
    go_to(page, "changes")
    page.get_by_role("heading", name=t("changes_page.table")).wait_for()
    assert page.locator("[data-testid='stDataFrame']").count() == 1
    verdicts = page.locator("h3", has_text=t("changes_page.verdicts")).locator(
        "xpath=ancestor::div[@data-testid='stElementContainer'][1]/following-sibling::div[1]"
    ).locator("li")
    assert verdicts.count() == 8
    outcomes = [t(f"changes_page.outcome.{o}") for o in
                ("improved", "worsened", "changed", "unclear")]
    for i in range(verdicts.count()):
        line = verdicts.nth(i).inner_text()
        assert any(line.startswith(o) for o in outcomes), line
    page.locator("[data-testid='stVegaLiteChart'] g.mark-symbol path").first.wait_for()
    check_page(page, "en", "flow_changes_en")


def test_point_click_opens_the_interactions_behind_it(
    app_url: str, page: Page, sample: pd.DataFrame
) -> None:
    load_sample_from_overview(page, app_url)
    go_to(page, "trends")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    points = chart.locator("g.mark-symbol path")
    points.first.wait_for()
    point = points.nth(10)
    # the SVG renderer labels every mark with its tooltip: "Period: Mar 16; ..."
    label = point.get_attribute("aria-label") or ""
    match = re.match(r"Period: (\w{3} \d{1,2});", label)
    assert match, label
    point.click()
    wait_for_app_run(page)
    start = datetime.strptime(f"{match[1]} 2026", "%b %d %Y")
    in_week = sample["created_at"].between(start, start + timedelta(days=7), inclusive="left")
    expected = t("explore.behind", count=f"{int(in_week.sum()):,}", freq="week",
                 start=f"{match[1]}, 2026", where="").replace("**", "")
    page.get_by_text(expected, exact=True).wait_for()
    assert page.locator("[data-testid='stDataFrame']").count() == 1
    download = page.locator("[data-testid='stDownloadButton']").get_by_role(
        "button", name=t("explore.download")
    )
    with page.expect_download() as info:
        download.click()
    csv = pd.read_csv(info.value.path())
    assert len(csv) == in_week.sum()
    check_page(page, "en", "flow_trends_point_en")


def test_every_page_in_portuguese(app_url: str, page: Page) -> None:
    load_sample_from_overview(page, app_url)
    items = nav_items()
    sidebar(page).get_by_text("Português", exact=True).click()
    wait_for_app_run(page)
    titles = {t(nav, "pt"): t(title, "pt") for nav, title in PAGES.values()}
    for item in items:
        label = item.label("pt")
        sidebar(page).get_by_role("link", name=label, exact=True).click()
        wait_for_app_run(page)
        if label in titles:  # the pages of the main flow: their own title
            page.locator("h1", has_text=titles[label]).first.wait_for()
            wait_for_app_run(page)
        links = sidebar(page).get_by_role("link").all_inner_texts()
        assert [link.split("\n")[-1] for link in links] == [i.label("pt") for i in items]
        check_page(page, "pt", f"flow_{item.page_id}_pt")
    # and back: the labels change again; pages beyond the main flow get their English shot
    sidebar(page).get_by_text("English", exact=True).click()
    wait_for_app_run(page)
    assert sidebar(page).get_by_role("link", name=t("ui.nav.overview")).count() == 1
    for item in items:
        if item.page_id not in PAGES:
            sidebar(page).get_by_role("link", name=item.label("en"), exact=True).click()
            wait_for_app_run(page)
            check_page(page, "en", f"flow_{item.page_id}_en")


def test_deep_link_to_trends_on_a_fresh_server(browser: Browser, tmp_path: Path) -> None:
    env = {"KPI_DEFAULT_DATA": "sample_data/contacts.csv"}
    with start_app(tmp_path, env=env) as url, open_page(browser) as page:
        page.goto(f"{url}/Trends")
        wait_for_app_run(page)
        page.locator("h1", has_text=t("explore.title")).first.wait_for()
        marks = page.locator("[data-testid='stVegaLiteChart'] g.mark-symbol path")
        marks.first.wait_for()
        sidebar(page).get_by_role("link", name=t("ui.nav.overview")).wait_for()
        check_page(page, "en", "flow_trends_deep_link_en")
