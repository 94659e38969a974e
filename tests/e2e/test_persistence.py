"""Restart persistence in real headless Chromium: KPIs and targets set through the UI are back
after the server is stopped and a new one starts on the same workspace (``KPI_WORKBENCH_HOME``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from browser_support import (
    SCREENSHOTS,
    assert_no_traceback,
    checkbox,
    edit_grid_cell,
    go_to,
    open_page,
    screenshot,
    start_app,
    wait_for_app_run,
)
from playwright.sync_api import expect

from kpi.i18n import translate
from kpi.store import Workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.e2e

ENV = {"KPI_DEFAULT_DATA": "sample_data/contacts.csv"}
DROPPED = ("volume", "csat_score")
ADDED = ("transfer_rate", "p90_wait")


def t(key: str, **params: object) -> str:
    return translate(key, "en", **params)


def name(kpi: str) -> str:
    return t(f"catalog.{kpi}.name")


def targets_csv(page: Page, tmp_path: Path) -> pd.DataFrame:
    """The Targets table as the grid's own toolbar downloads it.

    Without the File System Access API the toolbar falls back to an ordinary download, which
    Playwright can catch (headless Chromium has the API, and its save dialog cannot be driven).
    """
    page.evaluate("() => { delete window.showSaveFilePicker; }")
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.hover()
    with page.expect_download() as info:
        grid.get_by_role("button", name="Download as CSV").click()
    path = tmp_path / "targets.csv"
    info.value.save_as(path)
    return pd.read_csv(path)


def choose_kpis_and_a_target(page: Page, url: str) -> None:
    page.goto(f"{url}/KPIs")
    wait_for_app_run(page)
    page.get_by_text(t("kpis_page.default_choice")).wait_for()
    for kpi in (*DROPPED, *ADDED):
        checkbox(page, name(kpi)).locator("label").click()
        wait_for_app_run(page)
    page.get_by_role("button", name=t("kpis_page.save")).click()
    wait_for_app_run(page)
    page.get_by_text(t("kpis_page.saved", count=9, revision=2)).wait_for()

    go_to(page, t("ui.nav.targets"), t("targets_page.title"))
    # the first row is the abandonment rate (Contacts is gone); the target column is the sixth
    edit_grid_cell(page, page.locator("[data-testid='stDataFrame']").first, 0, 5, "4.5")
    wait_for_app_run(page)
    page.screenshot(path=str(SCREENSHOTS / "persistence_target_typed.png"))
    page.get_by_role("button", name=t("targets_page.save")).click()
    wait_for_app_run(page)
    page.get_by_text(t("targets_page.saved", count=1)).wait_for()


def test_kpis_and_targets_survive_a_restart(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    server_dir = tmp_path_factory.mktemp("server")
    downloads = tmp_path_factory.mktemp("downloads")
    with start_app(server_dir, env=ENV) as url, open_page(browser) as page:
        choose_kpis_and_a_target(page, url)
        before = targets_csv(page, downloads)
    # the server is stopped: the workspace on disk holds the charter
    charter = Workspace.open(server_dir / "workspace").load_charter()
    assert charter is not None
    assert not set(DROPPED) & set(charter.kpis)
    assert charter.kpis[-2:] == ADDED
    assert [(x.kpi, x.value) for x in charter.targets] == [("abandonment_rate", 0.045)]

    with start_app(server_dir, env=ENV) as url, open_page(browser) as page:
        page.goto(f"{url}/KPIs")
        wait_for_app_run(page)
        page.locator("h1", has_text=t("kpis_page.title")).first.wait_for()
        for kpi in DROPPED:
            expect(checkbox(page, name(kpi)).locator("input")).not_to_be_checked()
        for kpi in (*ADDED, "abandonment_rate", "nps"):
            expect(checkbox(page, name(kpi)).locator("input")).to_be_checked()
        assert page.get_by_text(t("kpis_page.default_choice")).count() == 0
        screenshot(page, "persistence_kpis_after_restart")

        go_to(page, t("ui.nav.targets"), t("targets_page.title"))
        after = targets_csv(page, downloads)
        # the CSV has the column ids (kpi, target, status...), the grid shows their labels
        pd.testing.assert_frame_equal(after, before)
        assert name("transfer_rate") in after["kpi"].tolist()
        assert name("csat_score") not in after["kpi"].tolist()
        shown = after.set_index("kpi")
        abandonment = name("abandonment_rate")
        assert shown.loc[abandonment, "target"] == pytest.approx(4.5)
        assert shown["target"].drop(abandonment).isna().all()
        assert shown.loc[abandonment, "status"] in {
            t(f"targets.status.{s}") for s in ("on_target", "at_risk", "off_target")
        }
        assert_no_traceback(page)
        screenshot(page, "persistence_targets_after_restart")

        go_to(page, t("ui.nav.overview"), t("ui.overview.title"))
        page.get_by_text(t("scorecard.ui.target", target="≤ 4.5 %")).wait_for()
        assert_no_traceback(page)
