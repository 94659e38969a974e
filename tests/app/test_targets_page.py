"""The Targets page: the editable table, validation on save, overrides, persistence, the
detectable-change sentences, Portuguese, missing fields and the empty state."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from app_support import ROOT
from streamlit.testing.v1 import AppTest

from kpi.catalog import KpiParams
from kpi.charter import Charter
from kpi.load import load_dataset
from kpi.scorecard import detectable_change
from kpi.store import Workspace
from kpi.targets import Target

SAMPLE = ROOT / "sample_data" / "contacts.csv"
PAGE = "pages/3_Targets.py"


@pytest.fixture(scope="module")
def sample_frame() -> pd.DataFrame:
    return load_dataset([("contacts.csv", SAMPLE)]).interactions


def workspace() -> Workspace:
    return Workspace.open(os.environ["KPI_WORKBENCH_HOME"])


def targets_page(new_app: Callable[..., AppTest], locale: str | None = None) -> AppTest:
    """A session that loaded the sample on the Overview, then opened the Targets page."""
    at = new_app(locale).run()
    at.button(key="overview_sample").click().run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def edit(at: AppTest, edited: dict[int, dict[str, object]] | None = None,
         added: list[dict[str, object]] | None = None) -> AppTest:
    """Seed the keyed editor's edits, then click Save."""
    editor = at.data_editor[0]
    at.session_state[editor.key] = {"edited_rows": edited or {}, "added_rows": added or [],
                                    "deleted_rows": []}
    return at.button(key="targets_save").click().run()


def test_one_row_per_kpi_with_current_value_and_detectable_change(
    new_app: Callable[..., AppTest], sample_frame: pd.DataFrame
) -> None:
    at = targets_page(new_app)
    assert at.title[0].value == "Targets"
    table = at.data_editor[0].value
    assert at.data_editor[0].editing_mode == "dynamic"
    # the default KPIs but volume (neutral: no target), all scopes, no target yet
    assert table["kpi"].tolist()[:3] == ["Abandonment rate", "Service level",
                                         "Average wait / first response time"]
    assert "Contacts" not in table["kpi"].tolist()
    assert set(table["scope"]) == {"All channels and teams"}
    assert table["target"].isna().all()
    week = sample_frame[(sample_frame["created_at"] >= "2026-06-29")
                        & (sample_frame["created_at"] < "2026-07-06")]
    rate = week["abandoned"].dropna().mean()
    assert table.loc[0, "current"] == f"{rate * 100:.1f} %"
    assert table.loc[0, "unit"] == "%"
    captions = "\n".join(c.value for c in at.caption)
    assert "Contacts is neither better higher nor lower, so it takes no target." in captions
    found = detectable_change(sample_frame, "abandonment_rate", KpiParams())
    lines = "\n".join(m.value for m in at.markdown)
    sentence = found.sentence("en").replace("~", "\\~")
    assert f"**Abandonment rate** · {rate * 100:.1f} % — {sentence}" in lines
    assert "contacts a week, changes under" in sentence


def test_invalid_rows_are_named_and_nothing_is_saved(new_app: Callable[..., AppTest]) -> None:
    at = targets_page(new_app)
    at = edit(at, {0: {"target": 120.0}, 2: {"target": -3.0}})
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Row 1: The target for Abandonment rate is a rate and must be between 0 % and 100 % "
        "(got 120 %).  \nRow 3: The target for Average wait / first response time is a "
        "duration and cannot be negative (got \\-3 s)."  # markdown-escaped minus
    ]
    assert "Nothing was saved" in "\n".join(c.value for c in at.caption)
    assert workspace().load_charter() is None
    assert at.session_state["kpi:charter"].targets == ()


