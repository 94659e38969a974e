"""The pure helpers behind the pages: mapping corrections, navigation, formatting, state keys."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
import pytest

from kpi.errors import MappingError
from kpi.mapping import Mapping
from kpi.ui import format as fmt
from kpi.ui.mapping_form import (
    Corrections,
    ValueChoice,
    corrected_mapping,
    duplicate_columns,
    observed_values,
)
from kpi.ui.nav import nav_items, page_id_of
from kpi.ui.state import DataSource, content_key
from kpi.ui.widgets import escape_markdown

BASE = Mapping.from_dict(
    {
        "read": {"sep": ";", "decimal": ",", "dayfirst": True},
        "columns": {"created_at": "Data", "agent": "Atendente", "abandoned": "Abandonou"},
        "units": {"wait_seconds": "minutes"},
        "activity": {"sheet": "Agentes", "columns": {"agent": "Nome", "date": "Dia"}},
    }
)


def test_corrections_replace_the_interaction_part_and_keep_the_rest() -> None:
    corrections = Corrections(
        columns={
            "created_at": "Data",
            "agent": None,
            "wait_seconds": "Espera",
            "abandoned": "Abandonou",
        },
        units={"wait_seconds": "seconds", "handle_seconds": "hours"},
        values={
            "abandoned": ValueChoice("Situação", ("Abandonada",), ("Atendida",)),
            "resolved": ValueChoice("Situação"),  # a column but no values: not a mapping
        },
        csat_scale=(0.0, 10.0),
        timezone="America/Sao_Paulo",
        dayfirst=None,
    )
    result = corrected_mapping(BASE, corrections).to_dict()
    assert result["columns"] == {"created_at": "Data", "wait_seconds": "Espera"}
    assert result["units"] == {"wait_seconds": "seconds"}  # handle time is not mapped
    assert result["values"] == {
        "abandoned": {"column": "Situação", "true": ["Abandonada"], "false": ["Atendida"]}
    }
    assert result["read"] == {"sep": ";", "decimal": ","}  # dayfirst back to "detect"
    assert result["csat_scale"] == [0, 10]
    assert result["timezone"] == "America/Sao_Paulo"
    assert result["activity"] == BASE.activity.to_dict()


def test_month_first_is_written_as_dayfirst_false() -> None:
    result = corrected_mapping(BASE, Corrections(columns={"created_at": "Data"}, dayfirst=False))
    assert result.read["dayfirst"] is False
    assert result.timezone is None
    assert result.csat_scale is None


def test_a_bad_timezone_is_a_mapping_error() -> None:
    with pytest.raises(MappingError):
        corrected_mapping(BASE, Corrections(columns={"created_at": "Data"}, timezone="Mars/Base"))


def test_duplicate_columns_names_every_field_sharing_one() -> None:
    chosen = {
        "created_at": "Data",
        "answered_at": "Data",
        "agent": "A",
        "team": None,
        "topic": None,
        "channel": "A",
        "customer_id": "C",
    }
    assert duplicate_columns(chosen) == {
        "Data": ["created_at", "answered_at"],
        "A": ["agent", "channel"],
    }
    assert duplicate_columns({"created_at": "Data", "team": None, "topic": None}) == {}


def test_observed_values_most_frequent_first_without_blanks() -> None:
    series = pd.Series(
        ["Atendida", " Abandonada", "Atendida", None, "", "Atendida", "Abandonada", "Retorno"],
        dtype="str",
    )
    assert observed_values(series) == ["Atendida", "Abandonada", "Retorno"]
    assert observed_values(series, limit=1) == ["Atendida"]
    assert observed_values(pd.Series([1, 1, 2])) == ["1", "2"]


def test_page_ids_and_navigation_order(tmp_path: Path) -> None:
    assert page_id_of("app.py") == "overview"
    assert page_id_of("1_Data.py") == "data"
    assert page_id_of("12_Custom_Report.py") == "custom_report"
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("10_Report.py", "2_KPIs.py", "1_Data.py", "Extra_Page.py"):
        (pages / name).write_text("")
    items = nav_items(tmp_path)
    assert [i.path for i in items] == [
        "app.py",
        "pages/1_Data.py",
        "pages/2_KPIs.py",
        "pages/10_Report.py",
        "pages/Extra_Page.py",
    ]
    assert [i.label("pt") for i in items] == [
        "Visão geral",
        "Dados",
        "KPIs",
        "Relatório",
        "Extra Page",
    ]
    assert items[1].icon == ":material/upload:"
    assert items[4].icon == ":material/article:"


def test_babel_formatting_by_language() -> None:
    assert fmt.integer(1234567, "en") == "1,234,567"
    assert fmt.integer(1234567, "pt") == "1.234.567"
    assert fmt.decimal(1234.5, "pt", 2) == "1.234,50"
    assert fmt.percent(0.081, "en") == "8.1%"
    assert fmt.percent(0.081, "pt") == "8,1%"
    assert fmt.percent(float("nan"), "pt") == "—"
    assert fmt.date(dt.date(2026, 3, 1), "en") == "Mar 1, 2026"
    assert fmt.date(pd.Timestamp("2026-03-01 23:59"), "pt") == "1 de mar. de 2026"


def test_content_keys_follow_names_bytes_and_mapping() -> None:
    files = (("a.csv", b"x,y\n1,2\n"), ("b.csv", b"x,y\n3,4\n"))
    expected = hashlib.sha256()
    for name, data in files:
        expected.update(name.encode())
        expected.update(len(data).to_bytes(8, "little"))
        expected.update(data)
    assert content_key(files) == expected.hexdigest()
    assert content_key(files) != content_key(files[::-1])
    assert content_key([("ab", b"c")]) != content_key([("a", b"bc")])
    plain = DataSource(files)
    mapped = DataSource(files, mapping_json='{"columns": {"created_at": "x"}}')
    assert plain.content_key == mapped.content_key
    assert plain.dataset_key != mapped.dataset_key
    assert plain.names == ("a.csv", "b.csv")


def test_markdown_from_data_is_shown_literally() -> None:
    assert escape_markdown("Custo (R$): R$ 1,97 a R$ 2") == "Custo (R\\$): R\\$ 1,97 a R\\$ 2"
    assert escape_markdown("*bold* _it_ <b>x</b>") == "\\*bold\\* \\_it\\_ \\<b\\>x\\</b\\>"
    assert escape_markdown("[link](javascript:x)") == "\\[link\\](javascript:x)"
    assert escape_markdown("5.000 linhas, 3 de 4.") == "5.000 linhas, 3 de 4."
