"""Benchmark ``load_dataset`` (read + detect + canonicalise + validate) against a read floor.

For each size and dialect, ``kpi sample --rows N --seed 1 [--dialect br]`` writes a CSV (kept
in ``$TMPDIR/kpi-bench`` between runs); then, each in a fresh subprocess:

* the floor: ``pyarrow.csv.read_csv(path, read_options, parse_options, convert_options)`` of
  the same file told its dialect (encoding, separator, decimal mark, timestamp format), with
  pyarrow's defaults for everything else; nothing after the read;
* ``kpi.load.load_dataset`` of the interactions file, nothing told.

Prints wall seconds and CPU seconds (user + system, all threads: the steadier number on a busy
machine), the ratio of each to the floor, peak resident memory (``ru_maxrss``) and its ratio to
the file size. Goal: load within 2.5× the floor, peak memory under 3× the file size.

    python benchmarks/bench_load.py [--rows 1000000 5000000] [--dialect plain br] [--profile]
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

#: What the floor is told about each dialect of ``kpi sample``.
DIALECTS = {
    "plain": {"encoding": "utf8", "delimiter": ",", "decimal": ".",
              "timestamps": ["%Y-%m-%d %H:%M:%S"]},
    "br": {"encoding": "latin1", "delimiter": ";", "decimal": ",",
           "timestamps": ["%d/%m/%Y %H:%M"]},
}

_FLOOR = """
import json, os, resource, sys, time
import pyarrow.csv as csv
path, told = sys.argv[1], json.loads(sys.argv[2])
start, cpu = time.perf_counter(), os.times()
table = csv.read_csv(
    path,
    read_options=csv.ReadOptions(encoding=told["encoding"]),
    parse_options=csv.ParseOptions(delimiter=told["delimiter"]),
    convert_options=csv.ConvertOptions(decimal_point=told["decimal"],
                                       timestamp_parsers=told["timestamps"]),
)
end = os.times()
print(json.dumps({"seconds": time.perf_counter() - start,
                  "cpu": end.user + end.system - cpu.user - cpu.system,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "rows": table.num_rows}))
"""

_LOAD = """
import json, os, resource, sys, time
from pathlib import Path
import kpi.load  # imports outside the timing, as in a running app
from kpi.io.budget import ReadBudget
path = Path(sys.argv[1])
start, cpu = time.perf_counter(), os.times()
# no file-size limit: the 5M-row files (850+ MB) are above the uploads' 200 MB
dataset = kpi.load.load_dataset([(path.name, path)], budget=ReadBudget.unlimited())
end = os.times()
print(json.dumps({"seconds": time.perf_counter() - start,
                  "cpu": end.user + end.system - cpu.user - cpu.system,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "rows": len(dataset.interactions),
                  "fields": len(dataset.mapping.columns) + len(dataset.mapping.values),
                  "fatal": None if dataset.report.fatal is None else str(dataset.report.fatal)}))
"""

_PROFILE = """
import sys
from pathlib import Path
import kpi.load
from pyinstrument import Profiler
path = Path(sys.argv[1])
with Profiler(interval=0.005) as profiler:
    kpi.load.load_dataset([(path.name, path)], budget=kpi.load.ReadBudget.unlimited())
print(profiler.output_text(unicode=True, color=False, show_all=False))
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
    parser.add_argument("--dialect", nargs="+", default=list(DIALECTS), choices=list(DIALECTS))
    parser.add_argument("--profile", action="store_true",
                        help="print a pyinstrument profile of each load first")
    args = parser.parse_args(argv)
    header = (f"{'rows':>9} {'dialect':7} {'file MB':>7} {'floor s':>7} {'load s':>6} "
              f"{'ratio':>5} {'floor cpu':>9} {'load cpu':>8} {'ratio':>5} "
              f"{'peak MB':>7} {'peak/file':>9} {'floor MB':>8} fields")
    lines = [header, "-" * len(header)]
    print("\n".join(lines), flush=True)
    for rows in args.rows:
        for dialect in args.dialect:
            path = sample_file(rows, dialect)
            if args.profile:
                subprocess.run([sys.executable, "-c", _PROFILE, str(path)], check=True, cwd=ROOT)
            floor = _run(_FLOOR, str(path), json.dumps(DIALECTS[dialect]))
            load = _run(_LOAD, str(path))
            size = path.stat().st_size
            line = (f"{rows:>9,} {dialect:7} {size / 1e6:7.0f} {floor['seconds']:7.2f} "
                    f"{load['seconds']:6.2f} {load['seconds'] / floor['seconds']:5.1f} "
                    f"{floor['cpu']:9.2f} {load['cpu']:8.2f} {load['cpu'] / floor['cpu']:5.1f} "
                    f"{load['peak'] / 1e6:7.0f} {load['peak'] / size:9.2f} "
                    f"{floor['peak'] / 1e6:8.0f} {load['fields']}"
                    + (f"  FATAL: {load['fatal']}" if load["fatal"] else ""))
            print(line, flush=True)


if __name__ == "__main__":
    main()
