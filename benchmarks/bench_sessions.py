"""Benchmark the app under concurrent browser sessions (the driver of the load test).

Starts the app on a free port with a fresh workspace, then for each ``--sessions`` count drives
that many Playwright contexts in one headless Chromium through sample → Trends → Changes with
reruns for ``--seconds``, and prints the load test's one-line summary: reruns, median and p95
rerun seconds, peak server RSS (MB), wall and server CPU seconds. One server per count, so the
memory peaks do not carry over.

    python benchmarks/bench_sessions.py [--sessions 5 10 20] [--seconds 60]

Wall seconds swing with the machine's load: quote the load average (printed) with them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "e2e"), str(ROOT / "tests" / "load")]

from browser_support import start_app  # noqa: E402
from session_driver import run_load  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[5, 10, 20])
    parser.add_argument("--seconds", type=float, default=60.0,
                        help="how long each session keeps rerunning after its setup")
    args = parser.parse_args(argv)
    failed = False
    for sessions in args.sessions:
        with tempfile.TemporaryDirectory(prefix="kpi-bench-sessions-") as tmp:
            load_before = os.getloadavg()[0]
            with start_app(Path(tmp)) as url:
                result = run_load(url, sessions, args.seconds)
            print(f"{result.summary()} (load average {load_before:.1f} before, "
                  f"{os.getloadavg()[0]:.1f} after)", flush=True)
            for error in result.errors:
                print(f"  {error}", file=sys.stderr)
            failed = failed or bool(result.errors)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
