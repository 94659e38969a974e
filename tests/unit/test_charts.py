from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd
import pytest

from kpi import charts

vlc = pytest.importorskip("vl_convert")


def daily(values, start="2024-03-01", **extra) -> pd.DataFrame:
    periods = pd.date_range(start, periods=len(values), freq="D")
    return pd.DataFrame({"period": periods, "value": values, **extra})


def layers_of(spec: dict) -> list[dict]:
    return spec["spec"]["layer"] if "spec" in spec else spec["layer"]


def marks(spec: dict) -> list[str]:
    out = []
    for layer in layers_of(spec):
        mark = layer["mark"]
        out.append(mark if isinstance(mark, str) else mark["type"])
    return out


def svg_labels(svg: str, role: str) -> list[str]:
    """The accessible labels (tooltip-like text) of the rendered marks of one role."""
    return re.findall(rf'aria-label="([^"]*)"[^>]*aria-roledescription="{role}"', svg)


def params_by_name(spec: dict) -> dict[str, dict]:
    """Selection params wherever Altair put them (top level, facet spec or layers)."""
    found = [*spec.get("params", []), *spec.get("spec", {}).get("params", [])]
    for layer in layers_of(spec):
        found.extend(layer.get("params", []))
    return {p["name"]: p for p in found}


def test_vega_locale_matches_the_d3_locale_files_vl_convert_ships():
    pt = charts.vega_locale("pt-BR")
    assert pt["number"] == vlc.get_format_locale("pt-BR")
    assert pt["time"] == vlc.get_time_format_locale("pt-BR")
    en = charts.vega_locale("en")
    assert en["number"] == vlc.get_format_locale("en-US")
    assert en["time"] == vlc.get_time_format_locale("en-US")


def test_trend_spec_has_target_rolling_selections_titles_and_locale():
    values = [0.10, 0.08, 0.12, 0.07, 0.09, 0.11, 0.06, 0.08, 0.05, 0.10]
    frame = daily(values, n=[200 + i for i in range(10)])
    chart = charts.trend_chart(
        frame, unit="percent", lang="pt", title="Taxa de abandono", target=0.08, rolling=3
    )
    spec = chart.to_dict()
    assert marks(spec) == ["rule", "line", "line", "point"]
    target_layer, line_layer, rolling_layer, point_layer = layers_of(spec)
    assert target_layer["encoding"]["y"]["field"] == "target_y"
    assert rolling_layer["encoding"]["y"]["field"] == "rolling_y"
    assert rolling_layer["encoding"]["tooltip"][0]["title"] == "Média móvel (3 períodos)"
    assert line_layer["encoding"]["y"]["title"] == "Taxa de abandono (%)"
    assert line_layer["encoding"]["x"]["type"] == "temporal"
    assert line_layer["encoding"]["x"]["title"] == "Período"
    params = params_by_name(spec)
    assert set(params) == {"period_brush", "point_pick"}
    assert params["period_brush"]["select"] == {"type": "interval", "encodings": ["x"]}
    assert params["point_pick"]["select"]["on"] == "click"
    assert params["period_brush"]["views"] == [line_layer["name"]]
    assert params["point_pick"]["views"] == [point_layer["name"]]
    assert {t["field"] for t in point_layer["encoding"]["tooltip"]} >= {"period", "value_y", "n"}
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["time"]["shortMonths"][1] == "Fev"
    # the rolling mean in the data: third row on = mean of the last three values
    rows = next(iter(spec["datasets"].values()))
    rolling = [r["rolling_y"] for r in rows]
    assert rolling[:2] == [None, None]
    for i in range(2, 10):
        assert rolling[i] == pytest.approx(np.mean(values[i - 2 : i + 1]))
    assert {r["target_y"] for r in rows} == {0.08}


def test_trend_renders_points_target_and_localised_ticks():
    values = [0.101, 0.083, 0.12, 0.07, 0.09, 0.115, 0.06, 0.08, 0.05, 0.10, 0.095, 0.087]
    chart = charts.trend_chart(
        daily(values), unit="percent", lang="pt", title="Abandono", target=0.08
    )
    svg = vlc.vegalite_to_svg(chart.to_dict())
    points = svg_labels(svg, "point")
    assert len(points) == len(values)
    # tooltip text rendered with the Portuguese decimal comma and month names
    assert any("10,1%" in p and "Mar" in p for p in points)
    assert "Abandono (%)" in svg
    assert 'aria-roledescription="rule mark"' in svg
    axis = re.search(r"X-axis titled 'Período' for a time scale with values from ([^\"]*)", svg)
    assert axis is not None
    assert "Março" in axis.group(1)


