"""Mapping files, header aliases, detection confirmed by content, channel normalisation."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kpi.errors import MappingError
from kpi.mapping import (
    FieldMatch,
    Mapping,
    MappingProposal,
    ValueMapping,
    header_scores,
    normalise_channel,
    normalise_header,
    normalise_status,
    value_mask,
)

SPEC_EXAMPLE = {
    "read": {"sep": ";", "decimal": ",", "encoding": "latin-1", "dayfirst": True,
             "sheet": "Atendimentos"},
    "columns": {"created_at": "Data/Hora", "wait_seconds": "Tempo de espera",
                "agent": "Atendente"},
    "units": {"wait_seconds": "minutes"},
    "values": {"abandoned": {"column": "Status", "true": ["Abandonada"], "false": ["Atendida"]},
               "satisfied": {"column": "Avaliação", "true": ["Bom"], "false": ["Ruim"]}},
    "csat_scale": [1, 5],
    "timezone": "America/Sao_Paulo",
    "activity": {"sheet": "Agent activity",
                 "columns": {"agent": "Agent", "date": "Date", "online_seconds": "Online hours"},
                 "units": {"online_seconds": "hours"}},
}


# ---------------------------------------------------------------- the mapping file


def test_spec_example_round_trips_through_json(tmp_path):
    mapping = Mapping.from_dict(SPEC_EXAMPLE)
    assert mapping.columns["wait_seconds"] == "Tempo de espera"
    assert mapping.values["abandoned"] == ValueMapping("Status", ("Abandonada",), ("Atendida",))
    assert mapping.scale == (1.0, 5.0)
    assert mapping.dayfirst is True
    assert mapping.activity is not None
    assert mapping.activity.units == {"online_seconds": "hours"}
    assert mapping.activity.sheet == "Agent activity"
    path = tmp_path / "m.json"
    mapping.save(path)
    text = path.read_text(encoding="utf-8")
    assert "Avaliação" in text  # UTF-8, not \\u escapes
    again = Mapping.load(path)
    assert again == mapping
    assert json.loads(text) == mapping.to_dict()
    assert hash(again) == hash(mapping)


def test_to_dict_has_stable_key_order_and_leaves_out_empty_parts():
    mapping = Mapping.from_dict({"timezone": "UTC", "columns": {"agent": "A"}, "read": {}})
    assert list(mapping.to_dict()) == ["columns", "timezone"]
    assert Mapping().to_dict() == {}


@pytest.mark.parametrize(
    ("data", "names"),
    [
        ({"colums": {}}, ["colums", "columns"]),
        ({"columns": {"wait": "X"}}, ["columns.wait", "wait_seconds"]),
        ({"columns": {"agent": 3}}, ["columns.agent", "text"]),
        ({"columns": []}, ["columns", "object"]),
        ({"units": {"wait_seconds": "days"}}, ["units.wait_seconds", "days", "minutes"]),
        ({"units": {"agent": "hours"}}, ["units.agent", "handle_seconds"]),
        ({"values": {"csat": {"column": "X", "true": ["a"]}}}, ["values.csat", "abandoned"]),
        ({"values": {"abandoned": {"true": ["a"]}}}, ["values.abandoned.column"]),
        ({"values": {"abandoned": {"column": "S", "true": "a"}}}, ["values.abandoned.true"]),
        ({"values": {"abandoned": {"column": "S", "yes": ["a"]}}}, ["values.abandoned.yes"]),
        ({"csat_scale": [5, 1]}, ["csat_scale", "5", "1"]),
        ({"csat_scale": [1, 2, 3]}, ["csat_scale"]),
        ({"csat_scale": [True, 5]}, ["csat_scale"]),
        ({"timezone": "Mars/Olympus"}, ["timezone", "Mars/Olympus"]),
        ({"dimensions": "Region"}, ["dimensions"]),
        ({"activity": {"columns": {"csat": "X"}}}, ["activity.columns.csat", "online_seconds"]),
        ({"forecast": {"sheets": "F"}}, ["forecast.sheets", "sheet"]),
        ({"read": {"sepp": ";"}}, ["sepp"]),
        ({"read": {"dayfirst": "yes"}}, ["dayfirst"]),
        (["columns"], ["mapping", "object"]),
    ],
)
def test_mapping_errors_name_the_key_and_what_is_allowed(data, names):
    with pytest.raises(MappingError) as caught:
        Mapping.from_dict(data)
    text = f"{caught.value} {caught.value.params}"  # read options: kpi.io's own messages
    for name in names:
        assert name in text


def test_bad_json_and_missing_file(tmp_path):
    with pytest.raises(MappingError, match="not valid JSON"):
        Mapping.from_json("{columns: ")
    with pytest.raises(MappingError, match="Cannot read the mapping file"):
        Mapping.load(tmp_path / "nope.json")
    with pytest.raises(MappingError) as caught:
        Mapping.from_dict({"colums": {}})
    assert "não é uma chave conhecida" in caught.value.message("pt")


# ---------------------------------------------------------------- headers


def test_normalise_header():
    assert normalise_header("  Situação/Status ") == "situacao status"
    assert normalise_header("QueueTime") == "queue time"
    assert normalise_header("First response time (in hrs)") == "first response time in hrs"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Created at", "created_at"), ("Requester", "customer_id"), ("Assignee", "agent"),
        ("Group", "team"), ("Satisfaction Score", "csat"),
        ("First reply time in minutes", "wait_seconds"),
        ("Full resolution time in minutes", "resolution_seconds"),
        ("Created time", "created_at"), ("First response time (in hrs)", "wait_seconds"),
        ("Resolution time (in hrs)", "resolution_seconds"), ("StartTime", "created_at"),
        ("QueueTime", "wait_seconds"), ("TalkTime", "handle_seconds"),
        ("Data/Hora", "created_at"), ("Data de abertura", "created_at"),
        ("Protocolo", "interaction_id"), ("Atendente", "agent"), ("Fila", "team"),
        ("Tempo de espera", "wait_seconds"), ("TME", "wait_seconds"), ("TMA", "handle_seconds"),
        ("Situação", "status"), ("Nota", "csat"), ("Assunto", "topic"), ("Motivo", "topic"),
        ("Fecha de creación", "created_at"), ("Temps d'espera", "wait_seconds"),
        ("Tiempo de resolución", "resolution_seconds"), ("Agente asignado", "agent"),
    ],
)
def test_header_aliases_rank_the_right_field_first(header, field):
    scores = header_scores(header)
    best = max(scores, key=lambda name: scores[name].score)
    assert best == field


def test_generic_single_words_match_only_exactly():
    assert "interaction_id" not in header_scores("Agent ID")
    assert "created_at" not in header_scores("Data prevista")
    assert header_scores("Data")["created_at"].score == 1.0


# ---------------------------------------------------------------- values


def test_normalise_channel():
    raw = pd.Series(["Telefone", "Voz", "Ligação", "Call", "Inbound call", "E-mail", "Correo",
                     "WhatsApp Business", "WA", "Instagram DM", "Facebook Messenger", "Webchat",
                     "Live chat", " Kiosk ", None, "PHONE"], dtype="str")
    expected = pd.Series([
        "phone", "phone", "phone", "phone", "phone", "email", "email", "whatsapp", "whatsapp",
        "instagram", "messenger", "chat", "chat", "kiosk", None, "phone",
    ], dtype="str")
    pd.testing.assert_series_equal(normalise_channel(raw), expected)


def test_normalise_status_and_value_mask():
    raw = pd.Series(["Pendente", "Resolvido", "Solved", "open", "Escalated", None], dtype="str")
    expected = pd.Series(["open", "closed", "closed", "open", "escalated", None], dtype="str")
    pd.testing.assert_series_equal(normalise_status(raw), expected)
    assert value_mask(raw, ["resolvido ", "SOLVED"]).tolist() == [False, True, True, False,
                                                                   False, False]


def test_proposal_to_mapping():
    proposal = MappingProposal(
        table="interactions",
        matches=(
            FieldMatch("created_at", "Data", 1.0, "mapping.reason.exact_datetime"),
            FieldMatch("wait_seconds", "Espera (min)", 0.9, "mapping.reason.exact_duration",
                       unit="minutes"),
            FieldMatch("abandoned", "Situação", 0.95, "mapping.reason.values",
                       true_values=("Abandonada",), false_values=("Atendida",)),
        ),
        unmapped_columns=("Obs",),
        read={"sep": ";"},
        csat_scale=None,
    )
    mapping = proposal.to_mapping()
    assert mapping.to_dict() == {
        "read": {"sep": ";"},
        "columns": {"created_at": "Data", "wait_seconds": "Espera (min)"},
        "units": {"wait_seconds": "minutes"},
        "values": {"abandoned": {"column": "Situação", "true": ["Abandonada"],
                                 "false": ["Atendida"]}},
    }
    assert Mapping.from_dict(mapping.to_dict()) == mapping

