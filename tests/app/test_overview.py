"""The Overview page (app.py): empty state, one-click sample, language, KPI_DEFAULT_DATA."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from app_support import ROOT, texts
from streamlit.testing.v1 import AppTest

SAMPLE = ROOT / "sample_data" / "contacts.csv"


@pytest.fixture(scope="module")
def sample_facts() -> dict[str, object]:
    """Rows, first/last day and channels of the bundled sample, read with plain pandas."""
    raw = pd.read_csv(SAMPLE, dtype="str")
    created = pd.to_datetime(raw["Created At"])
    return {
        "rows": len(raw),
        "first": created.min(),
        "last": created.max(),
        "channels": set(raw["Channel"].str.lower()),
    }


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, [m.label for m in at.metric]
    return values[0]


def summary_lines(at: AppTest) -> dict[str, str]:
    """``**Label:** value`` lines of the dataset summary, as a dict."""
    lines = [line.strip() for m in at.markdown for line in m.value.splitlines()]
    pairs = [line.removeprefix("**").split(":** ", 1) for line in lines if ":** " in line]
    return dict(pairs)


def test_empty_state_explains_the_flow_and_offers_the_sample(
    new_app: Callable[..., AppTest],
) -> None:
    at = new_app().run()
    assert not at.exception
    assert at.title[0].value == "Customer-service KPI workbench"
    flow = "\n".join(m.value for m in at.markdown)
    steps = ["**Data**", "**KPIs**", "**Targets**", "**Trends**", "**Changes**", "**Report**"]
    positions = [flow.index(step) for step in steps]
    assert positions == sorted(positions)
    assert at.button(key="overview_sample").label == "Try it with sample data"
    assert "No data loaded yet" in "\n".join(c.value for c in at.sidebar.caption)
    assert at.session_state["kpi:lang"] == "en"


def test_one_click_sample_shows_the_summary(
    new_app: Callable[..., AppTest], sample_facts: dict[str, object]
) -> None:
    at = new_app().run()
    at.button(key="overview_sample").click().run()
    assert not at.exception
    rows = sample_facts["rows"]
    first, last = sample_facts["first"], sample_facts["last"]
    assert metric(at, "Contacts") == f"{rows:,}"
    expected_range = f"{first:%b} {first.day}, {first.year} to {last:%b} {last.day}, {last.year}"
    summary = summary_lines(at)
    assert summary["Date range"] == expected_range
    assert set(summary["Channels"].split(", ")) == sample_facts["channels"]
    assert summary["Data check"] == f"{rows:,} of {rows:,} rows kept; no problems found."
    assert "overview_sample" not in [b.key for b in at.button]
    status = "\n".join(c.value for c in at.sidebar.caption)
    assert f"Sample data: {rows:,} contacts" in status


def test_portuguese_browser_gets_portuguese_text_and_numbers(
    new_app: Callable[..., AppTest], sample_facts: dict[str, object]
) -> None:
    at = new_app(locale="pt-BR").run()
    assert at.title[0].value == "Painel de KPIs de atendimento"
    assert at.button(key="overview_sample").label == "Experimentar com dados de exemplo"
    at.button(key="overview_sample").click().run()
    assert not at.exception
    rows = sample_facts["rows"]
    assert metric(at, "Contatos") == f"{rows:,}".replace(",", ".")
    assert "Dados carregados" in texts(at)


def test_language_switch_overrides_the_browser(new_app: Callable[..., AppTest]) -> None:
    at = new_app(locale="en-US").run()
    assert at.title[0].value == "Customer-service KPI workbench"
    at.radio(key="ui_lang_switch").set_value("pt").run()
    assert not at.exception
    assert at.title[0].value == "Painel de KPIs de atendimento"
    labels = [link.label for link in at.sidebar.get("page_link")]
    assert labels[:2] == ["Visão geral", "Dados"]
    at.run()  # the choice sticks on later runs
    assert at.title[0].value == "Painel de KPIs de atendimento"


def test_default_data_env_loads_the_sample_at_start(
    new_app: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
    sample_facts: dict[str, object],
) -> None:
    at = new_app()
    monkeypatch.setenv("KPI_DEFAULT_DATA", "sample_data/contacts.csv")
    at.run()
    assert not at.exception
    assert metric(at, "Contacts") == f"{sample_facts['rows']:,}"
    source = at.session_state["kpi:source"]
    assert source.is_sample
    assert source.names == ("contacts.csv", "contacts_activity.csv", "contacts_forecast.csv")


def test_missing_default_data_is_one_warning(
    new_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = new_app()
    monkeypatch.setenv("KPI_DEFAULT_DATA", "sample_data/nope.csv")
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "The default data file sample_data/nope.csv does not exist; load data on the Data page."
    ]
