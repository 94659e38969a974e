"""Benchmark: every available KPI, weekly × channel and daily × agent, on 1M and 5M rows.

Compares :func:`kpi.compute.compute_statistics` (generated SQL + shaping of the statistics
frame) with the same aggregation hand-written as one DuckDB SQL query (fetched as Arrow, no
shaping). The canonical frame is built with numpy directly, so the benchmark depends only on
the compute layer. Run: ``.venv/bin/python benchmarks/bench_compute.py [ROWS ...]``.

Derived FCR needs a repeat-contact flag per row that depends only on the frame and the window,
so the engine derives it once per frame (cached) and every view sums it like any proportion.
The comparison is therefore of *views after the flag exists*: the engine with its cache warm,
and the hand-written query reading the same flag as a given column. The one-off derivation is
timed on its own line, beside the hand-written SQL window that derives it (RANGE-frame counts).
"""

from __future__ import annotations

import resource
import sys
import time
from functools import partial

import duckdb
import numpy as np
import pandas as pd

from kpi.catalog import available_kpis
from kpi.compute import compute_statistics
from kpi.compute.prepare import repeat_contact, repeat_flags
from kpi.compute.sql import repeat_contact_query

DAYS = 182
AGENTS = 60


def canonical_frame(rows: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A canonical interactions frame (schema dtypes), agent activity and forecast."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00:00", "us")
    created = start + (rng.integers(0, DAYS * 86_400, rows) * 1_000_000).astype("timedelta64[us]")
    created.sort()

    def text(choices: list[str], missing: float = 0.0) -> pd.Series:
        values = pd.array(np.array(choices, dtype=object)[rng.integers(0, len(choices), rows)],
                          dtype="str")
        if missing:
            values[rng.random(rows) < missing] = pd.NA
        return pd.Series(values, dtype="str")

    def boolean(p: float, missing: float = 0.0) -> pd.Series:
        values = pd.array(rng.random(rows) < p, dtype="boolean")
        if missing:
            values[rng.random(rows) < missing] = pd.NA
        return pd.Series(values)

    def maybe(values: np.ndarray, known: float) -> np.ndarray:
        return np.where(rng.random(rows) < known, values, np.nan)

    abandoned = boolean(0.08, missing=0.01)
    wait = rng.exponential(40, rows)
    frame = pd.DataFrame({
        "interaction_id": pd.Series(np.arange(rows).astype(str), dtype="str"),
        "created_at": created,
        "channel": text(["phone", "chat", "email", "whatsapp", "instagram", "messenger",
                         "telegram"]),
        "team": text(["sales", "support", "billing", "retention", "tech"]),
        "agent": text([f"agent{i:02d}" for i in range(AGENTS)], missing=0.02),
        "topic": text([f"topic{i}" for i in range(12)]),
        "customer_id": text([f"c{i}" for i in range(max(rows // 3, 1))], missing=0.05),
        "answered_at": created + (wait * 1_000_000).astype("timedelta64[us]"),
        "wait_seconds": wait,
        "handle_seconds": maybe(rng.gamma(2.0, 150.0, rows), 0.97),
        "resolution_seconds": maybe(rng.exponential(3600, rows), 0.8),
        "abandoned": abandoned,
        "resolved": boolean(0.8),
        "csat": maybe(rng.integers(1, 6, rows).astype(float), 0.3),
        "nps": maybe(rng.integers(0, 11, rows).astype(float), 0.1),
        "identified": boolean(0.6),
        "transferred": boolean(0.1),
        "converted": boolean(0.05),
        "cost": maybe(rng.gamma(2.0, 2.0, rows), 0.9),
        "status": text(["open", "closed", "closed", "closed"]),
        "last_message_from": text(["customer", "agent"]),
    })
    frame["satisfied"] = (frame["csat"] >= 4).astype("boolean").where(frame["csat"].notna())
    days = pd.date_range("2024-01-01", periods=DAYS, freq="D").astype("datetime64[us]")
    activity = pd.DataFrame({
        "agent": pd.Series(np.repeat([f"agent{i:02d}" for i in range(AGENTS)], DAYS), dtype="str"),
        "date": np.tile(days, AGENTS),
        "online_seconds": rng.uniform(4, 8, AGENTS * DAYS) * 3600,
    })
    forecast = pd.DataFrame({"date": days, "forecast_volume": rng.normal(rows / DAYS, 50, DAYS)})
    return frame, activity, forecast


def hand_written_sql(period: str, segment: str, *, activity: bool) -> str:
    """The same statistics as one hand-written DuckDB query (wide, unshaped); the repeat
    flag of derived FCR is given as the column ``rep``."""
    rows = f"""
    SELECT date_trunc('{period}', created_at) AS p, {segment} AS s, 'rows' AS fam,
      count(*) AS volume,
      count(abandoned) AS ab_n, sum(abandoned::int) AS ab_y,
      sum(CASE WHEN h AND wait_seconds <= 20 THEN 1 ELSE 0 END) AS sl_y,
      count(wait_seconds) FILTER (h) AS w_n, sum(wait_seconds) FILTER (h) AS w_y,
      sum(wait_seconds * wait_seconds) FILTER (h) AS w_y2,
      quantile_cont(wait_seconds, 0.9) FILTER (h) AS p90,
      count(handle_seconds) FILTER (h) AS aht_n, sum(handle_seconds) FILTER (h) AS aht_y,
      sum(handle_seconds * handle_seconds) FILTER (h) AS aht_y2,
      count(resolution_seconds) AS rt_n, sum(resolution_seconds) AS rt_y,
      sum(resolution_seconds * resolution_seconds) AS rt_y2,
      sum(h::int) AS handled, sum(resolved::int) FILTER (h) AS res_y,
      sum(transferred::int) FILTER (h) AS tr_y, sum(identified::int) AS id_y,
      sum(converted::int) FILTER (h) AS cv_y,
      count(csat) AS cs_n, sum(csat) AS cs_y, sum(csat * csat) AS cs_y2,
      count(coalesce(satisfied, csat >= 4)) AS sat_n,
      sum(coalesce(satisfied, csat >= 4)::int) AS sat_y,
      count(nps) AS nps_n,
      sum(CASE WHEN nps >= 9 THEN 100 WHEN nps <= 6 THEN -100 ELSE 0 END) AS nps_y,
      sum(CASE WHEN nps >= 9 OR nps <= 6 THEN 10000 ELSE 0 END) FILTER (nps IS NOT NULL)
        AS nps_y2,
      count(cost) AS cost_n, sum(cost) AS cost_y, sum(cost * cost) AS cost_y2,
      count(*) FILTER (status = 'open') AS backlog,
      count(*) FILTER (status = 'open' AND last_message_from = 'customer') AS unanswered
    FROM base GROUP BY ALL"""
    agents = f"""
    SELECT p, s, 'agent' AS fam, count(*) AS cpa_n, sum(y) AS cpa_y, sum(y * y) AS cpa_y2
    FROM (SELECT date_trunc('{period}', created_at) AS p, {segment} AS s, agent,
                 sum(resolved::int) AS y
          FROM base WHERE agent IS NOT NULL GROUP BY ALL) GROUP BY ALL"""
    days = """
    SELECT date_trunc('day', created_at) AS p, agent AS s, 'agent_day' AS fam,
      count(*) AS n, sum(hd) AS hy, sum(hd * hd) AS hy2, sum(o) AS ox, sum(o * o) AS ox2,
      sum(hd * o) AS hxy, sum(c) AS cy, sum(c * c) AS cy2, sum(o / 3600 * c) AS cxy
    FROM (SELECT a.date AS created_at, a.agent, a.o, coalesce(w.hd, 0) AS hd,
                 coalesce(w.c, 0) AS c
          FROM (SELECT date, agent, sum(online_seconds) AS o FROM activity GROUP BY ALL) a
          LEFT JOIN (SELECT date_trunc('day', created_at) AS d, agent,
                            sum(coalesce(handle_seconds, 0)) FILTER (h) AS hd, sum(h::int) AS c
                     FROM base GROUP BY ALL) w ON a.date = w.d AND a.agent = w.agent
          WHERE a.o > 0) GROUP BY ALL"""
    fcr = f"""
    SELECT date_trunc('{period}', created_at) AS p, {segment} AS s, 'fcr' AS fam,
      count(*) FILTER (h AND customer_id IS NOT NULL) AS fcr_n,
      sum(CASE WHEN resolved AND NOT rep THEN 1 ELSE 0 END) FILTER (h AND customer_id IS NOT NULL)
        AS fcr_y
    FROM base GROUP BY ALL"""
    unions = f"UNION ALL BY NAME {fcr}"
    if activity:
        unions += f" UNION ALL BY NAME {days}"
    return f"""
    WITH base AS (SELECT *, coalesce(abandoned = false, false) AS h FROM interactions)
    {rows} UNION ALL BY NAME {agents} {unions}"""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def best_of_interleaved(first, second, repeat: int = 5) -> list[tuple[float, float]]:
    """Best (wall, CPU) seconds of two callables run alternately (fairer on a busy machine;
    CPU time, summed over DuckDB's threads, is the steadier measure when others share it)."""
    times: tuple[list[tuple[float, float]], ...] = ([], [])
    for _ in range(repeat):
        for fn, bucket in ((first, times[0]), (second, times[1])):
            wall, cpu = time.perf_counter(), _cpu()
            fn()
            bucket.append((time.perf_counter() - wall, _cpu() - cpu))
    return [(min(t[0] for t in ts), min(t[1] for t in ts)) for ts in times]


def _timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    fn()
    return time.perf_counter() - wall, _cpu() - cpu


def main(sizes: list[int]) -> None:
    print("compute_statistics: every available KPI, generated SQL + statistics frame, repeat flag"
          " cached;\nhand-written SQL: one DuckDB query, Arrow result unshaped, repeat flag given"
          " as a column.\nBest of 5, wall seconds (CPU seconds of all threads).")
    for rows in sizes:
        frame, activity, forecast = canonical_frame(rows)
        kpis = list(available_kpis(frame.columns, has_activity=True, has_forecast=True))
        print(f"{rows:,} rows, {len(kpis)} KPIs")
        numpy_flag = _timed(lambda f=frame: repeat_contact(f["created_at"], f["customer_id"], 7))
        repeat = repeat_flags(frame, 7)  # what compute_statistics reuses from now on
        connection = duckdb.connect()
        connection.register("interactions", frame.assign(rep=repeat))
        connection.register("activity", activity)
        window_sql = repeat_contact_query(7).sql(dialect="duckdb")
        sql_flag = _timed(lambda c=connection, q=window_sql: c.sql(q).arrow().read_all())
        print(f"  repeat flag, once per frame: numpy {numpy_flag[0]:6.3f} s "
              f"(CPU {numpy_flag[1]:6.3f} s)   SQL window {sql_flag[0]:6.3f} s "
              f"(CPU {sql_flag[1]:6.3f} s)")
        for label, freq, by, period, segment in (
            ("weekly x channel", "week", ["channel"], "week", "channel"),
            ("daily x agent", "day", ["agent"], "day", "agent"),
        ):
            sql = hand_written_sql(period, segment, activity=segment == "agent")
            ours, hand = best_of_interleaved(
                partial(compute_statistics, frame, kpis, freq=freq, by=by, activity=activity,
                        forecast=forecast),
                lambda q=sql, c=connection: c.sql(q).arrow().read_all(),
            )
            print(f"  {label:17s} compute_statistics {ours[0]:6.3f} s (CPU {ours[1]:6.3f} s)   "
                  f"hand-written SQL {hand[0]:6.3f} s (CPU {hand[1]:6.3f} s)   "
                  f"ratio {ours[0] / hand[0]:4.2f} (CPU {ours[1] / hand[1]:4.2f})")
        connection.close()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000_000, 5_000_000])
