"""AppTest fixtures: the real pages run in-process, without a browser (helpers in app_support)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from app_support import ROOT, SAMPLE, TIMEOUT_S
from streamlit.testing.v1 import AppTest

from kpi.load import load_dataset


@pytest.fixture(scope="session")
def sample() -> pd.DataFrame:
    """The bundled sample's canonical contacts, loaded once (read-only: expected values)."""
    return load_dataset([(SAMPLE.name, SAMPLE)]).interactions


@pytest.fixture
def new_app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``new_app(locale=None)``: the Overview page (``app.py``) of a fresh session."""
    monkeypatch.delenv("KPI_DEFAULT_DATA", raising=False)

    def make(locale: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
        if locale is not None:
            at.context = {"locale": locale}
        return at

    return make


@pytest.fixture
def data_page(new_app: Callable[..., AppTest]) -> Callable[..., AppTest]:
    """``data_page(locale=None)``: a fresh session opened on the Data page."""

    def make(locale: str | None = None) -> AppTest:
        at = new_app(locale)
        at.switch_page("pages/1_Data.py")
        return at.run()

    return make
