"""The KPIs page (pages/2_KPIs.py): choose, order, parameterise and define custom KPIs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from app_support import ROOT, texts
from streamlit.testing.v1 import AppTest

from kpi.catalog import availability
from kpi.selection import DEFAULT_KPIS

SAMPLE = ROOT / "sample_data" / "contacts.csv"
PAGE = "pages/2_KPIs.py"


@pytest.fixture
def kpis_page(
    new_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., AppTest]:
    """``kpis_page(locale=None, data=SAMPLE)``: a fresh session on the KPIs page with data."""

    def make(locale: str | None = None, data: Path | None = SAMPLE) -> AppTest:
        at = new_app(locale)
        if data is not None:
            monkeypatch.setenv("KPI_DEFAULT_DATA", str(data))
        at.switch_page(PAGE)
        at.run()
        assert not at.exception
        return at

    return make


@pytest.fixture(scope="module")
def raw_sample() -> pd.DataFrame:
    return pd.read_csv(SAMPLE, dtype="str")


def plain(text: str) -> str:
    """Markdown text without the escapes of ``escape_markdown``."""
    return text.replace("\\", "")


def captions(at: AppTest) -> list[str]:
    return [plain(c.value) for c in at.caption]


def order_lines(at: AppTest) -> list[str]:
    """The numbered lines of the Order tab, e.g. ``1. Contacts``."""
    return [m.value for m in at.markdown if m.value[:1].isdigit() and ". " in m.value]


def add_numerator(at: AppTest, column: str, operator: str, value: str) -> None:
    at.session_state["kpis_custom_numerator"] = {
        "edited_rows": {}, "added_rows": [{"column": column, "operator": operator,
                                           "value": value}], "deleted_rows": [],
    }


def test_empty_state_links_to_data_and_offers_the_sample(
    kpis_page: Callable[..., AppTest],
) -> None:
    at = kpis_page(data=None)
    assert "No data loaded yet" in at.info[0].value
    assert at.button(key="kpis_sample").label == "Try it with sample data"
    at.button(key="kpis_sample").click().run()
    assert not at.exception
    assert at.checkbox(key="kpis_pick_volume").value is True


def test_catalog_lists_every_kpi_by_category_with_the_default_choice(
    kpis_page: Callable[..., AppTest],
) -> None:
    at = kpis_page()
    assert [s.value for s in at.subheader][:3] == [
        "Effectiveness", "Operational cost", "Customer experience",
    ]
    ticked = {c.key.removeprefix("kpis_pick_") for c in at.checkbox if c.value}
    assert ticked == set(DEFAULT_KPIS)  # the sample supports every default KPI
    assert "No KPIs chosen yet" in at.info[0].value
    assert "Why it matters: Volume drives staffing" in "\n".join(captions(at))
    assert order_lines(at)[:2] == ["1. Contacts", "2. Abandonment rate"]


def test_service_level_threshold_changes_the_definition(kpis_page: Callable[..., AppTest]) -> None:
    at = kpis_page()
    assert any("answered within 20 s" in c for c in captions(at))
    at.number_input(key="kpis_sl_threshold").set_value(30).run()
    assert not at.exception
    assert any("answered within 30 s" in c for c in captions(at))
    assert not any("answered within 20 s" in c for c in captions(at))
    at.selectbox(key="kpis_statistic_aht").set_value("median").run()
    assert sum("Shown as the median instead of the mean." in c for c in captions(at)) == 1


def test_choose_reorder_save_and_read_back_in_a_new_session(
    kpis_page: Callable[..., AppTest],
) -> None:
    at = kpis_page()
    at.checkbox(key="kpis_pick_nps").uncheck()
    at.checkbox(key="kpis_pick_transfer_rate").check().run()
    assert "You have unsaved changes." not in texts(at)  # still the default charter
    at.button(key="kpis_down_volume").click().run()
    at.button(key="kpis_up_transfer_rate").click().run()
    expected = [k for k in DEFAULT_KPIS if k != "nps"]
    expected[0], expected[1] = expected[1], expected[0]
    expected.insert(len(expected) - 1, "transfer_rate")
    at.button(key="kpis_save").click().run()
    assert not at.exception
    assert f"Saved: {len(expected)} KPIs in the charter" in at.success[0].value
    assert at.session_state["kpi:charter"].kpis == tuple(expected)
    lines = order_lines(at)
    assert lines[0] == "1. Abandonment rate"
    assert lines[1] == "2. Contacts"
    assert lines[-2] == f"{len(expected) - 1}. Transfer (reroute) rate"

    again = kpis_page()
    assert again.session_state["kpi:charter"].kpis == tuple(expected)
    assert order_lines(again) == lines
    assert again.checkbox(key="kpis_pick_nps").value is False
    assert again.checkbox(key="kpis_pick_transfer_rate").value is True
    assert "No KPIs chosen yet" not in texts(again)
    again.checkbox(key="kpis_pick_nps").check().run()
    assert "You have unsaved changes." in texts(again)


def test_changed_parameters_persist(kpis_page: Callable[..., AppTest]) -> None:
    at = kpis_page()
    at.number_input(key="kpis_sl_threshold").set_value(30).run()
    at.button(key="kpis_save").click().run()
    assert not at.exception
    assert not at.error
    again = kpis_page()
    assert again.number_input(key="kpis_sl_threshold").value == 30
    assert any("answered within 30 s" in c for c in captions(again))


def test_custom_kpi_preview_matches_a_hand_computation_in_portuguese(
    kpis_page: Callable[..., AppTest], raw_sample: pd.DataFrame
) -> None:
    at = kpis_page("pt-BR")
    assert at.title[0].value == "KPIs"
    at.text_input(key="kpis_custom_name").set_value("Participação do WhatsApp")
    add_numerator(at, "channel", "=", "whatsapp")
    at.run()
    assert not at.exception
    assert not at.error
    share = (raw_sample["Channel"].str.lower() == "whatsapp").mean()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Todos os dados"] == f"{share * 100:.1f}".replace(".", ",") + " %"

    created = pd.to_datetime(raw_sample["Created At"])
    week = created.dt.normalize() - pd.to_timedelta(created.dt.day_of_week, unit="D")
    last = raw_sample[week == week.max()]
    last_share = (last["Channel"].str.lower() == "whatsapp").mean()
    week_label = next(label for label in metrics if label.startswith("Semana de"))
    assert metrics[week_label] == f"{last_share * 100:.1f}".replace(".", ",") + " %"

    at.button(key="kpis_custom_add").click().run()
    assert not at.exception
    assert "“Participação do WhatsApp” adicionado ao contrato" in at.success[0].value
    charter = at.session_state["kpi:charter"]
    assert charter.kpis[-1] == "participacao_do_whatsapp"
    assert charter.custom_kpis[0]["numerator"] == [
        {"column": "channel", "operator": "=", "value": "whatsapp"}
    ]
    assert at.checkbox(key="kpis_pick_participacao_do_whatsapp").value is True
    assert at.text_input(key="kpis_custom_name").value == ""

    at.button(key="kpis_custom_delete_participacao_do_whatsapp").click().run()
    assert not at.exception
    charter = at.session_state["kpi:charter"]
    assert charter.custom_kpis == ()
    assert "participacao_do_whatsapp" not in charter.kpis


def test_custom_mean_preview_matches_pandas(
    kpis_page: Callable[..., AppTest], raw_sample: pd.DataFrame
) -> None:
    at = kpis_page()
    at.selectbox(key="kpis_custom_form").set_value("mean").run()
    at.selectbox(key="kpis_custom_column").set_value("handle_seconds").run()
    assert not at.exception
    handle = pd.to_numeric(raw_sample["Handle Time (s)"])
    seconds = round(handle.mean())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["All data"] == f"{seconds // 60}:{seconds % 60:02d}"


def test_an_invalid_custom_kpi_shows_one_sentence(kpis_page: Callable[..., AppTest]) -> None:
    at = kpis_page()
    at.text_input(key="kpis_custom_name").set_value("Odd")
    at.selectbox(key="kpis_custom_form").set_value("count")
    at.session_state["kpis_custom_where"] = {
        "edited_rows": {}, "added_rows": [{"column": "channel", "operator": "<",
                                           "value": "phone"}], "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [
        "“Odd”: “<” compares numbers or dates, but “channel” is text or yes/no; use = or in "
        "instead."
    ]
    assert not at.metric


@pytest.mark.parametrize(("locale", "lang", "prefix", "badge"), [
    (None, "en", "Unavailable", "Not in your data"),
    ("pt-BR", "pt", "Indisponível", "Fora dos seus dados"),
])
def test_unavailable_kpis_show_their_reason(
    kpis_page: Callable[..., AppTest], raw_sample: pd.DataFrame, tmp_path: Path,
    locale: str | None, lang: str, prefix: str, badge: str,
) -> None:
    data = tmp_path / "no_wait.csv"
    raw_sample.drop(columns=["Wait Time (s)", "Answered At"]).to_csv(data, index=False)
    at = kpis_page(locale, data=data)
    reason = availability("avg_wait", ["created_at"]).sentence(lang)
    shown = "\n".join(captions(at))
    assert f"{prefix}: {reason}." in shown
    assert badge in "\n".join(m.value for m in at.markdown)
    ticked = {c.key.removeprefix("kpis_pick_") for c in at.checkbox if c.value}
    assert "avg_wait" not in ticked
    assert "service_level" not in ticked
    assert "volume" in ticked


def test_business_hours_change_the_definition_and_a_bad_time_is_one_sentence(
    kpis_page: Callable[..., AppTest],
) -> None:
    at = kpis_page("pt-BR")
    business = "Tempo contado apenas em horário comercial."
    assert not any(business in c for c in captions(at))
    at.multiselect(key="kpis_business_kpis").select("avg_wait").run()
    assert not at.exception
    assert sum(business in c for c in captions(at)) == 1
    at.session_state["kpis_calendar"] = {
        "edited_rows": {0: {"opens": "9h"}}, "added_rows": [], "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [
        "'9h' não é um horário: escreva o horário de funcionamento como HH:MM, de 00:00 a 24:00."
    ]
    assert at.button(key="kpis_save").disabled
