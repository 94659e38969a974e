"""``kpi report``: writes the HTML (and CSV) from the command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kpi.charter import Charter
from kpi.cli import main
from kpi.targets import Target


@pytest.fixture(scope="module")
def data_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "contacts.csv"
    assert main(["sample", "--rows", "3000", "--days", "70", "--seed", "3", "--out",
                 str(path)]) == 0
    return path


def test_cli_writes_html_and_csv(data_file: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    charter = Charter(kpis=("abandonment_rate", "aht"), name="Monthly <review>",
                      targets=(Target("abandonment_rate", value=0.08),))
    charter_path = tmp_path / "charter.json"
    charter_path.write_text(charter.to_json(), encoding="utf-8")
    out, table = tmp_path / "report.html", tmp_path / "kpis.csv"
    code = main(["report", str(data_file), "--charter", str(charter_path), "--out", str(out),
                 "--csv", str(table), "--baseline", "2026-01-12:2026-02-08",
                 "--current", "2026-02-09:2026-03-08"])
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<title>Monthly &lt;review&gt;</title>" in text
    assert text.count('data-chart="chart-') == 2
    rows = list(csv.DictReader(io.StringIO(table.read_bytes().decode("utf-8-sig"))))
    assert [r["kpi"] for r in rows] == ["abandonment_rate", "aht"]
    assert rows[0]["current_start"] == "2026-02-09"
    printed = capsys.readouterr().out
    assert str(out) in printed
    assert "2 charts" in printed


def test_cli_portuguese_default_periods(data_file: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "relatorio.html"
    charter_path = tmp_path / "charter.json"
    charter_path.write_text(Charter(kpis=("resolution_rate",)).to_json(), encoding="utf-8")
    assert main(["report", str(data_file), "--charter", str(charter_path), "--out", str(out),
                 "--lang", "pt"]) == 0
    text = out.read_text(encoding="utf-8")
    assert '<html lang="pt-BR">' in text
    assert "Relatório de KPIs" in text
    # The sample's 70 days from Mon 2026-01-05 end on Sun 2026-03-15: the last 4 complete
    # weeks are Feb 16 – Mar 15, against Jan 19 – Feb 15.
    assert "Período atual de 16 de fev. de 2026 a 15 de mar. de 2026" in text
    assert "comparado com 19 de jan. de 2026 a 15 de fev. de 2026" in text
    assert "Relatório gravado em" in capsys.readouterr().out


def test_cli_needs_both_periods(data_file: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "never.html"
    code = main(["report", str(data_file), "--out", str(out), "--current",
                 "2026-02-09:2026-03-08"])
    assert code == 1
    assert not out.exists()
    assert "--baseline" in capsys.readouterr().err


def test_duckdb_engine_report_has_the_memory_kpi_table(data_file: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    folder = tmp_path / "dataset"
    assert main(["convert", str(data_file), "--out", str(folder)]) == 0
    kpis = ("abandonment_rate", "aht", "p90_wait", "volume", "occupancy", "forecast_accuracy")
    charter = Charter(kpis=kpis, targets=(Target("abandonment_rate", value=0.08),))
    sides = ["--activity", str(data_file.with_name("contacts_activity.csv")),
             "--forecast", str(data_file.with_name("contacts_forecast.csv"))]
    charter_path = tmp_path / "charter.json"
    charter_path.write_text(charter.to_json(), encoding="utf-8")
    tables = []
    for source, engine in ((data_file, "memory"), (folder, "duckdb")):
        out, table = tmp_path / f"{engine}.html", tmp_path / f"{engine}.csv"
        assert main(["report", str(source), "--engine", engine, "--charter", str(charter_path),
                     "--out", str(out), "--csv", str(table), *sides]) == 0
        assert out.read_text(encoding="utf-8").count('data-chart="chart-') == len(kpis)
        tables.append(table.read_bytes())
    rows = list(csv.DictReader(io.StringIO(tables[0].decode("utf-8-sig"))))
    assert [r["kpi"] for r in rows] == list(kpis)
    assert rows[2]["test"].startswith("bootstrap")
    assert float(rows[4]["current_value"]) > 0  # occupancy: activity read on both engines
    assert float(rows[5]["latest_value"]) > 0  # forecast accuracy: the forecast too
    assert tables[1] == tables[0]
    assert "duckdb.html" in capsys.readouterr().out
