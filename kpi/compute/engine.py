"""Run the generated aggregation on DuckDB and shape the statistics frame.

The canonical frame is registered with DuckDB (a zero-copy scan of the pandas columns, "str"
and nullable "boolean" included), the result fetched as Arrow. Pandas then only reshapes the
small result: one row per (bucket × segment × KPI), empty buckets included, with a message
code in ``reason`` wherever the value is missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from sqlglot import exp

from kpi.catalog import CATALOG, KpiParams, availability, get_definition
from kpi.compute.measures import Measure, col, measure_for
from kpi.compute.prepare import prepare_frame
from kpi.compute.sql import (
    CONTACTS,
    FAMILY,
    PERIOD,
    Freq,
    QueryPlan,
    base_ctes,
    build_query,
    stat_column,
)
from kpi.custom import CustomKpi, validate_custom
from kpi.errors import DefinitionError, MissingFieldError
from kpi.i18n import translate
from kpi.sufficient import STAT_COLUMNS

KpiRef = str | CustomKpi
FREQS: tuple[str, ...] = ("day", "week", "month")
_PANDAS_FREQ = {"day": "D", "week": "W-MON", "month": "MS"}
_RESERVED = frozenset({"period", "kpi", "value", "reason", *STAT_COLUMNS, PERIOD, FAMILY,
                       CONTACTS})


def bucket_start(value: pd.Timestamp | date, freq: Freq) -> pd.Timestamp:
    """The first day of the bucket holding ``value`` (ISO weeks start on Monday)."""
    ts = pd.Timestamp(value).normalize()
    if freq == "week":
        return ts - pd.Timedelta(days=ts.weekday())
    if freq == "month":
        return ts.replace(day=1)
    return ts


def check_request(
    frame: pd.DataFrame, kpis: Sequence[KpiRef], freq: str, by: tuple[str, ...],
    activity: pd.DataFrame | None, forecast: pd.DataFrame | None,
) -> None:
    """Refuse a request the data cannot answer: unknown ``freq``, a ``by`` column that is not
    a text field (at most two), no or repeated KPIs, a KPI whose fields or tables are missing.

    ``frame`` may be a zero-row frame with the source's columns and dtypes (the file engines).
    """
    if freq not in FREQS:
        raise DefinitionError("compute.error.freq", freq=freq)
    if len(by) > 2 or len(set(by)) != len(by):
        raise DefinitionError("compute.error.too_many_dimensions")
    for name in by:
        if name not in frame.columns or name in _RESERVED:
            raise DefinitionError("compute.error.dimension", column=name)
        dtype = str(frame[name].dtype)
        if not (dtype in ("str", "string", "object", "category") or dtype.startswith("string")):
            raise DefinitionError("compute.error.dimension_text", column=name)
    if not kpis:
        raise DefinitionError("compute.error.no_kpis")
    ids = _kpi_ids(kpis)
    for kpi_id in ids:
        if ids.count(kpi_id) > 1:
            raise DefinitionError("compute.error.duplicate_kpi", kpi=kpi_id)
    for kpi in kpis:
        if isinstance(kpi, CustomKpi):
            validate_custom(kpi, dict(frame.dtypes))
            continue
        found = availability(
            get_definition(kpi), _derivable(frame.columns),
            has_activity=activity is not None, has_forecast=forecast is not None,
        )
        if not found.ok:
            raise MissingFieldError(
                "compute.error.unavailable",
                kpi=translate(get_definition(kpi).name_key, "en"), reason=found.sentence("en"),
            )


def _derivable(columns: Sequence[str]) -> set[str]:
    """Columns after the derivations of :func:`kpi.compute.prepare.prepare_frame`."""
    present = set(columns)
    if "answered_at" in present:
        present.add("wait_seconds")
    if "resolved_at" in present:
        present.update({"resolution_seconds", "resolved"})
    return present


def _kpi_ids(kpis: Sequence[KpiRef]) -> list[str]:
    return [k.id if isinstance(k, CustomKpi) else k for k in kpis]


def build_plan(
    frame: pd.DataFrame, kpis: Sequence[KpiRef], freq: Freq, by: tuple[str, ...],
    params: KpiParams, forecast: pd.DataFrame | None, snapshot_at: object,
    period: tuple[date, date] | None,
) -> tuple[pd.DataFrame, QueryPlan]:
    """The prepared frame (derived columns added) and the query plan of a checked request."""
    prepared = prepare_frame(frame, [k for k in kpis if isinstance(k, str)], params)
    dtypes = dict(prepared.dtypes)
    snapshot = pd.Timestamp(snapshot_at) if snapshot_at is not None else None
    measures = tuple(measure_for(k, params, dtypes, snapshot_at=snapshot) for k in kpis)
    plan = QueryPlan(
        measures=measures, freq=freq, by=by, columns=frozenset(prepared.columns),
        fcr_window_days=params.fcr_window_days, period=period,
        forecast_by_channel=forecast is not None and "channel" in forecast.columns,
    )
    return prepared, plan


def run_query(sql: str, tables: Mapping[str, pd.DataFrame | None]) -> pd.DataFrame:
    """Run DuckDB ``sql`` over pandas ``tables`` (registered by name; None is left out)."""
    connection = duckdb.connect()
    try:
        for name, table in tables.items():
            if table is not None:
                connection.register(name, table)
        return small_result(connection.sql(sql).arrow())
    finally:
        connection.close()


def small_result(result: pa.Table | pa.RecordBatchReader) -> pd.DataFrame:
    """A small DuckDB result as pandas; integer sums (``HUGEINT``, Arrow decimal128) become
    float64 — exact below 2**53 — instead of one Python ``Decimal`` per cell."""
    table = result.read_all() if isinstance(result, pa.RecordBatchReader) else result
    for index, field in enumerate(table.schema):
        if pa.types.is_decimal(field.type):
            table = table.set_column(index, field.name, table.column(index).cast(pa.float64()))
    return table.to_pandas()


def compute_statistics(
    frame: pd.DataFrame,
    kpis: Sequence[KpiRef],
    *,
    freq: Freq = "week",
    by: Sequence[str] = (),
    params: KpiParams | None = None,
    activity: pd.DataFrame | None = None,
    forecast: pd.DataFrame | None = None,
    snapshot_at: object = None,
    period: tuple[date, date] | None = None,
) -> pd.DataFrame:
    """The statistics frame (``kpi.sufficient``) of ``kpis`` per bucket × segment.

    ``period`` (inclusive dates) restricts what is computed; the FCR repeat search still
    looks at the whole frame. ``snapshot_at`` (the export time) limits backlog and unanswered
    to interactions created at or before it. Missing values carry a ``reason`` code.
    """
    params = params or KpiParams()
    by = tuple(by)
    check_request(frame, kpis, freq, by, activity, forecast)
    prepared, plan = build_plan(frame, kpis, freq, by, params, forecast, snapshot_at, period)
    query, _ = build_query(plan)
    result = run_query(
        query.sql(dialect="duckdb"),
        {"interactions": prepared, "activity": activity, "forecast": forecast},
    )
    return assemble_statistics(result, plan, period)


def _grid(result: pd.DataFrame, plan: QueryPlan, period: tuple[date, date] | None
          ) -> tuple[pd.DataFrame, np.ndarray]:
    """Every bucket from the first to the last × every segment seen (sorted, missing values
    last), and each result row's position on it (−1: not on the grid).

    Positional: row ``bucket × segments + segment``, from sorted codes — no join.
    """
    if period is not None:
        first, last = (bucket_start(d, plan.freq) for d in period)
    elif len(result):
        first = bucket_start(result[PERIOD].min(), plan.freq)
        last = bucket_start(result[PERIOD].max(), plan.freq)
    else:
        empty = {PERIOD: pd.Series([], dtype="datetime64[us]")}
        grid = pd.DataFrame({**empty, **{name: result[name].iloc[:0] for name in plan.by}})
        return grid, np.zeros(0, dtype="int64")
    buckets = pd.date_range(first, last, freq=_PANDAS_FREQ[plan.freq]).astype("datetime64[us]")
    bucket = buckets.get_indexer(result[PERIOD])
    segment, values = _segment_codes(result, plan.by)
    count = len(values[0]) if values else 1
    positions = np.where(bucket >= 0, bucket * count + segment, -1)
    grid = pd.DataFrame({PERIOD: np.repeat(buckets.to_numpy(), count)})
    tiled = np.tile(np.arange(count), len(buckets))
    for name, column in zip(plan.by, values, strict=True):
        grid[name] = column.take(tiled)
    return grid, positions


def _segment_codes(result: pd.DataFrame, by: tuple[str, ...]
                   ) -> tuple[np.ndarray, list[pd.Index]]:
    """Each row's segment number in sorted order of the ``by`` values (missing last), and the
    values of each ``by`` column per segment number."""
    if not by:
        return np.zeros(len(result), dtype="int64"), []
    codes, uniques = zip(*(pd.factorize(result[name], sort=True, use_na_sentinel=False)
                           for name in by), strict=True)
    combined = codes[0].astype("int64")
    for more, seen in zip(codes[1:], uniques[1:], strict=True):
        combined = combined * len(seen) + more
    segment, present = pd.factorize(combined, sort=True)
    values, inner = [], present
    for seen in reversed(uniques):
        values.append(seen.take(inner % len(seen)))
        inner = inner // len(seen)
    return segment, values[::-1]


class _Aligned:
    """One family's result rows placed on the grid: stat columns as grid-length arrays."""

    def __init__(self, result: pd.DataFrame, rows: np.ndarray, positions: np.ndarray,
                 length: int) -> None:
        self.result = result
        self.rows = rows & (positions >= 0)
        self.positions = positions[self.rows]
        self.length = length

    def column(self, name: str) -> np.ndarray:
        """The column on the grid (NaN where the family has no row or no column)."""
        out = np.full(self.length, np.nan)
        if name in self.result:
            values = self.result[name].to_numpy(dtype="float64", na_value=np.nan)
            out[self.positions] = values[self.rows]
        return out


