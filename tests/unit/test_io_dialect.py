"""Dialect traps: thousands separators, day order, durations, offsets, late text, encodings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kpi.io import ReadOptions, read_file
from kpi.io.dialect import SAMPLE_BYTES
from kpi.io.headers import clean_headers


def read(text: str, name: str = "f.csv", encoding: str = "utf-8", **options: object):
    return read_file(name, text.encode(encoding), ReadOptions(**options) if options else None)


def test_grouped_numbers_with_decimal_comma_become_numbers():
    raw = read("Valor;Qtd;Nome\n1.234,56;1.000;Ana\n12,5;7;Bia\n-2.000.000,25;12.345;Caio\n")
    assert raw.options.decimal == ","
    assert raw.options.thousands == "."
    assert raw.frame["Valor"].tolist() == [1234.56, 12.5, -2000000.25]
    assert raw.frame["Qtd"].tolist() == [1000, 7, 12345]
    assert raw.frame["Qtd"].dtype == "int64"


def test_grouped_numbers_with_decimal_point_become_numbers():
    raw = read('Valor,Nome\n"1,234.5",Ana\n"12,000.75",Bia\n3.25,Caio\n')
    assert (raw.options.decimal, raw.options.thousands) == (".", ",")
    assert raw.frame["Valor"].tolist() == [1234.5, 12000.75, 3.25]


def test_a_dotted_number_is_never_a_decimal_in_a_decimal_comma_file():
    raw = read("Codigo;Tempo\n1.234;12,5\n2.500;3,75\n")
    assert raw.options.decimal == ","
    assert 1.234 not in raw.frame["Codigo"].tolist()
    assert raw.frame["Codigo"].tolist() == [1234, 2500]


def test_grouping_that_breaks_after_the_sample_keeps_the_column_as_text():
    filler = "".join(f"{i % 9 + 1}.{i % 1000:03d};1,5\n" for i in range(30000))
    raw = read("Codigo;Tempo\n" + filler + "12.34.5;2,5\n")
    assert len(filler) > SAMPLE_BYTES
    codes = raw.frame["Codigo"]
    assert codes.dtype == "str"
    assert codes.iloc[-1] == "12.34.5"
    assert codes.iloc[0] == "1.000"
    assert raw.frame["Tempo"].iloc[-1] == 2.5


def test_day_first_dates_are_decided_by_a_day_above_12():
    raw = read("Data;X\n01/02/2024;1\n25/02/2024;2\n")
    assert raw.options.dayfirst is True
    assert raw.frame["Data"].tolist() == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-02-25")]


def test_month_first_dates_are_decided_by_a_month_position_above_12():
    raw = read("Date,X\n02/01/2024 9:05,1\n02/25/2024 17:30,2\n")
    assert raw.options.dayfirst is False
    assert raw.frame["Date"].tolist() == [
        pd.Timestamp("2024-02-01 09:05"), pd.Timestamp("2024-02-25 17:30"),
    ]


def test_undecided_day_order_leaves_dates_as_text():
    raw = read("Data;X\n01/02/2024;1\n03/04/2024;2\n")
    assert raw.options.dayfirst is None
    assert raw.frame["Data"].tolist() == ["01/02/2024", "03/04/2024"]


def test_given_dayfirst_decides_ambiguous_dates():
    raw = read("Data;X\n01/02/2024;1\n03/04/2024;2\n", dayfirst=True)
    assert raw.frame["Data"].tolist() == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-04-03")]


def test_durations_over_a_day_and_offsets_stay_text():
    raw = read(
        "Dur,Quando\n25:00:01,2024-01-05T10:00:00+03:00\n00:00:59,2024-01-06T11:00:00Z\n"
    )
    assert raw.frame["Dur"].tolist() == ["25:00:01", "00:00:59"]
    assert raw.frame["Quando"].tolist() == ["2024-01-05T10:00:00+03:00", "2024-01-06T11:00:00Z"]


def test_iso_dates_without_time_are_timestamps():
    raw = read("Dia,N\n2024-01-05,1\n2024-01-06,2\n")
    assert raw.frame["Dia"].dtype == "datetime64[us]"
    assert raw.frame["Dia"].iloc[1] == pd.Timestamp("2024-01-06")


def test_numeric_column_turning_to_text_late_in_a_200k_row_file():
    n = 200_000
    scores = np.arange(n) % 5 + 1
    lines = [f"{i},{s},{i * 0.5}" for i, s in enumerate(scores)]
    lines[150_000] = "150000,sem nota,75000.0"
    raw = read("id,nota,valor\n" + "\n".join(lines) + "\n")
    frame = raw.frame
    assert frame.shape == (n, 3)
    assert frame["nota"].dtype == "str"
    assert frame["nota"].iloc[150_000] == "sem nota"
    assert frame["nota"].iloc[149_999] == str(scores[149_999])
    assert frame["id"].dtype == "int64"
    assert frame["valor"].sum() == pytest.approx(0.5 * n * (n - 1) / 2)


def test_null_markers_and_true_false_values():
    raw = read("a,b,c\n1,true,x\nN/A,false,-\nnull,,NA\n")
    assert raw.frame["a"].tolist()[0] == 1
    assert raw.frame["a"].isna().tolist() == [False, True, True]
    assert raw.frame["b"].dtype == "boolean"
    assert raw.frame["c"].isna().tolist() == [False, True, True]


def test_zero_one_columns_stay_numbers_not_booleans():
    raw = read("abandoned,n\n0,1\n1,2\n")
    assert raw.frame["abandoned"].dtype == "int64"


def test_cp1252_and_latin1_bytes_both_decode():
    # 0x80 is "€" in cp1252; 0x81 is undefined there and falls back to latin-1 (U+0081).
    raw = read_file("x.csv", b"Nome;Valor\nJo\xe3o \x80;1\nS\xe3o\x81;2\n")
    assert raw.options.encoding == "cp1252"
    assert raw.frame["Nome"].tolist() == ["João €", "São\x81"]


def test_latin1_after_a_utf8_sample_is_still_decoded():
    head = "".join(f"Ana {i};{i}\n" for i in range(40_000))
    data = ("Nome;N\n" + head).encode() + "João;1\n".encode("latin-1")
    raw = read_file("x.csv", data)
    assert raw.options.encoding == "cp1252"
    assert raw.frame["Nome"].iloc[-1] == "João"
    assert raw.frame["Nome"].iloc[0] == "Ana 0"


def test_given_wrong_encoding_is_reported():
    from kpi.errors import UnreadableFileError

    with pytest.raises(UnreadableFileError) as caught:
        read_file("x.csv", "Nome\nJoão\n".encode("latin-1"), ReadOptions(encoding="utf-8"))
    assert caught.value.code == "io.decode_failed"


def test_malformed_lines_are_skipped_and_counted():
    raw = read("a;b\n1;2\n3\n4;5\n6;7;8\n")
    assert raw.frame["a"].tolist() == [1, 4]
    assert raw.skipped_rows == 2


def test_excel_style_title_with_trailing_separators_is_skipped():
    raw = read("Relatório;;\nData;Fila;N\n2024-01-05;A;1\n2024-01-06;B;2\n")
    assert raw.options.skip_rows == 1
    assert list(raw.frame.columns) == ["Data", "Fila", "N"]


def test_headers_are_stripped_named_and_deduplicated_in_the_file():
    raw = read("\ufeff Date ,Date,,x,Date (2)\n1,2,3,4,5\n")
    assert list(raw.frame.columns) == ["Date", "Date (3)", "column_3", "x", "Date (2)"]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["a", "a", "a"], ["a", "a (2)", "a (3)"]),
        ([" a\t", None, float("nan"), ""], ["a", "column_2", "column_3", "column_4"]),
        (["\ufeffId", "", "column_2"], ["Id", "column_2 (2)", "column_2"]),
        (["a", "a (2)", "a"], ["a", "a (2)", "a (3)"]),
        ([2024.0, 1], ["2024", "1"]),
    ],
)
def test_clean_headers(names, expected):
    assert clean_headers(names) == expected


def test_single_column_file_is_read():
    raw = read("created_at\n2024-01-05 10:00:00\n2024-01-06 11:00:00\n")
    assert raw.frame.shape == (2, 1)
    assert raw.frame["created_at"].dtype == "datetime64[us]"


def test_day_order_is_decided_further_in_a_file_sorted_by_time():
    # The first 256 KB all fall on 1 January; only later lines show a day above 12.
    first_day = "".join(f"01/01/2024 {h % 24:02d}:{h % 60:02d};{h}\n" for h in range(20_000))
    later = "".join(f"{d:02d}/01/2024 10:00;{d}\n" for d in range(2, 29) for _ in range(400))
    raw = read("Data;N\n" + first_day + later)
    assert len(first_day) > SAMPLE_BYTES
    assert raw.options.dayfirst is True
    assert raw.frame["Data"].iloc[-1] == pd.Timestamp("2024-01-28 10:00")
    assert raw.frame["Data"].iloc[0] == pd.Timestamp("2024-01-01 00:00")


def test_whole_numbers_turning_decimal_late_become_floats_not_text():
    lines = [f"{i};{i % 7}" for i in range(120_000)]
    lines[-1] = "119999;12,5"
    raw = read("id;espera\n" + "\n".join(lines) + "\n")
    assert raw.frame["espera"].dtype == "float64"
    assert raw.frame["espera"].iloc[-1] == 12.5
    assert raw.frame["espera"].iloc[:-1].sum() == sum(i % 7 for i in range(119_999))


def test_codes_with_leading_zeros_or_many_digits_stay_text():
    raw = read("cliente;protocolo;n\n00123;12345678901234567890;1\n4567;2;2\n")
    assert raw.frame["cliente"].tolist() == ["00123", "4567"]
    assert raw.frame["protocolo"].tolist() == ["12345678901234567890", "2"]
    assert raw.frame["n"].dtype == "int64"


def test_data_lines_with_a_trailing_separator_keep_the_header():
    raw = read("a;b;c\n1;2;3;\n4;5;6;\n")
    assert list(raw.frame.columns) == ["a", "b", "c", "column_4"]
    assert raw.frame["c"].tolist() == [3, 6]
    assert raw.frame["column_4"].isna().all()


def test_excel_sep_hint_line_is_skipped():
    raw = read("sep=;\nData;Fila;N\n2024-01-05;A;1\n2024-01-06;B;2\n")
    assert raw.options.sep == ";"
    assert raw.options.skip_rows == 1
    assert raw.frame["N"].tolist() == [1, 2]


def _arrow_read(data: bytes, **convert: object) -> pd.DataFrame:
    """The same bytes read by a whole-file ``pyarrow.csv.read_csv`` (types from every block)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(pa.BufferReader(data), parse_options=pacsv.ParseOptions(delimiter=";"),
                           convert_options=pacsv.ConvertOptions(**convert))
    return table.to_pandas()


