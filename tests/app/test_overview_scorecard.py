"""The Overview scorecard (app.py) on the sample data, with targets, in English and Português,
and with a dataset that lacks fields."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from app_support import ROOT, texts
from streamlit.testing.v1 import AppTest

from kpi.charter import Charter
from kpi.store import Workspace
from kpi.targets import Target

SAMPLE = ROOT / "sample_data" / "contacts.csv"
#: The sample runs Mon 2026-01-05 to Sun 2026-07-05, so the last complete week is this one.
LAST_WEEK = ("2026-06-29", "2026-07-06")


@pytest.fixture(scope="module")
def last_week() -> pd.DataFrame:
    """The raw sample's contacts of the last complete week (plain pandas, no kpi code)."""
    raw = pd.read_csv(SAMPLE, dtype="str")
    created = pd.to_datetime(raw["Created At"])
    return raw[(created >= LAST_WEEK[0]) & (created < LAST_WEEK[1])]


def abandonment(rows: pd.DataFrame) -> float:
    return (rows["Abandoned"].str.lower() == "true").mean()


def save_charter(charter: Charter) -> None:
    Workspace.open(os.environ["KPI_WORKBENCH_HOME"]).save_charter(charter)


def card_values(at: AppTest) -> list[str]:
    return [m.value.removeprefix("### ") for m in at.markdown if m.value.startswith("### ")]


def with_sample(new_app: Callable[..., AppTest], locale: str | None = None) -> AppTest:
    at = new_app(locale).run()
    at.button(key="overview_sample").click().run()
    assert not at.exception
    return at


def test_sample_scorecard_shows_last_complete_week_values(
    new_app: Callable[..., AppTest], last_week: pd.DataFrame
) -> None:
    at = with_sample(new_app)
    assert [s.value for s in at.subheader][:1] == ["Scorecard"]
    captions = "\n".join(c.value for c in at.caption)
    assert ("Values for the last complete week, the week of Jun 29, 2026 to Jul 5, 2026, "
            "compared with the week before.") in captions
    values = card_values(at)
    # default KPIs: Contacts first, then abandonment rate
    assert values[0] == f"{len(last_week):,}"
    assert values[1] == f"{abandonment(last_week) * 100:.1f} %"
    assert "Abandonment rate rose from" in captions or "Abandonment rate fell from" in captions
    assert "No target yet: set one on the Targets page." in captions
    assert "Neither higher nor lower is better: no target." in captions
    assert len(at.get("vega_lite_chart")) == len(values)  # one sparkline per KPI
    # the data summary below keeps working
    assert "Loaded data" in [s.value for s in at.subheader]


def test_targets_give_status_and_significance_badges(
    new_app: Callable[..., AppTest], last_week: pd.DataFrame
) -> None:
    save_charter(Charter(kpis=("abandonment_rate", "occupancy"), targets=(
        Target("abandonment_rate", value=0.01, warning_margin=0.005),
        Target("occupancy", band=(0.75, 0.85)),
    )))
    at = with_sample(new_app)
    rate = abandonment(last_week)
    assert rate > 0.015  # so 1 % with a half-point margin is off target
    assert card_values(at)[0] == f"{rate * 100:.1f} %"
    badges = "\n".join(m.value for m in at.markdown)
    assert ":red-badge[Off target]" in badges
    assert "Significantly off target" in badges
    captions = "\n".join(c.value for c in at.caption)
    assert "Target: ≤ 1.0 %" in captions
    assert "Target: 75.0 %–85.0 %" in captions
    assert "Showing the default KPIs" not in captions


def test_portuguese_scorecard(new_app: Callable[..., AppTest], last_week: pd.DataFrame) -> None:
    at = with_sample(new_app, locale="pt-BR")
    assert "Painel de indicadores" in [s.value for s in at.subheader]
    values = card_values(at)
    assert values[1] == f"{abandonment(last_week) * 100:.1f} %".replace(".", ",")
    captions = "\n".join(c.value for c in at.caption)
    assert "Valores da última semana completa, a semana de 29 de jun. de 2026" in captions
    assert "Taxa de abandono" in texts(at)
    assert "Ainda sem meta: defina uma na página Metas." in captions


def test_month_switch_uses_the_last_complete_month(new_app: Callable[..., AppTest]) -> None:
    at = with_sample(new_app)
    at.segmented_control(key="overview_freq").set_value("month").run()
    assert not at.exception
    raw = pd.read_csv(SAMPLE, dtype="str")
    june = raw[pd.to_datetime(raw["Created At"]).dt.strftime("%Y-%m") == "2026-06"]
    assert card_values(at)[0] == f"{len(june):,}"
    assert "Values for the last complete month, June 2026" in "\n".join(
        c.value for c in at.caption)


def test_dataset_lacking_fields_shows_unavailable_kpis_with_the_reason(
    new_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    days = pd.date_range("2026-03-02 09:00", periods=21 * 4, freq="6h")
    small = pd.DataFrame({
        "Created At": days.strftime("%Y-%m-%d %H:%M"),
        "Channel": ["phone", "chat"] * (len(days) // 2),
        "Abandoned": (["true"] + ["false"] * 3) * (len(days) // 4),
    })
    path = tmp_path / "small.csv"
    small.to_csv(path, index=False)
    save_charter(Charter(kpis=("abandonment_rate", "csat_score", "aht")))
    at = new_app()
    monkeypatch.setenv("KPI_DEFAULT_DATA", str(path))
    at.run()
    assert not at.exception
    assert card_values(at) == ["25.0 %"]  # one in four abandoned, every day
    captions = "\n".join(c.value for c in at.caption)
    assert "Average CSAT is not shown: " in captions
    assert "Average handle time is not shown: " in captions


def test_empty_state_has_no_scorecard(new_app: Callable[..., AppTest]) -> None:
    at = new_app().run()
    assert not at.exception
    assert "Scorecard" not in [s.value for s in at.subheader]
    assert at.button(key="overview_sample").label == "Try it with sample data"