def assemble_statistics(
    result: pd.DataFrame, plan: QueryPlan, period: tuple[date, date] | None
) -> pd.DataFrame:
    """The statistics frame from the aggregation's result (any engine): every bucket × segment
    × KPI, empty buckets included, a ``reason`` code wherever the value is missing."""
    result[PERIOD] = result[PERIOD].astype("datetime64[us]")
    grid, positions = _grid(result, plan, period)
    family = result[FAMILY].to_numpy(dtype=object)
    aligned = {name: _Aligned(result, family == name, positions, len(grid))
               for name in {"rows", *plan.families()}}
    contacts = aligned["rows"].column(CONTACTS)
    no_contacts = np.nan_to_num(contacts) == 0
    reasons: dict[str, int] = {}
    parts = [
        _measure_arrays(measure, plan, len(grid), aligned[measure.family], no_contacts, reasons)
        for measure in plan.measures
    ]
    out = grid.take(np.tile(np.arange(len(grid)), len(parts))).reset_index(drop=True)
    out = out.rename(columns={PERIOD: "period"})
    kpi_codes = np.repeat(np.arange(len(plan.measures)), len(grid))
    out["kpi"] = _text([m.kpi for m in plan.measures], kpi_codes)
    for name in (*STAT_COLUMNS, "value"):
        out[name] = np.concatenate([part[name] for part in parts]) if parts else []
    out["n"] = out["n"].astype("int64")
    reason_codes = (np.concatenate([part["reason"] for part in parts]) if parts
                    else np.zeros(0, dtype="int64"))
    out["reason"] = _text(list(reasons), reason_codes)
    return out


