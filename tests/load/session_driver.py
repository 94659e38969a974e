"""Drive many concurrent browser sessions through the app: sample → Trends → Changes, then
reruns on Trends and Changes until a deadline; time every rerun and sample the server's memory.

One headless Chromium, one Playwright context per session, all driven at once from one asyncio
event loop (Playwright's sync API cannot drive several pages concurrently from one instance).
Used by ``tests/load/test_concurrent_sessions.py`` and ``benchmarks/bench_sessions.py``; the
caller puts ``tests/e2e`` on ``sys.path`` (for ``browser_support``) before importing this.

A rerun is timed from the user's click to the end of the app's run as the browser sees it: the
driver counts the server's ``script_finished`` messages on the page's websocket, so it waits for
*this* run to end instead of sleeping first (watching the page's ``data-test-script-state`` for
``running`` → ``notRunning`` missed runs under load: sessions waited 120 s for runs that had
ended, most likely because a lagging page never painted ``running``); then the element the
rerun should show must be visible and the script state idle. The expected elements are ones the
run sends (a title, a heading), not charts: Vega draws charts in the browser, and here all the
browsers share the server's cores, which no real deployment does (the browser CPU is in the
summary).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    RUN_TIMEOUT_MS,
    SCREENSHOTS,
    ConsoleErrors,
)
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from kpi.i18n import translate

if TYPE_CHECKING:
    from playwright.async_api import Browser, Locator, Page, WebSocket

SAMPLE = ROOT / "sample_data" / "contacts.csv"
SAMPLE_INTERVAL_S = 0.5
#: The ``record_property`` name under which the load test leaves its summary line.
SUMMARY_PROPERTY = "load_summary"
#: How long one action may take before the session counts as failed: twice the browser tests'
#: limit, as here twenty browsers share the server's cores (on a 2-core machine shared with
#: other test runs, load average 40, the browsers took over 60 s to draw a page's widgets).
ACTION_TIMEOUT_MS = 2 * RUN_TIMEOUT_MS
EVIDENCE_TIMEOUT_MS = 10_000
#: Trends' "Periods of" choices and Changes' "Unit of analysis" choices, cycled by the reruns.
FREQS = ("day", "month", "week")
UNITS = ("day", "interaction", "auto")
CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
NOT_RUNNING = "[data-testid='stApp'][data-test-script-state='notRunning']"
EXCEPTION = "[data-testid='stException']"


def t(key: str, **params: object) -> str:
    """The English text of a message key (the sessions browse in English)."""
    return translate(key, "en", **params)


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Timing:
    """One timed user action: ``run_s`` until the server's run ended (its ``script_finished``
    message reached the page), ``total_s`` until the page showed the result."""

    kind: str
    run_s: float
    total_s: float


@dataclass(frozen=True)
class SessionLog:
    """What one session did: its timed actions, whether it reached Changes, its errors."""

    timings: tuple[Timing, ...]
    reached_changes: bool
    errors: tuple[str, ...]


@dataclass(frozen=True)
class LoadResult:
    """The outcome of one load run (seconds of wall time unless named otherwise)."""

    sessions: tuple[SessionLog, ...]
    wall_s: float
    peak_rss_mb: float
    server_cpu_s: float
    browser_cpu_s: float
    server_pid: int

    def seconds(self, *kinds: str, until_run_end: bool = False) -> list[float]:
        """Seconds of every timed action of the given kinds, over all sessions."""
        return [
            timing.run_s if until_run_end else timing.total_s
            for log in self.sessions
            for timing in log.timings
            if timing.kind in kinds
        ]

    @property
    def reruns(self) -> list[float]:
        """The widget reruns on Trends and Changes (not page switches or the sample load)."""
        return self.seconds("trends", "changes")

    @property
    def median_s(self) -> float:
        return statistics.median(self.reruns) if self.reruns else float("nan")

    @property
    def p95_s(self) -> float:
        return float(np.percentile(self.reruns, 95)) if self.reruns else float("nan")

    @property
    def errors(self) -> list[str]:
        return [f"session {i}: {e}" for i, log in enumerate(self.sessions) for e in log.errors]

    @property
    def reached_changes(self) -> int:
        return sum(log.reached_changes for log in self.sessions)

    def summary(self) -> str:
        """One line to quote: sessions, reruns, median / p95 rerun, memory, wall, CPU."""
        switches = self.seconds("navigate")
        nav = statistics.median(switches) if switches else float("nan")
        loads = self.seconds("load")
        load = statistics.median(loads) if loads else float("nan")
        runs = self.seconds("trends", "changes", until_run_end=True)
        run = statistics.median(runs) if runs else float("nan")
        return (
            f"load: {len(self.sessions)} sessions, {len(self.reruns)} reruns, "
            f"rerun median {self.median_s:.2f} s, p95 {self.p95_s:.2f} s "
            f"(run ended at median {run:.2f} s; page switch median {nav:.2f} s, "
            f"sample load median {load:.2f} s), "
            f"peak server RSS {self.peak_rss_mb:.0f} MB, wall {self.wall_s:.1f} s, "
            f"server CPU {self.server_cpu_s:.1f} s, browser CPU {self.browser_cpu_s:.1f} s, "
            f"{len(self.errors)} errors, {self.reached_changes} reached Changes"
        )


# ----------------------------------------------------------------------------- the server


def server_pid(url: str) -> int:
    """The pid of the ``streamlit run`` child of this process that serves ``url``."""
    port = str(urlsplit(url).port)
    me = os.getpid()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == me and b"streamlit" in argv and port.encode() in argv:
            return int(proc.name)
    raise LookupError(f"no streamlit child of pid {me} serves {url}")


def _process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (by ``/proc/<pid>/task/*/children``)."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return tree


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children (``VmRSS`` of ``/proc/<pid>/status``)."""
    total_kb = 0
    for member in _process_tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def _cpu_of(pid: int) -> float | None:
    """User + system CPU seconds of one process (``/proc/<pid>/stat``); None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its live descendants."""
    return sum(cpu or 0.0 for cpu in map(_cpu_of, _process_tree(pid)))


