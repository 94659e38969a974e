"""Helpers of the AppTest flows."""

from __future__ import annotations

from collections.abc import Callable
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


SAMPLE = ROOT / "sample_data" / "contacts.csv"


def opener(page: str, monkeypatch: object) -> Callable[..., AppTest]:
    """``open(data=SAMPLE, locale=None)``: a fresh session on ``page`` (see open_session)."""

    def make(data: Path | None = SAMPLE, locale: str | None = None) -> AppTest:
        return open_session(page, monkeypatch, data=data, locale=locale)

    return make


def open_session(page: str, monkeypatch: object, *, data: Path | None = SAMPLE,
                 locale: str | None = None, timeout: float = 120) -> AppTest:
    """A fresh session on ``page`` (e.g. ``pages/4_Trends.py``) that has run once.

    ``data`` becomes ``KPI_DEFAULT_DATA`` (None: start without data); ``locale`` is the
    browser's (e.g. ``"pt-BR"``).
    """
    if data is None:
        monkeypatch.delenv("KPI_DEFAULT_DATA", raising=False)  # type: ignore[attr-defined]
    else:
        monkeypatch.setenv("KPI_DEFAULT_DATA", str(data))  # type: ignore[attr-defined]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if locale is not None:
        at.context = {"locale": locale}
    at.switch_page(page)
    return at.run()
