"""Control charts: Laney p′ for daily proportions, individuals (XmR) for daily means.

Limits come from a chosen baseline range; every point (baseline or not) is then checked
against the Western Electric rules, numbered as in the Western Electric handbook (1956):

1. one point beyond 3σ;
2. 2 of 3 consecutive points beyond 2σ on the same side;
3. 4 of 5 consecutive points beyond 1σ on the same side;
4. 8 consecutive points on the same side of the centre line.

A point is flagged for rules 2 and 3 when it completes the pattern and is itself beyond the
zone (the first points of a series count with the points they have: two points beyond 2σ
at the start break rule 2); for rule 4 when it is the 8th (or later) of the run.

Laney (2002): ``z_i = (p_i − p̄) / σ_pi`` with ``σ_pi = √(p̄(1 − p̄)/n_i)``, ``σ_z`` = mean
moving range of ``z`` / 1.128, limits ``p̄ ± 3 σ_pi σ_z``; it widens p-chart limits for
between-day variation (overdispersion).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from kpi.stats.results import Code

D2 = 1.128  # bias constant of the moving range of two points
ChartKind = Literal["laney_p", "xmr"]


@dataclass(frozen=True)
class ControlChart:
    """A chart's tidy frame (one row per period) and its parameters; ``code`` when degenerate.

    Frame columns: ``period, value, n, center, lower, upper, sigma, score, in_baseline,
    rule`` (lowest rule broken, or 0), ``rules`` (e.g. ``"1,4"``), ``flagged``.
    """

    kind: ChartKind
    frame: pd.DataFrame
    center: float | None
    sigma_z: float | None = None
    code: Code | None = None


def western_electric(scores: Sequence[float]) -> list[tuple[int, ...]]:
    """The rules (1–4) each standardised point breaks, in order."""
    s = pd.Series(np.asarray(scores, dtype=float))
    broken: list[list[int]] = [[] for _ in range(len(s))]

    def count(mask: pd.Series, window: int, complete: bool = False) -> np.ndarray:
        rolling = mask.astype(float).rolling(window, min_periods=window if complete else 1)
        return rolling.sum().to_numpy()

    checks = {
        1: (s.abs() > 3).to_numpy(),
        2: ((count(s > 2, 3) >= 2) & (s > 2).to_numpy())
        | ((count(s < -2, 3) >= 2) & (s < -2).to_numpy()),
        3: ((count(s > 1, 5) >= 4) & (s > 1).to_numpy())
        | ((count(s < -1, 5) >= 4) & (s < -1).to_numpy()),
        4: (count(s > 0, 8, True) == 8) | (count(s < 0, 8, True) == 8),
    }
    for rule, hits in checks.items():
        for i in np.flatnonzero(hits):
            broken[i].append(rule)
    return [tuple(r) for r in broken]


def _baseline_mask(periods: pd.Series, baseline: tuple[object, object] | None) -> np.ndarray:
    if baseline is None:
        return np.ones(len(periods), dtype=bool)
    dates = pd.to_datetime(periods)
    return ((dates >= pd.Timestamp(baseline[0])) & (dates <= pd.Timestamp(baseline[1]))).to_numpy()


def _finish(kind: ChartKind, frame: pd.DataFrame, center: float | None,
            sigma: np.ndarray | None, sigma_z: float | None = None,
            code: Code | None = None, bounds: tuple[float, float] | None = None) -> ControlChart:
    if code is not None or sigma is None or center is None:
        frame = frame.assign(center=center, lower=np.nan, upper=np.nan, sigma=np.nan,
                             score=np.nan, rule=0, rules="", flagged=False)
        return ControlChart(kind, frame, center, sigma_z, code)
    lower, upper = center - 3 * sigma, center + 3 * sigma
    if bounds is not None:
        lower, upper = np.clip(lower, *bounds), np.clip(upper, *bounds)
    score = (frame["value"].to_numpy(float) - center) / sigma
    rules = western_electric(score)
    frame = frame.assign(
        center=center, lower=lower, upper=upper, sigma=sigma, score=score,
        rule=[min(r) if r else 0 for r in rules],
        rules=[",".join(map(str, r)) for r in rules],
        flagged=[bool(r) for r in rules],
    )
    return ControlChart(kind, frame, center, sigma_z, None)


def laney_p_chart(
    periods: Sequence[object], events: Sequence[float], totals: Sequence[float],
    baseline: tuple[object, object] | None = None,
) -> ControlChart:
    """Laney p′ chart of ``events / totals`` per period, limits from the ``baseline`` range."""
    frame = pd.DataFrame({"period": list(periods), "events": np.asarray(events, float),
                          "n": np.asarray(totals, float)})
    frame = frame[frame["n"] > 0].reset_index(drop=True)
    frame["value"] = frame["events"] / frame["n"]
    frame["in_baseline"] = _baseline_mask(frame["period"], baseline)
    base = frame[frame["in_baseline"]]
    if len(base) < 2:
        return _finish("laney_p", frame, None, None, code="not_enough_data")
    p_bar = float(base["events"].sum() / base["n"].sum())
    if p_bar in (0.0, 1.0):
        return _finish("laney_p", frame, p_bar, None, code="boundary")
    sigma_p = np.sqrt(p_bar * (1 - p_bar) / frame["n"].to_numpy())
    z = (frame["value"].to_numpy() - p_bar) / sigma_p
    z_base = z[frame["in_baseline"].to_numpy()]
    sigma_z = float(np.mean(np.abs(np.diff(z_base))) / D2)
    if sigma_z == 0:
        return _finish("laney_p", frame, p_bar, None, sigma_z, code="zero_variance")
    return _finish("laney_p", frame, p_bar, sigma_p * sigma_z, sigma_z, bounds=(0.0, 1.0))


def xmr_chart(
    periods: Sequence[object], values: Sequence[float],
    baseline: tuple[object, object] | None = None, n: Sequence[float] | None = None,
) -> ControlChart:
    """Individuals (XmR) chart of daily values, limits ``x̄ ± 3 MR̄/1.128`` from the baseline."""
    frame = pd.DataFrame({"period": list(periods), "value": np.asarray(values, float)})
    frame["n"] = np.asarray(n, float) if n is not None else np.nan
    frame = frame[np.isfinite(frame["value"])].reset_index(drop=True)
    frame["in_baseline"] = _baseline_mask(frame["period"], baseline)
    base = frame.loc[frame["in_baseline"], "value"].to_numpy()
    if len(base) < 2:
        return _finish("xmr", frame, None, None, code="not_enough_data")
    center = float(base.mean())
    sigma = float(np.mean(np.abs(np.diff(base))) / D2)
    if sigma == 0:
        return _finish("xmr", frame, center, None, code="zero_variance")
    return _finish("xmr", frame, center, np.full(len(frame), sigma))
