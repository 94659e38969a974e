"""Columns derived in pandas before the query, because SQL cannot derive them portably or fast.

Durations from timestamps when only the timestamps were mapped, ``resolved`` from
``resolved_at``, business-hours durations (``kpi.business_hours.business_seconds``) and the
repeat-contact flag of derived FCR (:func:`repeat_contact`). New columns are added with
``assign`` (a shallow copy under copy-on-write: the caller's frame and its data are not copied
or changed).

The repeat flag depends only on ``created_at``, ``customer_id`` and the window, not on the
buckets, segments or period asked for, so it is computed once per frame and window and cached
(:func:`repeat_flags`): the app asks for many views of one frame.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
import pandas as pd

from kpi.catalog import CATALOG, KpiParams
from kpi.compute.measures import REPEAT, RESOLUTION_BUSINESS, WAIT_BUSINESS

#: Frames whose repeat flags are kept (each costs one byte per row and window).
CACHE_SIZE = 4


def _seconds(end: pd.Series, start: pd.Series) -> pd.Series:
    return (end - start).dt.total_seconds().astype("float64")


def needs_repeat_flag(frame: pd.DataFrame, kpi_ids: Iterable[str]) -> bool:
    """Whether FCR is asked for and must be derived from repeat contacts (no flag given)."""
    return "fcr_rate" in kpi_ids and "first_contact_resolution" not in frame


def prepare_frame(frame: pd.DataFrame, kpi_ids: Iterable[str], params: KpiParams) -> pd.DataFrame:
    """``frame`` plus the derived columns the chosen built-in KPIs read."""
    kpi_ids = list(kpi_ids)
    new: dict[str, pd.Series | np.ndarray] = {}
    created = frame["created_at"]
    if "wait_seconds" not in frame and "answered_at" in frame:
        new["wait_seconds"] = _seconds(frame["answered_at"], created)
    if "resolution_seconds" not in frame and "resolved_at" in frame:
        new["resolution_seconds"] = _seconds(frame["resolved_at"], created)
    if "resolved" not in frame and "resolved_at" in frame:
        new["resolved"] = frame["resolved_at"].notna().astype("boolean")
    if needs_repeat_flag(frame, kpi_ids) and "customer_id" in frame:
        new[REPEAT] = repeat_flags(frame, params.fcr_window_days)
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


def _end(frame: pd.DataFrame, new: dict[str, pd.Series | np.ndarray], at: str, seconds: str
         ) -> pd.Series:
    """The end timestamp: the mapped one, else created_at plus the duration."""
    if at in frame:
        return frame[at]
    duration = new.get(seconds, frame[seconds]) if seconds in frame or seconds in new else None
    if duration is None:
        return pd.Series(pd.NaT, index=frame.index, dtype=frame["created_at"].dtype)
    return frame["created_at"] + pd.to_timedelta(duration, unit="s")


def repeat_contact(created_at: pd.Series, customer_id: pd.Series, window_days: int
                   ) -> np.ndarray:
    """True where the same customer has another contact in ``(t, t + window_days days]``.

    Contacts at the same instant are not repeats of each other; rows without a customer or a
    time are never repeats and never count as one. Vectorised: one sort by (customer, time),
    then each contact looks at the first later instant of its customer.
    """
    stamps = pd.DatetimeIndex(created_at)
    if stamps.tz is not None:
        stamps = stamps.tz_convert(None)  # UTC wall time: a day is 24 h, as in SQL intervals
    ticks = stamps.asi8
    window = np.timedelta64(window_days, "D").astype(f"timedelta64[{stamps.unit}]").astype("int64")
    codes, _ = pd.factorize(customer_id, use_na_sentinel=True)
    rows = np.flatnonzero((codes >= 0) & ~stamps.isna())
    order = rows[np.lexsort((ticks[rows], codes[rows]))]
    customer, time = codes[order], ticks[order]
    repeat = np.zeros(len(created_at), dtype=bool)
    if len(order) == 0:
        return repeat
    # Runs of equal (customer, time); a contact's first later instant starts the next run.
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (customer[1:] != customer[:-1]) | (time[1:] != time[:-1])
    run_starts = np.flatnonzero(starts)
    following = np.append(run_starts[1:], len(order))[np.cumsum(starts) - 1]
    has_next = following < len(order)
    nxt = np.where(has_next, following, 0)
    repeat[order] = has_next & (customer[nxt] == customer) & (time[nxt] - time <= window)
    return repeat


class _Entry:
    """One cached flag, valid while the frame and its two source columns are the same."""

    def __init__(self, frame: pd.DataFrame, flags: np.ndarray) -> None:
        self.frame = weakref.ref(frame)
        self.sources = _sources(frame)
        self.flags = flags

    def valid_for(self, frame: pd.DataFrame) -> bool:
        if self.frame() is not frame:
            return False
        return all(_same_values(a, b) for a, b in zip(self.sources, _sources(frame), strict=True))


_CACHE: OrderedDict[tuple[int, int], _Entry] = OrderedDict()
_LOCK = threading.Lock()  # Streamlit sessions run in threads


def _sources(frame: pd.DataFrame) -> tuple[object, ...]:
    return (frame["created_at"].array, frame["customer_id"].array, len(frame))


def _same_values(a: object, b: object) -> bool:
    """The same data: the same array object, or datetime arrays viewing the same memory."""
    if a is b or (isinstance(a, int) and a == b):
        return True
    if not (isinstance(a, pd.arrays.DatetimeArray) and isinstance(b, pd.arrays.DatetimeArray)):
        return False
    left, right = a.view("i8"), b.view("i8")  # numpy views of the data, no copy
    return (left.dtype == right.dtype and left.shape == right.shape
            and left.__array_interface__ == right.__array_interface__)


def repeat_flags(frame: pd.DataFrame, window_days: int) -> np.ndarray:
    """:func:`repeat_contact` of ``frame``, cached per frame and window (read-only array).

    The cache holds the last :data:`CACHE_SIZE` results, forgets a frame when it is garbage
    collected, and recomputes when ``created_at`` or ``customer_id`` was replaced. Frames are
    treated as immutable otherwise: after editing single values in place, call
    :func:`clear_cache`.
    """
    key = (id(frame), window_days)
    with _LOCK:
        entry = _CACHE.get(key)
        if entry is not None and entry.valid_for(frame):
            _CACHE.move_to_end(key)
            return entry.flags
    flags = repeat_contact(frame["created_at"], frame["customer_id"], window_days)
    flags.flags.writeable = False
    with _LOCK:
        _CACHE[key] = _Entry(frame, flags)
        _CACHE.move_to_end(key)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    weakref.finalize(frame, _forget, key)
    return flags


def _forget(key: tuple[int, int]) -> None:
    with _LOCK:
        _CACHE.pop(key, None)


def clear_cache() -> None:
    """Forget every cached derived column."""
    with _LOCK:
        _CACHE.clear()
