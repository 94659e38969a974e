"""Statistics layer (issue 4): is this change real? See SPEC §6.

Public entry points: :func:`compare`, :func:`compare_frames`, :func:`compare_segments`
(:mod:`kpi.stats.compare`), :func:`verdict`, :func:`test_against_target`, control charts
(:mod:`kpi.stats.control`), trends (:mod:`kpi.stats.trend`) and planning
(:mod:`kpi.stats.power`). statsmodels is imported lazily inside functions (it costs > 1 s).
"""

from __future__ import annotations

from kpi.stats.compare import KpiSpec, adjust, compare, compare_frames, compare_segments
from kpi.stats.results import Comparison, SideSummary
from kpi.stats.verdict import verdict

__all__ = [
    "Comparison",
    "KpiSpec",
    "SideSummary",
    "adjust",
    "compare",
    "compare_frames",
    "compare_segments",
    "verdict",
]
