"""Benchmark the app's pages on the 1M-row sample, driven in-process by Streamlit's AppTest.

The sample is ``kpi sample --rows N --seed 1 --dialect plain`` (kept in ``$TMPDIR/kpi-bench``,
shared with ``bench_load.py``), loaded by the app itself through ``KPI_DEFAULT_DATA`` on the
session's first run, with a fresh workspace (``KPI_WORKBENCH_HOME`` in a temporary folder).

Measured, wall and CPU seconds (user + system of this process, all threads):

* the first load: the app's own loader (``kpi.ui.cache.load`` of the file and its companions:
  bytes read and hashed, read, mapped, canonicalised, validated) in a one-line app script, so
  that it lands in the app's cache (goal < 5 s);
* the first run of the Overview on that cached data (the scorecard), then the first run of
  each page after it (their own computations, cold caches);
* reruns after one user change, each change a new value (so the first time each is computed,
  later ones may come from the page caches, as when a user goes back and forth):
  - KPI: the Trends page's KPI choice (three KPIs, rotating through the chosen ones),
  - period: the Changes page's current period (moved by one week each time),
  - breakdown: the Trends page's breakdown (none, channel, team, agent, topic, ...),
  - target: a new target typed into the Targets table and saved (the save reruns the page).
  Goal: median < 1 s.

AppTest runs the script without a browser or websocket, so the times are the server's share of
a rerun (script, computations, chart specs), not the browser's drawing.

    python benchmarks/bench_app.py [--rows 1000000] [--repeat 12]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(tempfile.gettempdir()) / "kpi-bench"
TIMEOUT_S = 600.0


@dataclass(frozen=True)
class Timing:
    """One timed run: wall and CPU seconds."""

    wall: float
    cpu: float


def sample_file(rows: int) -> Path:
    """The plain 1M-row sample (and its companions), generated once."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"sample_plain_{rows}.csv"
    if not path.is_file():
        print(f"generating {path} ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "kpi", "sample", "--rows", str(rows), "--seed", "1",
             "--dialect", "plain", "--out", str(path)],
            check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
        )
    return path


def timed(run: Callable[[], object]) -> Timing:
    start, cpu = time.perf_counter(), os.times()
    run()
    end = os.times()
    return Timing(time.perf_counter() - start, end.user + end.system - cpu.user - cpu.system)


def checked(at):  # type: ignore[no-untyped-def]
    """Fail loudly when a run raised or showed the generic error (numbers would be lies)."""
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].value}")
    for error in at.error:
        raise RuntimeError(f"the page showed an error: {error.value}")
    return at


def row(name: str, timings: list[Timing]) -> str:
    walls = [t.wall for t in timings]
    cpus = [t.cpu for t in timings]
    if len(timings) == 1:
        return f"{name:<34} {walls[0]:>8.2f} {'':>8} {'':>8} {cpus[0]:>8.2f} {1:>4}"
    return (f"{name:<34} {statistics.median(walls):>8.2f} {np.percentile(walls, 95):>8.2f} "
            f"{max(walls):>8.2f} {statistics.median(cpus):>8.2f} {len(walls):>4}")


def _load_default_data() -> None:
    """An app script that only loads ``KPI_DEFAULT_DATA`` as the app does (into its cache)."""
    import os
    from pathlib import Path

    from kpi.ui import cache

    path = Path(os.environ["KPI_DEFAULT_DATA"])
    cache.load(cache.files_source(cache.with_companions(path)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=12, help="reruns per kind of change")
    args = parser.parse_args()
    path = sample_file(args.rows)
    workspace = tempfile.mkdtemp(prefix="kpi-bench-workspace-")
    os.environ["KPI_DEFAULT_DATA"] = str(path)
    os.environ["KPI_WORKBENCH_HOME"] = workspace

    # imports outside the timing, as in a running server
    from streamlit.testing.v1 import AppTest

    import kpi.changes
    import kpi.compute
    import kpi.load
    import kpi.scorecard  # noqa: F401
    from kpi.charter import Charter
    from kpi.explore import dimensions_in
    from kpi.selection import resolve_for

    results: list[tuple[str, list[Timing]]] = []
    loader = AppTest.from_function(_load_default_data, default_timeout=TIMEOUT_S)
    results.append((f"load {args.rows:,} rows (app cache)", [timed(lambda: checked(loader.run()))]))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
    results.append(("first run: Overview (scorecard)", [timed(lambda: checked(at.run()))]))

    for name, script in (("KPIs", "2_KPIs"), ("Targets", "3_Targets"), ("Trends", "4_Trends"),
                         ("Changes", "5_Changes")):
        at.switch_page(f"pages/{script}.py")
        results.append((f"first run: {name}", [timed(lambda: checked(at.run()))]))

    # KPI: three of the shown KPIs, rotating
    at.switch_page("pages/4_Trends.py")
    checked(at.run())
    dataset = at.session_state["kpi:dataset"]
    ids = resolve_for(Charter(), dataset.interactions, dataset.activity, dataset.forecast).ids
    kpi_runs = []
    for i in range(args.repeat):
        chosen = [ids[(i + j) % len(ids)] for j in range(3)]
        at.multiselect(key="trends_kpis").set_value(chosen)
        kpi_runs.append(timed(lambda: checked(at.run())))
    results.append(("rerun: change KPIs (Trends)", kpi_runs))

    # breakdown: none, then every dimension, and around again
    choices = [None, *dimensions_in(dataset.interactions.columns)]
    by_runs = []
    for i in range(1, args.repeat + 1):
        at.selectbox(key="trends_by").set_value(choices[i % len(choices)])
        by_runs.append(timed(lambda: checked(at.run())))
    results.append(("rerun: change breakdown (Trends)", by_runs))

    # period: the current period moves one week back each time
    at.switch_page("pages/5_Changes.py")
    checked(at.run())
    cur0, cur1 = at.date_input(key="changes_current").value
    period_runs = []
    for i in range(1, args.repeat + 1):
        shift = dt.timedelta(weeks=i % 8)
        at.date_input(key="changes_current").set_value((cur0 - shift, cur1 - shift))
        period_runs.append(timed(lambda: checked(at.run())))
    results.append(("rerun: change period (Changes)", period_runs))

    # target: a new abandonment-rate target typed and saved each time
    at.switch_page("pages/3_Targets.py")
    checked(at.run())
    target_runs = []
    for i in range(args.repeat):
        editor = at.data_editor[0]
        row_index = editor.value["kpi"].tolist().index("Abandonment rate")
        at.session_state[editor.key] = {
            "edited_rows": {row_index: {"target": 5.0 + 0.1 * i}},
            "added_rows": [], "deleted_rows": [],
        }
        target_runs.append(timed(lambda: checked(at.button(key="targets_save").click().run())))
    results.append(("rerun: save a target (Targets)", target_runs))

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nbench_app: {args.rows:,} rows, AppTest, {os.cpu_count()} cores, "
          f"python {sys.version.split()[0]}, load average {load} (wall > CPU on a busy machine)")
    print(f"{'':<34} {'median':>8} {'p95':>8} {'max':>8} {'cpu med':>8} {'n':>4}  (seconds)")
    for name, timings in results:
        print(row(name, timings))


if __name__ == "__main__":
    main()
