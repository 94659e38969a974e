"""Helpers of the AppTest flows."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 60.0


def texts(at: AppTest) -> str:
    """Every title, header, markdown, caption and alert of the last run, one per line."""
    parts = [
        *(e.value for e in at.title),
        *(e.value for e in at.subheader),
        *(e.value for e in at.markdown),
        *(e.value for e in at.caption),
        *(e.value for e in at.info),
        *(e.value for e in at.success),
        *(e.value for e in at.warning),
        *(e.value for e in at.error),
    ]
    return "\n".join(str(p) for p in parts)