def test_duration_trend_uses_minutes_and_mm_ss_labels():
    frame = daily([75.0, 7325.0, np.nan, 30.0])
    spec = charts.trend_chart(frame, unit="seconds", lang="en", title="Average wait").to_dict()
    assert layers_of(spec)[0]["encoding"]["y"]["title"] == "Average wait (hours)"
    rows = next(iter(spec["datasets"].values()))
    assert [r["value_label"] for r in rows] == ["1:15", "2:02:05", None, "0:30"]
    assert rows[0]["value_y"] == pytest.approx(75 / 3600)
    short = charts.trend_chart(daily([60.0, 90.0]), unit="seconds", title="AHT").to_dict()
    line = layers_of(short)[0]
    assert line["encoding"]["y"]["title"] == "AHT (minutes)"
    assert [r["value_y"] for r in next(iter(short["datasets"].values()))] == [1.0, 1.5]


def test_duration_labels_by_hand():
    labels = charts.duration_labels(pd.Series([0.0, 59.6, 600.0, 3600.0, -95.0, np.nan]))
    assert labels.iloc[:5].tolist() == ["0:00", "1:00", "10:00", "1:00:00", "-1:35"]
    assert pd.isna(labels.iloc[5])


def test_breakdown_colours_or_small_multiples_and_band():
    frame = pd.concat(
        [daily([0.80, 0.82, 0.78], channel="phone"), daily([0.70, 0.75, 0.90], channel="chat")]
    )
    coloured = charts.trend_chart(frame, unit="percent", band=(0.75, 0.85), breakdown="channel",
                                  breakdown_title="Canal", lang="pt").to_dict()
    assert marks(coloured) == ["rect", "line", "point"]
    band = layers_of(coloured)[0]["encoding"]
    assert (band["y"]["field"], band["y2"]["field"]) == ("band_low_y", "band_high_y")
    colour = layers_of(coloured)[1]["encoding"]["color"]
    assert (colour["field"], colour["title"]) == ("series", "Canal")
    pick = params_by_name(coloured)["point_pick"]
    assert pick["select"]["fields"] == ["period", "series"]
    faceted = charts.trend_chart(frame, unit="percent", breakdown="channel",
                                 small_multiples=True).to_dict()
    assert faceted["facet"]["field"] == "series"
    svg = vlc.vegalite_to_svg(faceted)
    assert len(svg_labels(svg, "point")) == 6


def test_empty_data_renders_an_explicit_empty_state():
    for chart in (
        charts.trend_chart(daily([]), unit="percent", lang="pt"),
        charts.trend_chart(daily([np.nan, np.nan]), unit="percent"),
        charts.forest_plot(pd.DataFrame(columns=["label", "difference"]), relative=False),
        charts.heatmap(pd.DataFrame(columns=["agent", "topic", "value"]), "topic", "agent",
                       unit="seconds"),
        charts.control_chart(pd.DataFrame(columns=["period", "value"]), unit="percent"),
        charts.sparkline(daily([])),
    ):
        spec = chart.to_dict()
        assert spec["mark"]["type"] == "text"
        svg = vlc.vegalite_to_svg(spec)
        assert "No data to show" in svg or "Não há dados" in svg
    assert "Não há dados para mostrar" in vlc.vegalite_to_svg(
        charts.trend_chart(daily([]), unit="percent", lang="pt").to_dict()
    )


def comparisons() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Abandonment", "Service level", "Resolution"],
            "difference": [-0.017, 0.03, -0.02],
            "ci_low": [-0.026, -0.01, -0.035],
            "ci_high": [-0.008, 0.07, -0.005],
            "relative_difference": [-0.017 / 0.081, 0.03 / 0.75, -0.02 / 0.5],
            "baseline_value": [0.081, 0.75, 0.5],
            "significant": [True, False, True],
            "improved": [True, True, False],
        }
    )