def _text(names: list[str], codes: np.ndarray) -> pd.Series:
    """A "str" column of ``names[code]`` (code −1 → missing), without per-row Python objects."""
    indices = pa.array(codes, mask=codes < 0)
    return pa.array(names, type=pa.string()).take(indices).to_pandas()


def _measure_arrays(
    measure: Measure, plan: QueryPlan, length: int, aligned: _Aligned,
    no_contacts: np.ndarray, reasons: dict[str, int],
) -> dict[str, np.ndarray]:
    """One KPI's rows of the statistics frame, from its family's result aligned on the grid.

    ``reason`` holds codes into ``reasons`` (message code → number, extended here), −1 for none.
    """
    kpi = measure.kpi

    def column(suffix: str) -> np.ndarray:
        return aligned.column(stat_column(kpi, suffix))

    def code(reason: str) -> int:
        return reasons.setdefault(reason, len(reasons))

    n = np.nan_to_num(column("n"))
    row_level = measure.family == "rows"
    if measure.kind == "count":
        sum_y = sum_y2 = n.copy()
    else:
        sum_y = np.nan_to_num(column("sum_y"))
        sum_y2 = sum_y.copy() if measure.kind == "proportion" else np.nan_to_num(column("sum_y2"))
    if row_level or measure.family == "agent" or measure.kind == "total":
        sum_x = sum_x2 = n.copy()
        sum_xy = sum_y.copy()
    else:
        sum_x, sum_x2, sum_xy = (np.nan_to_num(column(s)) for s in ("sum_x", "sum_x2", "sum_xy"))

    with np.errstate(divide="ignore", invalid="ignore"):
        if measure.kind == "count":
            value = n.copy()
        elif measure.kind == "quantile":
            value = column("value")
        elif measure.kind == "total":
            value = np.where(n > 0, sum_y, np.nan)
        else:
            value = np.where(sum_x != 0, sum_y / np.where(sum_x != 0, sum_x, 1), np.nan)

    reason = np.full(length, -1, dtype="int64")
    if measure.family in ("rows", "agent"):
        value = np.where(no_contacts, np.nan, value)
        reason[np.isnan(value)] = code(measure.empty_reason)
        reason[no_contacts] = code("compute.reason.no_contacts")
    elif not plan.supports(measure):
        value[:] = np.nan
        reason[:] = code("compute.reason.not_by_segment")
    else:
        reason[np.isnan(value)] = code(measure.empty_reason)
        missing_units = "no_activity" if measure.family == "agent_day" else "no_forecast"
        reason[n == 0] = code(f"compute.reason.{missing_units}")

    return {
        "n": n, "sum_y": sum_y, "sum_y2": sum_y2, "sum_x": sum_x, "sum_x2": sum_x2,
        "sum_xy": sum_xy, "value": value, "reason": reason,
    }


