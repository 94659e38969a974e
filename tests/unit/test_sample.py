from __future__ import annotations

import csv
import gzip
import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from scipy import stats

import kpi.sample as sample_module
from kpi.cli import main
from kpi.errors import DefinitionError
from kpi.sample import (
    ABANDONMENT_AFTER_BOT,
    ABANDONMENT_BEFORE_BOT,
    ACTIVITY_HEADERS,
    AGENT_NAMES,
    EMAIL_FORM_HANDLE_FACTOR,
    FORECAST_HEADERS,
    IDENTIFIED_AFTER_BOT,
    IDENTIFIED_BEFORE_BOT,
    INTERACTION_HEADERS,
    generate,
    output_paths,
    story_dates,
    write_generated,
    write_sample,
)

BOT_LABELS = ["Chat", "WhatsApp", "Instagram", "Telegram"]


@pytest.fixture(scope="module")
def plain() -> sample_module.SampleData:
    return generate(8_000, seed=3)


@pytest.fixture(scope="module")
def story_sample() -> sample_module.SampleData:
    """Large enough for the designed effects to stand out from the noise."""
    return generate(150_000, seed=11)


@pytest.fixture(scope="module")
def br(tmp_path_factory: pytest.TempPathFactory) -> tuple[sample_module.SampleData, Path]:
    sample = generate(4_000, seed=5, days=70, dialect="br")
    path = tmp_path_factory.mktemp("br") / "atendimentos.csv"
    write_sample(sample, path)
    return sample, path


def _csv_rows(data: bytes, encoding: str, sep: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode(encoding)), delimiter=sep))


# --- determinism and size ----------------------------------------------------------------------
def test_same_seed_gives_identical_tables_and_another_seed_does_not():
    first, second = generate(3_000, seed=9), generate(3_000, seed=9)
    pd.testing.assert_frame_equal(first.interactions, second.interactions)
    pd.testing.assert_frame_equal(first.activity, second.activity)
    pd.testing.assert_frame_equal(first.forecast, second.forecast)
    other = generate(3_000, seed=10)
    assert not first.interactions["Created At"].equals(other.interactions["Created At"])


@pytest.mark.parametrize(("rows", "days"), [(1, 1), (7, 3), (2_501, 30), (12_000, None)])
def test_exactly_the_requested_rows_over_the_requested_days(rows, days):
    sample = generate(rows, seed=1, start=date(2026, 2, 2), days=days)
    frame = sample.interactions
    assert len(frame) == rows
    assert frame["Ticket ID"].is_unique
    assert frame["Created At"].is_monotonic_increasing
    last = date(2026, 2, 2) + timedelta(days=(days or 182) - 1)
    assert frame["Created At"].min() >= pd.Timestamp("2026-02-02")
    assert frame["Created At"].max() < pd.Timestamp(last + timedelta(days=1))


def test_chunked_generation_keeps_rows_ids_and_repeat_logic(monkeypatch):
    monkeypatch.setattr(sample_module, "CHUNK_ROWS", 700)
    sample = generate(5_000, seed=4, days=40)
    frame = sample.interactions
    assert len(frame) == 5_000
    assert (frame["Ticket ID"].diff().dropna() == 1).all()
    _assert_fcr_flag_matches_repeats(frame)


def test_invalid_arguments_raise_translatable_errors(tmp_path, monkeypatch):
    with pytest.raises(DefinitionError) as error:
        generate(0)
    assert error.value.code == "sample.rows_invalid"
    with pytest.raises(DefinitionError) as error:
        generate(10, dialect="fr")  # type: ignore[arg-type]
    assert error.value.code == "sample.dialect_unknown"
    with pytest.raises(DefinitionError) as error:
        output_paths(tmp_path / "x.json")
    assert error.value.code == "sample.format_unknown"
    monkeypatch.setattr(sample_module, "EXCEL_MAX_ROWS", 10)
    with pytest.raises(DefinitionError) as error:
        write_sample(generate(11), tmp_path / "x.xlsx")
    assert error.value.code == "sample.too_many_rows_for_excel"
    assert "11" in error.value.message("pt")


