"""Bad inputs: each gives one UnreadableFileError code with a sentence in English and Portuguese.

Also the ``ReadOptions`` JSON round trip and its ``MappingError``s.
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi.errors import MappingError, UnreadableFileError
from kpi.i18n import catalog
from kpi.io import ReadOptions, list_sheets, read_file

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx(frames: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in frames.items():
            frame.to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()


def parquet() -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame({"a": range(100), "b": [f"x{i}" for i in range(100)]}).to_parquet(buffer)
    return buffer.getvalue()


RANDOM = np.random.default_rng(3).integers(0, 256, 3000, dtype=np.uint8).tobytes() + b"\x00"

BAD_INPUTS = [
    ("empty.csv", b"", "io.empty"),
    ("blank.csv", b" \r\n\n\t", "io.empty"),
    ("bom-only.csv", b"\xef\xbb\xbf\n", "io.empty"),
    ("utf16-empty.csv", b"\xff\xfe", "io.empty"),
    ("header.csv", b"Data;Fila;Espera\n", "io.no_rows"),
    ("header-crlf.csv", b"Data;Fila;Espera\r\n\r\n", "io.no_rows"),
    ("image.csv", PNG, "io.not_text"),
    ("random.csv", RANDOM, "io.not_text"),
    ("random.dat", RANDOM, "io.unknown_format"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "io.xls_unsupported"),
    ("cut.xlsx", xlsx({"A": pd.DataFrame({"a": [1, 2]})})[:700], "io.corrupt_excel"),
    ("fake.xlsx", b"just text, not a workbook\n", "io.corrupt_excel"),
    ("cut.parquet", parquet()[:300], "io.corrupt_parquet"),
    ("fake.parquet", b"a,b\n1,2\n", "io.corrupt_parquet"),
    ("cut.csv.gz", gzip.compress(b"a,b\n" * 1000)[:40], "io.corrupt_gzip"),
    ("cut.zip", zip_of({"a.csv": b"a,b\n1,2\n" * 100})[:60], "io.corrupt_zip"),
    ("two.zip", zip_of({"a.csv": b"a\n1\n", "b.csv": b"b\n2\n"}), "io.zip_many_tables"),
    ("readme.zip", zip_of({"README.md": b"# hello\n"}), "io.zip_no_table"),
    ("bad.json", b'[{"a": 1},', "io.bad_json"),
    ("scalar.json", b'{"a": 1, "b": 2}', "io.json_shape"),
    ("two-arrays.json", b'{"a": [{"x": 1}], "b": [{"x": 2}]}', "io.json_shape"),
    ("empty.json", b"[]", "io.no_rows"),
    ("bad.jsonl", b'{"a": 1}\n{"a": \n', "io.bad_json"),
    ("list.jsonl", b'{"a": 1}\n[1, 2]\n', "io.json_shape"),
    ("header.xlsx", xlsx({"S": pd.DataFrame({"a": [], "b": []})}), "io.no_rows"),
    ("program.dat", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200), "io.unknown_format"),
    ("program.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200), "io.not_text"),
]


def test_a_header_starting_like_a_windows_program_is_text():
    """Found by test_text_cells_come_back_unchanged: a first header "MZ" read as a program."""
    raw = read_file("t.csv", b"MZ,Agent\nt1,Ana\n")
    assert raw.frame.to_dict("list") == {"MZ": ["t1"], "Agent": ["Ana"]}


@pytest.mark.parametrize(("name", "data", "code"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_raises_its_code(name: str, data: bytes, code: str):
    with pytest.raises(UnreadableFileError) as caught:
        read_file(name, data)
    error = caught.value
    assert error.code == code
    assert code in catalog()
    assert name in str(error)
    assert error.message("pt") != str(error)
    assert "{" not in str(error)
    assert "{" not in error.message("pt")


def test_missing_sheet_names_the_sheets():
    data = xlsx({"Atendimentos": pd.DataFrame({"a": [1]}), "Agentes": pd.DataFrame({"b": [2]})})
    with pytest.raises(UnreadableFileError) as caught:
        read_file("book.xlsx", data, ReadOptions(sheet="Fila"))
    assert caught.value.code == "io.sheet_not_found"
    assert "Atendimentos, Agentes" in str(caught.value)


def test_missing_path():
    with pytest.raises(UnreadableFileError) as caught:
        read_file("nope.csv", Path("/nonexistent/nope.csv"))
    assert caught.value.code == "io.not_found"


def test_unknown_given_encoding():
    with pytest.raises(UnreadableFileError) as caught:
        read_file("a.csv", b"a\n1\n", ReadOptions(encoding="klingon-8"))
    assert caught.value.code == "io.unknown_encoding"


def test_list_sheets_of_workbook_zip_and_other_files():
    data = xlsx({"Um": pd.DataFrame({"a": [1]}), "Dois": pd.DataFrame({"b": [2]})})
    assert list_sheets(data) == ["Um", "Dois"]
    assert list_sheets(zip_of({"book.xlsx": data})) == ["Um", "Dois"]
    assert list_sheets(b"a,b\n1,2\n") == []
    with pytest.raises(UnreadableFileError):
        list_sheets(data[:500])


def test_list_sheets_from_a_path(tmp_path: Path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(xlsx({"Folha": pd.DataFrame({"a": [1]})}))
    assert list_sheets(path) == ["Folha"]


def test_read_options_round_trip_through_json():
    options = ReadOptions(format="csv", encoding="latin-1", sep=";", decimal=",",
                          thousands=".", dayfirst=True, skip_rows=2, compression="zip")
    block = json.loads(json.dumps(options.to_dict()))
    assert ReadOptions.from_dict(block) == options
    assert ReadOptions().to_dict() == {}
    assert ReadOptions.from_dict({"sheet": "Atendimentos", "dayfirst": None}) == ReadOptions(
        sheet="Atendimentos"
    )


@pytest.mark.parametrize(
    ("block", "key"),
    [
        ({"separator": ";"}, "separator"),
        ({"sep": ";;"}, "sep"),
        ({"sep": 1}, "sep"),
        ({"decimal": ";"}, "decimal"),
        ({"thousands": "x"}, "thousands"),
        ({"dayfirst": "yes"}, "dayfirst"),
        ({"skip_rows": -1}, "skip_rows"),
        ({"skip_rows": True}, "skip_rows"),
        ({"skip_rows": 1.5}, "skip_rows"),
        ({"format": "xls"}, "format"),
        ({"compression": "bz2"}, "compression"),
        ({"encoding": "klingon-8"}, "encoding"),
        ({"sheet": ""}, "sheet"),
    ],
)
def test_bad_read_options_name_the_key(block: dict[str, object], key: str):
    with pytest.raises(MappingError) as caught:
        ReadOptions.from_dict(block)
    assert f"“{key}”" in str(caught.value)
    assert f"“{key}”" in caught.value.message("pt")


def test_read_options_must_be_an_object():
    with pytest.raises(MappingError) as caught:
        ReadOptions.from_dict([";"])
    assert caught.value.code == "io.option_not_object"


def test_given_options_win_over_detection():
    raw = read_file("x.csv", b"a;b\n1,5;2\n", ReadOptions(sep=";", decimal="."))
    assert raw.options.decimal == "."
    assert raw.frame["a"].tolist() == ["1,5"]


def test_json_lines_with_two_objects_on_one_line_is_refused_at_that_line():
    with pytest.raises(UnreadableFileError) as caught:
        read_file("x.jsonl", b'{"a": 1}\n{"a": 2}, {"a": 3}\n')
    assert caught.value.code == "io.bad_json"
    assert caught.value.params["line"] == 2


def test_nested_json_objects_become_dotted_columns():
    data = json.dumps([{"agent": {"name": "Ana", "tags": [1, 2]}, "id": 1},
                       {"agent": {"name": "Zé"}, "id": 2, "extra": "x"}]).encode()
    frame = read_file("x.json", data).frame
    assert frame["agent.name"].tolist() == ["Ana", "Zé"]
    assert frame["agent.tags"].iloc[0] == "[1, 2]"
    assert frame["extra"].isna().tolist() == [True, False]
