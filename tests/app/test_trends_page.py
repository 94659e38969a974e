"""The Trends page: charts per KPI with the trend sentence, control mode, breakdown, heatmap,
the interactions behind a clicked point, in English and Português."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from app_support import opener, texts
from streamlit.testing.v1 import AppTest

from kpi import explore
from kpi.charter import Charter
from kpi.compute import compute_statistics, kpi_values
from kpi.store import Workspace
from kpi.targets import Target

PAGE = "pages/4_Trends.py"


@pytest.fixture
def open_page(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``open_page(data=SAMPLE, locale=None)``: a fresh session on the Trends page."""
    return opener(PAGE, monkeypatch)


def select_on_chart(at: AppTest, key: str, selection: dict[str, object]) -> AppTest:
    """Rerun as if the browser had sent ``selection`` for the chart ``key`` (what a click or
    a drag on a Vega-Lite chart with ``on_select="rerun"`` sends)."""
    (chart,) = [c for c in at.get("vega_lite_chart") if getattr(c, "key", None) == key]
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = chart.proto.id
    state.string_value = json.dumps({"selection": selection})
    return at._run(states)


def test_default_kpis_with_their_trend_sentences(open_page, sample) -> None:
    at = open_page()
    assert not at.exception
    assert at.title[0].value == "Trends"
    assert [s.value for s in at.subheader] == ["Contacts", "Abandonment rate", "Service level"]
    weekly = kpi_values(sample, ["abandonment_rate"], freq="week")
    expected = explore.trend_text(weekly, "abandonment_rate", "week", "en")
    assert expected.startswith("Abandonment rate has been falling by")
    assert expected in [c.value for c in at.caption]
    assert len(at.get("vega_lite_chart")) == 4  # three trends and the heatmap


def test_portuguese_and_daily_buckets(open_page, sample) -> None:
    at = open_page(locale="pt-BR")
    at.radio(key="trends_freq").set_value("day").run()
    assert not at.exception
    assert at.title[0].value == "Tendências"
    daily = kpi_values(sample, ["volume"], freq="day")
    expected = explore.trend_text(daily, "volume", "day", "pt")
    assert expected.startswith("Contatos")
    assert expected in [c.value for c in at.caption]


def test_control_mode_counts_the_flagged_points(open_page, sample) -> None:
    at = open_page()
    at.radio(key="trends_mode").set_value("control").run()
    assert not at.exception
    stats = compute_statistics(sample, ["abandonment_rate"], freq="week")
    view = explore.control_view(stats, "abandonment_rate")
    flagged = int(view.frame["flagged"].sum())
    start, end = view.baseline
    expected = (f"Laney p′ chart, limits from {start:%b} {start.day}, {start.year} to "
                f"{end:%b} {end.day}, {end.year}; unusual points: {flagged}.")
    assert expected in [c.value for c in at.caption]


def test_breakdown_by_channel_and_a_point_of_one_series(open_page, sample) -> None:
    at = open_page()
    at.selectbox(key="trends_by").set_value("channel").run()
    at.toggle(key="trends_small").set_value(True).run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Contacts", "Abandonment rate", "Service level"]
    week = pd.Timestamp("2026-05-25")
    select_on_chart(at, "trends_chart_abandonment_rate",
                    {"point_pick": [{"period": week.value / 1e6, "series": "chat"}]})
    rows = explore.interactions_behind(sample, week, "week", ("channel", "chat"))
    assert set(rows["channel"]) == {"chat"}
    assert f"**{len(rows):,} contacts** in the week starting May 25, 2026, chat." in texts(at)


def test_a_clicked_point_opens_its_interactions(open_page, sample) -> None:
    at = open_page()
    week = pd.Timestamp("2026-04-06")
    select_on_chart(at, "trends_chart_volume", {"point_pick": [{"period": week.value / 1e6}]})
    assert not at.exception
    rows = explore.interactions_behind(sample, week, "week")
    assert f"**{len(rows):,} contacts** in the week starting Apr 6, 2026." in texts(at)
    (table,) = at.dataframe
    assert len(table.value) == min(len(rows), 1000)
    (download,) = at.get("download_button")
    assert download.proto.label == "Download as CSV"


def test_a_brushed_interval_sets_the_changes_periods(open_page) -> None:
    at = open_page()
    start, end = pd.Timestamp("2026-03-02"), pd.Timestamp("2026-03-25")
    select_on_chart(at, "trends_chart_abandonment_rate",
                    {"period_brush": {"period": [start.value / 1e6, end.value / 1e6]}})
    assert not at.exception
    periods = at.session_state["kpi:periods"]
    assert periods.current == (dt.date(2026, 3, 2), dt.date(2026, 3, 29))
    assert periods.baseline == (dt.date(2026, 2, 2), dt.date(2026, 3, 1))
    assert "Changes page periods set: Mar 2, 2026 – Mar 29, 2026" in texts(at)


def test_heatmap_leaves_percentiles_out(open_page) -> None:
    Workspace.open(None).save_charter(Charter(kpis=("aht", "p90_wait", "abandonment_rate")))
    at = open_page()
    assert not at.exception
    assert at.selectbox(key="trends_heat_kpi").options == ["Average handle time",
                                                           "Abandonment rate"]
    assert at.selectbox(key="trends_heat_y").value == "agent"
    assert at.selectbox(key="trends_heat_x").value == "topic"
    assert "Percentile KPIs are left out of the heatmap" in texts(at)


def test_empty_state_offers_the_sample(open_page) -> None:
    at = open_page(data=None, locale="pt-BR")
    assert not at.exception
    assert "Ainda não há dados" in texts(at)
    at.button(key="trends_sample").click().run()
    assert not at.exception
    assert [s.value for s in at.subheader][:1] == ["Contatos"]


def test_missing_fields_are_named(open_page, tmp_path: Path) -> None:
    rows = pd.DataFrame({
        "Created At": pd.date_range("2026-03-02", periods=600, freq="111min").astype(str),
        "Channel": ["phone", "chat", "email"] * 200,
        "Abandoned": ["yes", "no", "no", "no", "no", "no"] * 100,
    })
    path = tmp_path / "small.csv"
    rows.to_csv(path, index=False)
    Workspace.open(None).save_charter(Charter(kpis=("abandonment_rate", "csat_score")))
    at = open_page(data=path)
    assert not at.exception
    warning = "\n".join(w.value for w in at.warning)
    assert "Average CSAT" in warning
    assert [s.value for s in at.subheader] == ["Abandonment rate"]
    assert "A heatmap needs two of channel, team, agent and topic" in texts(at)


def test_the_charter_target_is_drawn(open_page) -> None:
    Workspace.open(None).save_charter(Charter(
        kpis=("abandonment_rate",), targets=(Target("abandonment_rate", value=0.06),)))
    at = open_page()
    assert not at.exception
    (chart,) = [c for c in at.get("vega_lite_chart")
                if getattr(c, "key", None) == "trends_chart_abandonment_rate"]
    spec = json.loads(chart.proto.spec)
    assert spec["layer"][0]["encoding"]["y"]["field"] == "target_y"
    (dataset,) = chart.proto.datasets
    data = pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
    assert set(data["target_y"]) == {0.06}  # percent axis: fractions drawn as %
