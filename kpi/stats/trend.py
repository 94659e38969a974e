"""Trends over buckets: Mann–Kendall test (tie-corrected) and Sen's slope with its interval.

``S = Σ_{i<j} sign(x_j − x_i)``; ``Var S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18`` over groups
of ``t`` tied values; ``Z = (S − sign S) / √Var S``. Sen's slope is the median of the pairwise
slopes; its 95 % interval takes the ranks ``(N ∓ z√Var S) / 2`` of the sorted slopes (Gilbert
1987, rounded as in ``scipy.stats.theilslopes``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from babel.dates import format_skeleton
from scipy import stats as sps

from kpi.i18n import normalise_lang, translate
from kpi.stats.results import ALPHA, Code, ValueFormat

MIN_PERIODS = 5
Per = Literal["day", "week", "month"]


@dataclass(frozen=True)
class Trend:
    """Mann–Kendall and Sen's slope (per unit of ``times``) of a series."""

    n: int
    s: int | None
    var_s: float | None
    z: float | None
    p_value: float | None
    slope: float | None
    slope_low: float | None
    slope_high: float | None
    code: Code | None = None

    @property
    def direction(self) -> Literal["rising", "falling"] | None:
        """The significant direction (p < 0.05), else None."""
        if self.p_value is None or self.p_value >= ALPHA or not self.s:
            return None
        return "rising" if self.s > 0 else "falling"


def mann_kendall(values: Sequence[float], times: Sequence[float] | None = None) -> Trend:
    """Mann–Kendall trend test and Sen's slope; ``times`` default to 0, 1, 2, …"""
    y = np.asarray(values, dtype=float)
    t = np.arange(len(y), dtype=float) if times is None else np.asarray(times, dtype=float)
    keep = np.isfinite(y) & np.isfinite(t)
    y, t = y[keep], t[keep]
    n = len(y)
    if n < MIN_PERIODS:
        return Trend(n, None, None, None, None, None, None, None, "not_enough_data")
    i, j = np.triu_indices(n, k=1)
    s = int(np.sign(y[j] - y[i]).sum())
    _, ties = np.unique(y, return_counts=True)
    var_s = float((n * (n - 1) * (2 * n + 5) - (ties * (ties - 1) * (2 * ties + 5)).sum()) / 18)
    dt_ = t[j] - t[i]
    slopes = np.sort((y[j] - y[i])[dt_ != 0] / dt_[dt_ != 0])
    slope = float(np.median(slopes))
    if var_s <= 0:
        return Trend(n, s, var_s, None, None, slope, None, None, "all_same")
    z = (s - np.sign(s)) / math.sqrt(var_s)
    p_value = float(2 * sps.norm.sf(abs(z)))
    c = sps.norm.ppf(1 - ALPHA / 2) * math.sqrt(var_s)
    count = len(slopes)
    upper_rank = min(round((count + c) / 2), count - 1)
    lower_rank = max(round((count - c) / 2) - 1, 0)
    return Trend(n, s, var_s, float(z), p_value, slope, float(slopes[lower_rank]),
                 float(slopes[upper_rank]))


def trend_sentence(
    trend: Trend, label: str, start: dt.date, per: Per = "week",
    value_format: ValueFormat = "number", lang: str | None = "en",
) -> str:
    """E.g. "Abandonment has been rising by 0.3 points a week since March 2026 (p = 0.002)"."""
    from kpi.stats.verdict import format_change, format_p

    if trend.code == "not_enough_data":
        return translate("stats.trend.too_short", lang, label=label, min_n=MIN_PERIODS) + "."
    locale = "pt_BR" if normalise_lang(lang) == "pt" else "en_US"
    since = format_skeleton("yMMMM", start, locale=locale)
    p = format_p(trend.p_value, lang) if trend.p_value is not None else "—"
    direction = trend.direction
    if direction is None or trend.slope is None:
        return translate("stats.trend.none", lang, label=label, start=since, p=p) + "."
    slope = format_change(abs(trend.slope), value_format, lang, signed=False)
    per_text = translate(f"stats.per.{per}", lang)
    return translate(f"stats.trend.{direction}", lang, label=label, slope=slope, per=per_text,
                     start=since, p=p) + "."
