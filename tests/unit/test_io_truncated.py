"""Property-based: valid Excel, Parquet, .gz and .zip files cut short or with a few bytes flipped.

``read_file`` (and ``list_sheets``) either return a table, when the damage leaves a readable
file, or raise only :class:`UnreadableFileError` whose sentence has every placeholder filled in
English and in Portuguese.
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.errors import UnreadableFileError
from kpi.io import RawTable, list_sheets, read_file

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def table() -> pd.DataFrame:
    return pd.DataFrame({
        "created_at": pd.date_range("2026-01-05 08:00", periods=40, freq="37min"),
        "agent": [f"Agente {i % 4}" for i in range(40)],
        "handle_seconds": [60 + 17 * i for i in range(40)],
        "csat": [1 + i % 5 for i in range(40)],
    })


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table().to_excel(writer, sheet_name="Contatos", index=False)
        table().head(5).to_excel(writer, sheet_name="Resumo", index=False)
    return buffer.getvalue()


def parquet_bytes() -> bytes:
    buffer = io.BytesIO()
    table().to_parquet(buffer)
    return buffer.getvalue()


CSV = table().to_csv(index=False).encode()


def zip_of(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


FILES = {
    "export.xlsx": xlsx_bytes(),
    "export.parquet": parquet_bytes(),
    "export.csv.gz": gzip.compress(CSV),
    "export.zip": zip_of("export.csv", CSV),
    "workbook.zip": zip_of("export.xlsx", xlsx_bytes()),
}


def damaged(data: bytes, draw: st.DrawFn) -> bytes:
    """``data`` cut at a drawn point, or with a few drawn bytes replaced, or both.

    (A cut workbook or zip loses its central directory; flips reach what is inside.)
    """
    how = draw(st.sampled_from(["cut", "flip", "both"]))
    cut = len(data) if how == "flip" else draw(st.integers(min_value=0, max_value=len(data)))
    damaged = bytearray(data[:cut])
    if damaged and how != "cut":
        flips = draw(st.lists(st.tuples(st.integers(0, len(damaged) - 1),
                                        st.integers(0, 255)), min_size=1, max_size=6))
        for position, value in flips:
            damaged[position] = value
    return bytes(damaged)


def assert_explained(error: UnreadableFileError) -> None:
    assert error.code.startswith("io.")
    for lang in ("en", "pt"):
        sentence = error.message(lang)
        assert sentence != error.code
        assert not PLACEHOLDER.search(sentence), sentence


def read_or_explain(name: str, data: bytes) -> RawTable | None:
    try:
        raw = read_file(name, data)
    except UnreadableFileError as error:
        assert_explained(error)
        return None
    assert raw.frame.shape[0] > 0
    assert raw.frame.columns.is_unique
    return raw


@pytest.mark.parametrize("name", list(FILES))
def test_the_undamaged_files_are_read(name):
    raw = read_file(name, FILES[name])
    assert len(raw.frame) == 40
    assert list(raw.frame.columns) == ["created_at", "agent", "handle_seconds", "csat"]


@SETTINGS
@given(name=st.sampled_from(list(FILES)), data=st.data())
def test_damaged_files_give_a_table_or_an_explained_error(name, data):
    read_or_explain(name, damaged(FILES[name], data.draw))


@SETTINGS
@given(name=st.sampled_from(list(FILES)), data=st.data())
def test_damaged_files_listing_sheets(name, data):
    try:
        sheets = list_sheets(damaged(FILES[name], data.draw))
    except UnreadableFileError as error:
        assert_explained(error)
        return
    assert all(isinstance(sheet, str) for sheet in sheets)


@SETTINGS
@given(cut=st.integers(min_value=1, max_value=len(FILES["export.xlsx"]) - 1))
def test_a_cut_workbook_is_corrupt(cut):
    """Cut anywhere, a workbook loses its central directory: always ``io.corrupt_excel``."""
    with pytest.raises(UnreadableFileError) as info:
        read_file("export.xlsx", FILES["export.xlsx"][:cut])
    assert info.value.code in ("io.corrupt_excel", "io.unknown_format", "io.empty")
    assert_explained(info.value)


# --- the escapes these properties found, pinned ------------------------------------------------


def member_data_offset(archive_bytes: bytes, member: str) -> tuple[int, int]:
    """Where ``member``'s compressed bytes start in the archive, and how many there are."""
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        info = archive.getinfo(member)
    header = archive_bytes[info.header_offset:info.header_offset + 30]
    name_length = int.from_bytes(header[26:28], "little")
    extra_length = int.from_bytes(header[28:30], "little")
    return info.header_offset + 30 + name_length + extra_length, info.compress_size


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.8])
def test_flipped_bytes_inside_a_sheet_are_corrupt_excel(fraction):
    """Was ``zlib.error`` (invalid distance, invalid code lengths...) from openpyxl's zipfile."""
    data = bytearray(FILES["export.xlsx"])
    start, length = member_data_offset(bytes(data), "xl/worksheets/sheet1.xml")
    for position in range(start + int(length * fraction), start + int(length * fraction) + 8):
        data[position] ^= 0xFF
    for call in (lambda: read_file("export.xlsx", bytes(data)), lambda: list_sheets(bytes(data))):
        with pytest.raises(UnreadableFileError) as info:
            call()
        assert info.value.code == "io.corrupt_excel"


def test_an_unsupported_member_flag_is_corrupt_excel():
    """Was ``NotImplementedError`` ("compressed patched data") from zipfile."""
    data = bytearray(FILES["export.xlsx"])
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        position = archive.start_dir  # the central directory: one 46-byte header per member
    while data[position:position + 4] == b"PK\x01\x02":
        sizes = [int.from_bytes(data[position + at:position + at + 2], "little")
                 for at in (28, 30, 32)]  # name, extra field, comment
        name = bytes(data[position + 46:position + 46 + sizes[0]])
        if name == b"xl/workbook.xml":
            data[position + 8] |= 0x20  # general purpose flag bit 5: compressed patched data
        position += 46 + sum(sizes)
    with pytest.raises(UnreadableFileError) as info:
        read_file("export.xlsx", bytes(data))
    assert info.value.code == "io.corrupt_excel"


def parquet_with_pandas_metadata(metadata: bytes) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(table(), preserve_index=False)
    buffer = io.BytesIO()
    pq.write_table(arrow.replace_schema_metadata({b"pandas": metadata}), buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("metadata", [b'{"columns": [', b'{"index_columns": "\xa4\x9d"}',
                                      b'{"columns": 5, "index_columns": [7]}'])
def test_damaged_pandas_metadata_in_parquet_still_gives_the_columns(metadata):
    """Was ``UnicodeDecodeError`` / ``JSONDecodeError`` from ``Schema.pandas_metadata``."""
    raw = read_file("export.parquet", parquet_with_pandas_metadata(metadata))
    expected = read_file("export.parquet", FILES["export.parquet"]).frame
    pd.testing.assert_frame_equal(raw.frame, expected)
