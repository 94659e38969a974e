"""The Changes page: periods, change date, segments, unit check — on the bundled sample's story
(a chatbot launched on Mon 2026-04-06), in English and Português."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from app_support import ROOT, SAMPLE, open_session, opener, texts
from streamlit.testing.v1 import AppTest

from kpi import changes
from kpi.charter import Charter
from kpi.stats.verdict import format_value
from kpi.store import Workspace

PAGE = "pages/5_Changes.py"
LAUNCH = dt.date(2026, 4, 6)


@pytest.fixture
def open_page(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``open_page(data=SAMPLE, locale=None)``: a fresh session on the Changes page."""
    return opener(PAGE, monkeypatch)


def table(at: AppTest) -> pd.DataFrame:
    (frame,) = at.dataframe  # the results table is the page's only dataframe
    value = frame.value
    return value.data if hasattr(value, "data") else value


def around_the_launch(at: AppTest) -> AppTest:
    at.radio(key="changes_mode").set_value("change_date").run()
    at.date_input(key="changes_change_date").set_value(LAUNCH)
    at.selectbox(key="changes_by").set_value("channel")
    at.multiselect(key="changes_kpis").set_value(["abandonment_rate", "csat_score"])
    return at.run()


def test_default_periods_and_values_match_the_library(open_page, sample) -> None:
    at = open_page()
    assert not at.exception
    assert at.title[0].value == "Changes"
    last = sample["created_at"].max().date()
    periods = changes.default_periods(last)
    assert at.date_input(key="changes_baseline").value == periods.baseline
    assert at.date_input(key="changes_current").value == periods.current
    shown = table(at)
    expected = changes.compare_periods(sample, ["abandonment_rate"], periods.baseline,
                                       periods.current)[0]
    row = shown[shown["kpi"] == "Abandonment rate"].iloc[0]
    assert row["baseline"] == format_value(expected.baseline.value, "percent", "en")
    assert row["current"] == format_value(expected.current.value, "percent", "en")
    assert len(shown) == 9  # the default KPIs the sample supports
    assert row["unit"] == "Days"


def test_bot_launch_story_in_english(open_page) -> None:
    at = around_the_launch(open_page())
    assert not at.exception
    shown = table(at)
    abandonment = shown[shown["kpi"] == "Abandonment rate"].set_index("segment")
    csat = shown[shown["kpi"] == "Average CSAT"].set_index("segment")
    # abandonment falls on the bot channels (Instagram excepted in this sample),
    # significantly where the volume allows
    for channel in ("chat", "whatsapp", "telegram"):
        assert abandonment.loc[channel, "difference"].startswith("−"), channel
    assert abandonment.loc["whatsapp", "outcome"] == "Improved"
    assert abandonment.loc["whatsapp", "p"] in ("p < 0.0001", "p = 0.0001", "p = 0.0002")
    assert abandonment.loc["phone", "outcome"] == "Not significant"
    assert csat.loc["phone", "outcome"] == "Not significant"
    assert float(csat.loc["phone", "p"].removeprefix("p = ")) > 0.5
    caption = texts(at)
    assert "Baseline Jan 5, 2026 – Apr 5, 2026; current Apr 6, 2026 – Jul 5, 2026." in caption
    assert (":green-badge[Improved] **whatsapp** · Abandonment rate fell from 8.8 % to 5.8 %"
            in caption)


def test_bot_launch_story_in_portuguese(open_page) -> None:
    at = around_the_launch(open_page(locale="pt-BR"))
    assert not at.exception
    assert at.title[0].value == "Mudanças"
    shown = table(at)
    abandonment = shown[shown["kpi"] == "Taxa de abandono"].set_index("segment")
    assert abandonment.loc["whatsapp", "outcome"] == "Melhorou"
    assert abandonment.loc["whatsapp", "baseline"] == "8,8 %"
    csat = shown[shown["kpi"] == "CSAT médio"].set_index("segment")
    assert csat.loc["phone", "outcome"] == "Não significativo"
    assert "Taxa de abandono caiu de 8,8 % para 5,8 %" in texts(at)