def test_forest_plot_relative_intervals_and_outcomes():
    spec = charts.forest_plot(comparisons(), relative=True, lang="en").to_dict()
    assert marks(spec) == ["rule", "rule", "point"]
    rows = next(r for r in spec["datasets"].values() if "x_low" in r[0])
    assert rows[0]["x_low"] == pytest.approx(-0.026 / 0.081)
    assert rows[1]["x_high"] == pytest.approx(0.07 / 0.75)
    assert [r["outcome"] for r in rows] == [
        "Significant improvement", "Not significant", "Significant worsening"
    ]
    assert layers_of(spec)[2]["encoding"]["x"]["title"] == "Relative difference (%)"


def test_forest_plot_absolute_in_points_renders_intervals():
    chart = charts.forest_plot(comparisons(), relative=False, unit="percent", lang="pt")
    spec = chart.to_dict()
    assert layers_of(spec)[2]["encoding"]["x"]["title"] == "Diferença (pontos percentuais)"
    rows = next(r for r in spec["datasets"].values() if "x_low" in r[0])
    assert rows[0]["x"] == pytest.approx(-1.7)
    assert rows[0]["x_low"] == pytest.approx(-2.6)
    svg = vlc.vegalite_to_svg(spec)
    points = svg_labels(svg, "point")
    assert len(points) == 3
    assert any("−2,60" in p and "−0,80" in p and "Melhora significativa" in p for p in points)
    point_tooltip = {t["field"]: t for t in layers_of(spec)[2]["encoding"]["tooltip"]}
    assert point_tooltip["x"]["format"] == "+,.2f"
    assert svg.count('aria-roledescription="rule mark"') == 4  # zero line + three intervals


def test_control_chart_flags_points_and_renders():
    frame = daily([0.08, 0.09, 0.07, 0.15], center=0.08, lcl=0.05, ucl=0.11,
                  flagged=[False, False, False, True], rule=[None, None, None, "beyond_limits"])
    chart = charts.control_chart(frame, unit="percent", lang="en", title="Abandonment")
    spec = chart.to_dict()
    assert marks(spec) == ["area", "line", "line", "line", "line", "point"]
    point = layers_of(spec)[-1]["encoding"]
    assert point["color"]["condition"]["test"] == "datum.flagged"
    svg = vlc.vegalite_to_svg(spec)
    assert len(svg_labels(svg, "point")) == 4
    assert "beyond_limits" in svg


def test_heatmap_colour_follows_direction():
    frame = pd.DataFrame({"agent": ["Ana", "Ana", "Bia"], "topic": ["billing", "login", "billing"],
                          "value": [300.0, 250.0, 410.0], "n": [10, 12, 8]})
    lower = charts.heatmap(frame, "topic", "agent", unit="seconds", direction="lower",
                           x_title="Topic", y_title="Agent", title="AHT").to_dict()
    assert lower["mark"]["type"] == "rect"
    good, bad = charts.PALETTE["good"], charts.PALETTE["bad"]
    assert lower["encoding"]["color"]["scale"]["range"] == [good, "#f1f3f5", bad]
    assert lower["encoding"]["color"]["title"] == "AHT (minutes)"
    higher = charts.heatmap(frame, "topic", "agent", unit="percent", direction="higher").to_dict()
    assert higher["encoding"]["color"]["scale"]["range"] == [bad, "#f1f3f5", good]
    svg = vlc.vegalite_to_svg(lower)
    assert svg.count('aria-roledescription="rect mark"') == 3
    # lower is better: the shortest handle time (Ana, login: 250 s) is green, the longest red
    cells = re.findall(r'aria-label="([^"]*)" role="graphics-symbol" '
                       r'aria-roledescription="rect mark" d="[^"]*" fill="([^"]+)"', svg)
    assert len(cells) == 3
    by_time = {label.split("AHT: ")[1].split(";")[0]: fill for label, fill in cells}
    assert by_time["4:10"] == "rgb(43, 138, 62)"  # #2b8a3e
    assert by_time["6:50"] == "rgb(201, 42, 42)"  # #c92a2a


