"""``kpi compute``: the SPEC §7 JSON and CSV shapes."""

from __future__ import annotations

import io
import json

import pandas as pd

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
