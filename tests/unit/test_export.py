"""CSV and JSON exports of the report: formula-looking cells neutralised, numbers kept."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import pytest

from kpi.charter import Charter
from kpi.custom import Condition, CustomKpi
from kpi.export import charter_json, file_stem, kpi_table_csv
from kpi.load import load_dataset
from kpi.report import ReportDocument, build_report
from kpi.targets import Target

FORMULA_NAME = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(scope="module")
def document() -> ReportDocument:
    days = pd.date_range("2026-03-02", periods=28, freq="D")
    rows = pd.DataFrame({
        "Created At": [d + pd.Timedelta(hours=9 + i % 8) for d in days for i in range(10)],
        "Channel": ["phone", "chat"] * (28 * 5),
        "Abandoned": (["true"] + ["false"] * 4) * (28 * 2),
    })
    dataset = load_dataset([("small.csv", rows.to_csv(index=False).encode())])
    custom = CustomKpi(id="phone_share", name=FORMULA_NAME, form="rate",
                       numerator=(Condition("channel", "=", "phone"),))
    charter = Charter(kpis=("abandonment_rate", "phone_share"), custom_kpis=(custom.to_dict(),),
                      targets=(Target("abandonment_rate", value=0.15),),
                      notes="@SUM(A1:A9) -2+3")
    return build_report(dataset.interactions, charter,
                        baseline=(dt.date(2026, 3, 2), dt.date(2026, 3, 15)),
                        current=(dt.date(2026, 3, 16), dt.date(2026, 3, 29)),
                        segment_fields=())


def _read(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read the accents
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_formula_names_are_neutralised_and_numbers_stay_numbers(document: ReportDocument
                                                               ) -> None:
    rows = {r["kpi"]: r for r in _read(kpi_table_csv(document))}
    assert rows["phone_share"]["name"] == "'" + FORMULA_NAME
    assert rows["phone_share"]["verdict"].startswith("'=HYPERLINK")  # the verdict starts with it
    assert rows["abandonment_rate"]["name"] == "Abandonment rate"
    # 1 contact in 5 abandoned on every day: 0.2 both sides, difference exactly 0.
    assert float(rows["abandonment_rate"]["current_value"]) == pytest.approx(0.2)
    assert float(rows["abandonment_rate"]["baseline_value"]) == pytest.approx(0.2)
    assert float(rows["phone_share"]["current_value"]) == pytest.approx(0.5)
    assert float(rows["abandonment_rate"]["target"]) == pytest.approx(0.15)
    assert rows["abandonment_rate"]["status"] == "off_target"
    # A negative number is a number, not a formula: it is written without a quote.
    assert rows["abandonment_rate"]["difference"] in ("0.0", "-0.0")


def test_every_text_cell_is_safe(document: ReportDocument) -> None:
    for row in _read(kpi_table_csv(document)):
        for value in row.values():
            if value and not _is_number(value):
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_charter_json_round_trips(document: ReportDocument) -> None:
    data = charter_json(document.charter)
    assert Charter.from_json(data) == document.charter
    assert json.loads(data)["custom_kpis"][0]["name"] == FORMULA_NAME  # kept as typed
    assert file_stem(document) == "kpi-report-2026-03-29"
