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
    detect_mapping,
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



# ---------------------------------------------------------------- detection


def _frame(columns: dict[str, list[object]]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(v, dtype="str") for k, v in columns.items()})


ZENDESK = _frame({
    "Id": ["101", "102", "103", "104"],
    "Requester": ["ana@x.com", "bo@y.com", "ana@x.com", "cy@z.com"],
    "Assignee": ["Rita", "Rita", "Joe", None],
    "Group": ["Support", "Billing", "Support", "Support"],
    "Via": ["Web form", "Email", "Chat", "Email"],
    "Subject": ["Cannot log in", "Refund", "Where is my order", "Invoice"],
    "Priority": ["high", "normal", "low", "normal"],
    "Status": ["Solved", "Closed", "Open", "Pending"],
    "Created at": ["2024-03-01 09:00", "2024-03-01 10:30", "2024-03-02 08:15",
                   "2024-03-02 11:00"],
    "Solved at": ["2024-03-01 12:00", "2024-03-02 10:30", None, None],
    "First reply time in minutes": ["12", "90", "3", None],
    "Full resolution time in minutes": ["180", "1440", None, None],
    "Satisfaction Score": ["Good", "Bad", "Offered", "Unoffered"],
})


def test_detects_a_zendesk_export():
    proposal = detect_mapping(ZENDESK)
    fields = proposal.fields
    columns = {name: m.column for name, m in fields.items() if not m.is_value_mapping}
    assert columns == {
        "interaction_id": "Id", "created_at": "Created at", "channel": "Via", "team": "Group",
        "agent": "Assignee", "topic": "Subject", "customer_id": "Requester",
        "wait_seconds": "First reply time in minutes", "resolved_at": "Solved at",
        "resolution_seconds": "Full resolution time in minutes", "status": "Status",
    }
    assert fields["wait_seconds"].unit == "minutes"
    assert fields["resolution_seconds"].unit == "minutes"
    satisfied = fields["satisfied"]
    assert (satisfied.column, satisfied.true_values, satisfied.false_values) == (
        "Satisfaction Score", ("Good",), ("Bad",))
    resolved = fields["resolved"]
    assert (resolved.column, resolved.true_values, resolved.false_values) == (
        "Status", ("Closed", "Solved"), ("Open", "Pending"))
    assert "csat" not in fields  # "Satisfaction Score" holds words, not numbers
    assert proposal.unmapped_columns == ("Priority",)
    rejected = {(m.field, m.column) for m in proposal.rejected}
    assert ("csat", "Satisfaction Score") in rejected
    mapping = proposal.to_mapping()
    assert mapping.units == {"wait_seconds": "minutes", "resolution_seconds": "minutes"}
    assert mapping.values["resolved"].true == ("Closed", "Solved")


def test_detects_a_freshdesk_export_in_hours():
    frame = _frame({
        "Ticket ID": ["1", "2", "3"],
        "Subject": ["a", "b", "c"],
        "Type": ["Question", "Incident", "Question"],
        "Source": ["Email", "Phone", "Portal"],
        "Agent": ["Mia", "Leo", "Mia"],
        "Group": ["L1", "L1", "L2"],
        "Created time": ["2024-05-02 09:00:00", "2024-05-02 09:05:00", "2024-05-03 14:00:00"],
        "Resolved time": ["2024-05-02 11:00:00", "", "2024-05-04 14:00:00"],
        "First response time (in hrs)": ["0.5", "1.25", "2"],
        "Resolution time (in hrs)": ["2", "", "24"],
    })
    fields = detect_mapping(frame).fields
    assert fields["topic"].column == "Type"  # an exact "type" beats the weaker "subject"
    assert fields["channel"].column == "Source"
    assert fields["created_at"].column == "Created time"
    assert fields["resolved_at"].column == "Resolved time"
    assert (fields["wait_seconds"].column, fields["wait_seconds"].unit) == (
        "First response time (in hrs)", "hours")
    assert (fields["resolution_seconds"].column, fields["resolution_seconds"].unit) == (
        "Resolution time (in hrs)", "hours")


