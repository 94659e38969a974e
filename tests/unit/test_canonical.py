"""Canonicalisation: raw exports → canonical frames with hand-checked values and reports."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kpi.canonical import canonicalise, top_two_box
from kpi.errors import MappingError, UnusableDataError
from kpi.io import read_file
from kpi.mapping import Mapping, detect_mapping
from kpi.schema import FIELDS_BY_NAME, SOURCE_FILE, SOURCE_ROW

NOW = pd.Timestamp("2025-01-01")

BRAZIL = (
    "Protocolo;Data de abertura;Canal;Fila;Atendente;Motivo;Cliente;Tempo de espera;TMA;"
    "Situação;Resolvido;Nota;Custo (R$)\n"
    "1001;05/03/2024 09:15;Telefone;Suporte;Ana;Cobrança;11999990000;00:01:30;00:05:00;"
    "Atendida;Sim;5;4,50\n"
    "1002;05/03/2024 09:20;WhatsApp;Suporte;Rui;Entrega;11988880000;00:10:00;;"
    "Abandonada;Não;;1,25\n"
    "1003;13/03/2024 17:45;E-mail;Vendas;Ana;Troca;11977770000;01:02:03;00:12:30;"
    "Atendida;Sim;3;10,00\n"
).encode("latin-1")


def _load(name: str, data: bytes) -> tuple[pd.DataFrame, object, Mapping]:
    raw = read_file(name, data)
    mapping = detect_mapping(raw.frame, read=raw.options.to_dict()).to_mapping()
    frame, report = canonicalise(raw.frame, mapping, source_file=name, now=NOW)
    return frame, report, mapping


def _values(series: pd.Series) -> list[object]:
    return [None if pd.isna(v) else v for v in series.tolist()]


def test_brazilian_export_maps_every_field_with_hand_checked_values():
    frame, report, mapping = _load("atendimentos.csv", BRAZIL)
    assert mapping.columns == {
        "interaction_id": "Protocolo", "created_at": "Data de abertura", "channel": "Canal",
        "team": "Fila", "agent": "Atendente", "topic": "Motivo", "customer_id": "Cliente",
        "wait_seconds": "Tempo de espera", "handle_seconds": "TMA", "resolved": "Resolvido",
        "csat": "Nota", "cost": "Custo (R$)",
    }
    assert mapping.values["abandoned"].to_dict() == {
        "column": "Situação", "true": ["Abandonada"], "false": ["Atendida"]}
    assert mapping.read["sep"] == ";"
    assert mapping.read["decimal"] == ","
    assert report.fatal is None
    assert (report.rows_read, report.rows_kept) == (3, 3)
    assert _values(frame["interaction_id"]) == ["1001", "1002", "1003"]
    assert _values(frame["created_at"]) == [
        pd.Timestamp("2024-03-05 09:15"), pd.Timestamp("2024-03-05 09:20"),
        pd.Timestamp("2024-03-13 17:45")]
    assert _values(frame["channel"]) == ["phone", "whatsapp", "email"]
    assert _values(frame["team"]) == ["Suporte", "Suporte", "Vendas"]
    assert _values(frame["topic"]) == ["Cobrança", "Entrega", "Troca"]
    assert _values(frame["wait_seconds"]) == [90.0, 600.0, 3723.0]
    assert _values(frame["handle_seconds"]) == [300.0, None, 750.0]
    assert _values(frame["abandoned"]) == [False, True, False]
    assert _values(frame["resolved"]) == [True, False, True]
    assert _values(frame["csat"]) == [5.0, None, 3.0]
    assert _values(frame["satisfied"]) == [True, None, False]  # top-2-box of 1–5
    assert _values(frame["cost"]) == [4.5, 1.25, 10.0]
    assert _values(frame[SOURCE_FILE]) == ["atendimentos.csv"] * 3
    assert _values(frame[SOURCE_ROW]) == [1, 2, 3]


def test_canonical_columns_are_in_schema_order_with_schema_dtypes():
    frame, _, _ = _load("atendimentos.csv", BRAZIL)
    fields = [c for c in frame.columns if c not in (SOURCE_FILE, SOURCE_ROW)]
    order = list(FIELDS_BY_NAME)
    assert fields == sorted(fields, key=order.index)
    assert list(frame.columns[-2:]) == [SOURCE_FILE, SOURCE_ROW]
    for name in fields:
        assert str(frame[name].dtype) == FIELDS_BY_NAME[name].dtype, name
    assert str(frame[SOURCE_ROW].dtype) == "int64"


def test_zendesk_export_durations_in_minutes_and_derived_fields():
    data = (
        b"Id,Requester,Assignee,Group,Created at,Solved at,First reply time in minutes,"
        b"Full resolution time in minutes,Satisfaction Score\n"
        b"7,ana@x.com,Rita,Support,2024-03-01 09:00,2024-03-01 12:00,12,180,Good\n"
        b"8,bo@y.com,Joe,Billing,2024-03-01 10:30,,1.5,,Bad\n"
        b"9,cy@z.com,Rita,Support,2024-03-02 08:15,,,,Offered\n"
    )
    frame, report, mapping = _load("zendesk.csv", data)
    assert mapping.units == {"wait_seconds": "minutes", "resolution_seconds": "minutes"}
    assert _values(frame["wait_seconds"]) == [720.0, 90.0, None]
    assert _values(frame["resolution_seconds"]) == [10800.0, None, None]
    assert _values(frame["resolved"]) == [True, False, False]  # from Solved at
    assert _values(frame["satisfied"]) == [True, False, None]  # Offered: neither list
    unmapped = [i for i in report.issues if i.code == "mapping.issue.unmapped_values"]
    assert [(i.column, i.count, i.examples) for i in unmapped] == [
        ("Satisfaction Score", 1, ("Offered",))]


def test_freshdesk_export_durations_in_hours():
    data = (
        b"Ticket ID,Agent,Group,Created time,Resolved time,First response time (in hrs),"
        b"Resolution time (in hrs)\n"
        b"1,Mia,L1,2024-05-02 09:00:00,2024-05-02 11:00:00,0.5,2\n"
        b"2,Leo,L1,2024-05-02 09:05:00,,1.25,\n"
    )
    frame, _, mapping = _load("freshdesk.csv", data)
    assert mapping.units == {"wait_seconds": "hours", "resolution_seconds": "hours"}
    assert _values(frame["wait_seconds"]) == [1800.0, 4500.0]
    assert _values(frame["resolution_seconds"]) == [7200.0, None]
    assert _values(frame["resolved"]) == [True, False]


def test_derives_wait_and_resolution_from_timestamps_and_generates_ids():
    raw = pd.DataFrame({
        "Start": ["2024-01-01 10:00:00", "2024-01-01 11:00:00"],
        "Answer": ["2024-01-01 10:00:45", None],
        "End": ["2024-01-01 10:30:00", "2024-01-01 11:05:00"],
    }, dtype="str")
    mapping = Mapping.from_dict({"columns": {
        "created_at": "Start", "answered_at": "Answer", "resolved_at": "End"}})
    frame, report = canonicalise(raw, mapping, source_file="calls.csv", now=NOW)
    assert _values(frame["wait_seconds"]) == [45.0, None]
    assert _values(frame["resolution_seconds"]) == [1800.0, 300.0]
    assert _values(frame["resolved"]) == [True, True]
    assert _values(frame["interaction_id"]) == ["1", "2"]
    generated = [i for i in report.issues if i.code == "mapping.issue.id_generated"]
    assert len(generated) == 1
    assert generated[0].severity == "warning"


@pytest.mark.parametrize(
    ("scale", "scores", "expected"),
    [
        ((1.0, 5.0), [1, 3, 3.5, 4, 5, None], [False, False, False, True, True, None]),
        ((0.0, 10.0), [8, 9, 10], [False, True, True]),
        ((1.0, 7.0), [5, 6], [False, True]),
        ((0.0, 100.0), [79, 80, 100], [False, True, True]),
    ],
)
def test_top_two_box(scale, scores, expected):
    csat = pd.Series([math.nan if s is None else s for s in scores], dtype="float64")
    assert _values(top_two_box(csat, scale)) == expected


def test_a_third_of_dates_unparseable_are_dropped_and_counted():
    raw = pd.DataFrame({
        "Data": ["01/02/2024 10:00", "ontem", "02/02/2024 11:00", "31/02/2024 09:00",
                 "03/02/2024 12:00", "04/02/2024 13:00"],
        "Agente": ["a", "b", "c", "d", "e", "f"],
    }, dtype="str")
    mapping = Mapping.from_dict({"read": {"dayfirst": True},
                                 "columns": {"created_at": "Data", "agent": "Agente"}})
    frame, report = canonicalise(raw, mapping, source_file="x.csv", now=NOW)
    assert (report.rows_read, report.rows_kept) == (6, 4)
    assert report.dropped == {"mapping.issue.no_created_at": 2}
    issue = next(i for i in report.issues if i.code == "mapping.issue.no_created_at")
    assert issue.count == 2
    assert set(issue.examples) == {"ontem", "31/02/2024 09:00"}
    assert _values(frame["agent"]) == ["a", "c", "e", "f"]
    assert _values(frame[SOURCE_ROW]) == [1, 3, 5, 6]  # traceable to the file's rows


def test_no_created_at_is_fatal_not_an_exception():
    raw = pd.DataFrame({"Agente": ["a"]}, dtype="str")
    frame, report = canonicalise(raw, Mapping.from_dict({"columns": {"agent": "Agente"}}),
                                 source_file="x.csv", now=NOW)
    assert isinstance(report.fatal, UnusableDataError)
    assert report.fatal.code == "mapping.fatal.no_created_at"
    assert frame.empty
    nothing = pd.DataFrame({"Data": ["?", "amanhã"]}, dtype="str")
    _, report = canonicalise(nothing, Mapping.from_dict({"columns": {"created_at": "Data"}}),
                             source_file="x.csv", now=NOW)
    assert report.fatal is not None
    assert report.fatal.code == "mapping.fatal.no_rows"
    assert report.rows_kept == 0


def test_a_mapping_naming_a_missing_column_raises():
    raw = pd.DataFrame({"Data": ["2024-01-01"]}, dtype="str")
    with pytest.raises(MappingError, match="'Agente'"):
        canonicalise(raw, Mapping.from_dict({"columns": {"created_at": "Data",
                                                          "agent": "Agente"}}),
                     source_file="x.csv")


def test_unreadable_values_are_reported_and_unknown():
    raw = pd.DataFrame({
        "Data": ["2024-01-01 10:00", "2024-01-01 11:00", "2024-01-01 12:00"],
        "Espera": ["00:01:00", "muito", "30"],
    }, dtype="str")
    mapping = Mapping.from_dict({"columns": {"created_at": "Data", "wait_seconds": "Espera"}})
    frame, report = canonicalise(raw, mapping, source_file="x.csv", now=NOW)
    assert _values(frame["wait_seconds"]) == [60.0, None, 30.0]
    issue = next(i for i in report.issues if i.code == "mapping.issue.unparsed")
    assert (issue.field, issue.column, issue.count, issue.examples) == (
        "wait_seconds", "Espera", 1, ("muito",))


def test_dimensions_are_kept_as_text_and_activity_table():
    raw = pd.DataFrame({"Data": ["2024-01-01"], "Região": [" Sul "]}, dtype="str")
    mapping = Mapping.from_dict({"columns": {"created_at": "Data"}, "dimensions": ["Região"]})
    frame, _ = canonicalise(raw, mapping, source_file="x.csv", now=NOW)
    assert _values(frame["Região"]) == ["Sul"]
    activity = pd.DataFrame({"Atendente": ["Ana", "Rui", "Ana"],
                             "Data": ["05/01/2026", "05/01/2026", "xx"],
                             "Horas Logadas": ["7,5", "6", "1"]}, dtype="str")
    mapping = detect_mapping(activity, "activity").to_mapping()
    frame, report = canonicalise(activity, mapping, source_file="a.csv", table="activity")
    assert list(frame.columns) == ["agent", "date", "online_seconds"]
    assert _values(frame["online_seconds"]) == [27000.0, 21600.0]
    assert report.dropped == {"mapping.issue.missing_required": 1}
    assert np.all(frame["date"] == pd.Timestamp("2026-01-05"))


def test_bad_values_are_reported_with_their_policy():
    raw = pd.DataFrame({
        "ID": ["1", "2", "2", "4", "5"],
        "Criado em": ["2024-01-01 10:00"] * 5,
        "Espera (s)": ["30", "-5", "10", "20", "40"],
        "Nota": ["5", "7", "4", "3", ""],
        "Atendente": ["=1+1", "<script>alert(1)</script>", "Ana", "Rui", "Ana"],
    }, dtype="str")
    mapping = Mapping.from_dict({"columns": {
        "interaction_id": "ID", "created_at": "Criado em", "wait_seconds": "Espera (s)",
        "csat": "Nota", "agent": "Atendente"}, "csat_scale": [1, 5]})
    frame, report = canonicalise(raw, mapping, source_file="bad.csv", now=NOW)
    issues = {i.code: i for i in report.issues}
    assert report.rows_kept == 5  # nothing here drops a row
    assert (issues["validation.duplicate_id"].count,
            issues["validation.duplicate_id"].examples) == (1, ("2",))
    assert issues["validation.negative_duration"].count == 1
    assert _values(frame["wait_seconds"]) == [30.0, None, 10.0, 20.0, 40.0]
    assert issues["validation.csat_off_scale"].count == 1
    assert _values(frame["csat"]) == [5.0, None, 4.0, 3.0, None]
    # satisfied comes from the cleaned CSAT: the 7 is unknown, not satisfied
    assert _values(frame["satisfied"]) == [True, None, True, False, None]
    assert issues["validation.formula_like"].count == 1
    assert issues["validation.markup"].count == 1
    assert _values(frame["agent"]) == ["=1+1", "<script>alert(1)</script>", "Ana", "Rui", "Ana"]
    lines = report.lines("en")
    assert any("duplicate" in line.lower() for line in lines)
    assert list(frame.columns).index("satisfied") == list(frame.columns).index("csat") + 1


def test_placeholder_customers_are_unknown_not_one_customer_repeating():
    """Withheld numbers would otherwise be one customer calling over and over: every anonymous
    call would look like a repeat and count against first-contact resolution."""
    data = (
        "Call ID,Start Time,Caller,Resolved\n"
        "1,2025-01-06 09:00,Anonymous,Yes\n"
        "2,2025-01-06 10:00, Anonymous ,Yes\n"
        "3,2025-01-06 11:00,Número Privado,Yes\n"
        "4,2025-01-06 12:00,000000,Yes\n"
        "5,2025-01-06 13:00,+5511999990001,Yes\n"
        "6,2025-01-07 13:00,+5511999990001,Yes\n"
        "7,2025-01-07 14:00,,Yes\n"
    ).encode()
    frame, report, _ = _load("calls.csv", data)
    assert _values(frame["customer_id"]) == [None, None, None, None, "+5511999990001",
                                             "+5511999990001", None]
    (issue,) = [i for i in report.issues if i.code == "mapping.issue.placeholder_customers"]
    assert issue.count == 4
    assert issue.examples == ("Anonymous", "Número Privado", "000000")
    assert "4 contacts have no real customer id in 'Caller'" in issue.line("en")
    from kpi.compute import kpi_values

    fcr = kpi_values(frame, ["fcr_rate"], freq="month")
    # SPEC: population = contacts with a known customer (5 and 6); 5 is followed by 6 within
    # 7 days, so 1 of 2. Kept as an id, "Anonymous" would have made 1 a repeat of 2 (4 of 6).
    assert fcr["value"].iloc[0] == pytest.approx(1 / 2)
    assert fcr["n"].iloc[0] == 2


def test_a_totals_row_is_dropped_once_and_its_other_cells_raise_nothing():
    """Exports end with blank lines and a totals row: those rows are counted once, as blank
    dates, apart from rows whose date is unreadable, and their other cells are not reported."""
    data = (
        "Protocolo;Data de abertura;Situação;Tempo de espera\n"
        "1;05/03/2024 09:15;Atendida;00:01:30\n"
        "2;05/03/2024 09:20;Abandonada;00:10:00\n"
        "3;31/03/2024 25:00;Atendida;00:00:10\n"
        ";;;\n"
        "Total;;2;00:11:40\n"
    ).encode()
    frame, report, mapping = _load("calls.csv", data)
    assert mapping.values["abandoned"].column == "Situação"
    assert _values(frame["interaction_id"]) == ["1", "2"]
    assert _values(frame["abandoned"]) == [False, True]
    assert report.dropped == {"mapping.issue.no_created_at": 1,
                              "mapping.issue.blank_created_at": 2}
    codes = {i.code: i for i in report.issues}
    assert codes["mapping.issue.no_created_at"].examples == ("31/03/2024 25:00",)
    assert codes["mapping.issue.blank_created_at"].line("en") == (
        "2 rows have no creation time at all (blank, e.g. empty lines or a totals row) and "
        "were left out.")
    # the totals row's "2" is in neither list of Situação, but that row is not kept
    assert "mapping.issue.unmapped_values" not in codes
