"""Benchmark: ``kpi.io.read_file`` against a bare ``pyarrow.csv.read_csv`` on 1M-row exports.

Generates two files in a temporary folder (nothing is kept): a plain UTF-8 CSV (``,``, ISO
timestamps, decimal point) and a Brazilian export (``;``, decimal comma, ``dd/mm/yyyy HH:MM:SS``,
``hh:mm:ss`` durations, Sim/Não, latin-1). Times each read (best of ``--repeat``) and prints
both, with their ratio.

    .venv/bin/python benchmarks/bench_read.py [--rows 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from kpi.io import ReadOptions, read_file

CHANNELS = np.array(["phone", "chat", "email", "whatsapp", "instagram"])
TEAMS = np.array(["Suporte N1", "Suporte N2", "Vendas", "Cobrança", "Retenção"])
TOPICS = np.array(["Segunda via", "Cancelamento", "Dúvida técnica", "Troca", "Reclamação"])
AGENTS = np.array([f"Agente {i:02d} Silva" for i in range(60)])


def generate(rows: int, *, brazilian: bool, seed: int = 1) -> pd.DataFrame:
    """A realistic interaction export as text columns (vectorised)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00:00")
    created = start + np.sort(rng.integers(0, 180 * 86400, rows)).astype("timedelta64[s]")
    wait = np.round(rng.exponential(40.0, rows), 2)
    handle = rng.gamma(2.0, 180.0, rows).astype(np.int64)
    resolved = created + (handle + wait.astype(np.int64)).astype("timedelta64[s]")
    csat = rng.integers(1, 6, rows)
    stamps = pd.Series(created)
    if brazilian:
        created_text = stamps.dt.strftime("%d/%m/%Y %H:%M:%S")
        resolved_text = pd.Series(resolved).dt.strftime("%d/%m/%Y %H:%M:%S")
        wait_text = pd.Series(wait).map("{:.2f}".format).str.replace(".", ",", regex=False)
        handle_text = pd.Series(
            [f"{h // 3600:02d}:{h % 3600 // 60:02d}:{h % 60:02d}" for h in handle.tolist()]
        )
        flags = np.where(rng.random(rows) < 0.9, "Sim", "Não")
    else:
        created_text = stamps.dt.strftime("%Y-%m-%d %H:%M:%S")
        resolved_text = pd.Series(resolved).dt.strftime("%Y-%m-%d %H:%M:%S")
        wait_text = pd.Series(wait).map("{:.2f}".format)
        handle_text = pd.Series(handle).astype(str)
        flags = np.where(rng.random(rows) < 0.9, "true", "false")
    return pd.DataFrame({
        "Protocolo": pd.Series(np.arange(rows) + 10_000_000).astype(str),
        "Data/Hora": created_text,
        "Canal": CHANNELS[rng.integers(0, len(CHANNELS), rows)],
        "Equipe": TEAMS[rng.integers(0, len(TEAMS), rows)],
        "Atendente": AGENTS[rng.integers(0, len(AGENTS), rows)],
        "Assunto": TOPICS[rng.integers(0, len(TOPICS), rows)],
        "Cliente": pd.Series(rng.integers(10**10, 10**11, rows)).astype(str),
        "Tempo de espera": wait_text,
        "Duração": handle_text,
        "Encerrado em": resolved_text,
        "Nota": csat.astype(str),
        "Resolvido": flags,
    })


def write(frame: pd.DataFrame, path: Path, *, sep: str, encoding: str) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    options = pacsv.WriteOptions(delimiter=sep, quoting_style="needed")
    pacsv.write_csv(table, str(path), write_options=options)
    if encoding != "utf-8":
        path.write_bytes(path.read_bytes().decode("utf-8").encode(encoding))


def best_of(repeat: int, action: Callable[[], object]) -> tuple[float, float]:
    """Best wall-clock seconds and best CPU seconds (all threads) over ``repeat`` runs.

    CPU time is the steadier number on a busy machine; wall time is what a user waits.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plain, brazil = Path(folder) / "plain.csv", Path(folder) / "atendimentos.csv"
        write(generate(args.rows, brazilian=False), plain, sep=",", encoding="utf-8")
        write(generate(args.rows, brazilian=True), brazil, sep=";", encoding="latin-1")
        # The floor: a plain pyarrow.csv.read_csv told the dialect (separator, encoding,
        # decimal mark, timestamp format), pyarrow's defaults otherwise — as in bench_load.py.
        plain_floor = (pacsv.ReadOptions(), pacsv.ParseOptions(delimiter=","),
                       pacsv.ConvertOptions(timestamp_parsers=["%Y-%m-%d %H:%M:%S"]))
        brazil_floor = (pacsv.ReadOptions(encoding="latin1"), pacsv.ParseOptions(delimiter=";"),
                        pacsv.ConvertOptions(decimal_point=",",
                                             timestamp_parsers=["%d/%m/%Y %H:%M:%S"]))
        cases = [
            ("plain, detected", plain, None, *plain_floor),
            ("brazilian latin-1, detected", brazil, None, *brazil_floor),
            ("brazilian latin-1, options given", brazil,
             ReadOptions(sep=";", decimal=",", encoding="latin-1", dayfirst=True), *brazil_floor),
        ]
        print(f"rows: {args.rows:,}; plain {plain.stat().st_size / 1e6:.0f} MB, "
              f"brazilian {brazil.stat().st_size / 1e6:.0f} MB; best of {args.repeat}")
        for label, path, options, read_opts, parse_opts, convert_opts in cases:
            data = path.read_bytes()

            def ours(data: bytes = data, options: ReadOptions | None = options) -> None:
                read_file("export.csv", data, options)

            def arrow(data: bytes = data, read_opts=read_opts, parse_opts=parse_opts,
                      convert_opts=convert_opts) -> None:
                pacsv.read_csv(pa.BufferReader(data), read_options=read_opts,
                               parse_options=parse_opts, convert_options=convert_opts)

            (ours_s, ours_cpu), (arrow_s, arrow_cpu) = (
                best_of(args.repeat, ours), best_of(args.repeat, arrow)
            )
            print(f"{label:34s} wall: read_file {ours_s:5.2f} s, pyarrow {arrow_s:5.2f} s, "
                  f"ratio {ours_s / arrow_s:4.2f} | cpu: {ours_cpu:5.2f} s vs {arrow_cpu:5.2f} s, "
                  f"ratio {ours_cpu / arrow_cpu:4.2f}")
        raw = read_file("export.csv", brazil.read_bytes())
        print("detected:", raw.options.to_dict())
        print(raw.frame.dtypes.to_string())


if __name__ == "__main__":
    main()
