"""``kpi validate``: what it prints and its exit codes."""

from __future__ import annotations

import json

import pytest

from kpi.cli import main
from kpi.mapping import Mapping

BRAZIL = (
    "Protocolo;Data de abertura;Atendente;Tempo de espera;Situação\n"
    "1;05/03/2024 09:15;Ana;00:01:30;Atendida\n"
    "2;13/03/2024 10:00;Rui;00:10:00;Abandonada\n"
).encode("latin-1")


@pytest.fixture
def brazil(tmp_path):
    path = tmp_path / "atendimentos.csv"
    path.write_bytes(BRAZIL)
    return path


def test_text_report_shows_detection_and_exits_0(brazil, capsys):
    assert main(["validate", str(brazil)]) == 0
    out = capsys.readouterr().out
    assert "atendimentos.csv: csv, 2 rows" in out
    assert "separator ';'" in out
    assert "dates day first" in out
    assert "created_at" in out
    assert "← Data de abertura  (100 %: header 'Data de abertura' matches created_at; " \
           "100 % of values read as dates)" in out
    assert "column 'Situação' holds Abandonada (true) and Atendida (false) for abandoned" in out
    assert "2 rows read, 2 kept" in out


def test_portuguese_output(brazil, capsys):
    assert main(["--lang", "pt", "validate", str(brazil)]) == 0
    out = capsys.readouterr().out
    assert "Arquivo atendimentos.csv: csv, 2 linhas" in out
    assert "datas com o dia primeiro" in out


def test_json_output_and_saved_mapping_round_trip(brazil, tmp_path, capsys):
    saved = tmp_path / "m.json"
    assert main(["validate", str(brazil), "--format", "json", "--save-mapping", str(saved)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["usable"] is True
    fields = {f["field"]: f for f in data["tables"][0]["fields"]}
    assert fields["wait_seconds"]["column"] == "Tempo de espera"
    assert fields["abandoned"]["true"] == ["Abandonada"]
    assert data["report"]["rows_kept"] == 2
    mapping = Mapping.load(saved)
    assert mapping.columns["created_at"] == "Data de abertura"
    assert mapping.read["sep"] == ";"
    # using the saved mapping gives the same result, shown as "given"
    assert main(["validate", str(brazil), "--mapping", str(saved), "--format", "json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert {f["field"] for f in again["tables"][0]["fields"]} == set(fields)
    assert {f["reason"] for f in again["tables"][0]["fields"]} == {"mapping.reason.given"}


def test_unusable_data_exits_1(tmp_path, capsys):
    path = tmp_path / "notes.csv"
    path.write_text("Nome,Obs\nAna,ok\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert "Unusable: None of the files holds interactions" in capsys.readouterr().out


def test_bad_mapping_and_missing_file_exit_1_with_one_sentence(brazil, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"colums": {}}', encoding="utf-8")
    assert main(["validate", str(brazil), "--mapping", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kpi: In the mapping, 'colums' is not a known key")
    assert main(["validate", str(tmp_path / "nope.csv")]) == 1


def test_usage_error_exits_2():
    with pytest.raises(SystemExit) as caught:
        main(["validate"])
    assert caught.value.code == 2


def test_a_mapping_brings_its_activity_file_along(tmp_path, capsys):
    (tmp_path / "contacts.csv").write_text(
        "Created at,Agent\n2024-01-31 10:00,Ana\n", encoding="utf-8")
    (tmp_path / "online.csv").write_text(
        "Agent,Date,Online Hours\nAna,2024-01-31,7.5\n", encoding="utf-8")
    mapping = Mapping.from_dict({
        "columns": {"created_at": "Created at", "agent": "Agent"},
        "activity": {"file": "online.csv", "columns": {
            "agent": "Agent", "date": "Date", "online_seconds": "Online Hours"},
            "units": {"online_seconds": "hours"}},
    })
    mapping.save(tmp_path / "m.json")
    args = ["validate", str(tmp_path / "contacts.csv"), "--mapping", str(tmp_path / "m.json"),
            "--format", "json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(f["file"], f["table"]) for f in data["files"]] == [
        ("contacts.csv", "interactions"), ("online.csv", "activity")]
