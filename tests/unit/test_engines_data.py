"""Shared data of the engine tests (no tests here): ~5k rows, every KPI, edge rows."""

from __future__ import annotations

import io
from functools import cache

import numpy as np
import pandas as pd

from kpi.catalog import available_kpis
from kpi.load import Dataset, load_dataset
from kpi.sample import generate


@cache
def dataset() -> Dataset:
    """Sample interactions, activity and forecast (CSV), loaded as the app loads them."""
    sample = generate(5000, seed=7, days=56)
    files = []
    for name, table in (("i.csv", sample.interactions), ("i_activity.csv", sample.activity),
                        ("i_forecast.csv", sample.forecast)):
        buffer = io.BytesIO()
        table.to_csv(buffer, index=False)
        files.append((name, buffer.getvalue()))
    return load_dataset(files)


def with_edges(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` plus edge rows: same-instant ties, a repeat exactly at the 7-day edge and one
    just past it, a contact without customer, a segment with one all-missing contact."""
    first = frame.iloc[[0]]
    t = pd.Timestamp(frame["created_at"].min()) + pd.Timedelta(days=10, hours=3)
    edge = pd.concat([first] * 7, ignore_index=True)
    edge["interaction_id"] = [f"edge-{i}" for i in range(7)]
    edge["customer_id"] = ["edge-a", "edge-a", "edge-a", "edge-b", "edge-b", None, "edge-c"]
    edge["created_at"] = [t, t, t + pd.Timedelta(days=7), t, t + pd.Timedelta(days=7, seconds=1),
                          t, t]
    edge["created_at"] = edge["created_at"].astype(frame["created_at"].dtype)
    edge["resolved"] = pd.array([True, True, True, True, True, True, None], dtype="boolean")
    edge["abandoned"] = pd.array([False] * 6 + [None], dtype="boolean")
    edge["channel"] = ["chat"] * 6 + ["fax"]
    for name in ("wait_seconds", "handle_seconds", "csat", "nps", "cost"):
        values = edge[name].to_numpy(dtype="float64", na_value=np.nan, copy=True)
        values[6] = np.nan
        edge[name] = values
    edge.loc[0, "wait_seconds"] = 0.0
    return pd.concat([frame, edge], ignore_index=True)


@cache
def interactions(derived_fcr: bool) -> pd.DataFrame:
    """The interactions with edges; without the FCR flag when FCR must be derived."""
    frame = with_edges(dataset().interactions)
    return frame.drop(columns=["first_contact_resolution"]) if derived_fcr else frame


def every_kpi(frame: pd.DataFrame) -> list[str]:
    data = dataset()
    return list(available_kpis(frame.columns, has_activity=data.activity is not None,
                               has_forecast=data.forecast is not None))
