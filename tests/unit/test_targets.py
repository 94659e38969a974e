from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi.errors import DefinitionError
from kpi.targets import Target, applicable_target, status, statuses, unit_kind, validate_target


def test_higher_is_better_status_uses_the_margin_below_the_target():
    target = Target("service_level", value=0.80, warning_margin=0.05)
    assert status(0.80, target, "higher") == "on_target"  # the target itself is met
    assert status(0.91, target, "higher") == "on_target"
    assert status(0.76, target, "higher") == "at_risk"
    assert status(0.75, target, "higher") == "at_risk"  # 0.80 − 0.05, edge included
    assert status(0.7499, target, "higher") == "off_target"
    assert status(None, target, "higher") is None
    assert status(float("nan"), target, "higher") is None


def test_lower_is_better_status_uses_the_margin_above_the_target():
    target = Target("avg_wait", value=60.0, warning_margin=15.0)
    assert status(59.0, target, "lower") == "on_target"
    assert status(75.0, target, "lower") == "at_risk"
    assert status(75.5, target, "lower") == "off_target"


def test_band_status_inside_edges_and_margin_outside():
    target = Target("occupancy", band=(0.75, 0.85), warning_margin=0.02)
    values = pd.Series([0.75, 0.80, 0.85, 0.74, 0.87, 0.72, 0.9, np.nan], index=list("abcdefgh"))
    result = statuses(values, target, "band")
    assert list(result.index) == list("abcdefgh")
    expected = ["on_target"] * 3 + ["at_risk", "at_risk", "off_target", "off_target"]
    assert result.iloc[:7].tolist() == expected
    assert pd.isna(result.iloc[7])


def test_vectorised_statuses_agree_with_scalar_status():
    rng = np.random.default_rng(3)
    values = rng.uniform(0, 1, 200)
    target = Target("resolution_rate", value=0.6, warning_margin=0.1)
    vector = statuses(values, target, "higher").tolist()
    assert vector == [status(float(v), target, "higher") for v in values]
    # counts by hand: on ≥ 0.6, at risk in [0.5, 0.6), off < 0.5
    assert vector.count("on_target") == int((values >= 0.6).sum())
    assert vector.count("at_risk") == int(((values >= 0.5) & (values < 0.6)).sum())


@pytest.mark.parametrize(
    ("target", "unit", "direction", "code"),
    [
        (Target("abandonment_rate", value=1.2), "proportion", "lower", "targets.rate_out_of_range"),
        (Target("avg_wait", value=-5.0), "seconds", "lower", "targets.negative_duration"),
        (Target("occupancy", band=(0.9, 0.8)), "proportion", "band", "targets.band_reversed"),
        (Target("volume", value=100.0), "count", "neutral", "targets.neutral_kpi"),
        (Target("occupancy", value=0.8), "proportion", "band", "targets.band_required"),
        (Target("aht", band=(1.0, 2.0)), "seconds", "lower", "targets.value_required"),
        (Target("aht"), "seconds", "lower", "targets.value_or_band"),
        (Target("aht", value=300.0, warning_margin=-1), "seconds", "lower",
         "targets.negative_margin"),
        (Target("aht", value=300.0, scope={"agent": "Ana"}), "seconds", "lower",
         "targets.bad_scope"),
    ],
)
def test_invalid_targets_raise_definition_errors_with_sentences(target, unit, direction, code):
    with pytest.raises(DefinitionError) as info:
        validate_target(target, unit=unit, direction=direction, kpi_name="My KPI")
    assert info.value.code == code
    assert "My KPI" in str(info.value) or code == "targets.bad_scope"
    assert info.value.message("pt") != str(info.value)


def test_valid_targets_pass_validation():
    target = Target("service_level", value=0.8, scope={"channel": "phone"})
    assert validate_target(target, unit="proportion", direction="higher") is target
    band = Target("occupancy", band=(0.75, 0.85), warning_margin=0.02)
    assert validate_target(band, unit="proportion", direction="band") is band


def test_most_specific_then_latest_target_applies():
    targets = [
        Target("service_level", value=0.70),
        Target("service_level", value=0.80, effective_from=date(2024, 3, 1)),
        Target("service_level", value=0.90, scope={"channel": "phone"},
               effective_from=date(2024, 2, 1)),
        Target("service_level", value=0.95, scope={"channel": "phone"},
               effective_from=date(2024, 6, 1)),
        Target("aht", value=300.0),
    ]
    pick = applicable_target
    assert pick(targets, "service_level", period_start=date(2024, 1, 1)).value == 0.70
    assert pick(targets, "service_level", period_start=date(2024, 3, 1)).value == 0.80
    phone = {"channel": "phone"}
    sl = "service_level"
    assert pick(targets, sl, period_start=date(2024, 1, 15), segment=phone).value == 0.70
    assert pick(targets, sl, period_start=date(2024, 4, 1), segment=phone).value == 0.90
    assert pick(targets, "service_level", period_start=pd.Timestamp("2024-07-01"),
                segment=phone).value == 0.95
    assert pick(targets, "service_level", period_start=date(2024, 7, 1),
                segment={"channel": "chat"}).value == 0.80
    assert pick(targets, "nps", period_start=date(2024, 7, 1)) is None


def test_target_json_round_trip_and_bad_input():
    target = Target("occupancy", band=(0.75, 0.85), warning_margin=0.02, scope={"team": "B"},
                    effective_from=date(2024, 5, 1), note="agreed in May")
    assert Target.from_dict(target.to_dict()) == target
    with pytest.raises(DefinitionError):
        Target.from_dict({"kpi": "aht", "value": "fast"})
    with pytest.raises(DefinitionError):
        Target.from_dict({"kpi": "aht", "value": 3, "effective_from": "31/12/2024"})


def test_unit_kinds():
    assert unit_kind("proportion") == "percent"
    assert unit_kind("seconds") == "duration"
    assert unit_kind("points") == "points"
    assert unit_kind("count") == "number"
    assert unit_kind(None) == "number"


def test_attach_targets_per_period_and_segment():
    from kpi.targets import attach_targets

    values = pd.DataFrame(
        {
            "period": ["2024-01-01", "2024-01-01", "2024-07-01", "2024-07-01", "2024-07-01"],
            "channel": ["phone", "chat", "phone", "chat", None],
            "kpi": ["service_level"] * 5,
            "value": [0.85, 0.85, 0.94, 0.76, np.nan],
        }
    )
    targets = [
        Target("service_level", value=0.80, warning_margin=0.05),
        Target("service_level", value=0.95, scope={"channel": "phone"},
               effective_from=date(2024, 6, 1), warning_margin=0.02),
    ]
    out = attach_targets(values, targets, direction="higher", segment_columns=["channel"])
    assert out["target"].tolist() == [0.80, 0.80, 0.95, 0.80, 0.80]
    assert out["status"].iloc[:4].tolist() == ["on_target", "on_target", "at_risk", "at_risk"]
    assert pd.isna(out["status"].iloc[4])
    assert out["target_lower"].isna().all()

    band = attach_targets(
        pd.DataFrame({"period": ["2024-01-01"], "value": [0.9]}),
        [Target("occupancy", band=(0.75, 0.85))], direction="band", kpi="occupancy",
    )
    assert band[["target_lower", "target_upper"]].iloc[0].tolist() == [0.75, 0.85]
    assert band["status"].tolist() == ["off_target"]
    none = attach_targets(values, [], direction="higher")
    assert none["status"].isna().all()
