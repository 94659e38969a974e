"""``kpi compute``: the SPEC §7 JSON and CSV shapes."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from kpi.cli import main

CSV = """created_at,channel,wait_seconds,abandoned
2024-01-01 09:00,chat,10,no
2024-01-01 10:00,phone,30,no
2024-01-01 11:00,chat,50,yes
2024-01-03 09:00,chat,20,no
"""


def test_json_is_a_list_of_period_kpi_value_n_plus_the_by_field(tmp_path, capsys):
    path = tmp_path / "contacts.csv"
    path.write_text(CSV, encoding="utf-8")
    code = main(["compute", str(path), "--kpi", "avg_wait", "--kpi", "abandonment_rate",
                 "--freq", "day", "--by", "channel"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(set(r) == {"period", "kpi", "value", "n", "channel"} for r in rows)
    got = {(r["period"], r["channel"], r["kpi"]): (r["value"], r["n"]) for r in rows}
    assert got[("2024-01-01", "chat", "avg_wait")] == (10.0, 1)  # the abandoned one is out
    assert got[("2024-01-01", "chat", "abandonment_rate")] == (0.5, 2)  # a fraction
    assert got[("2024-01-02", "phone", "avg_wait")] == (None, 0)  # empty day: null
    assert got[("2024-01-03", "chat", "avg_wait")] == (20.0, 1)
    assert len(rows) == 3 * 2 * 2  # days × channels × KPIs


def test_kpi_ids_after_one_flag_or_repeated_give_the_same_rows(tmp_path, capsys):
    path = tmp_path / "contacts.csv"
    path.write_text(CSV, encoding="utf-8")
    outputs = []
    for options in (["--kpi", "avg_wait", "abandonment_rate"],
                    ["--kpi", "avg_wait", "--kpi", "abandonment_rate"]):
        assert main(["compute", str(path), *options, "--freq", "week"]) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0] == outputs[1]
    assert {r["kpi"] for r in outputs[0]} == {"avg_wait", "abandonment_rate"}


def test_default_kpis_and_csv(tmp_path, capsys):
    path = tmp_path / "contacts.csv"
    path.write_text(CSV, encoding="utf-8")
    assert main(["compute", str(path), "--format", "csv", "--freq", "week"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table.columns.tolist() == ["period", "kpi", "value", "n"]
    values = dict(zip(table["kpi"], table["value"], strict=True))
    assert values["volume"] == 4
    assert values["service_level"] == 0.5  # 10 s and 20 s of 4 with a known outcome
    assert "nps" not in values  # not in the data: not offered


SIDE_KPIS = ["occupancy", "contacts_per_hour", "online_hours", "forecast_accuracy", "volume"]


def same_records(got, expected):
    """The same records, values equal to 1e-9 relative (sums in another order)."""
    assert [{**r, "value": None} for r in got] == [{**r, "value": None} for r in expected]
    for mine, theirs in zip(got, expected, strict=True):
        if theirs["value"] is None:
            assert mine["value"] is None
        else:
            assert mine["value"] == pytest.approx(theirs["value"], rel=1e-9, abs=0)
    return True


def _side_files(tmp_path):
    """A sample export, its activity in a Brazilian dialect (; and decimal comma), its forecast."""
    from kpi.sample import generate

    sample = generate(1200, seed=5, days=30)
    interactions = tmp_path / "contacts.csv"
    sample.interactions.to_csv(interactions, index=False)
    activity = tmp_path / "atividade.csv"
    sample.activity.to_csv(activity, index=False, sep=";", decimal=",")
    forecast = tmp_path / "forecast.csv"
    sample.forecast.to_csv(forecast, index=False)
    return sample, interactions, activity, forecast


def test_activity_and_forecast_with_the_duckdb_engine_equal_memory(tmp_path, capsys):
    sample, interactions, activity, forecast = _side_files(tmp_path)
    out = tmp_path / "ds"
    assert main(["convert", str(interactions), "--out", str(out)]) == 0
    capsys.readouterr()
    options = [arg for kpi in SIDE_KPIS for arg in ("--kpi", kpi)]
    side = ["--activity", str(activity), "--forecast", str(forecast)]
    assert main(["compute", str(interactions), *options, *side, "--freq", "week"]) == 0
    memory = json.loads(capsys.readouterr().out)
    assert main(["compute", str(out), "--engine", "duckdb", *options, *side]) == 0
    files = json.loads(capsys.readouterr().out)
    assert same_records(files, memory)
    # Against the tables themselves: online hours are the activity's hours, whatever dialect.
    online = sum(r["value"] for r in files if r["kpi"] == "online_hours")
    assert online == pytest.approx(sample.activity["Online Hours"].sum(), rel=1e-9)
    values = {r["kpi"] for r in files if r["value"] is not None}
    assert values == set(SIDE_KPIS)


def test_default_kpis_on_the_file_engine_include_the_side_tables(tmp_path, capsys):
    _, interactions, activity, _forecast = _side_files(tmp_path)
    out = tmp_path / "ds"
    assert main(["convert", str(interactions), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["compute", str(out), "--engine", "duckdb", "--activity", str(activity)]) == 0
    kpis = {r["kpi"] for r in json.loads(capsys.readouterr().out)}
    assert {"occupancy", "online_hours"} <= kpis
    assert "forecast_accuracy" not in kpis


def test_a_side_file_of_the_wrong_kind_is_named(tmp_path, capsys):
    _, interactions, activity, _forecast = _side_files(tmp_path)
    out = tmp_path / "ds"
    assert main(["convert", str(interactions), "--out", str(out)]) == 0
    capsys.readouterr()
    code = main(["compute", str(out), "--engine", "duckdb", "--kpi", "forecast_accuracy",
                 "--forecast", str(activity)])
    assert code == 1
    assert "atividade.csv" in capsys.readouterr().err
