"""Time each parser on a 1M-row column: ``.venv/bin/python benchmarks/bench_parsing.py [rows]``."""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from kpi.business_hours import BusinessCalendar, business_seconds
from kpi.parsing import parse_bool, parse_datetime, parse_duration, parse_number, parse_text


def columns(rows: int) -> dict[str, tuple[object, pd.Series]]:
    """Realistic raw columns of ``rows`` values, as a CSV reader would hand them over."""
    rng = np.random.default_rng(0)
    start = pd.Timestamp("2024-01-01") + pd.to_timedelta(
        rng.integers(0, 86_400 * 365, rows), unit="s")
    seconds = rng.integers(0, 4 * 3600, rows)
    clock = pd.Series(seconds // 3600).astype(str).str.zfill(2) + ":" + pd.Series(
        seconds // 60 % 60).astype(str).str.zfill(2) + ":" + pd.Series(seconds % 60).astype(
        str).str.zfill(2)
    return {
        "datetime dd/mm/yyyy HH:MM:SS": (parse_datetime, pd.Series(
            start.strftime("%d/%m/%Y %H:%M:%S"), dtype="str")),
        "datetime ISO with offset": (lambda s: parse_datetime(s, timezone="America/Sao_Paulo"),
                                     pd.Series(start.strftime("%Y-%m-%dT%H:%M:%S-03:00"),
                                               dtype="str")),
        "datetime ISO naive": (parse_datetime, pd.Series(start.strftime("%Y-%m-%d %H:%M:%S"),
                                                         dtype="str")),
        "datetime Excel serial": (parse_datetime, pd.Series(
            45000 + rng.random(rows) * 365)),
        "duration hh:mm:ss": (parse_duration, clock.astype("str")),
        "duration decimal comma": (parse_duration, pd.Series(
            (rng.integers(0, 6000, rows) / 10).astype(str), dtype="str").str.replace(".", ",")),
        "bool sim/não": (parse_bool, pd.Series(rng.choice(["Sim", "Não", "", "sim"], rows),
                                               dtype="str")),
        "number R$ 1.234,56": (lambda s: parse_number(s, decimal=","), pd.Series(
            "R$ " + pd.Series(rng.integers(0, 100_000, rows) / 100).map("{:.2f}".format)
            .str.replace(".", ","), dtype="str")),
        "text (unique ids)": (parse_text, pd.Series(
            pd.RangeIndex(rows).astype(str), dtype="str")),
    }


def main(rows: int = 1_000_000) -> None:
    """Print wall-clock and CPU seconds per parser and for ``business_seconds``.

    CPU time is the fairer number on a shared machine (it ignores time spent waiting for a core).
    """
    print(f"{rows:,} rows{'':20s}   wall    cpu")
    for name, (parse, column) in columns(rows).items():
        wall, cpu = time.perf_counter(), time.process_time()
        parsed = parse(column)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{name:32s} {wall:6.3f} {cpu:6.3f}  failed={int(parsed.failed.sum())}")
    rng = np.random.default_rng(1)
    start = pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(
        rng.integers(0, 86_400 * 365, rows), unit="s"))
    end = start + pd.to_timedelta(rng.integers(0, 86_400 * 5, rows), unit="s")
    split = BusinessCalendar(hours=dict.fromkeys(range(5), (("09:00", "12:00"),
                                                            ("13:00", "18:00"))))
    wall, cpu = time.perf_counter(), time.process_time()
    business_seconds(start, end, split)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{'business_seconds (split day)':32s} {wall:6.3f} {cpu:6.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
