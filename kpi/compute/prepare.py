"""Columns derived in pandas before the query, because SQL cannot derive them portably.

Durations from timestamps when only the timestamps were mapped, ``resolved`` from
``resolved_at``, and business-hours durations (``kpi.business_hours.business_seconds``).
New columns are added with ``assign`` (a shallow copy under copy-on-write: the caller's
frame and its data are not copied or changed).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from kpi.catalog import CATALOG, KpiParams
from kpi.compute.measures import RESOLUTION_BUSINESS, WAIT_BUSINESS


def _seconds(end: pd.Series, start: pd.Series) -> pd.Series:
    return (end - start).dt.total_seconds().astype("float64")


def prepare_frame(frame: pd.DataFrame, kpi_ids: Iterable[str], params: KpiParams) -> pd.DataFrame:
    """``frame`` plus the derived columns the chosen built-in KPIs read."""
    new: dict[str, pd.Series] = {}
    created = frame["created_at"]
    if "wait_seconds" not in frame and "answered_at" in frame:
        new["wait_seconds"] = _seconds(frame["answered_at"], created)
    if "resolution_seconds" not in frame and "resolved_at" in frame:
        new["resolution_seconds"] = _seconds(frame["resolved_at"], created)
    if "resolved" not in frame and "resolved_at" in frame:
        new["resolved"] = frame["resolved_at"].notna().astype("boolean")
    business = {
        CATALOG[k].variable for k in kpi_ids if k in CATALOG and params.uses_business_hours(k)
    }
    if business:
        from kpi.business_hours import business_seconds

        if "wait" in business:
            new[WAIT_BUSINESS] = business_seconds(
                created, _end(frame, new, "answered_at", "wait_seconds"), params.calendar
            ).astype("float64")
        if "resolution" in business:
            new[RESOLUTION_BUSINESS] = business_seconds(
                created, _end(frame, new, "resolved_at", "resolution_seconds"), params.calendar
            ).astype("float64")
    return frame.assign(**new) if new else frame


def _end(frame: pd.DataFrame, new: dict[str, pd.Series], at: str, seconds: str) -> pd.Series:
    """The end timestamp: the mapped one, else created_at plus the duration."""
    if at in frame:
        return frame[at]
    duration = new.get(seconds, frame[seconds]) if seconds in frame or seconds in new else None
    if duration is None:
        return pd.Series(pd.NaT, index=frame.index, dtype=frame["created_at"].dtype)
    return frame["created_at"] + pd.to_timedelta(duration, unit="s")
