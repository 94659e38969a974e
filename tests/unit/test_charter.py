from __future__ import annotations

import json
from datetime import date

import pytest

from kpi.charter import FORMAT_VERSION, Charter, read_charter
from kpi.errors import DefinitionError
from kpi.targets import Target

KNOWN = ("abandonment_rate", "service_level", "aht", "occupancy", "nps")


def workshop_charter() -> Charter:
    return Charter(
        name="Equipe Suporte",
        kpis=("service_level", "abandonment_rate", "vip_rate", "occupancy"),
        parameters={"service_level_seconds": 30, "fcr_window_days": 5},
        custom_kpis=(
            {"id": "vip_rate", "form": "ratio", "name": "Taxa VIP", "unit": "proportion"},
        ),
        targets=(
            Target("service_level", value=0.8, warning_margin=0.05),
            Target("service_level", value=0.9, scope={"channel": "phone"},
                   effective_from=date(2024, 6, 1)),
            Target("occupancy", band=(0.75, 0.85), warning_margin=0.02),
        ),
        notes="Revisar em julho. Ação: contratar 2 atendentes.",
    )


def test_json_round_trip_keeps_everything_in_order():
    charter = workshop_charter()
    text = charter.to_json()
    document = json.loads(text)
    assert document["format_version"] == FORMAT_VERSION
    assert document["kpis"] == ["service_level", "abandonment_rate", "vip_rate", "occupancy"]
    assert document["targets"][2]["band"] == [0.75, 0.85]
    assert "ação" in text.lower()  # UTF-8 kept readable, not escaped
    assert Charter.from_json(text) == charter
    assert Charter.from_json(text.encode("utf-8")) == charter


def test_custom_kpis_count_as_known_and_unknown_ids_are_reported_not_dropped():
    charter = workshop_charter()
    assert charter.unknown_kpis(KNOWN) == ()
    document = charter.to_dict()
    document["kpis"].append("sla_breaches")
    document["targets"].append({"kpi": "legacy_metric", "value": 3.0})
    result = read_charter(json.dumps(document), known_kpis=KNOWN)
    assert result.unknown_kpis == ("sla_breaches", "legacy_metric")
    assert "sla_breaches" in result.charter.kpis  # kept
    assert result.charter.targets_for("legacy_metric")[0].value == 3.0
    assert "sla_breaches, legacy_metric" in result.warnings("en")[0]
    assert "não conhece" in result.warnings("pt")[0]
    assert read_charter(charter.to_json(), known_kpis=KNOWN).warnings() == []


def test_newer_format_version_is_refused_with_a_clear_sentence():
    document = workshop_charter().to_dict()
    document["format_version"] = FORMAT_VERSION + 1
    with pytest.raises(DefinitionError) as info:
        Charter.from_json(json.dumps(document))
    assert info.value.code == "targets.charter.newer_version"
    assert f"format {FORMAT_VERSION + 1}" in str(info.value)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{not json", "targets.charter.malformed"),
        ("[1, 2]", "targets.charter.malformed"),
        ('{"kpis": []}', "targets.charter.malformed"),
        ('{"format_version": 1, "kpis": "aht"}', "targets.charter.bad_field"),
        ('{"format_version": 1, "targets": [{"kpi": "aht", "value": "low"}]}',
         "targets.not_a_number"),
        ('{"format_version": 1, "targets": [3]}', "targets.charter.bad_field"),
        ('{"format_version": 1, "custom_kpis": [{"name": "no id"}]}', "targets.charter.bad_field"),
    ],
)
def test_malformed_files_raise_definition_errors(text, code):
    with pytest.raises(DefinitionError) as info:
        Charter.from_json(text)
    assert info.value.code == code


def test_revised_increments_revision_and_stamps_time():
    charter = workshop_charter()
    revised = charter.revised(notes="new notes")
    assert revised.revision == charter.revision + 1
    assert revised.notes == "new notes"
    assert revised.updated_at is not None
    assert charter.referenced_kpis()[:2] == ("service_level", "abandonment_rate")


def test_parameters_are_kpi_params_and_bad_ones_are_refused():
    from kpi.catalog import KpiParams

    params = KpiParams(service_level_seconds=30, fcr_window_days=3).to_dict()
    charter = Charter.from_json(Charter(kpis=("service_level",), parameters=params).to_json())
    assert KpiParams.from_dict(charter.parameters).service_level_seconds == 30
    with pytest.raises(DefinitionError):
        Charter.from_dict({"format_version": 1, "parameters": {"fcr_window_days": 0}})
    with pytest.raises(DefinitionError):
        Charter.from_dict({"format_version": 1, "parameters": {"no_such": 1}})
