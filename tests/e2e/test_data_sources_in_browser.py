"""Opening a converted Parquet folder by path, and the privacy toggle, in real headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from browser_support import assert_no_traceback, screenshot, sidebar, wait_for_app_run

from kpi.convert import convert_files

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

#: A pseudonymised customer id: 16 hexadecimal digits.
TOKEN = re.compile(r"^[0-9a-f]{16}$")
#: One contact every 3 hours from Mon 2025-11-03 for 8 months (Nov 2025 – Jun 2026).
ROWS = 1944


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """A folder written by ``kpi convert`` from a small export with phone numbers as ids."""
    created = pd.Timestamp("2025-11-03") + pd.to_timedelta(range(0, ROWS * 3, 3), unit="h")
    raw = pd.DataFrame({
        "Ticket ID": range(1, ROWS + 1),
        "Created At": created.strftime("%Y-%m-%d %H:%M:%S"),
        "Channel": ["Phone", "Chat", "WhatsApp"] * (ROWS // 3),
        "Customer ID": [f"+55 11 9{n % 400:04d}-1234" for n in range(ROWS)],
        "Abandoned": ["false", "false", "true", "false"] * (ROWS // 4),
    })
    folder = tmp_path_factory.mktemp("converted")
    raw.to_csv(folder / "export.csv", index=False)
    convert_files([folder / "export.csv"], folder / "contacts")
    return folder / "contacts", raw


def test_open_a_converted_folder_by_path(app_url: str, page: Page,
                                         converted: tuple[Path, pd.DataFrame]) -> None:
    folder, raw = converted
    months = pd.to_datetime(raw["Created At"]).dt.strftime("%Y-%m")
    last_six = sorted(months.unique())[-6:]
    expected = int(months.isin(last_six).sum())
    page.goto(f"{app_url}/Data")
    wait_for_app_run(page)
    page.get_by_text("Open a converted dataset (Parquet)").click()
    page.get_by_label("Path or URI").fill(str(folder))
    page.get_by_label("Path or URI").press("Enter")
    wait_for_app_run(page)
    page.get_by_role("button", name="Look at its months").click()
    wait_for_app_run(page)
    page.get_by_text(f"{expected:,} contacts in 6 months", exact=False).wait_for()
    page.get_by_role("button", name="Load these months").click()
    wait_for_app_run(page)
    page.get_by_text(f"Loaded {expected:,} contacts from", exact=False).wait_for()
    assert_no_traceback(page)
    screenshot(page, "data_parquet_folder")
    # every page now reads those months: the Overview scorecard counts them
    sidebar(page).get_by_role("link", name="Overview").click()
    wait_for_app_run(page)
    page.locator("[data-testid='stMetric']").first.wait_for()
    assert_no_traceback(page)


def grid_cells(page: Page, matching: str) -> list[str]:
    """The texts of the data grids' cells once one matches the regular expression ``matching``
    (the grid draws its cells a moment after the script ends)."""
    selector = "[data-testid^='glide-cell']"
    page.wait_for_function(
        "([s, p]) => Array.from(document.querySelectorAll(s))"
        ".some(e => new RegExp(p).test(e.textContent))", arg=[selector, matching])
    return page.locator(selector).evaluate_all("cells => cells.map(c => c.textContent)")


def test_privacy_toggle_shows_tokens_or_phone_numbers(app_url: str, page: Page,
                                                      tmp_path: Path) -> None:
    export = tmp_path / "contacts.csv"
    pd.DataFrame({
        "Ticket ID": [1, 2, 3, 4],
        "Created At": ["2026-01-05 09:00", "2026-01-05 10:00", "2026-01-06 09:30",
                       "2026-01-07 11:00"],
        "Customer ID": ["+55 21 98888-0001", "+55 21 98888-0002", "+55 21 98888-0001",
                        "+55 21 98888-0003"],
    }).to_csv(export, index=False)
    page.goto(f"{app_url}/Data")
    wait_for_app_run(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(export)
    wait_for_app_run(page)
    page.get_by_text("Customer ids are pseudonymised in this workspace", exact=False).wait_for()
    page.get_by_text("Column mapping", exact=True).wait_for()
    on = grid_cells(page, TOKEN.pattern)
    assert any(TOKEN.match(cell) for cell in on), on
    assert not any("98888" in cell for cell in on), on
    page.get_by_text("Pseudonymise customer ids").click()
    wait_for_app_run(page)
    page.get_by_text("Customer ids are now kept as in the files", exact=False).wait_for()
    off = grid_cells(page, "98888")
    assert "+55 21 98888-0001" in off
    assert not any(TOKEN.match(cell) for cell in off), off
    page.get_by_text("Pseudonymise customer ids").click()  # leave the workspace as it was
    wait_for_app_run(page)
    page.get_by_text("Customer ids are now pseudonymised", exact=False).wait_for()
    assert_no_traceback(page)
