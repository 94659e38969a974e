"""The Report page: the notebook on the sample (values by hand), summary saved in the charter,
downloads, Portuguese, hostile labels, missing fields and the empty state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from app_support import ROOT, open_session, texts
from streamlit.testing.v1 import AppTest

from kpi.catalog import kpi_name
from kpi.charter import Charter
from kpi.custom import Condition, CustomKpi
from kpi.stats.verdict import format_value
from kpi.store import Workspace
from kpi.targets import Target
from kpi.ui.widgets import escape_markdown

PAGE = "pages/7_Report.py"
SAMPLE = ROOT / "sample_data" / "contacts.csv"
#: The sample ends on Sun 2026-07-05: the last complete week of the default current period.
LAST_WEEK = (dt.date(2026, 6, 29), dt.date(2026, 7, 5))
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def open_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., AppTest]:
    """``open_page(data=SAMPLE, locale=None, charter=None)``: a fresh session on the page."""

    def make(data: Path | None = SAMPLE, locale: str | None = None,
             charter: Charter | None = None) -> AppTest:
        if charter is not None:
            Workspace.open(str(tmp_path / "workspace")).save_charter(charter)
        return open_session(PAGE, monkeypatch, data=data, locale=locale, timeout=180)

    return make


def _last_week_rate(frame: pd.DataFrame) -> float:
    day = frame["created_at"].dt.date
    rows = frame[(day >= LAST_WEEK[0]) & (day <= LAST_WEEK[1])]
    known = rows["abandoned"].dropna().astype(bool)
    return known.sum() / len(known)


CHARTER = Charter(kpis=("abandonment_rate", "aht"), name="Ops review",
                  targets=(Target("abandonment_rate", value=0.05),))


def test_report_on_the_sample_in_charter_order(open_page, sample) -> None:
    at = open_page(charter=CHARTER)
    assert not at.exception
    assert at.title[0].value == "Ops review"
    headings = [s.value for s in at.subheader]
    assert headings == ["KPIs at a glance", kpi_name("abandonment_rate", "en"),
                        kpi_name("aht", "en"), "Data quality"]
    rate = _last_week_rate(sample)
    status = "On target" if rate <= 0.05 else "Off target"
    shown = texts(at)
    assert (f"Latest complete week (Jun 29, 2026 – Jul 5, 2026): "
            f"{format_value(rate, 'percent', 'en')} against a target of ≤ 5.0 %") in shown
    assert status in shown or "At risk" in shown
    assert "Current period Jun 8, 2026 – Jul 5, 2026" in shown
    assert len(at.get("vega_lite_chart")) == 2
    table = at.dataframe[0].value
    assert list(table["KPI"]) == [kpi_name("abandonment_rate", "en"), kpi_name("aht", "en")]
    assert table["Latest week"].iloc[0] == format_value(rate, "percent", "en")
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Report (HTML)", "Charter (JSON)", "KPI table (CSV)"]


def test_summary_is_editable_and_saved_in_the_charter(open_page, tmp_path: Path) -> None:
    at = open_page(charter=CHARTER)
    summary = 'We keep the bot. <b>Chat</b> next =HYPERLINK("x")'
    at.text_area(key="report_summary").input(summary).run()
    assert not at.exception
    saved = Workspace.open(str(tmp_path / "workspace")).load_charter()
    assert saved is not None
    assert saved.notes == summary
    assert saved.kpis == CHARTER.kpis  # nothing else of the charter changed
    assert "Summary saved." in texts(at)
    assert at.text_area(key="report_summary").value == summary
    # A new session reads the summary back from the workspace.
    again = open_page()
    assert again.text_area(key="report_summary").value == summary


def test_portuguese_page(open_page) -> None:
    at = open_page(locale="pt-BR", charter=Charter(kpis=("abandonment_rate",)))
    assert not at.exception
    assert at.title[0].value == "Relatório de KPIs"
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Relatório (HTML)", "Contrato (JSON)", "Tabela de KPIs (CSV)"]
    shown = texts(at)
    assert "Período atual de 8 de jun. de 2026 a 5 de jul. de 2026" in shown
    assert "Última semana completa" in shown
    assert at.text_area(key="report_summary").label == "Resumo (salvo com o contrato)"
    assert not [line for line in shown.splitlines()
                if "report." in line or "report_page." in line]


def test_hostile_labels_are_escaped(open_page) -> None:
    custom = CustomKpi(id="phone_share", name=HOSTILE, form="rate",
                       numerator=(Condition("channel", "=", "phone"),))
    charter = Charter(kpis=("phone_share",), custom_kpis=(custom.to_dict(),), name=HOSTILE)
    at = open_page(charter=charter)
    assert not at.exception
    assert at.title[0].value == escape_markdown(HOSTILE)
    assert escape_markdown(HOSTILE) in [s.value for s in at.subheader]
    assert HOSTILE not in texts(at)  # only ever shown escaped


def test_missing_fields_are_listed_with_the_reason(open_page, tmp_path: Path) -> None:
    days = pd.date_range("2026-03-02", periods=28, freq="D")
    rows = pd.DataFrame({
        "Created At": [d + pd.Timedelta(hours=9 + i % 8) for d in days for i in range(12)],
        "Channel": ["phone", "chat", "email"] * (28 * 4),
        "Abandoned": ["true", "false", "false", "false"] * (28 * 3),
    })
    path = tmp_path / "small.csv"
    rows.to_csv(path, index=False)
    at = open_page(data=path, locale="pt-BR",
                   charter=Charter(kpis=("abandonment_rate", "csat_score")))
    assert not at.exception
    shown = texts(at)
    assert "KPIs do contrato que estes dados não permitem calcular" in shown
    assert escape_markdown(kpi_name("csat_score", "pt")) + ":" in shown


def test_empty_state_offers_the_sample(open_page) -> None:
    at = open_page(data=None, charter=Charter(kpis=("resolution_rate",)))
    assert not at.exception
    assert at.title[0].value == "Report"
    assert "Load data first" in texts(at)
    at.button(key="report_sample").click().run()
    assert not at.exception
    assert len(at.get("download_button")) == 3
