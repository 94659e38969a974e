"""Sufficient statistics: what the compute layer produces and the statistics layer consumes.

Every KPI except counts, totals and percentiles is a *ratio of sums* ``Σy / Σx`` over units
(interactions, days or agent-days), following gbstats' shape (STYLE.md):

* a proportion is the mean of a 0/1 ``y`` with ``x = 1``;
* a mean (wait, handle time, CSAT) is ``Σy / n`` with ``x = 1``;
* NPS is the mean of ``y`` in {-100, 0, 100} (promoter, passive, detractor), so
  ``sum_y2 / n / 100²`` is ``p_P + p_D`` and the per-respondent variance is ``p_P + p_D − NPS²``;
* occupancy, cost per contact, contacts per hour are true ratios with ``x`` the denominator.

``n, sum_y, sum_y2, sum_x, sum_x2, sum_xy`` per (bucket × segment × KPI) are enough for the
interaction-level tests (variances within a bucket), and the same per *day* are enough for the
day-unit delta method (variances across days). These are the columns of the *statistics frame*
returned by :mod:`kpi.compute`:

``period, [segment columns...], kpi, n, sum_y, sum_y2, sum_x, sum_x2, sum_xy, value, reason``
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields

STAT_COLUMNS: tuple[str, ...] = ("n", "sum_y", "sum_y2", "sum_x", "sum_x2", "sum_xy")


@dataclass(frozen=True)
class RatioStatistic:
    """Sums over ``n`` units of ``y``, ``y²``, ``x``, ``x²`` and ``x·y``; add two to pool them."""

    n: int
    sum_y: float
    sum_y2: float
    sum_x: float
    sum_x2: float
    sum_xy: float

    @classmethod
    def of_values(
        cls, y: Sequence[float], x: Sequence[float] | None = None
    ) -> RatioStatistic:
        """Build from raw unit values (``x`` defaults to 1 per unit); handy in tests."""
        xs = [1.0] * len(y) if x is None else list(x)
        return cls(
            n=len(y),
            sum_y=float(sum(y)),
            sum_y2=float(sum(v * v for v in y)),
            sum_x=float(sum(xs)),
            sum_x2=float(sum(v * v for v in xs)),
            sum_xy=float(sum(a * b for a, b in zip(y, xs, strict=True))),
        )

    @classmethod
    def from_row(cls, row: object) -> RatioStatistic:
        """Build from a row (mapping or namedtuple) of a statistics frame."""
        get = row.__getitem__ if hasattr(row, "__getitem__") else lambda k: getattr(row, k)
        return cls(
            n=int(get("n")),
            **{f.name: float(get(f.name)) for f in fields(cls) if f.name != "n"},
        )

    def __add__(self, other: RatioStatistic) -> RatioStatistic:
        return RatioStatistic(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(self))
        )

    @property
    def ratio(self) -> float | None:
        """``Σy / Σx``, or None when the denominator is zero."""
        return self.sum_y / self.sum_x if self.sum_x else None

    @property
    def mean_y(self) -> float | None:
        return self.sum_y / self.n if self.n else None

    @property
    def mean_x(self) -> float | None:
        return self.sum_x / self.n if self.n else None

    @property
    def var_y(self) -> float | None:
        """Sample variance of ``y`` over units (ddof 1); None with fewer than two units."""
        return _sample_var(self.n, self.sum_y, self.sum_y2)

    @property
    def var_x(self) -> float | None:
        return _sample_var(self.n, self.sum_x, self.sum_x2)

    @property
    def cov_xy(self) -> float | None:
        if self.n < 2:
            return None
        return (self.sum_xy - self.sum_x * self.sum_y / self.n) / (self.n - 1)

    @property
    def ratio_variance(self) -> float | None:
        """Delta-method variance of ``Σy/Σx`` treating units as i.i.d. draws of ``(y, x)``.

        ``Var(ȳ/x̄) ≈ (Var y − 2r Cov(x,y) + r² Var x) / (n · x̄²)`` with ``r = ȳ/x̄``.
        """
        r, mx = self.ratio, self.mean_x
        vy, vx, cxy = self.var_y, self.var_x, self.cov_xy
        if r is None or mx is None or vy is None or vx is None or cxy is None or mx == 0:
            return None
        v = (vy - 2 * r * cxy + r * r * vx) / (self.n * mx * mx)
        return max(v, 0.0)


def _sample_var(n: int, s: float, s2: float) -> float | None:
    if n < 2:
        return None
    v = (s2 - s * s / n) / (n - 1)
    # Sums of squares lose precision on near-constant data; clamp the rounding residue.
    return 0.0 if v < 0 or math.isclose(v, 0.0, abs_tol=1e-12 * max(1.0, abs(s2) / n)) else v