def test_sparkline_has_no_axes_and_marks_the_last_point():
    spec = charts.sparkline(daily([1.0, 2.0, 3.0]), unit="count", target=2.5).to_dict()
    assert marks(spec) == ["rule", "line", "point"]
    assert layers_of(spec)[1]["encoding"]["x"]["axis"] is None
    svg = vlc.vegalite_to_svg(spec)
    assert len(svg_labels(svg, "point")) == 1


def test_theme_is_registered_with_the_shared_palette():
    assert charts.THEME_NAME in alt.theme.names()
    config = charts.kpi_theme()["config"]
    assert config["range"]["category"][0] == charts.PALETTE["primary"]
    with alt.theme.enable(charts.THEME_NAME):
        spec = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q").to_dict()
    assert spec["config"]["range"]["category"] == list(charts.CATEGORY_COLOURS)


def test_targets_from_the_data_are_drawn_as_steps():
    from datetime import date

    from kpi.targets import Target, attach_targets

    frame = daily([0.70, 0.82, 0.85, 0.90], kpi=["service_level"] * 4)
    targets = [Target("service_level", value=0.8),
               Target("service_level", value=0.85, effective_from=date(2024, 3, 3))]
    with_targets = attach_targets(frame, targets, direction="higher")
    spec = charts.trend_chart(with_targets, unit="percent", title="SL").to_dict()
    assert marks(spec) == ["line", "line", "point"]
    step = layers_of(spec)[0]
    assert step["mark"]["interpolate"] == "step-after"
    rows = next(iter(spec["datasets"].values()))
    assert [r["target_y"] for r in rows] == [0.8, 0.8, 0.85, 0.85]
    svg = vlc.vegalite_to_svg(spec)
    assert svg.count('aria-roledescription="line mark"') == 2


def x_axis_titles(chart) -> list[str | None]:
    """Titles of the compiled Vega x axes (grid-only axes left out)."""
    vega = vlc.vegalite_to_vega(chart.to_dict())
    return [a.get("title") for a in vega["axes"] if a["orient"] == "bottom" and not a.get("grid")]


def x_tick_labels(svg: str) -> list[str]:
    """The visible tick labels of the first (x) axis of a rendered chart."""
    group = re.search(r'<g class="mark-text role-axis-label"[^>]*>(.*?)</g>', svg)
    assert group is not None
    return re.findall(r'opacity="1">([^<]*)</text>', group.group(1))


def test_forest_plot_x_axis_has_one_title():
    assert x_axis_titles(charts.forest_plot(comparisons(), relative=True, lang="en")) == [
        "Relative difference (%)"
    ]
    assert x_axis_titles(
        charts.forest_plot(comparisons(), relative=False, unit="percent", lang="pt")
    ) == ["Diferença (pontos percentuais)"]
    svg = vlc.vegalite_to_svg(charts.forest_plot(comparisons(), relative=True).to_dict())
    assert "95 % CI, upper" not in re.sub(r'aria-label="[^"]*"', "", svg)


def test_tick_decimals_by_hand():
    # d3: step = span / count rounded up at √2, √10, √50 to 1, 2, 5, 10 × 10^k; the domain
    # (with zero) is first widened to whole steps of its nice(10) step, then ticks(8) chosen
    # −2.8…2.75: nice step 0.5 -> −3…3; 6 / 8 = 0.75 -> 1: no decimals
    assert charts.tick_decimals([-2.8, 2.75]) == 0
    # −0.11…0.09: 0.02 -> −0.12…0.1; 0.22 / 8 = 0.0275 -> 0.02: two decimals
    assert charts.tick_decimals([-0.11, 0.09]) == 2
    # 0…0.5 is nice already; 0.5 / 8 = 0.0625 -> 0.05
    assert charts.tick_decimals([0.3, 0.5]) == 2
    # 0…0.6: 0.6 / 8 = 0.075 -> 0.1 (7.5 >= √50)
    assert charts.tick_decimals([0.3, 0.6]) == 1
    # −36.3…56.59: nice step 10 -> −40…60; 100 / 8 = 12.5 -> 10
    assert charts.tick_decimals([-36.3, 56.59]) == 0
    assert charts.tick_decimals([np.nan]) == 0
    assert charts.tick_decimals([0.0, 0.0]) == 0


