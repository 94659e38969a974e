"""Percentiles: percentile-bootstrap interval and p-value of a difference of quantiles.

scipy's ``bootstrap`` with BCa returns NaN on tied data (durations in whole seconds are full of
ties), so we use the percentile method, B = 10,000 with a fixed seed (SPEC §6).

Resampling is done on counts, not rows: a resample of ``n`` values is a multinomial draw of how
often each distinct value appears, and its quantile (numpy's linear interpolation) is read from
the cumulative counts. Distinct values far outside the quantile's sampling range (beyond ±6
standard errors of its rank) are lumped into one bin on each side, and when more than
``MAX_BINS`` distinct values remain, runs of neighbours are merged (at their middle value). Cost
is therefore ``B × bins`` whatever the number of rows, so 5M-row periods bootstrap in seconds.

p-value: the percentile interval inverted, ``p = min(1, 2·min(1 + #{d* ≤ 0}, 1 + #{d* ≥ 0}) /
(B + 1))`` with ``d*`` the bootstrap differences.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from kpi.stats.results import ALPHA, TestOutcome

RESAMPLES = 10_000
SEED = 20_260_401
MAX_BINS = 256
_CHUNK = 1_000


def min_n_for_quantile(q: float) -> int:
    """Fewest values a side needs for quantile ``q``: 36 for the 90th percentile."""
    return math.ceil(3.6 / min(q, 1 - q) - 1e-9)


def _clean(values: Sequence[float]) -> np.ndarray:
    a = np.asarray(values, dtype=float)
    return a[np.isfinite(a)]


def _bins(values: np.ndarray, q: float) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values (lumped outside the quantile's range) and their counts."""
    uniq, counts = np.unique(values, return_counts=True)
    n = len(values)
    spread = 6 * math.sqrt(q * (1 - q) / n) + 2 / n
    before = (np.cumsum(counts) - counts) / n
    after = np.cumsum(counts) / n
    keep = (after >= q - spread) & (before <= q + spread)
    first, last = int(np.argmax(keep)), int(len(keep) - 1 - np.argmax(keep[::-1]))
    values_out = [uniq[first:last + 1]]
    counts_out = [counts[first:last + 1]]
    if first > 0:  # everything below stands at the largest value below the window
        values_out.insert(0, uniq[first - 1:first])
        counts_out.insert(0, np.array([counts[:first].sum()]))
    if last < len(uniq) - 1:
        values_out.append(uniq[last + 1:last + 2])
        counts_out.append(np.array([counts[last + 1:].sum()]))
    v, c = np.concatenate(values_out), np.concatenate(counts_out)
    if len(v) > MAX_BINS:
        group = np.arange(len(v)) * MAX_BINS // len(v)
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        c_grouped = np.add.reduceat(c, starts)
        middle = np.add.reduceat(np.arange(len(v)), starts) // np.diff(np.r_[starts, len(v)])
        v, c = v[middle], c_grouped
    return v, c


def bootstrap_quantiles(
    values: Sequence[float], q: float, rng: np.random.Generator, resamples: int = RESAMPLES
) -> np.ndarray:
    """``resamples`` bootstrap replicates of the linear-interpolation ``q`` quantile."""
    data = _clean(values)
    n = len(data)
    v, c = _bins(data, q)
    h = (n - 1) * q
    low_rank = math.floor(h)
    frac = h - low_rank
    high_rank = min(low_rank + 1, n - 1)
    out = np.empty(resamples)
    for start in range(0, resamples, _CHUNK):
        size = min(_CHUNK, resamples - start)
        draws = rng.multinomial(n, c / n, size=size)
        cumulative = np.cumsum(draws, axis=1)
        i_low = (cumulative <= low_rank).sum(axis=1)
        i_high = (cumulative <= high_rank).sum(axis=1)
        out[start:start + size] = v[i_low] + frac * (v[i_high] - v[i_low])
    return out


def compare_quantiles(
    baseline: Sequence[float],
    current: Sequence[float],
    q: float = 0.9,
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> TestOutcome:
    """Percentile-bootstrap comparison of the ``q`` quantile (current − baseline)."""
    a, b = _clean(baseline), _clean(current)
    if len(a) == 0 or len(b) == 0:
        return TestOutcome("bootstrap_percentile", "interaction", None, code="empty_period")
    difference = float(np.quantile(b, q) - np.quantile(a, q))
    if min(len(a), len(b)) < min_n_for_quantile(q):
        return TestOutcome(
            "bootstrap_percentile", "interaction", difference, code="too_few_for_p90"
        )
    if np.ptp(np.concatenate([a, b])) == 0:
        return TestOutcome("bootstrap_percentile", "interaction", difference, code="all_same")
    rng = np.random.default_rng(seed)
    diffs = bootstrap_quantiles(b, q, rng, resamples) - bootstrap_quantiles(a, q, rng, resamples)
    low, high = np.quantile(diffs, [ALPHA / 2, 1 - ALPHA / 2])
    below, above = int((diffs <= 0).sum()), int((diffs >= 0).sum())
    p_value = min(1.0, 2 * min(below + 1, above + 1) / (resamples + 1))
    se = float(np.std(diffs, ddof=1))
    if se == 0:
        return TestOutcome("bootstrap_percentile", "interaction", difference, code="zero_variance")
    return TestOutcome(
        "bootstrap_percentile", "interaction", difference, float(low), float(high), p_value,
        se=se,
    )