# --- plain dialect formats ---------------------------------------------------------------------
def test_plain_csv_headers_and_value_formats(plain, tmp_path):
    paths = write_sample(plain, tmp_path / "contacts.csv")
    data = paths[0].read_bytes()
    assert data.decode("utf-8").splitlines()[0] == ",".join(INTERACTION_HEADERS["plain"])
    rows = _csv_rows(data, "utf-8", ",")
    assert len(rows) == len(plain.interactions)
    iso = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
    booleans = {"true", "false"}
    for row in rows:
        for column in ("Created At", "Answered At", "Resolved At"):
            if row[column]:
                assert iso.match(row[column]), row[column]
                datetime.strptime(row[column], "%Y-%m-%d %H:%M:%S")
        for column in ("Abandoned", "Resolved", "Identified By Bot", "Transferred", "Converted"):
            assert row[column] in booleans
        assert row["First Contact Resolution"] in booleans | {""}
        assert row["CSAT"] in {"", "1", "2", "3", "4", "5"}
        assert row["NPS"] == "" or 0 <= int(row["NPS"]) <= 10
        assert re.match(r"^\d+(\.\d{1,2})?$", row["Cost"]), row["Cost"]
        assert row["Channel"] in {"Phone", "Chat", "Email", *BOT_LABELS}
        assert row["Agent"] == "" or row["Agent"] in AGENT_NAMES
        assert re.match(r"^C\d{7}$", row["Customer ID"])
        assert row["Status"] in {"open", "closed"}
        expected_last = {"customer", "agent"} if row["Status"] == "open" else {""}
        assert row["Last Message From"] in expected_last
    activity = _csv_rows(paths[1].read_bytes(), "utf-8", ",")
    assert list(activity[0]) == list(ACTIVITY_HEADERS["plain"])
    assert all(re.match(r"^\d{4}-\d{2}-\d{2}$", r["Date"]) for r in activity)
    forecast = _csv_rows(paths[2].read_bytes(), "utf-8", ",")
    assert list(forecast[0]) == list(FORECAST_HEADERS["plain"])


def test_plain_csv_reads_back_to_the_same_values(plain, tmp_path):
    path = write_sample(plain, tmp_path / "contacts.csv")[0]
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = plain.interactions
    assert (back["Wait Time (s)"] == frame["Wait Time (s)"].astype("str").fillna("")).all()
    assert np.allclose(back["Cost"].astype(float), frame["Cost"])
    created = pd.to_datetime(back["Created At"], format="%Y-%m-%d %H:%M:%S")
    assert (created.to_numpy() == frame["Created At"].to_numpy()).all()


# --- br dialect formats ------------------------------------------------------------------------
def _cpf_is_valid(text: str) -> bool:
    digits = [int(ch) for ch in text if ch.isdigit()]
    first = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) * 10 % 11 % 10
    second = sum(d * w for d, w in zip(digits[:10], range(11, 1, -1), strict=True)) * 10 % 11 % 10
    return digits[9] == first and digits[10] == second


