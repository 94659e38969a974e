"""Benchmark: the KPI aggregation at 1M–50M rows, per engine, beside a hand-written DuckDB query.

Data: ``kpi.sample.generate`` (1M rows) loaded as the app loads it (``load_dataset``) and
written as canonical Parquet; larger sizes repeat it with shifted ids and customers (DuckDB
``COPY``, out of core), so every size has the same shape per bucket. Each measurement runs in its
own process (peak RSS is that process's ``ru_maxrss``):

- ``memory``: ``pd.read_parquet`` (load) then :func:`kpi.compute.compute_statistics`;
- ``duckdb``: :func:`kpi.compute.engines.statistics_from_parquet` (scan + aggregation in one);
- ``spark``: the same on Spark ``local[2]`` (session start excluded; ``--spark``);
- ``hand``: a hand-written DuckDB query over ``read_parquet`` for the same KPI subset.

The aggregation is timed ``--repeat`` times in the child (best wall time, with the CPU
seconds of that run; ``first`` is the first call, as a one-shot CLI run pays it). The machine
may be shared: the load average is printed with each size, and CPU seconds are the steadier
number.

Views: week × channel and day × agent with eight KPIs (FCR from the flag, so the hand query is
comparable), plus every KPI the data allows (week × channel; FCR from the flag too).

    .venv/bin/python benchmarks/bench_scale.py [--sizes 1,5,20,50] [--spark] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

KPIS = ["volume", "abandonment_rate", "service_level", "avg_wait", "p90_wait", "aht",
        "csat_score", "fcr_rate"]
VIEWS = {"week x channel": ("week", "channel"), "day x agent": ("day", "agent")}

HAND = """
SELECT date_trunc('{unit}', created_at) AS period, {by},
  count(*) AS volume,
  avg(CASE WHEN abandoned THEN 1 ELSE 0 END) FILTER (WHERE abandoned IS NOT NULL) AS abandonment,
  avg(CASE WHEN abandoned = false AND wait_seconds <= 20 THEN 1 ELSE 0 END)
    FILTER (WHERE abandoned IS NOT NULL) AS service_level,
  avg(wait_seconds) FILTER (WHERE abandoned = false) AS avg_wait,
  quantile_cont(wait_seconds, 0.9) FILTER (WHERE abandoned = false) AS p90_wait,
  avg(handle_seconds) FILTER (WHERE abandoned = false) AS aht,
  avg(csat) AS csat,
  avg(CASE WHEN first_contact_resolution THEN 1 ELSE 0 END)
    FILTER (WHERE abandoned = false AND first_contact_resolution IS NOT NULL) AS fcr
FROM read_parquet('{glob}') GROUP BY ALL
"""


def peak_mb() -> float:
    """This process's peak RSS (VmHWM: reset at exec, unlike ``ru_maxrss``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(engine: str, folder: str, view: str, every: bool, repeat: int) -> dict[str, float]:
    """One measurement (run in a child process): seconds of load and aggregation (best of
    ``repeat``, its CPU seconds, and the first call), peak MB."""
    import pandas as pd

    from kpi.catalog import available_kpis
    from kpi.compute import compute_statistics
    from kpi.compute.engines import (
        DuckDbSettings,
        ParquetSource,
        empty_frame,
        parquet_schema,
        spark_session,
        statistics_from_parquet,
    )

    freq, by = VIEWS[view]
    glob = f"{folder}/**/*.parquet"
    if every:
        columns = empty_frame(parquet_schema(ParquetSource(folder))).columns
        kpis = list(available_kpis(columns, has_activity=False, has_forecast=False))
    else:
        kpis = KPIS
    load = 0.0
    spark = None
    if engine == "memory":
        start = time.perf_counter()
        frame = pd.read_parquet(folder)
        load = time.perf_counter() - start

        def run() -> None:
            compute_statistics(frame, kpis, freq=freq, by=[by])
    elif engine == "duckdb":
        def run() -> None:
            statistics_from_parquet(folder, kpis, freq=freq, by=[by],
                                    duckdb_settings=DuckDbSettings(memory_limit="3GB"))
    elif engine == "spark":
        spark = spark_session("local[2]")

        def run() -> None:
            statistics_from_parquet(folder, kpis, engine="spark", spark=spark, freq=freq,
                                    by=[by])
    else:
        sql = HAND.format(unit=freq, by=by, glob=glob)

        def run() -> None:
            connection = duckdb.connect(config={"memory_limit": "3GB"})
            connection.sql(sql).arrow().read_all()
            connection.close()
    timings = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
    if spark is not None:
        spark.stop()
    best = min(timings)
    return {"load": load, "aggregate": best[0], "cpu": best[1], "first": timings[0][0],
            "peak_mb": peak_mb()}


