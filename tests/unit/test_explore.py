"""kpi.explore: series with targets, control views, trend sentences, heatmap cells,
interactions behind a point and the injection-safe CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest

from kpi import explore
from kpi.compute import compute_statistics, kpi_values
from kpi.custom import Condition, CustomKpi
from kpi.stats.control import laney_p_chart, xmr_chart
from kpi.stats.trend import mann_kendall
from kpi.targets import Target


@pytest.fixture(scope="module")
def contacts() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 5000
    created = pd.Timestamp("2026-02-02") + pd.to_timedelta(rng.integers(0, 56 * 86_400, n),
                                                           unit="s")
    return pd.DataFrame({
        "interaction_id": [str(i) for i in range(n)],
        "created_at": created.astype("datetime64[us]"),
        "channel": pd.Series(rng.choice(["phone", "chat", "email"], n), dtype="str"),
        "agent": pd.Series(rng.choice(["Ana", "Bruno", "Carla", "Davi"], n), dtype="str"),
        "topic": pd.Series(rng.choice(["billing", "delivery"], n), dtype="str"),
        "abandoned": pd.Series(rng.random(n) < 0.1, dtype="boolean"),
        "handle_seconds": rng.gamma(4, 90, n).round(),
    })


def test_dimensions_in_keeps_the_known_order() -> None:
    assert explore.dimensions_in(["topic", "x", "channel"]) == ("channel", "topic")


def test_series_with_targets_scoped_and_constant(contacts) -> None:
    values = kpi_values(contacts, ["abandonment_rate", "aht"], freq="week", by=("channel",))
    targets = (Target("abandonment_rate", value=0.08),
               Target("abandonment_rate", value=0.05, scope={"channel": "chat"}))
    series = explore.series_with_targets(values, "abandonment_rate", targets, by="channel")
    assert set(series["kpi"]) == {"abandonment_rate"}
    assert len(series) == len(values[values["kpi"] == "abandonment_rate"])
    chat = series[series["channel"] == "chat"]
    assert set(chat["target"]) == {0.05}
    assert set(series.loc[series["channel"] == "phone", "target"]) == {0.08}
    assert explore.constant_target(series) == (None, None)
    assert explore.constant_target(chat) == (0.05, None)
    # a custom KPI with a band (same values, renamed)
    custom = CustomKpi(id="gave_up", name="Gave up", form="rate", direction="band",
                       numerator=(Condition("abandoned", "=", True),))
    renamed = values.assign(kpi=values["kpi"].replace("abandonment_rate", "gave_up"))
    band = explore.series_with_targets(renamed, custom, [Target("gave_up", band=(0.02, 0.06))])
    assert explore.constant_target(band) == (None, (0.02, 0.06))
    assert set(band["status"].dropna()) <= {"on_target", "at_risk", "off_target"}


def test_control_view_proportion_is_laney(contacts) -> None:
    stats = compute_statistics(contacts, ["abandonment_rate"], freq="day")
    view = explore.control_view(stats, "abandonment_rate")
    days = stats.sort_values("period")
    half = days["period"].iloc[: len(days) // 2]
    assert view.baseline == (half.iloc[0].date(), half.iloc[-1].date())
    expected = laney_p_chart(days["period"], days["sum_y"], days["sum_x"],
                             baseline=view.baseline)
    assert view.chart.kind == "laney_p"
    np.testing.assert_allclose(view.frame["ucl"], expected.frame["upper"])
    np.testing.assert_allclose(view.frame["value"],
                               days["sum_y"].to_numpy() / days["n"].to_numpy())
    assert list(view.frame.columns[:8]) == ["period", "value", "n", "center", "lcl", "ucl",
                                            "flagged", "rule"]


def test_control_view_mean_is_xmr_and_rules_are_words(contacts) -> None:
    stats = compute_statistics(contacts, ["aht"], freq="day")
    # an outlier day: rule 1 must flag it
    stats.loc[stats["period"] == pd.Timestamp("2026-03-20"), "value"] = 5000.0
    baseline = (dt.date(2026, 2, 2), dt.date(2026, 3, 1))
    view = explore.control_view(stats, "aht", baseline=baseline, lang="pt")
    expected = xmr_chart(stats["period"], stats["value"], baseline=baseline)
    assert view.chart.kind == "xmr"
    assert view.chart.center == pytest.approx(expected.center)
    outlier = view.frame[view.frame["period"] == pd.Timestamp("2026-03-20")].iloc[0]
    assert bool(outlier["flagged"])
    assert outlier["rule"].startswith("1 (um ponto além dos limites")
    assert view.frame.loc[~view.frame["flagged"], "rule"].isna().all()


def test_trend_text_matches_mann_kendall() -> None:
    weeks = pd.date_range("2026-01-05", periods=12, freq="W-MON")
    values = 0.10 - 0.002 * np.arange(12) + np.array([0.001, -0.001] * 6)
    series = pd.DataFrame({"period": weeks, "value": values})
    trend = mann_kendall(values)
    assert trend.direction == "falling"
    text = explore.trend_text(series, "abandonment_rate", "week", "en")
    assert text == (f"Abandonment rate has been falling by {abs(trend.slope) * 100:.1f} points "
                    f"a week since January 2026 (p < 0.0001).")
    short = explore.trend_text(series.head(3), "abandonment_rate", "week", "pt")
    assert "Taxa de abandono" in short


def test_heatmap_cells_pool_the_buckets(contacts) -> None:
    stats = compute_statistics(contacts, ["aht", "volume"], freq="month", by=("agent", "topic"))
    cells = explore.heatmap_cells(stats, "aht", "topic", "agent", top=3)
    handled = contacts[~contacts["abandoned"].astype(bool)]
    by_hand = handled.groupby(["topic", "agent"])["handle_seconds"].mean()
    top_agents = contacts.loc[~contacts["abandoned"].astype(bool), "agent"].value_counts()
    assert set(cells["agent"]) == set(top_agents.index[:3])
    for row in cells.itertuples():
        assert row.value == pytest.approx(by_hand[(row.topic, row.agent)])
    volume = explore.heatmap_cells(stats, "volume", "topic", "agent", top=10)
    counts = contacts.groupby(["topic", "agent"]).size()
    for row in volume.itertuples():
        assert row.value == counts[(row.topic, row.agent)]
    assert not explore.can_pool("p90_wait")
    with pytest.raises(ValueError, match="percentiles"):
        explore.heatmap_cells(stats, "p90_wait", "topic", "agent")


def test_interactions_behind_a_week_and_segment(contacts) -> None:
    rows = explore.interactions_behind(contacts, dt.date(2026, 2, 9), "week", ("channel", "chat"))
    created = contacts["created_at"]
    expected = contacts[(created >= "2026-02-09") & (created < "2026-02-16")
                        & (contacts["channel"] == "chat")]
    assert len(rows) == len(expected)
    assert set(rows["interaction_id"]) == set(expected["interaction_id"])
    assert rows["created_at"].is_monotonic_increasing
    month = explore.interactions_behind(contacts, pd.Timestamp("2026-03-01"), "month")
    assert len(month) == int(((created >= "2026-03-01") & (created < "2026-04-01")).sum())
    assert len(explore.interactions_behind(contacts, dt.date(2026, 3, 1), "day", limit=5)) == 5


def test_safe_csv_neutralises_formulas_but_not_numbers() -> None:
    frame = pd.DataFrame({
        "=header": ["=SUM(A1:A2)", "+55 11 9999", "-1+2", "@cmd", "\tx", "\ry", "plain", None],
        "amount": [-1.5, 2.0, 3.0, -4.0, 5.0, 6.0, 7.0, 8.0],
        "agent": pd.Series(["Ana", "Bruno", "=1", "a=b", "", "x", "y", "z"], dtype="str"),
    })
    data = explore.safe_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["'=header", "amount", "agent"]
    assert [r[0] for r in rows[1:]] == ["'=SUM(A1:A2)", "'+55 11 9999", "'-1+2", "'@cmd",
                                        "'\tx", "'\ry", "plain", ""]
    assert [r[1] for r in rows[1:]] == ["-1.5", "2.0", "3.0", "-4.0", "5.0", "6.0", "7.0", "8.0"]
    assert [r[2] for r in rows[1:]] == ["Ana", "Bruno", "'=1", "a=b", "", "x", "y", "z"]
    assert explore.neutralise(-3) == -3
