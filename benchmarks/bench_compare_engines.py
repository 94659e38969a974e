"""Benchmark: ``compare`` and ``report`` at 1M and 5M rows, pandas frame vs DuckDB over Parquet.

Data as in :mod:`bench_scale` (its ``base_file`` and ``build``: 1M generated rows loaded as the
app loads them, repeated with shifted ids and customers, so 5M rows have the same dates and
five times the contacts per day). Each measurement runs in its own process (peak RSS is that
process's ``VmHWM``):

- ``memory``: ``pd.read_parquet`` (load), then :func:`kpi.changes.compare_periods` of every
  KPI the data allows (last 4 complete weeks against the 4 before) and
  :func:`kpi.report.build_report` (default charter, channel and team sections) on the frame;
- ``duckdb``: the same two calls on a :class:`kpi.compute.source.FileSource` over the Parquet
  (no load: each call queries the files; raw values of percentile / mean KPIs come back whole).

HTML rendering (``kpi.report_html``) is left out: it is the same work for both engines. The
machine may be shared: the load average is printed, and CPU seconds (of the Python process;
DuckDB's threads included) are the steadier number.

    .venv/bin/python benchmarks/bench_compare_engines.py [--sizes 1,5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_scale import base_file, build, peak_mb


def _timed(call) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def measure(engine: str, folder: str) -> dict[str, float]:
    """One measurement (in a child process): load, compare and report seconds (wall and CPU),
    peak MB."""
    import pandas as pd

    from kpi.catalog import available_kpis
    from kpi.changes import compare_periods, default_periods
    from kpi.charter import Charter
    from kpi.compute.engines import DuckDbSettings
    from kpi.compute.source import FileSource, FrameSource
    from kpi.report import build_report

    load_wall = load_cpu = 0.0
    if engine == "memory":
        load_wall, load_cpu, frame = _timed(lambda: pd.read_parquet(folder))
        source = FrameSource(frame)  # type: ignore[arg-type]
    else:
        source = FileSource(folder, duckdb_settings=DuckDbSettings(memory_limit="3GB"))
    kpis = list(available_kpis(source.columns, has_activity=False, has_forecast=False))
    last = source.created_range()[1]  # type: ignore[index]
    periods = default_periods(last.date())
    compare_wall, compare_cpu, _ = _timed(lambda: compare_periods(
        source, kpis, periods.baseline, periods.current))
    report_wall, report_cpu, _ = _timed(lambda: build_report(source, Charter()))
    return {"load": load_wall, "load_cpu": load_cpu, "compare": compare_wall,
            "compare_cpu": compare_cpu, "report": report_wall, "report_cpu": report_cpu,
            "kpis": len(kpis), "peak_mb": peak_mb()}


def child(engine: str, folder: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", engine, str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1][:80]}  # type: ignore[dict-item]
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,5", help="millions of rows, comma-separated")
    parser.add_argument("--keep", help="folder for the generated Parquet (kept)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-compare-"))
    root.mkdir(parents=True, exist_ok=True)
    base = base_file(root)
    print(f"{'rows':>5} {'engine':<7} {'load s':>7} {'compare s':>10} {'cpu s':>6} "
          f"{'report s':>9} {'cpu s':>6} {'total s':>8} {'peak MB':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        folder = build(size, base, root)
        print(f"# {size}M rows, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
              flush=True)
        for engine in ("memory", "duckdb"):
            got = child(engine, folder)
            if "error" in got:
                print(f"{size:>4}M {engine:<7} error: {got['error']}", flush=True)
                continue
            total = got["load"] + got["compare"] + got["report"]
            print(f"{size:>4}M {engine:<7} {got['load']:7.2f} {got['compare']:10.2f} "
                  f"{got['compare_cpu']:6.1f} {got['report']:9.2f} {got['report_cpu']:6.1f} "
                  f"{total:8.2f} {got['peak_mb']:8.0f}", flush=True)


if __name__ == "__main__":
    main()
