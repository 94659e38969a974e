"""The data flow in real headless Chromium: upload, mapping shown, language, deep link."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from browser_support import (
    ROOT,
    RUN_TIMEOUT_MS,
    assert_no_traceback,
    open_page,
    screenshot,
    sidebar,
    start_app,
    wait_for_app_run,
)
from playwright.sync_api import expect

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.e2e

BR_FILE = ROOT / "sample_data" / "atendimentos_br.csv"


def test_upload_brazilian_export_shows_the_mapping(app_url: str, page: Page) -> None:
    page.goto(app_url)
    wait_for_app_run(page)
    sidebar(page).get_by_role("link", name="Data").click()
    wait_for_app_run(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(BR_FILE)
    wait_for_app_run(page)
    page.get_by_text("Column mapping", exact=True).wait_for()
    mapping_row = page.locator("[data-testid='stTable'] tr", has_text="(created_at)")
    assert "Data/Hora de Entrada" in mapping_row.inner_text()
    detected = page.locator("[data-testid='stTable'] tr", has_text=BR_FILE.name)
    assert "day first (dd/mm/yyyy)" in detected.inner_text()
    assert_no_traceback(page)
    screenshot(page, "data_brazilian_upload")


def test_language_switch_translates_the_page(app_url: str, page: Page) -> None:
    page.goto(app_url)
    wait_for_app_run(page)
    assert page.locator("h1").first.inner_text() == "Customer-service KPI workbench"
    sidebar(page).get_by_text("Português", exact=True).click()
    wait_for_app_run(page)
    assert page.locator("h1").first.inner_text() == "Painel de KPIs de atendimento"
    expect(sidebar(page).get_by_role("link", name="Visão geral")).to_be_visible()
    expect(page.get_by_role("button", name="Experimentar com dados de exemplo")).to_be_visible()
    assert_no_traceback(page)
    screenshot(page, "overview_portuguese")


def test_portuguese_browser_and_sample(browser: Browser, app_url: str) -> None:
    with open_page(browser, locale="pt-BR") as page:
        page.goto(app_url)
        wait_for_app_run(page)
        page.get_by_role("button", name="Experimentar com dados de exemplo").click()
        wait_for_app_run(page)
        page.get_by_text("Dados carregados", exact=True).wait_for()
        metrics = page.locator("[data-testid='stMetric']")
        assert metrics.first.inner_text().startswith("Contatos")
        assert_no_traceback(page)
        screenshot(page, "overview_sample_portuguese")


def test_deep_link_to_data_on_a_fresh_server(browser: Browser, tmp_path: Path) -> None:
    with start_app(tmp_path) as url, open_page(browser) as page:
        page.goto(f"{url}/Data")
        wait_for_app_run(page)
        assert page.locator("h1").first.inner_text() == "Data"
        expect(sidebar(page).get_by_role("link", name="Overview")).to_be_visible()
        expect(page.get_by_text("No data yet", exact=False)).to_be_visible()
        assert_no_traceback(page)
        screenshot(page, "data_deep_link")


def test_bad_file_in_the_browser_is_one_sentence(
    browser: Browser, app_url: str, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"this is not a workbook")
    with open_page(browser) as page:
        page.goto(f"{app_url}/Data")
        wait_for_app_run(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(bad)
        wait_for_app_run(page)
        alerts = page.locator("[data-testid='stAlertContentError']")
        # auto-waiting: the upload's rerun may start after wait_for_app_run returned
        expect(alerts).to_have_count(1, timeout=RUN_TIMEOUT_MS)
        expect(alerts.first).to_have_text(re.compile(r"to see what the app expects\.$"))
        assert_no_traceback(page)
        screenshot(page, "data_bad_file")


def test_corrections_panel_in_portuguese(browser: Browser, app_url: str) -> None:
    with open_page(browser, locale="pt-BR") as page:
        page.goto(f"{app_url}/Data")
        wait_for_app_run(page)
        page.get_by_role("button", name="Usar os dados de exemplo").click()
        wait_for_app_run(page)
        page.get_by_text("Corrigir o mapeamento", exact=True).click()  # the toggle
        wait_for_app_run(page)
        apply = page.get_by_role("button", name="Aplicar as correções e recarregar")
        apply.wait_for()
        assert page.get_by_text("Data/hora de entrada (created_at)", exact=True).count() >= 1
        assert_no_traceback(page)
        screenshot(page, "data_corrections_portuguese")


def test_make_run_starts_with_the_sample_loaded(browser: Browser, tmp_path: Path) -> None:
    env = {"KPI_DEFAULT_DATA": "sample_data/contacts.csv"}
    with start_app(tmp_path, env=env) as url, open_page(browser) as page:
        page.goto(url)
        wait_for_app_run(page)
        page.get_by_text("Loaded data", exact=True).wait_for()
        rows = len(pd.read_csv(ROOT / "sample_data" / "contacts.csv", dtype="str"))
        assert f"Sample data: {rows:,} contacts" in sidebar(page).inner_text()
        assert_no_traceback(page)
        screenshot(page, "overview_default_data")
