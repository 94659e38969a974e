"""read_file over every supported format and dialect: the same small table must come back.

Each case renders one table (built here, by hand) as the bytes a tool would export, then
checks the values, dtypes and the options that were detected.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest

from kpi.io import RawTable, ReadOptions, read_file

NOTES = ["hello, world", 'say "hi"', "line one\nline two"]
FORMULA, MARKUP = "=SUM(A1:A9)", "<script>alert(1)</script>"

TABLE = {
    "Protocolo": ["A1", "A2", "A3"],
    "Data/Hora": [
        pd.Timestamp("2024-02-01 10:00"),
        pd.Timestamp("2024-02-13 11:30"),
        pd.Timestamp("2024-03-05 08:15"),
    ],
    "Espera": [12.5, 3.25, 100.0],
    "Atendente": ["João", "Zé", "Ana"],
    "Duração": ["00:05:00", "25:00:00", "01:02:03"],
    "Resolvido": ["Sim", "Não", "Sim"],
    "Nota": [4, 5, 3],
    "Obs": [NOTES[0], FORMULA, MARKUP],
}


def rows(*, iso: bool, decimal: str = ".", notes: bool = False) -> list[list[str]]:
    """The table as text cells the way an export writes them."""
    header = list(TABLE)
    body = []
    for i in range(3):
        when = TABLE["Data/Hora"][i]
        body.append([
            TABLE["Protocolo"][i],
            when.strftime("%Y-%m-%d %H:%M:%S" if iso else "%d/%m/%Y %H:%M"),
            f"{TABLE['Espera'][i]:g}".replace(".", decimal),
            TABLE["Atendente"][i],
            TABLE["Duração"][i],
            TABLE["Resolvido"][i],
            str(TABLE["Nota"][i]),
            NOTES[i] if notes else TABLE["Obs"][i],
        ])
    return [header, *body]


def delimited(cells: list[list[str]], sep: str = ",", newline: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator=newline).writerows(cells)
    return out.getvalue()


def plain() -> bytes:
    return delimited(rows(iso=True)).encode("utf-8")


def brazilian() -> bytes:
    return delimited(rows(iso=False, decimal=","), sep=";", newline="\r\n").encode("cp1252")


def zipped(inner_name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(inner_name, data)
        archive.writestr("__MACOSX/._" + inner_name, b"\x00\x05\x16\x07")
    return buffer.getvalue()


def expected_frame() -> pd.DataFrame:
    frame = pd.DataFrame(TABLE)
    frame["Data/Hora"] = frame["Data/Hora"].astype("datetime64[us]")
    text = ("Protocolo", "Atendente", "Duração", "Resolvido", "Obs")
    return frame.astype(dict.fromkeys(text, "str"))


def excel(title: bool = False) -> bytes:
    buffer = io.BytesIO()
    frame = pd.DataFrame(TABLE)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Atendimentos", index=False,
                       startrow=2 if title else 0)
        sheet = writer.sheets["Atendimentos"]
        if title:
            sheet["A1"] = "Relatório de atendimentos"
        # A text cell that starts with "=" (openpyxl would otherwise store a formula).
        formula_cell = sheet.cell(row=(5 if title else 3), column=8)
        formula_cell.value, formula_cell.data_type = FORMULA, "s"
        pd.DataFrame({"Agente": ["Ana", "Zé"], "Horas": [7.5, 8.0]}).to_excel(
            writer, sheet_name="Agentes", index=False
        )
    return buffer.getvalue()


def parquet() -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame(TABLE).to_parquet(buffer, index=False)
    return buffer.getvalue()


def json_records() -> list[dict[str, object]]:
    records = pd.DataFrame(TABLE).to_dict(orient="records")
    for record in records:
        record["Data/Hora"] = record["Data/Hora"].isoformat(sep=" ")
    return records


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], bytes]
    options: dict[str, object] = field(default_factory=dict)
    timestamps_as_text: bool = False


CASES = [
    Case("plain.csv", plain, {"format": "csv", "sep": ",", "decimal": ".", "encoding": "utf-8"}),
    Case("atendimentos.csv", brazilian,
         {"sep": ";", "decimal": ",", "encoding": "cp1252", "dayfirst": True, "skip_rows": 0}),
    Case("bom.csv", lambda: b"\xef\xbb\xbf" + plain(), {"encoding": "utf-8-sig"}),
    Case("utf16.csv", lambda: delimited(rows(iso=True)).encode("utf-16"),
         {"encoding": "utf-16", "sep": ","}),
    Case("export.tsv", lambda: delimited(rows(iso=True), "\t").encode(), {"sep": "\t"}),
    Case("pipe.txt", lambda: delimited(rows(iso=True), "|").encode(), {"sep": "|"}),
    Case("crlf.csv", lambda: delimited(rows(iso=True), newline="\r\n").encode(), {"sep": ","}),
    Case("titled.csv",
         lambda: "Relatório de atendimentos\r\nGerado em 05/03/2024\r\n\r\n".encode("cp1252")
         + brazilian(), {"skip_rows": 3, "sep": ";", "dayfirst": True}),
    Case("plain.csv.gz", lambda: gzip.compress(plain()), {"compression": "gzip"}),
    Case("no-suffix", lambda: gzip.compress(plain()), {"compression": "gzip", "format": "csv"}),
    Case("export.zip", lambda: zipped("atendimentos.csv", brazilian()),
         {"compression": "zip", "sep": ";"}),
    Case("download", lambda: zipped("data.csv", plain()), {"compression": "zip"}),
    Case("book.xlsx", excel, {"format": "excel", "sheet": "Atendimentos", "skip_rows": 0}),
    Case("titled.xlsx", lambda: excel(title=True), {"format": "excel", "skip_rows": 1}),
    Case("book.zip", lambda: zipped("book.xlsx", excel()), {"format": "excel"}),
    Case("table.parquet", parquet, {"format": "parquet"}),
    Case("records.json", lambda: json.dumps(json_records()).encode(), {"format": "json"},
         timestamps_as_text=True),
    Case("wrapped.json",
         lambda: json.dumps({"count": 3, "data": json_records()}, ensure_ascii=False).encode(),
         {"format": "json"}, timestamps_as_text=True),
    Case("lines.jsonl",
         lambda: "\n".join(json.dumps(r, ensure_ascii=False) for r in json_records()).encode(),
         {"format": "jsonl"}, timestamps_as_text=True),
    Case("lines.data",
         lambda: "\n".join(json.dumps(r) for r in json_records()).encode() + b"\n",
         {"format": "jsonl"}, timestamps_as_text=True),
]


@pytest.fixture(params=CASES, ids=lambda case: case.name)
def case(request: pytest.FixtureRequest) -> Case:
    return request.param


@pytest.fixture
def read(case: Case) -> RawTable:
    return read_file(case.name, case.build())


def test_values_and_dtypes_come_back(case: Case, read: RawTable):
    expected = expected_frame()
    if case.timestamps_as_text:
        expected["Data/Hora"] = expected["Data/Hora"].dt.strftime("%Y-%m-%d %H:%M:%S")
        expected["Data/Hora"] = expected["Data/Hora"].astype("str")
    pd.testing.assert_frame_equal(read.frame, expected)


def test_detected_options_are_recorded(case: Case, read: RawTable):
    recorded = read.options.to_dict()
    assert {key: recorded.get(key) for key in case.options} == case.options
    assert read.source == case.name


def test_reading_again_with_the_recorded_options_gives_the_same_frame(
    case: Case, read: RawTable
):
    again = read_file(case.name, case.build(), read.options)
    pd.testing.assert_frame_equal(again.frame, read.frame)
    assert again.options == read.options


def test_excel_lists_sheets_and_reads_the_chosen_one():
    data = excel()
    first = read_file("book.xlsx", data)
    assert first.sheets == ("Atendimentos", "Agentes")
    other = read_file("book.xlsx", data, ReadOptions(sheet="Agentes"))
    assert other.options.sheet == "Agentes"
    assert other.frame["Agente"].tolist() == ["Ana", "Zé"]
    assert other.frame["Horas"].sum() == 15.5


def test_quoted_fields_keep_separators_quotes_and_newlines():
    data = delimited(rows(iso=True, notes=True), newline="\r\n").encode()
    frame = read_file("notes.csv", data).frame
    assert frame["Obs"].tolist() == NOTES
    assert frame["Espera"].tolist() == [12.5, 3.25, 100.0]


def test_formula_and_markup_cells_are_plain_text_in_every_format(case: Case, read: RawTable):
    assert read.frame["Obs"].tolist()[1:] == [FORMULA, MARKUP]


def test_path_and_bytes_read_the_same(tmp_path):
    path = tmp_path / "atendimentos.csv"
    path.write_bytes(brazilian())
    from_path = read_file(path.name, path)
    pd.testing.assert_frame_equal(from_path.frame, read_file(path.name, brazilian()).frame)


def test_wide_file_with_300_columns():
    rng = np.random.default_rng(7)
    values = rng.integers(0, 1000, size=(40, 300))
    header = ",".join(f"c{j}" for j in range(300))
    body = "\n".join(",".join(map(str, row)) for row in values)
    frame = read_file("wide.csv", f"{header}\n{body}\n".encode()).frame
    assert frame.shape == (40, 300)
    assert frame["c299"].dtype == "int64"
    assert frame.to_numpy().sum() == values.sum()


@pytest.mark.parametrize("data", [
    # cp1252 past the first block, a title line, decimal comma
    ("Relatório\nNome;Valor\n".encode("cp1252")
     + "".join(f"Jo\u00e3o {i};{i},5\n" for i in range(120_000)).encode("cp1252")
     + b"\x93Caf\xe9\x94 \x80;1,0\n"),
    # UTF-8 with a byte-order mark, a column empty through the first block
    "\ufeffid,obs,n\n".encode() + "".join(f"{i},,{i % 9}\n" for i in range(120_000)).encode()
    + "120000,ação,1\n".encode(),
])
def test_large_files_read_from_disk_as_from_memory(tmp_path, data):
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    from_disk, in_memory = read_file(path.name, path), read_file(path.name, data)
    assert from_disk.options == in_memory.options
    pd.testing.assert_frame_equal(from_disk.frame, in_memory.frame)
    assert len(from_disk.frame) == 120_001


def test_file_bytes_slice_like_bytes(tmp_path):
    from kpi.io.source import FileBytes

    data = bytes(range(256)) * 10
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    lazy = FileBytes(path)
    assert len(lazy) == len(data)
    for key in (slice(None, 10), slice(100, 300), slice(2500, None), slice(-5, None),
                slice(3000, 3100), slice(50, 20), slice(None)):
        assert lazy[key] == data[key]
    assert (lazy[7], lazy[-1]) == (data[7], data[-1])
    assert lazy.stream(2550).read() == data[2550:]
