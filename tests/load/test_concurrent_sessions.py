"""Twenty people on one server: concurrent browser sessions through sample → Trends → Changes.

One app server (fresh workspace), one headless Chromium, twenty Playwright contexts driven at
once (``session_driver``). Each session opens the app, loads the bundled sample on the Data
page, then goes Trends → a rerun (another "Periods of") → Changes → a rerun (another "Unit of
analysis"), and repeats until ``RERUN_SECONDS`` have passed since the start. Every session must
end without an exception element, traceback text or browser console error, must have reached
Changes, and the server (with its children) must stay under ``PEAK_RSS_BOUND_MB`` of resident
memory, sampled every 0.5 s from ``/proc/<pid>/status``. The server's log must hold no
traceback (checked by ``start_app``). The summary line (median and p95 rerun seconds, peak RSS,
wall and server CPU seconds) is printed in pytest's terminal summary.

Measured on 2 cores shared with five other engineers' test runs (load average 20-45), four runs
of 20 sessions: peak server RSS 421, 462, 504 and 500 MB (352 MB with 2 sessions, 379 MB with
5). The bound is the highest peak × 1.5, rounded up to 800 MB. The sample's dataset is cached
once for all sessions (``st.cache_resource`` with ``max_entries``/``ttl`` in
``kpi/ui/cache.py``), so memory grows with per-session state and page caches, not with a copy
of the data per session. Wall time under that load was 280-370 s, nearly all of it the twenty
Chromium renderers (browser CPU ~235-255 s against the server's ~42-52 s); the run itself
ends in seconds (see the summary's "run ended at").

Known finding (open, not in this folder): a browser that lags mounts the Data page's mapping
download button after its session has moved on, and Streamlit's download button fetches its
file on mount; by then other sessions' runs have swept the file, so the console shows "Download
Button source error - 404" (seen in 4 of 10 sessions once). The fix is a deferred download
(``data=mapping.to_json`` in ``pages/1_Data.py``), which the frontend does not fetch on mount.
"""

from __future__ import annotations

import os

import pytest
from browser_support import CHROMIUM, start_app
from session_driver import SUMMARY_PROPERTY, run_load

pytestmark = pytest.mark.load

SESSIONS = 20
#: Sessions keep rerunning until this many seconds after the start (each finishes its round).
RERUN_SECONDS = 30.0
PEAK_RSS_BOUND_MB = 800


def require_chromium() -> None:
    """Skip without Chromium, except under CI where that fails (as the browser tests do)."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.timeout(600)
def test_twenty_sessions_stay_healthy_and_bounded(tmp_path, record_property) -> None:
    require_chromium()
    with start_app(tmp_path) as url:
        result = run_load(url, SESSIONS, RERUN_SECONDS)
        record_property(SUMMARY_PROPERTY, result.summary())
        print(result.summary())
    assert result.errors == []
    assert result.reached_changes == SESSIONS
    # every session had at least one rerun on each page
    for log in result.sessions:
        kinds = [timing.kind for timing in log.timings]
        assert "trends" in kinds
        assert "changes" in kinds
    assert result.peak_rss_mb < PEAK_RSS_BOUND_MB, result.summary()
