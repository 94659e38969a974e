"""Setup of the load test: the browser tests' helpers on ``sys.path``, and the run's summary
line in pytest's terminal summary (so CI logs show it without ``-s``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

E2E = Path(__file__).resolve().parents[1] / "e2e"
if str(E2E) not in sys.path:
    sys.path.insert(0, str(E2E))

from session_driver import SUMMARY_PROPERTY  # noqa: E402 - needs browser_support on the path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print every load summary the test reports recorded, passed or failed."""
    lines = [
        str(value)
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == SUMMARY_PROPERTY
    ]
    if lines:
        terminalreporter.write_sep("-", "load test")
        for line in lines:
            terminalreporter.write_line(line)