def test_a_date_header_over_non_dates_is_not_created_at():
    frame = _frame({
        "Data": ["Pedido 1", "Troca", "Pedido 7", "Outro"],
        "Abertura": ["01/02/2024 10:00", "01/02/2024 11:30", "02/02/2024 08:00",
                     "03/02/2024 17:45"],
    })
    proposal = detect_mapping(frame)
    assert proposal.fields["created_at"].column == "Abertura"
    assert "Data" in proposal.unmapped_columns
    rejected = next(m for m in proposal.rejected if m.column == "Data")
    assert rejected.reason == "mapping.reason.rejected_datetime"
    assert rejected.params["share"] == 0


def test_a_numeric_nota_is_csat_and_the_scale_follows_the_values():
    frame = _frame({"Data": ["2024-01-01"] * 4, "Nota": ["1", "5", "4", "3"]})
    proposal = detect_mapping(frame)
    match = proposal.fields["csat"]
    assert (match.column, match.confidence, match.reason) == (
        "Nota", 1.0, "mapping.reason.exact_number")
    assert proposal.csat_scale == (1.0, 5.0)
    ten = detect_mapping(_frame({"Data": ["2024-01-01"] * 3, "Nota": ["0", "10", "8"]}))
    assert ten.csat_scale == (0.0, 10.0)
    text = detect_mapping(_frame({"Data": ["2024-01-01"] * 2, "Nota": ["ver ficha", "ok"]}))
    assert "csat" not in text.fields


def test_satisfied_from_words_and_no_guessing_from_content_alone():
    frame = _frame({
        "Criado em": ["2024-01-01 10:00", "2024-01-02 10:00", "2024-01-03 10:00"],
        "Avaliação": ["Bom", "Ruim", "Bom"],
        "Q1": ["1", "5", "3"],  # 1–5 integers under a meaningless name: not csat
    })
    proposal = detect_mapping(frame)
    assert proposal.fields["satisfied"].true_values == ("Bom",)
    assert proposal.fields["satisfied"].false_values == ("Ruim",)
    assert "csat" not in proposal.fields
    assert proposal.unmapped_columns == ("Q1",)


def test_each_column_feeds_one_field_and_the_best_score_wins():
    frame = _frame({
        "Data/Hora de Entrada": ["05/01/2026 02:59", "06/01/2026 08:07"],
        "Data/Hora de Atendimento": ["05/01/2026 05:32", "06/01/2026 08:08"],
        "Data/Hora de Encerramento": ["05/01/2026 10:01", None],
    })
    fields = detect_mapping(frame).fields
    assert fields["created_at"].column == "Data/Hora de Entrada"
    assert fields["answered_at"].column == "Data/Hora de Atendimento"
    assert fields["resolved_at"].column == "Data/Hora de Encerramento"


def test_detects_activity_and_forecast_tables():
    activity = _frame({"Atendente": ["Ana", "Rui"], "Data": ["05/01/2026", "05/01/2026"],
                       "Horas Logadas": ["7,5", "6"]})
    fields = detect_mapping(activity, "activity").fields
    assert {k: (m.column, m.unit) for k, m in fields.items()} == {
        "agent": ("Atendente", None), "date": ("Data", None),
        "online_seconds": ("Horas Logadas", "hours"),
    }
    forecast = _frame({"Date": ["2026-01-05"], "Channel": ["Phone"], "Forecast Volume": ["11"]})
    assert set(detect_mapping(forecast, "forecast").fields) == {
        "date", "channel", "forecast_volume"}


def test_a_phone_identifies_the_customer_better_than_a_name():
    """Names repeat (two "Ana"s are two customers), so a phone or e-mail column wins."""
    frame = _frame({
        "Created At": ["2026-11-01 08:00", "2026-11-01 09:00", "2026-11-02 10:00"],
        "contact.name": ["Ana", "Caio", "Ana"],
        "contact.phone": ["+5511999990001", "", "+5511999990002"],
    })
    assert detect_mapping(frame).fields["customer_id"].column == "contact.phone"
    only_name = detect_mapping(_frame({"Data": ["2024-01-01"] * 2,
                                       "Nome do cliente": ["Ana", "Caio"]}))
    match = only_name.fields["customer_id"]
    assert (match.column, match.confidence) == ("Nome do cliente", 0.85)
