"""The Data page: uploads, detection shown, corrections, saved mappings, Portuguese, bad files."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from app_support import ROOT, texts
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Widget

if TYPE_CHECKING:
    from kpi.load import Dataset

BR_FILE = ROOT / "sample_data" / "atendimentos_br.csv"
# Three contacts; "Espera" holds minutes although nothing in the header says so.
SMALL_CSV = (
    "Data;Espera;Atendente;Situação\n"
    "05/01/2026 08:00;2;Ana;Atendida\n"
    "06/01/2026 09:30;3,5;Bruno;Abandonada\n"
    "07/01/2026 10:00;1;Ana;Atendida\n"
).encode("latin-1")


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The one table or dataframe on the page that has ``column``."""
    frames = [d.value for d in [*at.table, *at.dataframe] if column in d.value.columns]
    assert len(frames) == 1, [list(d.value.columns) for d in [*at.table, *at.dataframe]]
    return frames[0]


def widget(at: AppTest, kind: str, key_prefix: str) -> Widget:
    """The one widget of ``kind`` whose key starts with ``key_prefix`` (keys carry a version)."""
    found = [w for w in getattr(at, kind) if w.key and w.key.startswith(key_prefix)]
    assert len(found) == 1, [w.key for w in getattr(at, kind)]
    return found[0]


def dataset(at: AppTest) -> Dataset:
    return at.session_state["kpi:dataset"]


def test_brazilian_upload_shows_what_was_detected(data_page: Callable[..., AppTest]) -> None:
    at = data_page()
    at.file_uploader(key="data_upload").upload(BR_FILE.name, BR_FILE.read_bytes(), "text/csv")
    at.run()
    assert not at.exception
    mapping = table_with(at, "Field").set_index("Field")["Column"]
    assert mapping["Arrived at (created_at)"] == "Data/Hora de Entrada"
    assert mapping["Agent (agent)"] == "Atendente"
    detected = table_with(at, "Separator").iloc[0]
    assert detected["File"] == BR_FILE.name
    assert detected["Separator"] == ";"
    assert detected["Decimal mark"] == ","
    assert detected["Date order"] == "day first (dd/mm/yyyy)"
    raw = pd.read_csv(BR_FILE, sep=";", encoding="latin-1")
    assert len(dataset(at).interactions) == len(raw)
    preview = table_with(at, "created_at")
    assert len(preview) == min(200, len(raw))
    first = pd.to_datetime(raw["Data/Hora de Entrada"].iloc[0], dayfirst=True)
    assert preview["created_at"].iloc[0] == first


def test_corrected_unit_reloads_with_the_new_mapping(data_page: Callable[..., AppTest]) -> None:
    at = data_page()
    at.file_uploader(key="data_upload").upload("small.csv", SMALL_CSV, "text/csv").run()
    assert not at.exception
    at.toggle(key="data_correct").set_value(True).run()
    if dataset(at).mapping.columns.get("wait_seconds") != "Espera":
        widget(at, "selectbox", "data_col_wait_seconds_").set_value("Espera").run()
    widget(at, "selectbox", "data_unit_wait_seconds_").set_value("minutes").run()
    widget(at, "selectbox", "data_col_agent_").set_value("").run()
    widget(at, "selectbox", "data_values_col_resolved_").set_value("Situação").run()
    widget(at, "multiselect", "data_true_resolved_").set_value(["Atendida"]).run()
    widget(at, "multiselect", "data_false_resolved_").set_value(["Abandonada"]).run()
    at.button(key="data_apply").click().run()
    assert not at.exception
    loaded = dataset(at)
    assert loaded.interactions["wait_seconds"].tolist() == [2 * 60.0, 3.5 * 60, 1 * 60.0]
    assert loaded.mapping.units["wait_seconds"] == "minutes"
    assert "agent" not in loaded.mapping.columns
    assert loaded.interactions["resolved"].tolist() == [True, False, True]
    assert loaded.mapping.values["resolved"].true == ("Atendida",)
    assert "The corrected mapping was applied: 3 contacts loaded." in texts(at)
    assert at.session_state["kpi:source"].mapping_json == loaded.mapping.to_json()