def test_unit_switch_and_the_other_unit_column(open_page) -> None:
    at = around_the_launch(open_page())
    at.radio(key="changes_unit").set_value("interaction").run()
    assert not at.exception
    shown = table(at)
    assert set(shown["unit"]) == {"Contacts"}
    # at the contact level the day-to-day shocks are ignored: more comparisons look significant
    assert set(shown["holds"]) <= {"Yes", "No", "—"}
    phone = shown[(shown["kpi"] == "Abandonment rate") & (shown["segment"] == "phone")].iloc[0]
    assert phone["holds"] in {"Yes", "No"}


def test_one_segment_against_the_rest(open_page, sample) -> None:
    at = around_the_launch(open_page())
    at.radio(key="changes_versus").set_value("rest").run()
    assert not at.exception
    shown = table(at)
    email = shown[(shown["kpi"] == "Abandonment rate") & (shown["segment"] == "email")].iloc[0]
    assert email["current"] == "0.0 %"
    day = sample["created_at"].dt.date
    current = sample[(day >= LAUNCH) & (day <= dt.date(2026, 7, 5))]
    rest = current.loc[current["channel"] != "email", "abandoned"].dropna().astype(bool)
    assert email["baseline"] == format_value(rest.mean(), "percent", "en")
    assert email["outcome"] == "Improved"


def test_periods_brushed_on_trends_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_DEFAULT_DATA", str(SAMPLE))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.session_state["kpi:periods"] = changes.ComparisonPeriods(
        (dt.date(2026, 3, 2), dt.date(2026, 3, 29)), (dt.date(2026, 3, 30), dt.date(2026, 4, 26)))
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.date_input(key="changes_current").value == (dt.date(2026, 3, 30),
                                                          dt.date(2026, 4, 26))


def test_empty_state_offers_the_sample(open_page) -> None:
    at = open_page(data=None)
    assert not at.exception
    assert "No data loaded yet" in texts(at)
    at.button(key="changes_sample").click().run()
    assert not at.exception
    assert len(table(at)) == 9


def test_missing_fields_are_named(open_page, tmp_path: Path) -> None:
    rows = pd.DataFrame({
        "Created At": pd.date_range("2026-03-02", periods=600, freq="111min").astype(str),
        "Channel": ["phone", "chat", "email"] * 200,
        "Abandoned": ["yes", "no", "no", "no", "no", "no"] * 100,
    })
    path = tmp_path / "small.csv"
    rows.to_csv(path, index=False)
    Workspace.open(str(tmp_path / "workspace")).save_charter(
        Charter(kpis=("abandonment_rate", "csat_score")))
    at = open_page(data=path, locale="pt-BR")
    assert not at.exception
    warning = "\n".join(w.value for w in at.warning)
    assert "CSAT médio" in warning
    shown = table(at)
    assert list(shown["kpi"]) == ["Taxa de abandono"]


@pytest.mark.parametrize(("page", "locale", "sentence"), [
    ("pages/5_Changes.py", None, "None of the chosen KPIs can be computed from this data."),
    ("pages/4_Trends.py", "pt-BR", "Nenhum dos KPIs escolhidos pode ser calculado"),
])
def test_no_computable_kpi_says_so_and_links_to_the_kpis_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page: str, locale: str | None,
    sentence: str,
) -> None:
    path = tmp_path / "small.csv"
    pd.DataFrame({"Created At": pd.date_range("2026-03-02", periods=50, freq="7h").astype(str)}
                 ).to_csv(path, index=False)
    Workspace.open(str(tmp_path / "workspace")).save_charter(Charter(kpis=("csat_score",)))
    at = open_session(page, monkeypatch, data=path, locale=locale)
    assert not at.exception
    assert sentence in texts(at)
    links = at.main.get("page_link")
    assert [(link.proto.page, link.label) for link in links] == [
        ("KPIs", "Choose KPIs" if locale is None else "Escolher KPIs")]
