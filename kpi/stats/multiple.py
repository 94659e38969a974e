"""Multiple testing: Benjamini–Hochberg adjusted p-values (false discovery rate)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats as sps


def benjamini_hochberg(p_values: Sequence[float | None]) -> list[float | None]:
    """BH-adjusted p-values in the input order; ``None`` (no test) stays ``None``, uncounted."""
    present = [i for i, p in enumerate(p_values) if p is not None]
    adjusted: list[float | None] = [None] * len(p_values)
    if not present:
        return adjusted
    values = np.array([p_values[i] for i in present], dtype=float)
    for i, p in zip(present, sps.false_discovery_control(values, method="bh"), strict=True):
        adjusted[i] = float(p)
    return adjusted
