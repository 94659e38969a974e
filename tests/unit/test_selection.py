from __future__ import annotations

from kpi.catalog import KpiParams
from kpi.charter import Charter
from kpi.custom import Condition, CustomKpi
from kpi.selection import DEFAULT_KPIS, resolve

COLUMNS = ("created_at", "channel", "abandoned", "wait_seconds", "csat")


def test_default_selection_keeps_the_default_kpis_the_data_supports_in_order():
    selection = resolve(Charter(), COLUMNS)
    assert selection.is_default
    assert selection.ids == ("volume", "abandonment_rate", "service_level", "avg_wait",
                             "csat_score")
    assert set(selection.ids) <= set(DEFAULT_KPIS)
    assert selection.unavailable == ()  # the default says nothing about what it left out


def test_chosen_kpis_keep_their_order_and_unavailable_ones_say_why():
    charter = Charter(kpis=("csat_score", "aht", "volume"))
    selection = resolve(charter, COLUMNS)
    assert selection.ids == ("csat_score", "volume")
    [(kpi, check)] = selection.unavailable
    assert kpi == "aht"
    assert not check.ok
    assert "handle_seconds" in check.missing


def test_parameters_and_custom_kpis_come_back_typed():
    chat = CustomKpi(
        id="chat_share", name="Chat share", form="rate",
        numerator=(Condition.of("channel", "=", "chat"),),
    )
    charter = Charter(
        kpis=("chat_share", "service_level"),
        parameters=KpiParams(service_level_seconds=30).to_dict(),
        custom_kpis=(chat.to_dict(),),
    )
    selection = resolve(charter, COLUMNS)
    assert selection.params.service_level_seconds == 30
    assert selection.custom == (chat,)
    assert selection.ids == ("chat_share", "service_level")
    assert selection.ref("chat_share") == chat
    # a custom KPI over a column the data lacks is not shown
    assert resolve(charter, ("created_at", "abandoned", "wait_seconds")).ids == ("service_level",)