def test_br_csv_is_cp1252_semicolon_with_brazilian_formats(br):
    sample, path = br
    data = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # accented headers and names are single cp1252 bytes
    assert "Situação".encode("cp1252") in data
    rows = _csv_rows(data, "cp1252", ";")
    assert list(rows[0]) == list(INTERACTION_HEADERS["br"])
    assert len(rows) == len(sample.interactions)
    hms = re.compile(r"^\d{2,}:[0-5]\d:[0-5]\d$")
    yes_no = {"Sim", "Não"}
    for row in rows:
        datetime.strptime(row["Data/Hora de Entrada"], "%d/%m/%Y %H:%M")
        for column in ("Data/Hora de Atendimento", "Data/Hora de Encerramento"):
            if row[column]:
                datetime.strptime(row[column], "%d/%m/%Y %H:%M")
        for column in ("Tempo de Espera", "Tempo de Atendimento"):
            assert row[column] == "" or hms.match(row[column]), row[column]
        assert re.match(r"^\d+,\d{2}$", row["Custo (R$)"]), row["Custo (R$)"]
        for column in ("Resolvido", "Identificado pelo Bot", "Transferido", "Venda"):
            assert row[column] in yes_no
        assert row["Resolvido no Primeiro Contato"] in yes_no | {""}
        assert row["Situação"] in {"Atendida", "Abandonada", "Em espera"}
        assert row["Canal"] in {"Telefone", "Chat", "E-mail", *BOT_LABELS}
        assert row["Status"] in {"Aberto", "Fechado"}
        assert row["Nota"] in {"", "1", "2", "3", "4", "5"}
        assert re.match(r"^\d{8}\d{6,}$", row["Protocolo"])
        client = row["Cliente"]
        if client.startswith("+55"):
            assert re.match(r"^\+55 \d{2} 9\d{4}-\d{4}$", client), client
        else:
            assert re.match(r"^\d{3}\.\d{3}\.\d{3}-\d{2}$", client), client
            assert _cpf_is_valid(client), client
        if row["Situação"] == "Abandonada":
            assert row["Tempo de Atendimento"] == ""
            assert row["Atendente"] == ""


