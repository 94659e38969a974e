"""load_dataset: several files, table classification, one mapping, overlaps, failures."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from kpi.errors import MappingError
from kpi.load import classify, load_dataset
from kpi.mapping import Mapping
from kpi.schema import SOURCE_FILE

NOW = pd.Timestamp("2025-01-01")

JANUARY = (
    b"Ticket ID,Created at,Agent,Wait Time (s)\n"
    b"1,2024-01-30 10:00,Ana,30\n"
    b"2,2024-01-31 11:00,Rui,45\n"
    b"3,2024-01-31 12:00,Ana,60\n"
)
FEBRUARY = (  # overlaps January on ticket 3 (the exports share a day)
    b"Ticket ID,Created at,Agent,Wait Time (s)\n"
    b"3,2024-01-31 12:00,Ana,60\n"
    b"4,2024-02-01 09:00,Rui,15\n"
)
ACTIVITY = b"Agent,Date,Online Hours\nAna,2024-01-31,7.5\nRui,2024-01-31,6\n"
FORECAST = b"Date,Channel,Forecast Volume\n2024-01-31,Phone,40\n2024-02-01,Phone,38\n"


def test_several_files_are_classified_appended_and_overlaps_reported():
    dataset = load_dataset(
        [("jan.csv", JANUARY), ("feb.csv", FEBRUARY), ("jan_activity.csv", ACTIVITY),
         ("jan_forecast.csv", FORECAST)],
        now=NOW,
    )
    assert [(r.name, r.table, r.rows) for r in dataset.reads] == [
        ("jan.csv", "interactions", 3), ("feb.csv", "interactions", 2),
        ("jan_activity.csv", "activity", 2), ("jan_forecast.csv", "forecast", 2)]
    frame = dataset.interactions
    assert frame["interaction_id"].tolist() == ["1", "2", "3", "3", "4"]
    assert frame[SOURCE_FILE].tolist() == ["jan.csv"] * 3 + ["feb.csv"] * 2
    assert frame["wait_seconds"].tolist() == [30.0, 45.0, 60.0, 60.0, 15.0]
    overlap = [i for i in dataset.report.issues if i.code == "mapping.issue.overlap"]
    assert [(i.count, i.examples) for i in overlap] == [(1, ("3",))]
    assert dataset.report.rows_read == 5
    assert dataset.report.rows_kept == 5
    assert dataset.activity is not None
    assert dataset.activity["online_seconds"].tolist() == [27000.0, 21600.0]
    assert dataset.forecast is not None
    assert dataset.forecast["forecast_volume"].tolist() == [40.0, 38.0]
    assert dataset.forecast["channel"].tolist() == ["phone", "phone"]
    mapping = dataset.mapping
    assert mapping.columns["created_at"] == "Created at"
    assert mapping.activity is not None
    assert mapping.activity.file == "jan_activity.csv"
    assert mapping.activity.units == {"online_seconds": "hours"}
    assert mapping.forecast is not None
    assert mapping.forecast.file == "jan_forecast.csv"
    # the saved mapping loads the same files the same way
    again = load_dataset(
        [("jan.csv", JANUARY), ("feb.csv", FEBRUARY), ("jan_activity.csv", ACTIVITY),
         ("jan_forecast.csv", FORECAST)],
        Mapping.from_json(mapping.to_json()), now=NOW,
    )
    pd.testing.assert_frame_equal(again.interactions, frame)
    pd.testing.assert_frame_equal(again.activity, dataset.activity)
    assert again.proposal is None


def test_headers_that_differ_get_their_own_detection():
    other = b"Protocolo;Data de abertura;Atendente\n9;01/02/2024 10:00;Bia\n"
    dataset = load_dataset([("a.csv", JANUARY), ("b.csv", other)], now=NOW)
    frame = dataset.interactions
    assert frame["agent"].tolist() == ["Ana", "Rui", "Ana", "Bia"]
    assert frame["created_at"].iloc[-1] == pd.Timestamp("2024-02-01 10:00")
    assert pd.isna(frame["wait_seconds"].iloc[-1])
    assert str(frame["wait_seconds"].dtype) == "float64"
    assert set(dataset.proposals) == {"a.csv", "b.csv"}


def test_generated_ids_stay_unique_across_files():
    no_ids = b"Created at,Agent\n2024-01-01 10:00,Ana\n2024-01-01 11:00,Rui\n"
    dataset = load_dataset([("x.csv", no_ids), ("y.csv", no_ids)], now=NOW)
    assert dataset.interactions["interaction_id"].tolist() == [
        "x.csv:1", "x.csv:2", "y.csv:1", "y.csv:2"]
    assert not [i for i in dataset.report.issues if i.code == "mapping.issue.overlap"]


def test_a_file_that_fails_is_reported_and_fatal_only_when_alone():
    dataset = load_dataset([("ok.csv", JANUARY), ("empty.csv", b"")], now=NOW)
    assert dataset.usable
    failed = [i for i in dataset.report.issues if i.code == "mapping.issue.file_failed"]
    assert [i.column for i in failed] == ["empty.csv"]
    alone = load_dataset([("empty.csv", b"")], now=NOW)
    assert not alone.usable
    assert alone.report.fatal is not None
    assert alone.report.fatal.code == "mapping.fatal.no_file"
    assert alone.interactions.empty
    (read,) = alone.reads
    assert read.error is not None
    assert read.error.code == "io.empty"  # kept, so the app translates it without re-reading


def test_a_skipped_file_is_explained_in_the_users_language():
    dataset = load_dataset([("ok.csv", JANUARY), ("empty.csv", b"")], now=NOW)
    (failed,) = [i for i in dataset.report.issues if i.code == "mapping.issue.file_failed"]
    english, portuguese = failed.error.message("en"), failed.error.message("pt")
    assert english != portuguese
    assert failed.line("en") == f"The file empty.csv was skipped: {english}"
    assert failed.line("pt") == f"O arquivo empty.csv foi ignorado: {portuguese}"
    assert failed.to_dict()["examples"] == [english]


def test_no_interactions_is_fatal():
    dataset = load_dataset([("notes.csv", b"Nome,Obs\nAna,ok\n")], now=NOW)
    assert dataset.report.fatal is not None
    assert dataset.report.fatal.code == "mapping.fatal.no_interactions"
    assert [i.code for i in dataset.report.issues] == ["mapping.issue.unclassified"]


def test_a_given_mapping_naming_a_missing_column_raises():
    mapping = Mapping.from_dict({"columns": {"created_at": "Data/Hora"}})
    with pytest.raises(MappingError, match="'Data/Hora'"):
        load_dataset([("jan.csv", JANUARY)], mapping, now=NOW)
    with pytest.raises(MappingError, match="'Região'"):
        load_dataset([("jan.csv", JANUARY)],
                     Mapping.from_dict({"columns": {"created_at": "Created at"},
                                        "dimensions": ["Região"]}),
                     now=NOW)
    # a mapping with reading options only: the columns are detected
    dataset = load_dataset([("jan.csv", JANUARY)], Mapping.from_dict({"read": {"sep": ","}}),
                           now=NOW)
    assert dataset.mapping.columns["agent"] == "Agent"
    assert dataset.mapping.read["sep"] == ","


def test_excel_sheets_are_classified():
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame({"Created at": ["2024-01-31 10:00"], "Agent": ["Ana"]}).to_excel(
            writer, sheet_name="Interactions", index=False)
        pd.DataFrame({"Agent": ["Ana"], "Date": ["2024-01-31"], "Online Hours": [8]}).to_excel(
            writer, sheet_name="Agent activity", index=False)
    dataset = load_dataset([("book.xlsx", buffer.getvalue())], now=NOW)
    assert [(r.sheet, r.table) for r in dataset.reads] == [
        ("Interactions", "interactions"), ("Agent activity", "activity")]
    assert dataset.activity is not None
    assert dataset.activity["online_seconds"].tolist() == [28800.0]
    assert dataset.mapping.activity is not None
    assert dataset.mapping.activity.sheet == "Agent activity"


def test_classify():
    table, proposal = classify(pd.read_csv(io.BytesIO(ACTIVITY), dtype="str"))
    assert table == "activity"
    assert proposal is not None
    assert set(proposal.fields) == {"agent", "date", "online_seconds"}
    assert classify(pd.DataFrame({"x": ["1"]}, dtype="str"))[0] is None
