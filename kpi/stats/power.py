"""Planning: the minimum detectable change for given volumes, and the volumes a change needs.

Two-sided test at α = 0.05 with power 0.8, normal approximation: ``mde = (z₁₋α/₂ + z_power) ·
SE`` with ``SE = σ √(1/n₁ + 1/n₂)`` (σ² = p(1 − p) for a proportion). It agrees with
statsmodels' ``NormalIndPower`` (which also counts the far tail, a negligible term).
"""

from __future__ import annotations

import math

from scipy import stats as sps

from kpi.stats.results import ALPHA

POWER = 0.8


def multiplier(alpha: float = ALPHA, power: float = POWER, df: float | None = None) -> float:
    """``q₁₋α/₂ + q_power`` of the normal (or of Student's t with ``df``)."""
    dist = sps.norm() if df is None or not math.isfinite(df) else sps.t(df)
    return float(dist.ppf(1 - alpha / 2) + dist.ppf(power))


def mde_from_se(
    se: float | None, *, df: float | None = None, alpha: float = ALPHA, power: float = POWER
) -> float | None:
    """Smallest true change detected with ``power`` given the standard error of the difference."""
    if se is None or not math.isfinite(se) or se <= 0:
        return None
    return multiplier(alpha, power, df) * se


def proportion_sd(rate: float) -> float:
    """Per-contact standard deviation of a 0/1 outcome at ``rate``."""
    return math.sqrt(rate * (1 - rate))


def minimum_detectable_change(
    sd: float, n_baseline: float, n_current: float, *, alpha: float = ALPHA, power: float = POWER
) -> float | None:
    """Minimum detectable change of a mean (or of a proportion with ``sd = √(p(1−p))``)."""
    if n_baseline <= 0 or n_current <= 0 or sd <= 0:
        return None
    return mde_from_se(sd * math.sqrt(1 / n_baseline + 1 / n_current), alpha=alpha, power=power)


def n_per_side(
    sd: float, change: float, *, alpha: float = ALPHA, power: float = POWER
) -> int | None:
    """Contacts (or ratings) each period needs to detect ``change`` (equal sizes)."""
    if change == 0 or sd <= 0:
        return None
    return math.ceil(2 * (multiplier(alpha, power) * sd / abs(change)) ** 2)


def periods_needed(
    sd: float, change: float, per_period: float, *, alpha: float = ALPHA, power: float = POWER
) -> int | None:
    """Periods (e.g. weeks) of ``per_period`` volume each side needs to detect ``change``."""
    n = n_per_side(sd, change, alpha=alpha, power=power)
    if n is None or per_period <= 0:
        return None
    return math.ceil(n / per_period)
