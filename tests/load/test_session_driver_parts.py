"""The load driver's own parts, without a browser: finding the server, reading /proc, the
summary's statistics."""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from session_driver import (
    LoadResult,
    ProcessSampler,
    SessionLog,
    Timing,
    _process_tree,
    cpu_seconds,
    rss_mb,
    server_pid,
)

SLEEPER = (
    "import subprocess, sys, time; "
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
)


@pytest.fixture
def fake_server() -> Iterator[subprocess.Popen[bytes]]:
    """A child whose command line looks like ``streamlit ... 54321`` and which has a child."""
    process = subprocess.Popen([sys.executable, "-c", SLEEPER, "streamlit", "54321"])
    try:
        yield process
    finally:
        for pid in reversed(_process_tree(process.pid)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)
        process.wait()


def test_server_pid_is_the_child_serving_the_port(fake_server: subprocess.Popen[bytes]) -> None:
    assert server_pid("http://127.0.0.1:54321") == fake_server.pid
    with pytest.raises(LookupError):
        server_pid("http://127.0.0.1:54322")


def test_process_tree_holds_the_grandchild(fake_server: subprocess.Popen[bytes]) -> None:
    for _ in range(100):  # the grandchild starts after the child's interpreter
        tree = _process_tree(fake_server.pid)
        if len(tree) == 2:
            break
        subprocess.run(["sleep", "0.1"], check=True)
    assert tree[0] == fake_server.pid
    assert len(tree) == 2
    stat = Path(f"/proc/{tree[1]}/stat").read_text().rsplit(")", 1)[1].split()
    assert int(stat[1]) == fake_server.pid  # its parent


def test_rss_and_cpu_of_this_process_agree_with_the_kernel_counters() -> None:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    own = rss_mb(os.getpid())
    assert 10 < own <= peak_mb + 1
    sum(i * i for i in range(2_000_000))  # burn some CPU
    times = os.times()
    # /proc counts in clock ticks (1/100 s): within two ticks of os.times
    assert cpu_seconds(os.getpid()) == pytest.approx(times.user + times.system, abs=0.05)


def test_sampler_keeps_the_cpu_of_a_child_that_exited() -> None:
    # the child burns 0.3 CPU seconds, then idles 1 s (sampled then) and exits
    burn = (
        "import time\nend = time.process_time() + 0.3\n"
        "while time.process_time() < end: pass\ntime.sleep(1.0)"
    )
    with ProcessSampler(os.getpid(), interval=0.05).running() as sampler:
        child = subprocess.Popen([sys.executable, "-c", burn])
        child.wait()
    assert sampler.peak_mb >= rss_mb(os.getpid()) / 2
    # 0.3 s of the loop plus the interpreter's start (well under 0.3 s), in 1/100 s ticks
    assert 0.28 <= sampler.cpu_by_pid[child.pid] < 0.6  # ticks truncate: 0.3 may read 0.29
    assert sampler.cpu_outside_s({os.getpid()}) >= sampler.cpu_by_pid[child.pid]
    assert sampler.cpu_s({child.pid}) == sampler.cpu_by_pid[child.pid]


def test_summary_quotes_median_and_p95_of_the_reruns() -> None:
    # reruns 1, 2, 3, 4 s: median 2.5; p95 by linear interpolation at rank 0.95 × 3 = 2.85,
    # i.e. 3 + 0.85 × (4 - 3) = 3.85. Page switches and the sample load are not reruns.
    first = SessionLog(
        (Timing("load", 0.5, 9.0), Timing("trends", 0.5, 1.0), Timing("changes", 1.5, 2.0)),
        reached_changes=True, errors=(),
    )
    second = SessionLog(
        (Timing("navigate", 1.0, 7.0), Timing("trends", 2.5, 3.0), Timing("changes", 3.5, 4.0)),
        reached_changes=False, errors=("trends: TimeoutError",),
    )
    result = LoadResult((first, second), wall_s=60.0, peak_rss_mb=432.4, server_cpu_s=12.0,
                        browser_cpu_s=30.0, server_pid=1)
    assert result.median_s == 2.5
    assert result.p95_s == pytest.approx(3.85)
    assert result.reached_changes == 1
    assert result.errors == ["session 1: trends: TimeoutError"]
    summary = result.summary()
    assert "2 sessions, 4 reruns, rerun median 2.50 s, p95 3.85 s" in summary
    assert "run ended at median 2.00 s" in summary  # of 0.5, 1.5, 2.5, 3.5
    assert "peak server RSS 432 MB" in summary