def test_saved_mapping_file_is_reused(data_page: Callable[..., AppTest]) -> None:
    saved = {
        "read": {"dayfirst": False},
        "columns": {"created_at": "Data", "wait_seconds": "Espera"},
        "units": {"wait_seconds": "hours"},
    }
    csv = SMALL_CSV.replace(b"05/01/2026", b"01/05/2026")  # month first now
    at = data_page()
    at.file_uploader(key="data_mapping_upload").upload(
        "mapping.json", json.dumps(saved).encode(), "application/json"
    )
    at.file_uploader(key="data_upload").upload("small.csv", csv, "text/csv").run()
    assert not at.exception
    loaded = dataset(at).interactions
    assert loaded["wait_seconds"].tolist() == [2 * 3600.0, 3.5 * 3600, 1 * 3600.0]
    assert loaded["created_at"].iloc[0] == pd.Timestamp("2026-01-05 08:00")


def test_portuguese_data_page(data_page: Callable[..., AppTest]) -> None:
    at = data_page(locale="pt-BR")
    assert at.title[0].value == "Dados"
    assert at.file_uploader(key="data_upload").label == "Arquivos de atendimentos"
    at.button(key="data_sample").click().run()
    assert not at.exception
    fields = table_with(at, "Campo").set_index("Campo")["Coluna"]
    assert fields["Data/hora de entrada (created_at)"] == "Created At"
    assert "Verificação dos dados" in texts(at)
    rows = len(pd.read_csv(ROOT / "sample_data" / "contacts.csv", dtype="str"))
    assert f"{rows:,} atendimentos carregados.".replace(",", ".") in texts(at)


def workbook() -> bytes:
    """A workbook with a summary sheet, the contacts and the agents' online hours."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame({"Resumo": ["Relatório de março"], "Total": [3]}).to_excel(
            writer, sheet_name="Resumo", index=False
        )
        pd.DataFrame(
            {
                "Data de abertura": pd.to_datetime(
                    ["2026-03-02 08:00", "2026-03-02 09:00", "2026-03-03 10:00"]
                ),
                "Canal": ["Telefone", "Chat", "WhatsApp"],
                "Tempo de espera (min)": [2, 3.5, 1],
            }
        ).to_excel(writer, sheet_name="Atendimentos", index=False)
        pd.DataFrame(
            {"Atendente": ["Ana"], "Data": pd.to_datetime(["2026-03-02"]), "Horas online": [7.5]}
        ).to_excel(writer, sheet_name="Agentes", index=False)
    return buffer.getvalue()


def test_excel_sheets_are_shown_with_their_tables(data_page: Callable[..., AppTest]) -> None:
    at = data_page()
    at.file_uploader(key="data_upload").upload("marco.xlsx", workbook()).run()
    assert not at.exception
    detected = table_with(at, "Separator").set_index("File")
    assert detected["Table"].to_dict() == {
        "marco.xlsx [Resumo]": "not recognised, skipped",
        "marco.xlsx [Atendimentos]": "contacts",
        "marco.xlsx [Agentes]": "agent activity",
    }
    assert set(detected["Format"]) == {"excel"}
    picker = widget(at, "selectbox", "data_sheet_")
    assert picker.options == ["Resumo", "Atendimentos", "Agentes"]
    assert picker.value == "Atendimentos"
    loaded = dataset(at)
    assert loaded.interactions["wait_seconds"].tolist() == [120.0, 210.0, 60.0]
    assert loaded.activity["online_seconds"].tolist() == [7.5 * 3600]


@pytest.mark.parametrize(
    ("name", "content"),
    [("broken.xlsx", b"this is not a workbook"), ("empty.csv", b"")],
)
def test_bad_file_is_one_sentence_not_a_traceback(
    data_page: Callable[..., AppTest], name: str, content: bytes
) -> None:
    at = data_page()
    at.file_uploader(key="data_upload").upload(name, content, "application/octet-stream").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert errors[0].endswith("or load the sample data to see what the app expects.")
    assert "Traceback" not in errors[0]
    assert "kpi:dataset" not in at.session_state
    at.run()  # the error stays, the file is not read again
    assert [e.value for e in at.error] == errors


def test_unexpected_error_is_one_generic_sentence_and_logged(
    data_page: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken_loader(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug, not a data problem")

    monkeypatch.setattr("kpi.load.load_dataset", broken_loader)
    at = data_page(locale="pt-BR")
    unique = SMALL_CSV + b"08/01/2026 11:00;4;Caio;Atendida\n"  # not in any cache yet
    at.file_uploader(key="data_upload").upload("small.csv", unique, "text/csv").run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Algo inesperado deu errado nesta página. Recarregue a página; se acontecer de novo, "
        "carregue os dados de exemplo para conferir se o próprio aplicativo funciona."
    ]
    assert "a bug, not a data problem" in caplog.text
