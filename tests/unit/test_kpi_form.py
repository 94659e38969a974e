"""kpi.kpi_form: form input → typed KPI definitions, the chosen order, custom KPI previews."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kpi import kpi_form
from kpi.business_hours import BusinessCalendar
from kpi.catalog import CATALOG, KpiParams
from kpi.custom import Condition, CustomKpi
from kpi.errors import DefinitionError


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """Three weeks of contacts (Mon 2026-03-02 … Sun 03-22), typed like a canonical frame."""
    rng = np.random.default_rng(7)
    n = 300
    created = pd.Timestamp("2026-03-02") + pd.to_timedelta(
        np.sort(rng.integers(0, 21 * 86_400, n)), unit="s"
    )
    return pd.DataFrame({
        "interaction_id": pd.array([str(i) for i in range(n)], dtype="str"),
        "created_at": created.astype("datetime64[us]"),
        "channel": pd.array(rng.choice(["phone", "chat", "email"], n), dtype="str"),
        "handle_seconds": rng.gamma(2.0, 150.0, n).round(),
        "abandoned": pd.array(rng.random(n) < 0.1, dtype="boolean"),
        "source_file": pd.array(["a.csv"] * n, dtype="str"),
        "source_row": np.arange(n, dtype="int64"),
    })


def test_catalog_rows_group_every_kpi_and_follow_the_parameters() -> None:
    rows = kpi_form.catalog_rows(["created_at", "abandoned"], KpiParams(service_level_seconds=30),
                                 "en")
    ids = [r.id for group in rows.values() for r in group]
    assert sorted(ids) == sorted(CATALOG)
    assert all(r.category == c for c, group in rows.items() for r in group)
    by_id = {r.id: r for group in rows.values() for r in group}
    assert "30 s" in by_id["service_level"].definition
    assert by_id["volume"].available
    assert by_id["abandonment_rate"].available
    wait = by_id["avg_wait"]
    assert not wait.available
    assert "wait" in wait.reason
    assert by_id["volume"].why


def test_catalog_rows_list_custom_kpis_with_missing_columns_in_portuguese() -> None:
    vip = CustomKpi("vip", "VIP", "count", category="cost", unit="count",
                    where=(Condition("tier", "=", "vip"),))
    rows = kpi_form.catalog_rows(["created_at"], KpiParams(), "pt", custom=[vip])
    row = next(r for r in rows["cost"] if r.id == "vip")
    assert row.custom
    assert not row.available
    assert row.reason == "precisa da(s) coluna(s) tier"
    assert row.definition == "Número de linhas entre as linhas em que tier = vip."


def test_ordered_choice_keeps_the_users_order_and_appends_new_choices() -> None:
    assert kpi_form.ordered_choice(["b", "a", "c"], ["a", "b", "d"]) == ("b", "a", "d")
    assert kpi_form.ordered_choice([], ["x", "y"]) == ("x", "y")
    assert kpi_form.chosen_kpis(["b", "a"], ["a", "b"], ["a", "future_kpi", "b"],
                                known=["a", "b", "c"]) == ("b", "a", "future_kpi")
    assert kpi_form.move(("a", "b", "c"), "c", -1) == ("a", "c", "b")
    assert kpi_form.move(("a", "b", "c"), "a", -1) == ("a", "b", "c")
    assert kpi_form.move(("a", "b", "c"), "a", 1) == ("b", "a", "c")
    assert kpi_form.move(("a", "b"), "z", 1) == ("a", "b")


def test_params_from_form_records_only_chosen_statistics_and_business_kpis() -> None:
    calendar = BusinessCalendar.default()
    params = kpi_form.params_from_form(
        service_level_seconds=30, fcr_window_days=3, csat_low=0, csat_high=10,
        statistics={"aht": "median", "avg_wait": "mean"},
        business_hours=["avg_wait", "service_level"], calendar=calendar,
    )
    assert params.service_level_seconds == 30.0
    assert params.fcr_window_days == 3
    assert params.csat_scale == (0.0, 10.0)
    assert params.statistics == (("aht", "median"),)
    assert params.business_hours == ("service_level", "avg_wait")  # catalog order
    assert params.uses_business_hours("avg_wait")
    assert KpiParams.from_dict(params.to_dict()) == params


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("csat_low", 5, "catalog.error.csat_scale"),
     ("fcr_window_days", 2.5, "catalog.error.fcr_window"),
     ("service_level_seconds", -1, "catalog.error.threshold")],
)
def test_params_from_form_rejects_impossible_values(field: str, value: float, code: str) -> None:
    form = {"service_level_seconds": 20, "fcr_window_days": 7, "csat_low": 1, "csat_high": 5,
            "statistics": {}, "business_hours": [], "calendar": None, field: value}
    with pytest.raises(DefinitionError) as error:
        kpi_form.params_from_form(**form)
    assert error.value.code == code


def test_calendar_round_trips_through_editor_rows_and_keeps_lunch_breaks() -> None:
    previous = BusinessCalendar(
        hours={0: (("08:00", "12:00"), ("13:00", "17:00")), 1: (("09:00", "18:00"),)},
        timezone="America/Sao_Paulo",
    )
    rows = kpi_form.calendar_rows(previous)
    assert rows[0] == {"weekday": "mon", "open": True, "opens": "08:00", "closes": "17:00"}
    assert rows[6] == {"weekday": "sun", "open": False, "opens": "09:00", "closes": "18:00"}
    rows[1] = {**rows[1], "closes": "20:00"}
    rows[5] = {**rows[5], "open": True, "opens": "10:00", "closes": "14:00"}
    calendar = kpi_form.calendar_from_rows(rows, "America/Sao_Paulo", previous=previous)
    assert calendar.hours == {
        0: (("08:00", "12:00"), ("13:00", "17:00")),
        1: (("09:00", "20:00"),),
        5: (("10:00", "14:00"),),
    }
    assert calendar.timezone == "America/Sao_Paulo"
    rows[2] = {**rows[2], "open": True, "opens": "9h", "closes": "18:00"}
    with pytest.raises(DefinitionError) as error:
        kpi_form.calendar_from_rows(rows, None, previous=previous)
    assert error.value.code == "validation.calendar_bad_time"


def test_column_families_and_choices_leave_bookkeeping_out(frame: pd.DataFrame) -> None:
    choices = kpi_form.column_choices(frame.dtypes.to_dict())
    assert choices == {
        "interaction_id": "text", "created_at": "datetime", "channel": "text",
        "handle_seconds": "number", "abandoned": "bool",
    }


@pytest.mark.parametrize(
    ("text", "family", "expected"),
    [("1,5", "number", 1.5), (" 90 ", "number", 90.0), ("1.5", "number", 1.5),
     ("sim", "bool", True), ("No", "bool", False), ("2026-03-01", "datetime", "2026-03-01"),
     (" phone ", "text", "phone")],
)
def test_parse_value_types_by_column(text: str, family: str, expected: object) -> None:
    value = kpi_form.parse_value(text, family, column="c")  # type: ignore[arg-type]
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("text", "family", "code"),
    [("abc", "number", "kpis_page.error.number"), ("inf", "number", "kpis_page.error.number"),
     ("maybe", "bool", "kpis_page.error.boolean"), ("soon", "datetime", "kpis_page.error.date")],
)
def test_parse_value_rejects_wrong_types(text: str, family: str, code: str) -> None:
    with pytest.raises(DefinitionError) as error:
        kpi_form.parse_value(text, family, column="c")  # type: ignore[arg-type]
    assert error.value.code == code


def test_conditions_from_rows_skip_blanks_and_split_lists() -> None:
    families = {"channel": "text", "handle_seconds": "number", "abandoned": "bool"}
    rows = [
        {"column": "channel", "operator": "in", "value": "phone; chat"},
        {"column": None, "operator": None, "value": None},
        {"column": "handle_seconds", "operator": "≥", "value": "60,5"},
        {"column": "abandoned", "operator": "=", "value": "não"},
        {"column": "channel", "operator": "is not empty", "value": float("nan")},
    ]
    assert kpi_form.conditions_from_rows(rows, families) == (
        Condition("channel", "in", ("phone", "chat")),
        Condition("handle_seconds", ">=", 60.5),
        Condition("abandoned", "=", False),
        Condition("channel", "is not empty", None),
    )


@pytest.mark.parametrize(
    ("row", "code"),
    [({"column": "tier", "operator": "=", "value": "x"}, "kpis_page.error.condition_column"),
     ({"column": "channel", "operator": "", "value": "x"}, "kpis_page.error.condition_operator"),
     ({"column": "channel", "operator": "=", "value": ""}, "kpis_page.error.condition_value"),
     ({"column": "channel", "operator": "in", "value": " ; "}, "kpis_page.error.condition_value"),
     ({"column": "channel", "operator": "~", "value": "x"}, "catalog.custom.error.operator")],
)
def test_conditions_from_rows_reject_incomplete_rows(row: dict[str, object], code: str) -> None:
    with pytest.raises(DefinitionError) as error:
        kpi_form.conditions_from_rows([row], {"channel": "text"})
    assert error.value.code == code


def test_slug_makes_unique_ids_apart_from_the_catalog() -> None:
    assert kpi_form.slug("Pedidos VIP (%)") == "pedidos_vip"
    assert kpi_form.slug("Ação rápida") == "acao_rapida"
    assert kpi_form.slug("Volume") == "volume_2"
    assert kpi_form.slug("VIP", taken=["vip", "vip_2"]) == "vip_3"
    assert kpi_form.slug("90 % rule") == "custom_90_rule"
    assert kpi_form.slug("!!!") == "custom"


def test_custom_from_form_builds_and_validates(frame: pd.DataFrame) -> None:
    dtypes = frame.dtypes.to_dict()
    kpi = kpi_form.custom_from_form(
        name=" Long phone calls ", form="rate", dtypes=dtypes,
        where=[{"column": "channel", "operator": "=", "value": "phone"}],
        numerator=[{"column": "handle_seconds", "operator": ">", "value": "600"}],
        unit="percent", direction="lower", category="cost", description="Calls over 10 min",
        column="handle_seconds",  # ignored for a rate
    )
    assert kpi.id == "long_phone_calls"
    assert kpi.name == "Long phone calls"
    assert kpi.column is None
    assert kpi.direction == "lower"
    assert kpi.category == "cost"
    assert kpi.numerator == (Condition("handle_seconds", ">", 600.0),)
    p75 = kpi_form.custom_from_form(name="P75", form="percentile", quantile=75,
                                    column="handle_seconds", dtypes=dtypes, unit="seconds")
    assert p75.quantile == 0.75
    assert p75.level == 0.75
    with pytest.raises(DefinitionError) as error:
        kpi_form.custom_from_form(
            name="Bad", form="count", dtypes=dtypes,
            where=[{"column": "channel", "operator": "<", "value": "phone"}],
        )
    assert error.value.code == "catalog.custom.error.order_on_text"
    with pytest.raises(DefinitionError) as error:
        kpi_form.custom_from_form(name="Avg", form="mean", column="channel", dtypes=dtypes)
    assert error.value.code == "catalog.custom.error.not_numeric"
    with pytest.raises(DefinitionError) as error:
        kpi_form.custom_from_form(name="Hidden", form="mean", column="source_row", dtypes=dtypes)
    assert error.value.code == "catalog.custom.error.unknown_column"


def test_preview_of_a_rate_matches_pandas(frame: pd.DataFrame) -> None:
    kpi = kpi_form.custom_from_form(
        name="Long calls", form="rate", dtypes=frame.dtypes.to_dict(),
        where=[{"column": "channel", "operator": "=", "value": "phone"}],
        numerator=[{"column": "handle_seconds", "operator": ">", "value": "300"}],
    )
    result = kpi_form.preview(frame, kpi)
    phone = frame[frame["channel"] == "phone"]
    assert result.overall == pytest.approx((phone["handle_seconds"] > 300).mean())
    assert result.overall_n == len(phone)
    last = phone[phone["created_at"] >= pd.Timestamp("2026-03-16")]
    assert result.week_start == pd.Timestamp("2026-03-16").date()
    assert result.last_week == pytest.approx((last["handle_seconds"] > 300).mean())
    assert result.last_week_n == len(last)


def test_preview_of_mean_count_and_percentile_match_numpy(frame: pd.DataFrame) -> None:
    dtypes = frame.dtypes.to_dict()
    chat = frame[frame["channel"] == "chat"]
    where = [{"column": "channel", "operator": "=", "value": "chat"}]
    mean = kpi_form.preview(frame, kpi_form.custom_from_form(
        name="m", form="mean", column="handle_seconds", where=where, dtypes=dtypes))
    assert mean.overall == pytest.approx(chat["handle_seconds"].mean())
    count = kpi_form.preview(frame, kpi_form.custom_from_form(
        name="c", form="count", where=where, dtypes=dtypes, unit="count"))
    assert count.overall == len(chat)
    assert count.overall_n == len(chat)
    p90 = kpi_form.preview(frame, kpi_form.custom_from_form(
        name="p", form="percentile", quantile=90, column="handle_seconds", where=where,
        dtypes=dtypes))
    assert p90.overall == pytest.approx(np.quantile(chat["handle_seconds"], 0.9))
    last = chat[chat["created_at"] >= pd.Timestamp("2026-03-16")]["handle_seconds"]
    assert p90.last_week == pytest.approx(np.quantile(last, 0.9))
    assert p90.overall_n == len(chat)


def test_preview_rejects_a_definition_the_data_cannot_compute(frame: pd.DataFrame) -> None:
    kpi = CustomKpi("vip", "VIP", "count", where=(Condition("tier", "=", "vip"),))
    with pytest.raises(DefinitionError) as error:
        kpi_form.preview(frame, kpi)
    assert error.value.code == "catalog.custom.error.unknown_column"


def test_value_format_by_unit() -> None:
    assert kpi_form.value_format("percent") == "percent"
    assert kpi_form.value_format("seconds") == "duration"
    assert kpi_form.value_format("nps") == "nps"
    assert kpi_form.value_format("currency") == "number"