def test_valid_targets_and_an_override_are_saved_in_kpi_units(
    new_app: Callable[..., AppTest], sample_frame: pd.DataFrame
) -> None:
    at = targets_page(new_app)
    at = edit(
        at,
        {0: {"target": 5.0, "margin": 1.0}, 2: {"target": 90.0, "effective_from": "2026-06-01"}},
        [{"kpi": "Abandonment rate", "scope": "Channel: phone", "target": 7.5}],
    )
    assert not at.exception
    assert [e.value for e in at.error] == []
    assert [s.value for s in at.success] == ["Targets saved (3)."]
    saved = workspace().load_charter()
    assert saved is not None
    assert set(saved.targets) == {
        Target("abandonment_rate", value=0.05, warning_margin=0.01),
        Target("avg_wait", value=90.0, effective_from=pd.Timestamp("2026-06-01").date()),
        Target("abandonment_rate", value=0.075, scope={"channel": "phone"}),
    }
    table = at.data_editor[0].value
    assert table["scope"].tolist()[:2] == ["All channels and teams", "Channel: phone"]
    week = sample_frame[(sample_frame["created_at"] >= "2026-06-29")
                        & (sample_frame["created_at"] < "2026-07-06")]
    rate = week["abandoned"].dropna().mean()
    expected = "On target" if rate <= 0.05 else ("At risk" if rate <= 0.06 else "Off target")
    assert table.loc[0, "status"].endswith(expected)
    assert table.loc[0, "target"] == pytest.approx(5.0)


def test_band_kpi_takes_lower_and_upper(new_app: Callable[..., AppTest]) -> None:
    workspace().save_charter(Charter(kpis=("occupancy", "abandonment_rate")))
    at = targets_page(new_app)
    table = at.data_editor[0].value
    assert table["kpi"].tolist() == ["Agent occupancy", "Abandonment rate"]
    at = edit(at, {0: {"lower": 85.0, "upper": 75.0}})
    assert [e.value for e in at.error] == [
        "Row 1: The band for Agent occupancy has its lower limit (85 %) above its upper "
        "limit (75 %)."
    ]
    at = edit(at, {0: {"lower": 75.0, "upper": 85.0, "margin": 2.0}})
    assert [e.value for e in at.error] == []
    assert workspace().load_charter().targets == (
        Target("occupancy", band=(0.75, 0.85), warning_margin=0.02),
    )


def test_portuguese_page(new_app: Callable[..., AppTest]) -> None:
    at = targets_page(new_app, locale="pt-BR")
    assert at.title[0].value == "Metas"
    table = at.data_editor[0].value
    assert table.loc[0, "kpi"] == "Taxa de abandono"
    assert table.loc[0, "scope"] == "Todos os canais e equipes"
    at = edit(at, {0: {"target": 150.0}})
    assert [e.value for e in at.error] == [
        "Linha 1: A meta de Taxa de abandono é uma taxa e deve ficar entre 0 % e 100 % "
        "(recebido: 150 %)."
    ]
    lines = "\n".join(m.value for m in at.markdown)
    assert "contatos por semana, mudanças menores que" in lines


def test_dataset_lacking_fields_lists_unavailable_kpis(
    new_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    days = pd.date_range("2026-03-02 09:00", periods=21 * 4, freq="6h")
    small = pd.DataFrame({"Created At": days.strftime("%Y-%m-%d %H:%M"),
                          "Abandoned": (["true"] + ["false"] * 3) * (len(days) // 4)})
    path = tmp_path / "small.csv"
    small.to_csv(path, index=False)
    workspace().save_charter(Charter(kpis=("abandonment_rate", "csat_score")))
    monkeypatch.setenv("KPI_DEFAULT_DATA", str(path))
    at = new_app()
    at.switch_page(PAGE).run()  # the session starts on the Targets page (a deep link)
    assert not at.exception
    assert at.data_editor[0].value["kpi"].tolist() == ["Abandonment rate"]
    assert at.data_editor[0].value.loc[0, "current"] == "25.0 %"
    captions = "\n".join(c.value for c in at.caption)
    assert "csat_score is not in the table: " in captions


def test_empty_state_offers_the_sample(new_app: Callable[..., AppTest]) -> None:
    at = new_app()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "Load data first" in at.info[0].value
    at.button(key="targets_sample").click().run()
    assert not at.exception
    assert at.data_editor[0].value["kpi"].iloc[0] == "Abandonment rate"
