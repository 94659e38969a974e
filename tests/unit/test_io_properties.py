"""Property-based tests: whatever the bytes, read_file returns a RawTable or raises
UnreadableFileError; text cells survive a CSV round trip unchanged."""

from __future__ import annotations

import csv
import gzip
import io

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.errors import UnreadableFileError
from kpi.io import RawTable, ReadOptions, read_file
from kpi.io.dialect import NULL_VALUES

NAMES = ["x.csv", "x.tsv", "x.txt", "x.xlsx", "x.parquet", "x.json", "x.jsonl", "x", "x.csv.gz",
         "x.zip", "x.dat"]
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def read_or_refuse(name: str, data: bytes, options: ReadOptions | None = None) -> RawTable | None:
    refused: UnreadableFileError | None = None
    try:
        raw = read_file(name, data, options)
    except UnreadableFileError as error:
        refused = error
    if refused is not None:
        assert refused.code.startswith("io.")
        return None
    assert isinstance(raw, RawTable)
    assert raw.frame.shape[0] > 0
    assert raw.frame.columns.is_unique
    assert all(isinstance(c, str) and c for c in raw.frame.columns)
    assert "object" not in {str(dtype) for dtype in raw.frame.dtypes}
    return raw


@SETTINGS
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=2000))
def test_arbitrary_bytes(name: str, data: bytes):
    read_or_refuse(name, data)


@SETTINGS
@given(
    magic=st.sampled_from([b"PK\x03\x04", b"PAR1", b"\x1f\x8b", b"\xff\xfe", b"\xef\xbb\xbf",
                           b"[", b"{", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]),
    data=st.binary(max_size=1000),
    name=st.sampled_from(NAMES),
)
def test_arbitrary_bytes_after_a_magic_number(magic: bytes, data: bytes, name: str):
    read_or_refuse(name, magic + data)


CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)


def render(cells: list[list[str]], sep: str, newline: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator=newline).writerows(cells)
    return out.getvalue()


@SETTINGS
@given(
    cells=st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=8),
    sep=st.sampled_from([",", ";", "\t", "|"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    compress=st.booleans(),
)
def test_arbitrary_csv_text(cells, sep, newline, encoding, compress):
    data = render(cells, sep, newline).encode(encoding)
    read_or_refuse("t.csv.gz" if compress else "t.csv", gzip.compress(data) if compress else data)


HEADER = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=6)
TEXT_CELL = st.text(  # control characters are covered by test_arbitrary_csv_text
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=10
).map(lambda text: "t" + text)
TRICKY_CELL = st.sampled_from(["=SUM(A1:A3)", "<script>alert(1)</script>", 'a "quoted" text',
                               "two\nlines", "tab\there", "semi;colon", "x,y", "pipe|d",
                               "São Paulo €"])


@SETTINGS
@given(
    header=st.lists(HEADER, min_size=2, max_size=5, unique=True),
    data=st.data(),
    sep=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]),
)
def test_text_cells_come_back_unchanged(header, data, sep, encoding):
    body = data.draw(st.lists(
        st.lists(TEXT_CELL | TRICKY_CELL, min_size=len(header), max_size=len(header)),
        min_size=1, max_size=6,
    ))
    text = render([header, *body], sep, "\r\n")
    try:
        payload = text.encode(encoding)
    except UnicodeEncodeError:
        payload = text.encode("utf-8")
    raw = read_file("t.csv", payload, ReadOptions(sep=sep))
    expected = pd.DataFrame(body, columns=header, dtype="str")
    expected = expected.where(~expected.isin(NULL_VALUES))
    pd.testing.assert_frame_equal(raw.frame, expected.astype("str"))
