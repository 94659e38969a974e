"""Benchmark ``load_dataset`` (read + detect + canonicalise + validate) against a read floor.

For each size and dialect, ``kpi sample --rows N --seed 1 [--dialect br]`` writes a CSV (kept
in ``$TMPDIR/kpi-bench`` between runs); then, each in a fresh subprocess:

* the floor: ``pyarrow.csv.read_csv`` of the same file with the right options (separator,
  encoding), nothing else;
* ``kpi.load.load_dataset`` of the interactions file.

Prints seconds, the ratio to the floor, peak resident memory (``ru_maxrss``) and its ratio to
the file size. Goal: load within 2.5× the floor, peak memory under 3× the file size.

    python benchmarks/bench_load.py [--rows 1000000 5000000] [--dialect plain br]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(tempfile.gettempdir()) / "kpi-bench"

_FLOOR = """
import json, resource, sys, time
import pyarrow.csv as csv
path, sep, encoding = sys.argv[1], sys.argv[2], sys.argv[3]
start = time.perf_counter()
table = csv.read_csv(path, read_options=csv.ReadOptions(encoding=encoding, block_size=1 << 24),
                     parse_options=csv.ParseOptions(delimiter=sep))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "rows": table.num_rows}))
"""

_LOAD = """
import json, resource, sys, time
from pathlib import Path
import kpi.load  # imports outside the timing, as in a running app
path = Path(sys.argv[1])
start = time.perf_counter()
dataset = kpi.load.load_dataset([(path.name, path)])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "rows": len(dataset.interactions),
                  "fields": len(dataset.mapping.columns) + len(dataset.mapping.values),
                  "fatal": None if dataset.report.fatal is None else str(dataset.report.fatal)}))
"""

_PROFILE = """
import cProfile, pstats, sys
from pathlib import Path
import kpi.load
path = Path(sys.argv[1])
cProfile.run("kpi.load.load_dataset([(path.name, path)])", "/tmp/bench_load.prof")
pstats.Stats("/tmp/bench_load.prof").sort_stats("cumulative").print_stats(35)
"""


def sample_file(rows: int, dialect: str) -> Path:
    """The sample CSV for ``rows`` and ``dialect``, generated once."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"sample_{dialect}_{rows}.csv"
    if not path.exists():
        subprocess.run(
            [sys.executable, "-m", "kpi", "sample", "--rows", str(rows), "--seed", "1",
             "--dialect", dialect, "--out", str(path)],
            check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
        )
    return path


def _run(code: str, *args: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=ROOT,
                            capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--dialect", nargs="+", default=["plain", "br"])
    parser.add_argument("--profile", action="store_true", help="cProfile the first load")
    args = parser.parse_args(argv)
    header = (f"{'rows':>9} {'dialect':7} {'file MB':>8} {'floor s':>8} {'load s':>7} "
              f"{'ratio':>6} {'peak MB':>8} {'peak/file':>9} {'floor MB':>8} fields")
    print(header)
    print("-" * len(header))
    for rows in args.rows:
        for dialect in args.dialect:
            path = sample_file(rows, dialect)
            sep, encoding = (";", "latin-1") if dialect == "br" else (",", "utf8")
            if args.profile:
                subprocess.run([sys.executable, "-c", _PROFILE, str(path)], check=True, cwd=ROOT)
                args.profile = False
            floor = _run(_FLOOR, str(path), sep, encoding)
            load = _run(_LOAD, str(path))
            size = path.stat().st_size
            print(f"{rows:>9,} {dialect:7} {size / 1e6:8.0f} {floor['seconds']:8.2f} "
                  f"{load['seconds']:7.2f} {load['seconds'] / floor['seconds']:6.1f} "
                  f"{load['peak'] / 1e6:8.0f} {load['peak'] / size:9.2f} "
                  f"{floor['peak'] / 1e6:8.0f} {load['fields']}"
                  + (f"  FATAL: {load['fatal']}" if load["fatal"] else ""))


if __name__ == "__main__":
    main()
