"""Helpers of the browser tests: start the app, open pages, wait for runs, take screenshots.

Modelled on streamlit's own ``e2e_playwright/conftest.py``: the server starts on a free port and
is polled on ``/_stcore/health``; :func:`wait_for_app_run` waits for the script to finish
(``data-test-script-state='notRunning'``) instead of sleeping. Pages fail their test on a
browser console error; screenshots land in ``artifacts/screenshots/`` (gitignored).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Locator, Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_TIMEOUT_S = 60.0
RUN_TIMEOUT_MS = 60_000


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"streamlit did not become healthy at {url} within {timeout:.0f} s")


@contextmanager
def start_app(tmp: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``streamlit run app.py`` headless on a free local port; yields its base URL."""
    port = _free_port()
    home = tmp / "home"
    home.mkdir(parents=True, exist_ok=True)
    inherited = {k: v for k, v in os.environ.items() if k != "KPI_DEFAULT_DATA"}
    process_env = {
        **inherited,
        "HOME": str(home),
        "KPI_WORKBENCH_HOME": str(tmp / "workspace"),
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    log_path = tmp / f"streamlit-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=process_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, process, STARTUP_TIMEOUT_S)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    server_log = log_path.read_text(errors="replace")
    assert "Traceback" not in server_log, server_log


def _is_base_path_probe(message: ConsoleMessage) -> bool:
    """On a deep link (``/Data``) the frontend first probes ``/Data/_stcore/...`` for the
    server's base path; those 404s are expected and not errors of the app."""
    url = str(message.location.get("url", ""))
    return "404" in message.text and url.endswith(("/_stcore/health", "/_stcore/host-config"))


class ConsoleErrors:
    """Collects browser console errors and uncaught page errors."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not _is_base_path_probe(message):
            self.messages.append(f"console: {message.text} at {message.location}")

    def on_page_error(self, error: object) -> None:
        self.messages.append(f"page error: {error}")


@contextmanager
def open_page(browser: Browser, locale: str = "en-US") -> Iterator[Page]:
    """A fresh browser context and page in ``locale``; fails on any console error."""
    context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(RUN_TIMEOUT_MS)
    errors = ConsoleErrors()
    page.on("console", errors.on_console)
    page.on("pageerror", errors.on_page_error)
    try:
        yield page
    finally:
        context.close()
    assert not errors.messages, "browser console errors:\n" + "\n".join(errors.messages)


def wait_for_app_run(page: Page, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the app is connected and its script has finished running.

    As in streamlit's helper, a short initial pause lets a just-triggered rerun start (widget
    changes are debounced), and a short final one lets the frontend paint the last deltas.
    """
    page.wait_for_timeout(250)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout_ms
    )
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms
    )
    page.wait_for_timeout(100)


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page to ``artifacts/screenshots/<name>.png``.

    Streamlit scrolls inside its main container, so a "full page" shot would stop at the
    viewport: grow the viewport to the content's height for the shot, then restore it.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size or {"width": 1400, "height": 1000}
    main = page.locator("[data-testid='stMain']")
    # elements below the fold mount when scrolled into view: scroll through first
    main.evaluate("el => el.scrollTo(0, el.scrollHeight)")
    page.wait_for_timeout(500)
    main.evaluate("el => el.scrollTo(0, 0)")
    height = main.evaluate("el => el.scrollHeight")
    page.set_viewport_size(
        {"width": size["width"], "height": max(size["height"], min(height, 12000))}
    )
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def assert_no_traceback(page: Page) -> None:
    """No exception element and no Python traceback text on the page."""
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in page.inner_text("body")


def sidebar(page: Page) -> Locator:
    """The app's sidebar."""
    return page.locator("[data-testid='stSidebar']")


GRID_HEADER_PX = 35
GRID_ROW_PX = 35


def edit_grid_cell(page: Page, grid: Locator, row: int, column: int, text: str) -> None:
    """Type ``text`` into a ``st.data_editor`` cell and commit it with Enter.

    The grid is a canvas (glide-data-grid): click the first shown column of data row ``row``
    (0-based, rows are 35 px under a 35 px header), move right ``column`` cells with the
    keyboard, open the cell's editor with Enter, type, and press Enter again.
    """
    grid.wait_for()
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None, "the data editor is not on the page"
    page.mouse.click(box["x"] + 60, box["y"] + GRID_HEADER_PX + GRID_ROW_PX * row + GRID_ROW_PX / 2)
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor = page.locator(".gdg-input, textarea.gdg-input, #portal input, #portal textarea")
    editor.first.wait_for()
    editor.first.fill(text)
    page.keyboard.press("Enter")
    # the edit reaches the server as a rerun: give it time to start, then let it finish
    page.wait_for_timeout(500)
    wait_for_app_run(page)


def go_to(page: Page, link: str, title: str) -> None:
    """Follow the sidebar link ``link`` and wait until the page's title ``title`` is shown."""
    sidebar(page).get_by_role("link", name=link, exact=True).click()
    wait_for_app_run(page)
    page.locator("h1", has_text=title).first.wait_for()
    # the title comes first: let the rest of the page's run finish and replace the old page
    wait_for_app_run(page)


def checkbox(page: Page, label: str) -> Locator:
    """The ``st.checkbox`` whose label is exactly ``label`` (click its ``label``, read its
    ``input``)."""
    return page.locator("[data-testid='stCheckbox']").filter(
        has=page.get_by_text(label, exact=True)
    )