def build(rows_millions: int, base: Path, root: Path) -> Path:
    """``root/scale-<N>M``: the 1M canonical file repeated N times with shifted ids."""
    folder = root / f"scale-{rows_millions}M"
    if folder.exists():
        return folder
    folder.mkdir(parents=True)
    connection = duckdb.connect()
    connection.execute("SET memory_limit = '4GB'; SET preserve_insertion_order = false; "
                       "SET enable_progress_bar = false")
    for copy in range(rows_millions):
        connection.execute(
            f"COPY (SELECT * REPLACE (interaction_id || '-{copy}' AS interaction_id, "
            f"customer_id || '-{copy}' AS customer_id) FROM read_parquet('{base}')) "
            f"TO '{folder}/part-{copy:03d}.parquet' (FORMAT parquet, COMPRESSION zstd)"
        )
    connection.close()
    return folder


def base_file(root: Path) -> Path:
    """1M generated rows, loaded as the app loads them, written as one canonical file."""
    path = root / "base-1M.parquet"
    if path.exists():
        return path
    from kpi.load import load_dataset
    from kpi.sample import generate

    export = root / "export.parquet"
    generate(1_000_000, seed=11).interactions.to_parquet(export)
    frame = load_dataset([(export.name, export)]).interactions
    frame.to_parquet(path)
    export.unlink()
    return path


def child(engine: str, folder: Path, view: str, every: bool, repeat: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", engine, str(folder), view,
               "every" if every else "subset", str(repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1][:60]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,5,20", help="millions of rows, comma-separated")
    parser.add_argument("--spark", action="store_true", help="also time Spark local[2]")
    parser.add_argument("--spark-up-to", type=int, default=5,
                        help="largest size (M rows) run on Spark")
    parser.add_argument("--memory-up-to", type=int, default=20,
                        help="largest size (M rows) loaded into pandas")
    parser.add_argument("--keep", help="folder for the generated Parquet (kept)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed calls per measurement up to 5M rows (1 above)")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, folder, view, every, repeat = args.child
        print(json.dumps(measure(engine, folder, view, every == "every", int(repeat))))
        return
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-scale-"))
    root.mkdir(parents=True, exist_ok=True)
    base = base_file(root)
    engines = ["hand", "duckdb", "memory", *(["spark"] if args.spark else [])]
    print(f"{'rows':>5} {'view':<22} {'engine':<7} {'load s':>7} {'agg s':>7} {'cpu s':>7} "
          f"{'first s':>7} {'vs hand wall/cpu':>10} {'peak MB':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        folder = build(size, base, root)
        repeat = args.repeat if size <= 5 else 1
        print(f"# {size}M rows, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
              flush=True)
        for view, every in [*((v, False) for v in VIEWS), ("week x channel", True)]:
            hand: tuple[float, float] | None = None
            label = f"{view}{' every KPI' if every else ''}"
            for engine in engines:
                too_big = (engine == "memory" and size > args.memory_up_to) or (
                    engine == "spark" and size > args.spark_up_to)
                if too_big or (every and engine == "hand"):
                    continue
                result = child(engine, folder, view, every, repeat)
                if "error" in result:
                    print(f"{size:>4}M {label:<22} {engine:<7} {result['error']}")
                    continue
                if engine == "hand":
                    hand = (result["aggregate"], result["cpu"])
                ratio = (f"{result['aggregate'] / hand[0]:5.2f}/{result['cpu'] / hand[1]:4.2f}"
                         if hand and engine != "hand" else " " * 10)
                print(f"{size:>4}M {label:<22} {engine:<7} {result['load']:7.2f} "
                      f"{result['aggregate']:7.2f} {result['cpu']:7.2f} {result['first']:7.2f} "
                      f"{ratio} {result['peak_mb']:8.0f}", flush=True)
    if not args.keep:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