def test_br_csv_round_trips_through_latin1_with_decimal_comma(br):
    sample, path = br
    back = pd.read_csv(path, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    assert list(back.columns) == list(sample.interactions.columns)
    assert (back == sample.interactions.fillna("")).all().all()
    cost = pd.read_csv(path, sep=";", decimal=",", encoding="latin-1")["Custo (R$)"]
    assert cost.dtype == "float64"
    assert cost.round(2).equals(cost)
    hms = back["Tempo de Atendimento"].replace("", None).dropna().str.split(":", expand=True)
    seconds = hms[0].astype(int) * 3600 + hms[1].astype(int) * 60 + hms[2].astype(int)
    assert seconds.min() >= 5
    activity = pd.read_csv(output_paths(path)[1], sep=";", decimal=",", encoding="cp1252")
    assert list(activity.columns) == list(ACTIVITY_HEADERS["br"])
    assert activity["Horas Logadas"].dtype == "float64"
    forecast = pd.read_csv(output_paths(path)[2], sep=";", encoding="cp1252")
    assert list(forecast.columns) == list(FORECAST_HEADERS["br"])
    pd.to_datetime(forecast["Data"], format="%d/%m/%Y")


# --- internal consistency ----------------------------------------------------------------------
def _assert_fcr_flag_matches_repeats(frame: pd.DataFrame) -> None:
    """The explicit flag agrees with SPEC's derived FCR: resolved and the same customer has no
    other contact in (t, t + 7 days]."""
    ordered = frame.sort_values(["Customer ID", "Created At"], kind="stable")
    next_time = ordered.groupby("Customer ID")["Created At"].shift(-1)
    follow_up = (next_time - ordered["Created At"]) <= pd.Timedelta(days=7)
    derived = ordered["Resolved"].astype(bool) & ~follow_up
    known = ordered["First Contact Resolution"].notna()
    assert known.sum() > 0
    flag = ordered.loc[known, "First Contact Resolution"].astype(bool)
    assert (flag == derived[known]).all()


def test_interactions_are_internally_consistent(plain):
    f = plain.interactions
    created, answered, resolved_at = f["Created At"], f["Answered At"], f["Resolved At"]
    assert (answered.dropna() >= created[answered.notna()]).all()
    assert (resolved_at.dropna() >= answered[resolved_at.notna()]).all()
    waited = (answered - created).dt.total_seconds()
    has_answer = answered.notna()
    assert (waited[has_answer] == f.loc[has_answer, "Wait Time (s)"].astype(float)).all()
    abandoned = f["Abandoned"].astype(bool)
    assert f.loc[abandoned, "Handle Time (s)"].isna().all()
    assert f.loc[abandoned, "Answered At"].isna().all()
    assert f.loc[abandoned, "Agent"].isna().all()
    assert (f.loc[~abandoned & has_answer, "Handle Time (s)"] > 0).all()
    assert f["CSAT"].dropna().between(1, 5).all()
    assert f["NPS"].dropna().between(0, 10).all()
    assert not (abandoned & (f["Channel"] == "Email")).any()
    is_open = f["Status"] == "open"
    assert f.loc[is_open, "Resolved At"].isna().all()
    assert (f["Resolved"].astype(bool) == resolved_at.notna()).all()
    # open contacts are recent: within a few days of the export
    export = pd.Timestamp(plain.story.export_time)
    assert (f.loc[is_open, "Created At"] > export - pd.Timedelta(days=20)).all()
    # every team member belongs to one team only
    assert (f.dropna(subset=["Agent"]).groupby("Agent")["Team"].nunique() == 1).all()
    _assert_fcr_flag_matches_repeats(f)


def test_survey_rates_waits_and_repeats_are_realistic(story_sample):
    f = story_sample.interactions
    handled = ~f["Abandoned"].astype(bool)
    assert 0.18 <= f["CSAT"].notna().mean() <= 0.30
    assert 0.07 <= f["NPS"].notna().mean() <= 0.12
    median_wait = f[handled].groupby("Channel")["Wait Time (s)"].median()
    assert median_wait["Phone"] < 120
    assert median_wait["Email"] > 3 * 3600
    repeat_share = f["Customer ID"].duplicated().mean()
    assert 0.10 <= repeat_share <= 0.45
    assert f["Channel"].nunique() == 6
    assert f["Topic"].nunique() == 10
    assert f["Agent"].nunique() == len(AGENT_NAMES) == 30
    assert f["Team"].nunique() == 4


# --- the story ---------------------------------------------------------------------------------
def test_bot_launch_lowers_abandonment_and_raises_identification(story_sample):
    f, story = story_sample.interactions, story_sample.story
    after = f["Created At"] >= pd.Timestamp(story.bot_launch)
    bot = f["Channel"].isin(BOT_LABELS)
    before_rate = f.loc[bot & ~after, "Abandoned"].astype(float).mean()
    after_rate = f.loc[bot & after, "Abandoned"].astype(float).mean()
    assert before_rate == pytest.approx(ABANDONMENT_BEFORE_BOT, abs=0.01)
    assert after_rate == pytest.approx(ABANDONMENT_AFTER_BOT, abs=0.01)
    designed = ABANDONMENT_BEFORE_BOT - ABANDONMENT_AFTER_BOT
    assert before_rate - after_rate == pytest.approx(designed, abs=0.01)
    identified = f["Identified By Bot"].astype(float)
    assert identified[bot & ~after].mean() == pytest.approx(IDENTIFIED_BEFORE_BOT, abs=0.02)
    assert identified[bot & after].mean() == pytest.approx(IDENTIFIED_AFTER_BOT, abs=0.02)
    phone = f["Channel"] == "Phone"
    phone_before = f.loc[phone & ~after, "Abandoned"].astype(float).mean()
    phone_after = f.loc[phone & after, "Abandoned"].astype(float).mean()
    assert phone_after == pytest.approx(phone_before, abs=0.01)


def test_email_handle_time_grows_by_the_designed_factor(story_sample):
    f, story = story_sample.interactions, story_sample.story
    email = f["Channel"] == "Email"
    after = f["Created At"] >= pd.Timestamp(story.email_form)
    handle = f["Handle Time (s)"].astype(float)
    ratio = handle[email & after].mean() / handle[email & ~after].mean()
    assert ratio == pytest.approx(EMAIL_FORM_HANDLE_FACTOR, abs=0.06)
    chat = f["Channel"] == "Chat"
    assert handle[chat & after].mean() / handle[chat & ~after].mean() == pytest.approx(1, abs=0.05)


def test_phone_csat_and_transfer_rate_do_not_change(story_sample):
    f, story = story_sample.interactions, story_sample.story
    phone = (f["Channel"] == "Phone") & ~f["Abandoned"].astype(bool)
    after = f["Created At"] >= pd.Timestamp(story.bot_launch)
    csat = f["CSAT"].astype(float)
    before_scores, after_scores = csat[phone & ~after].dropna(), csat[phone & after].dropna()
    assert abs(after_scores.mean() - before_scores.mean()) < 0.06
    assert stats.ttest_ind(before_scores, after_scores, equal_var=False).pvalue > 0.01
    transferred = f["Transferred"].astype(float)
    assert transferred[phone & after].mean() == pytest.approx(
        transferred[phone & ~after].mean(), abs=0.01
    )


def test_days_are_not_independent(story_sample):
    """Day-level shocks: the daily abandonment rate varies more than binomial noise allows."""
    f = story_sample.interactions
    phone = f[f["Channel"] == "Phone"]
    daily = phone.groupby(phone["Created At"].dt.date)["Abandoned"].agg(["mean", "size"])
    daily = daily[daily["size"] >= 50]
    p = phone["Abandoned"].astype(float).mean()
    binomial_var = (p * (1 - p) / daily["size"]).mean()
    assert daily["mean"].astype(float).var() > 1.8 * binomial_var


def test_story_dates_follow_the_period():
    story = story_dates(date(2026, 1, 5), 182)
    assert story.bot_launch == date(2026, 4, 6)
    assert story.bot_launch.weekday() == 0
    assert story.email_form == date(2026, 3, 2)
    assert story.outage == date(2026, 5, 27)
    assert story.export_time == datetime(2026, 7, 6)


# --- activity and forecast ---------------------------------------------------------------------
def test_activity_is_consistent_with_handled_volume(story_sample):
    f, activity = story_sample.interactions, story_sample.activity
    handled = f.dropna(subset=["Agent"])
    busy = handled.groupby([handled["Agent"], handled["Created At"].dt.date])[
        "Handle Time (s)"
    ].sum()
    online = activity.set_index(["Agent", "Date"])["Online Hours"] * 3600
    assert set(busy.index) == set(online.index)
    occupancy = (busy / online.reindex(busy.index)).astype(float)
    substantial = online.reindex(busy.index) >= 1800
    assert occupancy[substantial].between(0.60, 0.95).all()
    assert busy.sum() / online.sum() == pytest.approx(0.80, abs=0.03)


def test_forecast_is_within_ten_percent_of_actual(plain):
    f, forecast = plain.interactions, plain.forecast
    actual = f.groupby([f["Created At"].dt.date, "Channel"]).size()
    predicted = forecast.set_index(["Date", "Channel"])["Forecast Volume"].astype(float)
    actual = actual.reindex(predicted.index, fill_value=0).astype(float)
    assert (abs(predicted - actual) <= 0.1 * actual + 0.5).all()
    assert len(forecast) == 182 * 6


# --- writing and the command line --------------------------------------------------------------
def test_cli_writes_three_files_identical_to_the_library(tmp_path, capsys):
    out = tmp_path / "demo.csv"
    code = main(["sample", "--rows", "600", "--seed", "2", "--days", "21", "--out", str(out)])
    assert code == 0
    files = [out, tmp_path / "demo_activity.csv", tmp_path / "demo_forecast.csv"]
    assert all(p.exists() for p in files)
    assert "600" in capsys.readouterr().out
    assert len(pd.read_csv(out)) == 600
    assert len(pd.read_csv(files[2])) == 21 * 6
    again = write_sample(generate(600, seed=2, days=21), tmp_path / "again.csv")
    for written, expected in zip(files, again, strict=True):
        assert written.read_bytes() == expected.read_bytes()


def test_cli_rejects_a_bad_start_date(tmp_path, capsys):
    code = main(["--lang", "pt", "sample", "--rows", "5", "--start", "05/01/2026",
                 "--out", str(tmp_path / "x.csv")])
    assert code == 1
    assert "AAAA-MM-DD" in capsys.readouterr().err


def test_gzip_parquet_and_excel_outputs(tmp_path):
    sample = generate(400, seed=8, days=14)
    gz = write_sample(sample, tmp_path / "s.csv.gz")
    assert [p.name for p in gz] == ["s.csv.gz", "s_activity.csv.gz", "s_forecast.csv.gz"]
    text = gzip.decompress(gz[0].read_bytes()).decode("utf-8")
    assert text.splitlines()[0].startswith("Ticket ID,Created At")
    assert len(text.splitlines()) == 401
    assert write_sample(sample, tmp_path / "t.csv.gz")[0].read_bytes() == gz[0].read_bytes()

    parquet = write_sample(sample, tmp_path / "s.parquet")
    back = pq.read_table(parquet[0]).to_pandas()
    assert list(back.columns) == list(INTERACTION_HEADERS["plain"])
    assert (back["Created At"].to_numpy() == sample.interactions["Created At"].to_numpy()).all()
    assert len(pq.read_table(parquet[1])) == len(sample.activity)

    xlsx = write_sample(sample, tmp_path / "s.xlsx")
    assert len(xlsx) == 1
    book = load_workbook(xlsx[0], read_only=True)
    assert book.sheetnames == ["Interactions", "Agent activity", "Forecast"]
    assert sum(1 for _ in book["Interactions"].iter_rows()) == 401
    back = pd.read_excel(xlsx[0], sheet_name="Interactions")
    assert (back["Created At"].to_numpy() == sample.interactions["Created At"].to_numpy()).all()
    assert back["CSAT"].count() == sample.interactions["CSAT"].count()
    assert isinstance(next(book["Interactions"].iter_rows(min_row=2, max_row=2))[1].value,
                      datetime)


@pytest.mark.parametrize("name", ["s.csv", "s.csv.gz", "s.parquet"])
@pytest.mark.parametrize("dialect", ["plain", "br"])
def test_streamed_writing_equals_writing_the_generated_frames(tmp_path, monkeypatch, name,
                                                              dialect):
    monkeypatch.setattr(sample_module, "CHUNK_ROWS", 300)
    monkeypatch.setattr(sample_module, "_CSV_SLICE", 170)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    streamed, story = write_generated(tmp_path / "a" / name, 1_000, seed=6, days=20,
                                      dialect=dialect)
    sample = generate(1_000, seed=6, days=20, dialect=dialect)
    assert story == sample.story
    whole = write_sample(sample, tmp_path / "b" / name)
    for left, right in zip(streamed, whole, strict=True):
        if name.endswith(".parquet"):
            assert pq.read_table(left).equals(pq.read_table(right))
        else:
            assert left.read_bytes() == right.read_bytes()
    if name.endswith(".parquet"):
        assert pq.ParquetFile(streamed[0]).num_row_groups > 1


def test_bundled_files_are_reproduced_byte_for_byte(repo_root, tmp_path):
    """The commands written in sample_data/README.md regenerate the bundled files exactly."""
    folder = repo_root / "sample_data"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^kpi (sample .+)$", readme, flags=re.MULTILINE)
    assert len(commands) == 2
    for command in commands:
        args = command.split()
        target = Path(args[args.index("--out") + 1])
        args[args.index("--out") + 1] = str(tmp_path / target.name)
        assert main(args) == 0
        for name in [p.name for p in output_paths(target)]:
            assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name
    total = sum(p.stat().st_size for p in folder.iterdir())
    assert total < 8.5 * 2**20


def test_duration_text_handles_long_and_missing_durations():
    seconds = np.array([0.0, 59.0, 3_600 * 101 + 61, np.nan, 3_600 * 7 + 5 * 60 + 9])
    assert sample_module._hms(seconds).to_pylist() == [
        "00:00:00", "00:00:59", "101:01:01", None, "07:05:09",
    ]