@dataclass
class ProcessSampler:
    """Every ``interval`` seconds, in a thread: the resident memory of the server's process
    tree, and the CPU seconds of every process under this one (the server, the Playwright
    driver, Chromium and its renderers), so that processes which exit still count."""

    server: int
    interval: float = SAMPLE_INTERVAL_S
    rss_samples: list[float] = field(default_factory=list)
    cpu_by_pid: dict[int, float] = field(default_factory=dict)

    def sample(self) -> None:
        self.rss_samples.append(rss_mb(self.server))
        for pid in _process_tree(os.getpid()):
            cpu = _cpu_of(pid)
            if cpu is not None:
                self.cpu_by_pid[pid] = max(cpu, self.cpu_by_pid.get(pid, 0.0))

    @contextmanager
    def running(self) -> Iterator[ProcessSampler]:
        stop = threading.Event()
        self.sample()
        before = dict(self.cpu_by_pid)

        def loop() -> None:
            while not stop.wait(self.interval):
                self.sample()

        thread = threading.Thread(target=loop, name="process-sampler", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()
            self.sample()
            self.cpu_by_pid = {
                pid: cpu - before.get(pid, 0.0) for pid, cpu in self.cpu_by_pid.items()
            }

    @property
    def peak_mb(self) -> float:
        return max(self.rss_samples, default=0.0)

    def cpu_s(self, tree: set[int]) -> float:
        """CPU seconds spent while running by the sampled processes in ``tree``."""
        return sum(cpu for pid, cpu in self.cpu_by_pid.items() if pid in tree)

    def cpu_outside_s(self, tree: set[int]) -> float:
        """CPU seconds spent while running by the sampled processes outside ``tree``."""
        return sum(cpu for pid, cpu in self.cpu_by_pid.items() if pid not in tree)


# ----------------------------------------------------------------------------- one session


class Session:
    """One browser context driven through the flow; collects its timings and errors."""

    def __init__(self, number: int, page: Page, url: str, deadline: float) -> None:
        self.number = number
        self.page = page
        self.url = url
        self.deadline = deadline
        self.timings: list[Timing] = []
        self.reached_changes = False
        self.step = "opening"
        self.timeout_s = ACTION_TIMEOUT_MS / 1000
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        self.runs_done = 0
        self.run_ended = asyncio.Event()
        page.on("websocket", self.on_websocket)
        self.console = ConsoleErrors()
        page.on("console", self.console.on_console)
        page.on("pageerror", self.console.on_page_error)

    def on_websocket(self, socket: WebSocket) -> None:
        if socket.url.endswith("/_stcore/stream"):
            socket.on("framereceived", self.on_frame)

    def on_frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg()
        message.ParseFromString(payload)
        if (message.WhichOneof("type") == "script_finished"
                and message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY):
            self.runs_done += 1
            self.run_ended.set()

    async def wait_for_run(self, after: int, timeout_s: float) -> None:
        """Wait until more than ``after`` runs have finished."""
        async with asyncio.timeout(timeout_s):
            while self.runs_done <= after:
                self.run_ended.clear()
                await self.run_ended.wait()

    async def act(self, kind: str, action: Locator, expected: Locator) -> None:
        """Click ``action`` and time it until the app's run ended and ``expected`` shows."""
        page = self.page
        self.step = f"{kind}: clicking"
        before = self.runs_done
        start = time.perf_counter()
        await action.click()
        self.step = f"{kind}: waiting for the run to end"
        await self.wait_for_run(before, self.timeout_s)
        run_s = time.perf_counter() - start
        self.step = f"{kind}: waiting for the expected element"
        await expected.first.wait_for()
        await page.wait_for_selector(NOT_RUNNING)
        self.timings.append(Timing(kind, run_s, time.perf_counter() - start))
        await self.check_page()

    async def check_page(self) -> None:
        """No exception element and no traceback text on the page."""
        page = self.page
        assert await page.locator(EXCEPTION).count() == 0, "exception element on the page"
        assert await page.get_by_text("Traceback").count() == 0, "traceback on the page"

    async def evidence(self) -> str:
        """After a failure: a screenshot (``artifacts/screenshots/load_session_<n>.png``) and
        the start of the page's text, to tell a slow page from a wrong one."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"load_session_{self.number}.png"
        try:
            await self.page.screenshot(path=str(path), timeout=EVIDENCE_TIMEOUT_MS)
            state = await self.page.locator("[data-testid='stApp']").get_attribute(
                "data-test-script-state", timeout=EVIDENCE_TIMEOUT_MS)
            text = await self.page.locator("[data-testid='stMain']").inner_text(
                timeout=EVIDENCE_TIMEOUT_MS)
        except Exception as error:  # the evidence is best effort; the failure is kept anyway
            return f"no evidence ({type(error).__name__})"
        return f"script {state}, {path.name}, page: {' '.join(text.split())[:160]!r}"

    def link(self, key: str) -> Locator:
        sidebar = self.page.locator("[data-testid='stSidebar']")
        return sidebar.get_by_role("link", name=t(key), exact=True)

    def radio_option(self, label_key: str, option_key: str) -> Locator:
        group = self.page.locator("[data-testid='stRadio']").filter(has_text=t(label_key))
        return group.get_by_text(t(option_key), exact=True)

    def title(self, key: str) -> Locator:
        return self.page.locator("h1", has_text=t(key))

    async def open_with_sample(self, rows: int) -> None:
        """Open the app, go to Data and load the bundled sample."""
        page = self.page
        await page.goto(self.url)
        await page.wait_for_selector(CONNECTED)
        await page.wait_for_selector(NOT_RUNNING)
        await self.act("navigate", self.link("ui.nav.data"), self.title("data_page.title"))
        loaded = page.get_by_text(t("data_page.loaded", rows=f"{rows:,}"), exact=True)
        await self.act("load", page.get_by_role("button", name=t("data_page.sample_button")),
                       loaded)

    async def change_radio(self, kind: str, label_key: str, option_keys: tuple[str, ...],
                           round_no: int, expected: Locator) -> None:
        """Pick the first option (rotating with ``round_no``) that is not chosen yet: a rerun."""
        rotated = option_keys[round_no % len(option_keys):] + option_keys[:round_no % len(
            option_keys)]
        for key in rotated:
            self.step = f"{kind}: reading the choice of {label_key}"
            option = self.radio_option(label_key, key)
            if not await option.locator("xpath=ancestor::label//input").is_checked():
                await self.act(kind, option, expected)
                assert await option.locator("xpath=ancestor::label//input").is_checked(), key
                return
        raise AssertionError(f"every option of {label_key} is checked")

    async def trends_rerun(self, round_no: int) -> None:
        # a KPI's heading (sent by the run), not its chart: Vega draws in the browser
        headings = self.page.locator("[data-testid='stMain'] h3")
        await self.change_radio("trends", "explore.freq",
                                tuple(f"explore.freq.{f}" for f in FREQS), round_no, headings)

    async def changes_rerun(self, round_no: int) -> None:
        table = self.page.get_by_role("heading", name=t("changes_page.table"))
        await self.change_radio("changes", "changes_page.unit",
                                tuple(f"changes_page.unit.{u}" for u in UNITS), round_no, table)

    async def run(self, rows: int) -> SessionLog:
        """The whole flow; a failure ends the session and is kept as its error."""
        errors: list[str] = []
        try:
            await self.open_with_sample(rows)
            round_no = 0
            while True:
                await self.act("navigate", self.link("ui.nav.trends"),
                               self.title("explore.title"))
                await self.trends_rerun(round_no)
                await self.act("navigate", self.link("ui.nav.changes"),
                               self.title("changes_page.title"))
                self.reached_changes = True
                await self.changes_rerun(round_no)
                round_no += 1
                if time.monotonic() >= self.deadline:
                    break
        except Exception as error:  # every failure is a finding to report
            first_line = (str(error).splitlines() or [""])[0]
            shown = await self.evidence()
            errors.append(f"{self.step}: {type(error).__name__}: {first_line} | {shown}")
        errors.extend(self.console.messages)
        return SessionLog(tuple(self.timings), self.reached_changes, tuple(errors))


# ----------------------------------------------------------------------------- the run


def sample_rows() -> int:
    """Rows of the bundled sample, counted by pandas (not the app's loader)."""
    return len(pd.read_csv(SAMPLE, usecols=[0]))


async def drive(browser: Browser, url: str, sessions: int, seconds: float) -> list[SessionLog]:
    """Run ``sessions`` concurrent sessions; each repeats its reruns for ``seconds``."""
    rows = sample_rows()
    deadline = time.monotonic() + seconds
    contexts = [
        await browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
        for _ in range(sessions)
    ]
    try:
        runners = [Session(number, await context.new_page(), url, deadline)
                   for number, context in enumerate(contexts)]
        return list(await asyncio.gather(*(runner.run(rows) for runner in runners)))
    finally:
        for context in contexts:
            await context.close()


async def _drive_in_chromium(url: str, sessions: int, seconds: float) -> list[SessionLog]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            return await drive(browser, url, sessions, seconds)
        finally:
            await browser.close()


def run_load(url: str, sessions: int, seconds: float) -> LoadResult:
    """Drive ``sessions`` sessions against the server at ``url`` (a child of this process)
    for about ``seconds`` of reruns, sampling its memory; returns what was measured."""
    pid = server_pid(url)
    server = set(_process_tree(pid))
    start = time.perf_counter()
    with ProcessSampler(pid).running() as sampler:
        logs = asyncio.run(_drive_in_chromium(url, sessions, seconds))
    return LoadResult(
        sessions=tuple(logs),
        wall_s=time.perf_counter() - start,
        peak_rss_mb=sampler.peak_mb,
        server_cpu_s=sampler.cpu_s(server),
        browser_cpu_s=sampler.cpu_outside_s(server | {os.getpid()}),
        server_pid=pid,
    )
