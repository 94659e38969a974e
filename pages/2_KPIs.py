"""KPIs: choose and order the KPIs, set their parameters, define custom KPIs (saved in the charter).

A thin controller: the catalog rows, the order, the typed parameters and custom definitions and
the custom KPI preview all come from :mod:`kpi.kpi_form`; the charter is read and written through
:mod:`kpi.ui.state`. Checkboxes, inputs and editors are the draft; "Save" writes the charter.
Adding or deleting a custom KPI saves at once.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

import pandas as pd
import streamlit as st

from kpi import kpi_form
from kpi.business_hours import BusinessCalendar
from kpi.catalog import CATEGORIES, STATISTICS, KpiParams
from kpi.charter import Charter
from kpi.custom import FORMS, OPERATORS, CustomKpi
from kpi.errors import KpiError
from kpi.selection import Selection, params_of, resolve
from kpi.stats.verdict import format_value
from kpi.ui import format as fmt
from kpi.ui import frame, state
from kpi.ui.widgets import escape_markdown, show_error

#: The draft order of the chosen KPIs, with the charter revision it started from.
ORDER: state.Slot[tuple[int, tuple[str, ...]]] = state.Slot("kpis_page_order")
CUSTOM_FORM_KEYS = (
    "kpis_custom_name", "kpis_custom_form", "kpis_custom_column", "kpis_custom_level",
    "kpis_custom_where", "kpis_custom_numerator", "kpis_custom_category",
    "kpis_custom_direction", "kpis_custom_description",
)
UNITS = ("percent", "seconds", "count", "score", "currency", "hours", "ratio", "nps")
DIRECTIONS = ("higher", "lower", "neutral", "band")
CACHE_TTL = 3600


@st.cache_data(max_entries=64, ttl=CACHE_TTL, show_spinner=False)
def _preview(key: str, kpi_json: str, params_json: str, _frame: pd.DataFrame) -> kpi_form.Preview:
    return kpi_form.preview(
        _frame, CustomKpi.from_json(kpi_json), KpiParams.from_json(params_json)
    )


def save(charter: Charter, chosen: tuple[str, ...], params: KpiParams,
         custom: tuple[CustomKpi, ...]) -> Charter:
    """Write the charter and restart the draft order from it."""
    saved = state.set_charter(charter.revised(
        kpis=chosen,
        parameters=params.to_dict(),
        custom_kpis=tuple(c.to_dict() for c in custom),
    ))
    ORDER.set((saved.revision, saved.kpis))
    return saved




def draft_order(charter: Charter, initial: tuple[str, ...]) -> tuple[str, ...]:
    stored = ORDER.get()
    if stored is None or stored[0] != charter.revision:
        ORDER.set((charter.revision, initial))
        return initial
    return stored[1]


def catalog_tab(page: frame.PageContext, rows: dict[str, tuple[kpi_form.CatalogRow, ...]],
                initial: set[str]) -> list[str]:
    """The catalog by category with a checkbox per KPI; returns the ticked ids (page order)."""
    t = page.t
    ticked: list[str] = []
    for category in CATEGORIES:
        st.subheader(t(f"catalog.category.{category}"))
        for row in rows[category]:
            with st.container(border=True):
                left, right = st.columns([4, 1])
                if left.checkbox(escape_markdown(row.name), value=row.id in initial,
                                 key=f"kpis_pick_{row.id}"):
                    ticked.append(row.id)
                left.caption(escape_markdown(row.definition))
                if row.why:
                    left.caption(escape_markdown(t("kpis_page.why", why=row.why)))
                with right:
                    if row.available:
                        st.badge(t("kpis_page.available"), color="green",
                                 icon=":material/check:")
                    else:
                        st.badge(t("kpis_page.unavailable"), color="orange",
                                 icon=":material/block:")
                        st.caption(escape_markdown(t("kpis_page.reason", reason=row.reason)))
                    if row.custom:
                        st.badge(t("kpis_page.custom_badge"), color="violet")
    return ticked


def _move(chosen: tuple[str, ...], revision: int, kpi: str, step: int) -> None:
    ORDER.set((revision, kpi_form.move(chosen, kpi, step)))


def order_tab(page: frame.PageContext, chosen: tuple[str, ...], names: dict[str, str],
              revision: int) -> None:
    st.caption(page.t("kpis_page.order.intro"))
    if not chosen:
        st.info(page.t("kpis_page.order.empty"))
        return
    for position, kpi in enumerate(chosen, start=1):
        label, up, down = st.columns([8, 1, 1], vertical_alignment="center")
        label.markdown(f"{position}. {escape_markdown(names.get(kpi, kpi))}")
        up.button("", key=f"kpis_up_{kpi}", icon=":material/arrow_upward:",
                  help=page.t("kpis_page.order.up"), disabled=position == 1,
                  on_click=_move, args=(chosen, revision, kpi, -1))
        down.button("", key=f"kpis_down_{kpi}", icon=":material/arrow_downward:",
                    help=page.t("kpis_page.order.down"), disabled=position == len(chosen),
                    on_click=_move, args=(chosen, revision, kpi, 1))


def parameters_tab(page: frame.PageContext, saved: KpiParams) -> KpiParams | None:
    """The parameter inputs; the typed parameters, or None (with the error shown) if invalid."""
    t = page.t
    left, right = st.columns(2)
    threshold = left.number_input(t("kpis_page.param.threshold"), min_value=0.0, step=5.0,
                                  value=float(saved.service_level_seconds), format="%g",
                                  key="kpis_sl_threshold")
    window = right.number_input(t("kpis_page.param.fcr_window"), min_value=1, max_value=365,
                                step=1, value=int(saved.fcr_window_days), key="kpis_fcr_window")
    low = left.number_input(t("kpis_page.param.csat_low"), step=1.0, format="%g",
                            value=float(saved.csat_scale[0]), key="kpis_csat_low")
    high = right.number_input(t("kpis_page.param.csat_high"), step=1.0, format="%g",
                              value=float(saved.csat_scale[1]), key="kpis_csat_high")
    st.markdown(f"**{t('kpis_page.param.statistics')}**")
    st.caption(t("kpis_page.param.statistics_help"))
    statistics = {}
    columns = st.columns(len(kpi_form.STATISTIC_KPIS))
    for column, kpi in zip(columns, kpi_form.STATISTIC_KPIS, strict=True):
        statistics[kpi] = column.selectbox(
            t(f"catalog.{kpi}.name"), STATISTICS, index=STATISTICS.index(saved.statistic(kpi)),
            format_func=lambda s: t(f"kpis_page.statistic.{s}"), key=f"kpis_statistic_{kpi}",
        )
    st.markdown(f"**{t('kpis_page.param.business_hours')}**")
    business = st.multiselect(
        t("kpis_page.param.business_kpis"), kpi_form.BUSINESS_HOURS_KPIS,
        default=list(saved.business_hours), format_func=lambda k: t(f"catalog.{k}.name"),
        placeholder=t("kpis_page.param.business_none"), key="kpis_business_kpis",
    )
    calendar = saved.calendar or BusinessCalendar.default()
    rows = pd.DataFrame(kpi_form.calendar_rows(calendar))
    rows.insert(1, "day", [t(f"kpis_page.weekday.{d}") for d in rows["weekday"]])
    st.caption(t("kpis_page.param.calendar"))
    edited = st.data_editor(
        rows, key="kpis_calendar", hide_index=True, num_rows="fixed",
        column_order=("day", "open", "opens", "closes"), disabled=("day",),
        column_config={
            "day": st.column_config.TextColumn(t("kpis_page.calendar.weekday")),
            "open": st.column_config.CheckboxColumn(t("kpis_page.calendar.open")),
            "opens": st.column_config.TextColumn(t("kpis_page.calendar.opens"), max_chars=5),
            "closes": st.column_config.TextColumn(t("kpis_page.calendar.closes"), max_chars=5),
        },
    )
    zones = ("", *sorted(zoneinfo.available_timezones()))
    timezone = st.selectbox(
        t("kpis_page.param.timezone"), zones, index=zones.index(calendar.timezone or ""),
        format_func=lambda z: z or t("kpis_page.param.timezone_none"), key="kpis_timezone",
    )
    try:
        new_calendar = kpi_form.calendar_from_rows(
            edited.drop(columns="day").to_dict("records"), timezone, previous=calendar
        )
        keep_calendar = bool(business) or saved.calendar is not None
        return kpi_form.params_from_form(
            service_level_seconds=threshold, fcr_window_days=window, csat_low=low,
            csat_high=high, statistics=statistics, business_hours=business,
            calendar=new_calendar if keep_calendar else None,
            include_bot_only=saved.include_bot_only,
        )
    except KpiError as error:
        show_error(error, page.lang)
        return None


def _conditions_editor(page: frame.PageContext, key: str, label: str,
                       columns: list[str]) -> list[dict[str, Any]]:
    t = page.t
    st.markdown(f"**{label}**")
    empty = pd.DataFrame({"column": pd.Series(dtype="str"), "operator": pd.Series(dtype="str"),
                          "value": pd.Series(dtype="str")})
    edited = st.data_editor(
        empty, key=key, num_rows="dynamic", hide_index=True,
        column_config={
            "column": st.column_config.SelectboxColumn(t("kpis_page.condition.column"),
                                                       options=columns, required=True),
            "operator": st.column_config.SelectboxColumn(t("kpis_page.condition.operator"),
                                                         options=list(OPERATORS), required=True),
            "value": st.column_config.TextColumn(t("kpis_page.condition.value")),
        },
    )
    return edited.to_dict("records")


def _default_unit(form: str, column: str | None) -> str:
    if form == "rate":
        return "percent"
    if form == "count":
        return "count"
    return "seconds" if column and column.endswith("_seconds") else "score"


def custom_tab(page: frame.PageContext, charter: Charter, selection: Selection,
               chosen: tuple[str, ...], params: KpiParams | None) -> None:
    t = page.t
    lang = page.lang
    dataset = state.get_dataset()
    assert dataset is not None
    frame_ = dataset.interactions
    dtypes = frame_.dtypes.to_dict()
    families = kpi_form.column_choices(dtypes)
    custom = selection.custom
    st.caption(t("kpis_page.custom.intro"))

    st.subheader(t("kpis_page.custom.defined"))
    if not custom:
        st.caption(t("kpis_page.custom.none"))
    for kpi in custom:
        text, button = st.columns([8, 1], vertical_alignment="center")
        text.markdown(f"**{escape_markdown(kpi.name)}** · "
                      f"{escape_markdown(kpi_form.custom_definition_text(kpi, lang))}")
        if button.button(t("kpis_page.custom.delete"), key=f"kpis_custom_delete_{kpi.id}",
                         icon=":material/delete:"):
            remaining = tuple(c for c in custom if c.id != kpi.id)
            save(charter, tuple(k for k in chosen if k != kpi.id),
                 params or selection.params, remaining)
            state.push_notice("kpis_page.custom.deleted", name=kpi.name)
            st.rerun()

    st.subheader(t("kpis_page.custom.new"))
    name = st.text_input(t("kpis_page.custom.name"), key="kpis_custom_name", max_chars=80)
    left, right = st.columns(2)
    form = left.selectbox(t("kpis_page.custom.form"), FORMS, key="kpis_custom_form",
                          format_func=lambda f: t(f"kpis_page.custom.form.{f}"))
    column = None
    level = None
    if form in ("mean", "median", "percentile"):
        numeric = [c for c, f in families.items() if f == "number"]
        options = numeric or list(families)
        column = right.selectbox(
            t("kpis_page.custom.column"), options, key="kpis_custom_column",
            format_func=lambda c: t("kpis_page.custom.column_label", column=c,
                                    family=t(f"kpis_page.family.{families[c]}")),
        )
        if not numeric:
            right.caption(t("kpis_page.custom.no_numeric"))
        if form == "percentile":
            level = right.number_input(t("kpis_page.custom.level"), min_value=1.0,
                                       max_value=99.0, value=90.0, step=5.0, format="%g",
                                       key="kpis_custom_level")
    st.caption(t("kpis_page.custom.conditions_help"))
    columns = list(families)
    where = _conditions_editor(page, "kpis_custom_where", t("kpis_page.custom.where"), columns)
    numerator: list[dict[str, Any]] = []
    if form == "rate":
        numerator = _conditions_editor(page, "kpis_custom_numerator",
                                       t("kpis_page.custom.numerator"), columns)
    unit_col, direction_col, category_col = st.columns(3)
    default_unit = _default_unit(form, column)
    unit = unit_col.selectbox(t("kpis_page.custom.unit"), UNITS, index=UNITS.index(default_unit),
                              format_func=lambda u: t(f"kpis_page.unit.{u}"),
                              key=f"kpis_custom_unit_{form}_{column or ''}")
    direction = direction_col.selectbox(
        t("kpis_page.custom.direction"), DIRECTIONS, key="kpis_custom_direction",
        format_func=lambda d: t(f"kpis_page.direction.{d}"))
    category = category_col.selectbox(
        t("kpis_page.custom.category"), CATEGORIES, key="kpis_custom_category",
        format_func=lambda c: t(f"catalog.category.{c}"))
    description = st.text_area(t("kpis_page.custom.description"), key="kpis_custom_description",
                               max_chars=300, height=68)

    st.markdown(f"**{t('kpis_page.custom.preview')}**")
    if form == "rate" and not kpi_form.filled_rows(numerator):
        st.info(t("kpis_page.custom.need_numerator"))
        return
    try:
        kpi = kpi_form.custom_from_form(
            name=name.strip() or t("kpis_page.custom.new"), form=form, dtypes=dtypes,
            column=column, quantile=level, where=where, numerator=numerator, unit=unit,
            direction=direction, category=category, description=description,
            taken=(c.id for c in custom),
        )
        run_params = params or selection.params
        result = _preview(state.dataset_key() or "", kpi.to_json(), run_params.to_json(), frame_)
    except KpiError as error:
        show_error(error, lang)
        return
    style = kpi_form.value_format(kpi.unit)
    overall_col, week_col = st.columns(2)
    overall_col.metric(t("kpis_page.custom.overall"), format_value(result.overall, style, lang),
                       help=t("kpis_page.custom.n", n=fmt.integer(result.overall_n, lang)))
    week_label = t("kpis_page.custom.last_week",
                   start=fmt.date(result.week_start, lang) if result.week_start else "—")
    week_col.metric(week_label, format_value(result.last_week, style, lang),
                    help=t("kpis_page.custom.n", n=fmt.integer(result.last_week_n, lang)))
    st.caption(escape_markdown(kpi_form.custom_definition_text(kpi, lang)))
    if st.button(t("kpis_page.custom.add"), key="kpis_custom_add", type="primary",
                 icon=":material/add:", disabled=not name.strip()):
        save(charter, (*chosen, kpi.id), params or selection.params, (*custom, kpi))
        state.push_notice("kpis_page.custom.added", name=kpi.name)
        for key in (*CUSTOM_FORM_KEYS, f"kpis_custom_unit_{form}_{column or ''}"):
            st.session_state.pop(key, None)
        st.rerun()


def kpis_page(page: frame.PageContext) -> None:
    t = page.t
    st.title(t("kpis_page.title"))
    st.caption(t("kpis_page.intro"))
    dataset = state.get_dataset()
    if dataset is None:
        frame.no_data_panel(page, "kpis_page.no_data")
        return
    charter = state.get_charter()
    workspace_error = state.WORKSPACE_ERROR.get()
    if workspace_error is not None:
        show_error(workspace_error, page.lang)
    frame_ = dataset.interactions
    has_activity, has_forecast = dataset.activity is not None, dataset.forecast is not None
    selection = resolve(charter, frame_.columns, has_activity=has_activity,
                        has_forecast=has_forecast)
    initial = tuple(charter.kpis) or selection.ids
    header = st.container()
    catalog, order, parameters, custom = st.tabs([
        t("kpis_page.tab.catalog"), t("kpis_page.tab.order"), t("kpis_page.tab.parameters"),
        t("kpis_page.tab.custom"),
    ])
    with parameters:
        params = parameters_tab(page, params_of(charter))
    rows = kpi_form.catalog_rows(
        frame_.columns, params or selection.params, page.lang, custom=selection.custom,
        has_activity=has_activity, has_forecast=has_forecast,
    )
    with catalog:
        ticked = catalog_tab(page, rows, set(initial))
    names = {r.id: r.name for group in rows.values() for r in group}
    chosen = kpi_form.chosen_kpis(draft_order(charter, initial), ticked, charter.kpis, names)
    with order:
        order_tab(page, chosen, names, charter.revision)
    with custom:
        custom_tab(page, charter, selection, chosen, params)
    with header:
        if not charter.kpis:
            st.info(t("kpis_page.default_choice"))
        elif params is not None and (
            chosen != tuple(charter.kpis) or params.to_dict() != selection.params.to_dict()
        ):
            st.warning(t("kpis_page.unsaved"), icon=":material/edit:")
        if st.button(t("kpis_page.save"), key="kpis_save", type="primary",
                     icon=":material/save:", disabled=params is None):
            saved = save(charter, chosen, params or selection.params, selection.custom)
            state.push_notice("kpis_page.saved", count=len(saved.kpis), revision=saved.revision)
            st.rerun()


frame.run_page("kpis", kpis_page)
