"""Opening a converted (canonical Parquet) dataset by path on the Data page, then the Overview."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from app_support import open_session, texts
from streamlit.testing.v1 import AppTest

from kpi.convert import convert_files
from kpi.parquet_dataset import BUDGET_ENV
from kpi.ui.widgets import escape_markdown

# 2 400 contacts, one every 2.5 hours from Mon 2025-09-01 (~8 months, Sep 2025 – Apr 2026)
ROWS = 2400


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """A folder written by ``kpi convert`` and the raw export it came from."""
    rng = np.random.default_rng(5)
    created = pd.Timestamp("2025-09-01") + pd.to_timedelta(np.arange(ROWS) * 150, unit="min")
    raw = pd.DataFrame({
        "Ticket ID": np.arange(1, ROWS + 1),
        "Created At": created.strftime("%Y-%m-%d %H:%M:%S"),
        "Channel": rng.choice(["Phone", "Chat"], ROWS),
        "Customer ID": [f"+55 21 9{n:04d}-0000" for n in rng.integers(0, 300, ROWS)],
        "Wait Time (s)": rng.integers(0, 300, ROWS),
        "Abandoned": np.where(rng.random(ROWS) < 0.12, "true", "false"),
    })
    folder = tmp_path_factory.mktemp("parquet")
    raw.to_csv(folder / "export.csv", index=False)
    convert_files([folder / "export.csv"], folder / "dataset")
    return folder / "dataset", raw


def inspect(at: AppTest, location: str) -> AppTest:
    at.text_input(key="data_parquet_path").set_value(location)
    at.button(key="data_parquet_inspect").click()
    return at.run()


def months_widget(at: AppTest) -> object:
    return next(w for w in at.multiselect if w.key.startswith("data_parquet_months_"))


def test_open_by_path_then_the_overview_scorecard(
    data_page: Callable[..., AppTest], converted: tuple[Path, pd.DataFrame],
) -> None:
    folder, raw = converted
    created = pd.to_datetime(raw["Created At"])
    months = created.dt.strftime("%Y-%m")
    all_months = sorted(months.unique())
    assert len(all_months) == 9  # Sep 2025 – May 2026 (the last one partly)
    at = inspect(data_page(), str(folder))
    assert not at.exception
    picker = months_widget(at)
    assert picker.options == all_months
    assert picker.value == all_months[-6:]  # the last six by default
    chosen = all_months[-6:]
    rows = int(months.isin(chosen).sum())
    captions = " ".join(c.value for c in at.caption)
    assert f"{rows:,} contacts in 6 months; loading them takes about " in captions

    at.button(key="data_parquet_load").click().run()
    assert not at.exception
    assert f"Loaded {rows:,} contacts from {folder}." in [s.value for s in at.success]
    loaded = at.session_state["kpi:dataset"].interactions
    assert len(loaded) == rows
    assert loaded["customer_id"].str.fullmatch(r"[0-9a-f]{16}").all()  # pseudonymised
    source = at.session_state["kpi:source"]
    assert source.parquet.months == tuple(chosen)
    assert source.files == ()
    assert f"Months loaded: {', '.join(chosen)}." in texts(at)
    read_col = [m for m in at.metric if m.label == "Rows read"]
    assert read_col[0].value == f"{rows:,}"

    # the Overview works unchanged: the last complete week's contacts, by hand
    at.switch_page("app.py").run()
    assert not at.exception
    assert "Scorecard" in [s.value for s in at.subheader]
    last = created.max().normalize()
    week_end = last - pd.Timedelta(days=last.weekday())  # Monday of the last (partial) week
    if last.weekday() == 6:
        week_end += pd.Timedelta(days=7)
    week_start = week_end - pd.Timedelta(days=7)
    in_week = int(((created >= week_start) & (created < week_end)).sum())
    cards = [m.value.removeprefix("### ") for m in at.markdown if m.value.startswith("### ")]
    assert cards[0] == f"{in_week:,}"


def test_fewer_months_and_a_too_big_selection(
    data_page: Callable[..., AppTest], converted: tuple[Path, pd.DataFrame],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, raw = converted
    monkeypatch.setenv(BUDGET_ENV, "0.01")  # 10 KB: any month is too big
    at = inspect(data_page(locale="pt-BR"), str(folder))
    months_widget(at).set_value(["2025-10", "2025-11"]).run()
    at.button(key="data_parquet_load").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "Carregar estes 2 meses precisa de cerca de" in errors[0]
    assert escape_markdown(f"kpi compute {folder} --engine duckdb.") in errors[0]
    assert "kpi:dataset" not in at.session_state
    monkeypatch.delenv(BUDGET_ENV)
    at.button(key="data_parquet_load").click().run()
    expected = pd.to_datetime(raw["Created At"]).dt.strftime("%Y-%m").isin(["2025-10", "2025-11"])
    assert len(at.session_state["kpi:dataset"].interactions) == int(expected.sum())


def test_bad_paths_are_one_translated_sentence(
    data_page: Callable[..., AppTest], tmp_path: Path,
) -> None:
    at = inspect(data_page(locale="pt-BR"), str(tmp_path / "nada"))
    assert not at.exception
    assert [e.value for e in at.error] == [escape_markdown(
        f"Nada foi encontrado em “{tmp_path / 'nada'}”. Confira o caminho (no servidor onde "
        "o aplicativo roda) ou a URI."
    )]
    pd.DataFrame({"Data": ["2026-01-01"]}).to_parquet(tmp_path / "export.parquet")
    at = inspect(at, str(tmp_path))
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "não são um conjunto convertido: falta created\\_at" in errors[0]
    assert not [w for w in at.multiselect if w.key.startswith("data_parquet_months_")]


def test_default_data_may_name_a_parquet_folder(
    converted: tuple[Path, pd.DataFrame], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``KPI_DEFAULT_DATA`` = a converted folder: the app opens on its last six months."""
    folder, raw = converted
    months = pd.to_datetime(raw["Created At"]).dt.strftime("%Y-%m")
    last_six = sorted(months.unique())[-6:]
    at = open_session("app.py", monkeypatch, data=folder)
    assert not at.exception
    assert not at.warning, [w.value for w in at.warning]
    dataset = at.session_state["kpi:dataset"]
    assert len(dataset.interactions) == int(months.isin(last_six).sum())
    loaded = dataset.interactions["created_at"].dt.strftime("%Y-%m")
    assert sorted(loaded.unique()) == last_six
    assert at.metric  # the Overview scorecard is drawn


def test_default_data_names_a_missing_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path
                                             ) -> None:
    at = open_session("app.py", monkeypatch, data=tmp_path / "gone")
    assert not at.exception
    assert [w.value for w in at.warning] == [
        f"The default data file {tmp_path / 'gone'} does not exist; load data on the Data page."
    ]