def test_forest_plot_small_differences_get_distinct_ticks():
    # Average CSAT: −0.01 points, 95 % CI −0.11 to 0.09 (the Changes page's sample data)
    csat = pd.DataFrame({"label": ["Average CSAT"], "difference": [-0.01], "ci_low": [-0.11],
                         "ci_high": [0.09], "significant": [False], "improved": [None]})
    chart = charts.forest_plot(csat, relative=False, unit="score", lang="pt")
    axis = layers_of(chart.to_dict())[2]["encoding"]["x"]["axis"]
    assert axis["format"] == ",.2f"
    assert axis["tickMinStep"] == pytest.approx(0.01)
    labels = x_tick_labels(vlc.vegalite_to_svg(chart.to_dict()))
    assert len(labels) >= 3
    assert len(set(labels)) == len(labels)
    assert "0,00" in labels
    assert all("," in label for label in labels)
    relative = csat.assign(relative_difference=[-0.01 / 3.89], baseline_value=[3.89])
    rel_axis = layers_of(charts.forest_plot(relative, relative=True).to_dict())[2]
    # relative span (−0.028 to 0.023) * 100 = 5.1 points / 8 -> 0.64 -> 0.5: one decimal
    assert rel_axis["encoding"]["x"]["axis"]["format"] == ".1%"


def test_forest_plot_rows_have_a_fixed_step_and_the_width_fits():
    one = charts.forest_plot(comparisons().head(1), relative=True)
    three = charts.forest_plot(comparisons(), relative=True)
    spec = three.to_dict()
    assert spec["height"] == {"step": 34}
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}

    def plot_height(chart) -> float:
        """The height of the plotting area (the background path "M0.5,0.5h<w>v<h>...")."""
        svg = vlc.vegalite_to_svg(chart.to_dict())
        return float(re.search(r'class="background"[^>]*d="M[^v]*v([0-9.]+)', svg).group(1))

    assert plot_height(one) == pytest.approx(34)
    assert plot_height(three) == pytest.approx(3 * 34)


def test_forest_plot_legend_lists_the_outcomes_present_in_their_colours():
    spec = charts.forest_plot(comparisons(), relative=True).to_dict()
    scale = layers_of(spec)[2]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Significant improvement", "Significant worsening",
                               "Not significant"]
    p = charts.PALETTE
    assert scale["range"] == [p["good"], p["bad"], p["muted"]]


def test_forest_plot_durations_in_minutes_with_m_ss_tooltips():
    aht = pd.DataFrame({"label": ["AHT"], "difference": [95.0], "ci_low": [-30.0],
                        "ci_high": [220.0], "significant": [True], "improved": [False]})
    chart = charts.forest_plot(aht, relative=False, unit="seconds", lang="en")
    spec = chart.to_dict()
    assert x_axis_titles(chart) == ["Difference (minutes)"]
    rows = next(r for r in spec["datasets"].values() if "x_low" in r[0])
    assert rows[0]["x"] == pytest.approx(95 / 60)
    assert (rows[0]["x_label"], rows[0]["x_low_label"], rows[0]["x_high_label"]) == (
        "+1:35", "−0:30", "+3:40")
    tooltip = layers_of(spec)[2]["encoding"]["tooltip"]
    assert [t["field"] for t in tooltip][1:4] == ["x_label", "x_low_label", "x_high_label"]
    svg = vlc.vegalite_to_svg(spec)
    assert any("−0:30" in p and "+3:40" in p and "Significant worsening" in p
               for p in svg_labels(svg, "point"))


def test_heatmap_rows_have_a_fixed_step_and_a_wrapped_legend_title():
    frame = pd.DataFrame({"agent": ["Ana", "Bia", "Caio"], "topic": ["billing"] * 3,
                          "value": [300.0, 250.0, 410.0]})
    chart = charts.heatmap(frame, "topic", "agent", unit="seconds", lang="pt",
                           title="Tempo médio de atendimento (TMA)", direction="lower")
    spec = chart.to_dict()
    assert spec["height"] == {"step": 24}
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    title = spec["encoding"]["color"]["legend"]["title"]
    assert isinstance(title, list)
    assert " ".join(title) == "Tempo médio de atendimento (TMA) (minutos)"
    assert all(len(line) <= 24 for line in title)
    svg = vlc.vegalite_to_svg(spec)
    assert "(minutos)" in svg