def test_columns_empty_through_the_first_block_get_the_type_of_their_later_values():
    # ~2 MB: pyarrow's streaming reader sees only empty cells in its first 1 MB block.
    rows = 150_000
    lines = [f"{i};;;;;x{i}" for i in range(rows)]
    lines += ["150000;4,5;7;2024-03-05 10:00:00;true;y", "150001;;8;;false;z"]
    data = ("id;nota;n;quando;flag;nome\n" + "\n".join(lines) + "\n").encode()
    raw = read_file("x.csv", data)
    frame = raw.frame
    expected = _arrow_read(data, decimal_point=",")
    assert frame["nota"].dtype == "float64"
    assert frame["nota"].iloc[-2] == 4.5
    assert frame["nota"].iloc[:-2].isna().all()
    assert frame["n"].dtype == expected["n"].dtype  # whole numbers with gaps: float64
    assert frame["n"].iloc[-2:].tolist() == [7, 8]
    assert frame["quando"].dtype == "datetime64[us]"
    assert frame["quando"].iloc[-2] == pd.Timestamp("2024-03-05 10:00")
    assert frame["flag"].dtype == "boolean"
    assert frame["flag"].iloc[-2:].tolist() == [True, False]
    assert frame["nome"].iloc[-1] == "z"
    assert len(frame) == rows + 2


def test_cp1252_bytes_past_the_first_block_are_decoded_with_its_table():
    head = "".join(f"Jo\u00e3o {i};{i}\n" for i in range(120_000))  # latin-1 letters only
    data = ("Nome;N\n" + head).encode("cp1252") + b"Caf\xe9 \x80 \x93ok\x94 \x81;1\n"
    raw = read_file("x.csv", data)
    assert raw.options.encoding == "cp1252"
    assert raw.frame["Nome"].iloc[-1] == "Café € “ok” \x81"
    assert raw.frame["Nome"].iloc[0] == "João 0"
    assert raw.frame["N"].sum() == sum(range(120_000)) + 1


def test_a_utf8_bom_and_title_lines_before_a_large_file():
    body = "".join(f"{i};a\u00e7\u00e3o {i % 3}\n" for i in range(100_000))
    data = "\ufeffRelat\u00f3rio\n\nid;texto\n".encode() + body.encode()
    raw = read_file("x.csv", data)
    assert raw.options.skip_rows == 2
    assert list(raw.frame.columns) == ["id", "texto"]
    assert raw.frame["id"].tolist() == list(range(100_000))
    assert raw.frame["texto"].iloc[4] == "ação 1"