def kpi_values(
    frame: pd.DataFrame,
    kpis: Sequence[KpiRef],
    *,
    freq: Freq = "week",
    by: Sequence[str] = (),
    params: KpiParams | None = None,
    activity: pd.DataFrame | None = None,
    forecast: pd.DataFrame | None = None,
    snapshot_at: object = None,
    period: tuple[date, date] | None = None,
) -> pd.DataFrame:
    """The tidy value frame ``period, <segments>, kpi, value, n, reason`` for charts and CLI."""
    stats = compute_statistics(
        frame, kpis, freq=freq, by=by, params=params, activity=activity, forecast=forecast,
        snapshot_at=snapshot_at, period=period,
    )
    return stats[["period", *by, "kpi", "value", "n", "reason"]].reset_index(drop=True)


def refuse_raw_values(kpi: KpiRef) -> None:
    """Per-agent, per-agent-day and per-day KPIs have no per-contact values."""
    if isinstance(kpi, str) and kpi in CATALOG and (
        CATALOG[kpi].tables or kpi == "closed_per_agent"
    ):
        raise DefinitionError("compute.error.no_raw_values", kpi=kpi)


def raw_values_query(plan: QueryPlan, filters: Mapping[str, str], *, dated: bool
                     ) -> exp.Select:
    """``SELECT y[, day] FROM base WHERE population [AND field = value ...]`` over ``plan``
    (any engine: the per-contact values of its one KPI)."""
    measure = plan.measures[0]
    if measure.family != "rows" or measure.population is None or measure.y is None:
        raise DefinitionError("compute.error.no_raw_values", kpi=measure.kpi)
    projections = [exp.alias_(measure.y, "y", quoted=True)]
    if dated:
        projections.append(exp.alias_(col(PERIOD), "day", quoted=True))
    conditions = [measure.population, *(
        exp.EQ(this=col(name), expression=exp.Literal.string(str(value)))
        for name, value in filters.items()
    )]
    query = exp.select(*projections).from_("base").where(exp.and_(*conditions))
    for name, cte in base_ctes(plan).items():
        query = query.with_(name, as_=cte)
    return query


def values_by_day(result: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The ``day`` and ``y`` columns of a dated raw-values result as arrays."""
    return result["day"].to_numpy(dtype="datetime64[D]"), result["y"].to_numpy(dtype="float64")


def _raw_result(frame: pd.DataFrame, kpi: KpiRef, params: KpiParams | None,
                period: tuple[date, date] | None, filters: Mapping[str, str], *, dated: bool
                ) -> pd.DataFrame:
    refuse_raw_values(kpi)
    check_request(frame, [kpi], "day", tuple(filters), None, None)
    prepared, plan = build_plan(frame, [kpi], "day", tuple(filters), params or KpiParams(),
                                None, None, period)
    query = raw_values_query(plan, filters, dated=dated)
    return run_query(query.sql(dialect="duckdb"), {"interactions": prepared})


def raw_values(
    frame: pd.DataFrame,
    kpi: KpiRef,
    *,
    start: date,
    end: date,
    by_value: Mapping[str, str] | None = None,
    params: KpiParams | None = None,
) -> np.ndarray:
    """The KPI's per-interaction values over its population, created in ``[start, end]``.

    0/1 for proportions, the durations or scores for means and quantiles, −100/0/100 for NPS:
    what a bootstrap or a Mann–Whitney test resamples. ``by_value`` restricts to segment
    values, e.g. ``{"channel": "chat"}``. KPIs whose units are not interactions (per agent,
    agent-day or day) have no raw values and raise ``DefinitionError``.
    """
    result = _raw_result(frame, kpi, params, (start, end), dict(by_value or {}), dated=False)
    return result["y"].to_numpy(dtype="float64")


def dated_raw_values(frame: pd.DataFrame, kpi: KpiRef, params: KpiParams | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`raw_values` over the whole frame with each value's day (the same query without
    the period filter: the same rows in the same order once sliced by day)."""
    return values_by_day(_raw_result(frame, kpi, params, None, {}, dated=True))
