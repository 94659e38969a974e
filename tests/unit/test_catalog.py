"""The KPI catalog: the 23 built-ins of SPEC §4, their texts, parameters and availability."""

from __future__ import annotations

import json
import string

import pytest

from kpi.business_hours import BusinessCalendar
from kpi.catalog import (
    CATALOG,
    KpiParams,
    availability,
    available_kpis,
    by_category,
    definition_text,
    get_definition,
)
from kpi.cli import main
from kpi.errors import DefinitionError
from kpi.i18n import catalog as messages

SPEC_TABLE = {  # id: (category, direction) as written in SPEC §4
    "volume": ("cost", "neutral"), "abandonment_rate": ("experience", "lower"),
    "service_level": ("experience", "higher"), "avg_wait": ("experience", "lower"),
    "p90_wait": ("experience", "lower"), "aht": ("cost", "lower"),
    "avg_resolution_time": ("experience", "lower"), "fcr_rate": ("effectiveness", "higher"),
    "resolution_rate": ("effectiveness", "higher"), "transfer_rate": ("effectiveness", "lower"),
    "identification_rate": ("effectiveness", "higher"),
    "conversion_rate": ("effectiveness", "higher"), "csat_score": ("experience", "higher"),
    "csat_satisfied": ("experience", "higher"), "nps": ("experience", "higher"),
    "cost_per_contact": ("cost", "lower"), "closed_per_agent": ("effectiveness", "higher"),
    "contacts_per_hour": ("cost", "higher"), "occupancy": ("cost", "band"),
    "online_hours": ("cost", "neutral"), "backlog": ("effectiveness", "lower"),
    "unanswered": ("experience", "lower"), "forecast_accuracy": ("cost", "higher"),
}


def test_the_catalog_is_the_spec_table():
    assert list(CATALOG) == list(SPEC_TABLE)
    for kpi_id, (category, direction) in SPEC_TABLE.items():
        assert (CATALOG[kpi_id].category, CATALOG[kpi_id].direction) == (category, direction)
    assert CATALOG["occupancy"].band == (0.75, 0.85)
    assert CATALOG["nps"].kind == "nps"
    assert CATALOG["p90_wait"].kind == "quantile"
    assert CATALOG["online_hours"].kind == "total"
    assert CATALOG["volume"].kind == "count"


def test_every_kpi_has_name_description_why_and_missing_sentence_in_en_and_pt():
    texts = messages()
    for definition in CATALOG.values():
        for key in (definition.name_key, definition.description_key, definition.why_key,
                    f"catalog.missing.{definition.id}"):
            assert texts[key]["en"].strip(), key
            assert texts[key]["pt"].strip(), key
            assert texts[key]["en"] != texts[key]["pt"] or definition.id == "nps", key
    for category in ("effectiveness", "cost", "experience"):
        assert texts[f"catalog.category.{category}"]["pt"]


def test_definition_text_reflects_parameters():
    params = KpiParams(service_level_seconds=30, fcr_window_days=3, csat_scale=(1, 10))
    assert "within 30 s" in definition_text("service_level", params)
    assert "até 30 s" in definition_text("service_level", params, "pt")
    assert "3 days" in definition_text("fcr_rate", params)
    assert "9 or more on 1–10" in definition_text("csat_satisfied", params)
    median = definition_text("aht", KpiParams().with_statistic("aht", "median"))
    assert "median" in median
    business = KpiParams(business_hours=("avg_wait",), calendar=BusinessCalendar())
    assert "business hours" in definition_text("avg_wait", business)
    assert "clock hours" in definition_text("avg_wait")
    assert "cannot be told apart" in definition_text("volume", KpiParams(include_bot_only=False))
    for kpi_id in CATALOG:  # every placeholder is filled, in both languages
        for lang in ("en", "pt"):
            text = definition_text(kpi_id, params, lang)
            assert not [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_params_json_round_trip_including_calendar():
    params = KpiParams(
        service_level_seconds=45, fcr_window_days=14, csat_scale=(0, 10),
        business_hours=("avg_resolution_time",),
        calendar=BusinessCalendar(hours={0: (("08:00", "12:00"),)}, timezone="America/Recife"),
        include_bot_only=False,
    ).with_statistic("avg_wait", "p90")
    again = KpiParams.from_json(params.to_json())
    assert again == params
    assert again.calendar == params.calendar
    assert json.loads(params.to_json())["statistics"] == {"avg_wait": "p90"}
    assert again.statistic("avg_wait") == "p90"
    assert again.statistic("aht") == "mean"


@pytest.mark.parametrize(
    "bad",
    [
        {"service_level_seconds": -1}, {"fcr_window_days": 0}, {"csat_scale": [5, 1]},
        {"statistics": {"nps": "median"}}, {"statistics": {"aht": "p95"}},
        {"business_hours": ["aht"]}, {"colour": "red"}, {"csat_scale": [1, 2, 3]},
    ],
)
def test_invalid_params_are_rejected_with_a_sentence(bad):
    with pytest.raises(DefinitionError) as error:
        KpiParams.from_dict(bad)
    assert not str(error.value).startswith("catalog.")


def test_kind_follows_the_statistic():
    assert CATALOG["avg_wait"].kind_for(KpiParams()) == "mean"
    params = KpiParams().with_statistic("avg_wait", "p90")
    assert CATALOG["avg_wait"].kind_for(params) == "quantile"
    assert CATALOG["avg_wait"].quantile_for(params) == 0.9
    assert CATALOG["p90_wait"].quantile_for(None) == 0.9


def test_availability_names_what_is_missing():
    result = availability("service_level", ["created_at", "abandoned"])
    assert not result.ok
    assert result.missing == ("wait_seconds",)
    assert result.sentence("en") == (
        "needs an abandoned yes/no column and a wait time column or an answered-at time")
    assert "tempo de espera" in result.sentence("pt")
    assert availability("avg_wait", ["created_at", "answered_at"]).ok
    assert availability("fcr_rate", ["created_at", "resolved", "customer_id"]).ok
    assert availability("fcr_rate", ["created_at", "first_contact_resolution"]).ok
    occupancy = availability("occupancy", ["created_at", "agent", "handle_seconds"])
    assert occupancy.missing == ("activity",)
    assert availability("occupancy", ["created_at", "agent", "handle_seconds"],
                        has_activity=True).ok
    assert available_kpis(["created_at"]) == ("volume",)
    with pytest.raises(DefinitionError):
        get_definition("speed")


def test_cli_catalog_groups_by_category(capsys):
    assert main(["catalog", "--lang", "pt"]) == 0
    out = capsys.readouterr().out
    assert out.index("Efetividade") < out.index("Custo operacional") < out.index(
        "Experiência do cliente")
    assert "Taxa de abandono" in out
    assert len([line for line in out.splitlines() if line.startswith("  ")]) == 23
    assert sum(len(v) for v in by_category().values()) == 23


def test_fcr_window_is_bounded_to_ten_years():
    from kpi.catalog import MAX_FCR_WINDOW_DAYS, KpiParams
    from kpi.errors import DefinitionError

    assert KpiParams(fcr_window_days=MAX_FCR_WINDOW_DAYS).fcr_window_days == 3650
    with pytest.raises(DefinitionError, match="from 1 to 3650"):
        KpiParams(fcr_window_days=10**30)
