"""Data: load files or the sample, see what was detected, correct the mapping, check the data."""

from __future__ import annotations

import hashlib
import zoneinfo
from dataclasses import replace

import pandas as pd
import streamlit as st

from kpi.errors import KpiError
from kpi.i18n import Lang
from kpi.load import Dataset, FileRead
from kpi.mapping import UNITS, Mapping
from kpi.parquet_dataset import inspect_parquet, memory_budget
from kpi.schema import INTERACTION_FIELDS
from kpi.ui import cache, frame, state
from kpi.ui import format as fmt
from kpi.ui.mapping_form import Corrections, ValueChoice, corrected_mapping, duplicate_columns
from kpi.ui.state import DataSource
from kpi.ui.widgets import escape_markdown

UPLOAD_TYPES = ["csv", "tsv", "txt", "gz", "zip", "xlsx", "parquet", "json", "jsonl"]
PREVIEW_ROWS = 200
NONE = ""  # the "— none —" choice of a column selectbox
DURATION_FIELDS = tuple(f.name for f in INTERACTION_FIELDS if f.kind == "duration")
BOOL_FIELDS = tuple(f.name for f in INTERACTION_FIELDS if f.kind == "bool")
DATE_ORDERS: dict[str, bool | None] = {"auto": None, "dayfirst": True, "monthfirst": False}
TIMEZONES = sorted(zoneinfo.available_timezones())


def field_label(name: str, page: frame.PageContext) -> str:
    return f"{page.t(f'data_page.field.{name}')} ({name})"


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]


# ----------------------------------------------------------------------------- loading


def load(source: DataSource, page: frame.PageContext, notice: str, **params: object) -> None:
    """Load ``source``, keep it in state and rerun with a notice (a ``KpiError`` escapes)."""
    with st.spinner():
        dataset = cache.load(source)
    state.set_dataset(dataset, source)
    state.LOAD_ERROR.clear()
    rows = fmt.integer(len(dataset.interactions), page.lang)
    state.push_notice(notice, rows=rows, **params)
    st.rerun()


def try_load(source: DataSource, page: frame.PageContext, notice: str, **params: object) -> None:
    """:func:`load`, keeping a failure on the page (and no dataset) until the next attempt."""
    try:
        load(source, page, notice, **params)
    except KpiError as error:
        state.clear_dataset()
        state.LOAD_ERROR.set(error)


PRIVACY_TOGGLE = "data_pseudonymise"


def _privacy_changed() -> None:
    """Save the toggle in the workspace at once (the page then reloads the data)."""
    try:
        state.set_pseudonymising(bool(state.widget_value(PRIVACY_TOGGLE)))
    except KpiError as error:
        state.PRIVACY_ERROR.set(error)


def privacy_line(page: frame.PageContext) -> None:
    """Whether customer ids are pseudonymised in this workspace, with a toggle to change it."""
    t = page.t
    on = state.pseudonymising()
    st.session_state[PRIVACY_TOGGLE] = on  # the workspace decides (another session may switch)
    st.toggle(
        t("data_page.privacy.toggle"),
        key=PRIVACY_TOGGLE,
        help=t("data_page.privacy.help"),
        on_change=_privacy_changed,
    )
    st.caption(t("data_page.privacy.on" if on else "data_page.privacy.off"))
    error = state.PRIVACY_ERROR.get()
    if error is not None:
        state.PRIVACY_ERROR.clear()
        st.error(escape_markdown(t("data_page.privacy.failed", reason=error.message(page.lang))))


def follow_privacy_setting(page: frame.PageContext) -> None:
    """Reload the session's data when the workspace's pseudonymisation differs from how it
    was loaded (the toggle here, or another session of the same workspace)."""
    source = state.get_source()
    if source is None or source.shared:
        return
    fresh = cache.reload_source(source)
    if fresh is not source:
        notice = "data_page.privacy.reloaded_on" if fresh.salt else "data_page.privacy.reloaded_off"
        try_load(fresh, page, notice)


def load_section(page: frame.PageContext) -> None:
    t = page.t
    files_col, side_col = st.columns([3, 2], gap="large")
    uploads = files_col.file_uploader(
        t("data_page.upload.label"),
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key="data_upload",
        help=t("data_page.upload.help", limit=cache.upload_limit_mb()),
    )
    with files_col:
        privacy_line(page)
    with side_col:
        mapping_upload = st.file_uploader(
            t("data_page.mapping_upload.label"), type=["json"], key="data_mapping_upload"
        )
        sample_clicked = st.button(
            t("data_page.sample_button"), key="data_sample", icon=":material/science:"
        )
    if sample_clicked:
        state.LOAD_ERROR.clear()
        try_load(cache.sample_source(), page, "data_page.loaded")
    elif uploads:
        # Identify the uploads by Streamlit's file ids: no hashing of the bytes on every rerun.
        chosen = [*uploads, *([mapping_upload] if mapping_upload is not None else [])]
        upload_key = "|".join(f"{u.file_id}:{u.name}:{u.size}" for u in chosen)
        if upload_key != state.LAST_UPLOAD.get():
            state.LAST_UPLOAD.set(upload_key)
            state.LOAD_ERROR.clear()
            files = tuple((upload.name, upload.getvalue()) for upload in uploads)
            try:
                mapping_json = (
                    Mapping.from_json(mapping_upload.getvalue()).to_json()
                    if mapping_upload is not None
                    else None
                )
            except KpiError as error:
                state.clear_dataset()
                state.LOAD_ERROR.set(error)
            else:
                try_load(cache.files_source(files, mapping_json), page, "data_page.loaded")
    error = state.LOAD_ERROR.get()
    if error is not None:
        message = t("data_page.load_failed", reason=error.message(page.lang))
        st.error(escape_markdown(message), icon=":material/error:")


# ----------------------------------------------------------------------------- what was read


def detected_section(page: frame.PageContext, dataset: Dataset) -> None:
    t = page.t
    st.subheader(t("data_page.detected.heading"))
    rows = []
    for read in dataset.reads:
        options = read.options
        dayfirst = options.get("dayfirst")
        order = "auto" if dayfirst is None else ("dayfirst" if dayfirst else "monthfirst")
        sep = options.get("sep")
        rows.append(
            {
                t("data_page.detected.file"): read.label,
                t("data_page.detected.table"): (t(f"data_page.table.{read.table or 'none'}")),
                t("data_page.detected.format"): read.format or "—",
                t("data_page.detected.encoding"): options.get("encoding") or "—",
                t("data_page.detected.sep"): t("data_page.sep.tab") if sep == "\t" else sep or "—",
                t("data_page.detected.decimal"): options.get("decimal") or "—",
                t("data_page.detected.date_order"): t(f"data_page.date_order.{order}"),
                t("data_page.detected.rows"): fmt.integer(read.rows, page.lang),
            }
        )
    st.table(pd.DataFrame(rows), hide_index=True)
    workbooks = [
        read for read in dataset.reads if read.table == "interactions" and len(read.sheets) > 1
    ]
    if len(workbooks) == 1:
        sheet_picker(page, dataset, workbooks[0])


def sheet_picker(page: frame.PageContext, dataset: Dataset, read: FileRead) -> None:
    """Choose which sheet of the workbook holds the contacts (reloads on change)."""
    sheets = list(read.sheets)
    current = read.sheet if read.sheet in sheets else sheets[0]
    chosen = st.selectbox(
        page.t("data_page.sheet.label"),
        sheets,
        index=sheets.index(current),
        key=f"data_sheet_{short_hash(state.dataset_key() or '')}",
    )
    if chosen != current:
        data = dataset.mapping.to_dict()
        data["read"] = {**data.get("read", {}), "sheet": chosen}
        data.pop("columns", None)  # another sheet has other columns: detect them
        data.pop("values", None)
        data.pop("units", None)
        source = state.get_source()
        mapping_json = Mapping.from_dict(data).to_json()
        try_load(
            cache.reload_source(replace(source, mapping_json=mapping_json)),
            page,
            "data_page.mapping_applied",
        )


# ----------------------------------------------------------------------------- the mapping


def mapping_section(page: frame.PageContext, dataset: Dataset) -> None:
    t = page.t
    st.subheader(t("data_page.mapping.heading"))
    st.caption(t("data_page.mapping.caption"))
    mapping: Mapping = dataset.mapping
    proposal = cache.proposal(state.get_source(), dataset)
    proposed = proposal.fields if proposal is not None else {}
    rows = []
    for spec in INTERACTION_FIELDS:
        name = spec.name
        match = proposed.get(name)
        if name in mapping.values:
            vm = mapping.values[name]
            column = t(
                "data_page.mapping.values_of",
                column=vm.column,
                true=", ".join(vm.true) or "—",
                false=", ".join(vm.false) or "—",
            )
            same = match is not None and match.is_value_mapping and match.column == vm.column
        elif name in mapping.columns:
            column = mapping.columns[name]
            same = match is not None and not match.is_value_mapping and match.column == column
        else:
            continue
        rows.append(
            {
                t("data_page.mapping.field"): field_label(name, page),
                t("data_page.mapping.column"): column,
                t("data_page.mapping.confidence"): (
                    fmt.percent(match.confidence, page.lang, digits=0) if same else "—"
                ),
                t("data_page.mapping.reason"): (
                    t(match.reason, **match.params) if same else t("data_page.mapping.user")
                ),
            }
        )
    if not rows:
        st.warning(t("data_page.mapping.none_found"))
        return
    st.table(pd.DataFrame(rows), hide_index=True)
    used = mapping.source_columns()
    unused = [
        column
        for read in dataset.reads
        if read.table == "interactions"
        for column in read.columns
        if column not in used
    ]
    if unused:
        columns = ", ".join(dict.fromkeys(unused))
        st.caption(escape_markdown(t("data_page.mapping.unmapped", columns=columns)))
    st.download_button(
        t("data_page.download"),
        data=mapping.to_json,  # deferred: built on click, never fetched by a lagging page
        file_name="mapping.json",
        mime="application/json",
        key="data_download",
        help=t("data_page.download.help"),
        on_click="ignore",
        icon=":material/download:",
    )


def corrections_section(page: frame.PageContext, dataset: Dataset) -> None:
    t = page.t
    # A toggle, not an expander: an expander's body runs even when closed, and the panel
    # re-reads the raw table and counts its values.
    if not st.toggle(t("data_page.correct.heading"), key="data_correct"):
        return
    mapping: Mapping = dataset.mapping
    raw = cache.raw_frame(state.get_source(), dataset)
    if raw is None:
        return
    columns = [str(c) for c in raw.columns]
    options = [NONE, *columns]
    version = short_hash(state.dataset_key() or "")

    def show_column(value: str) -> str:
        return t("data_page.correct.none") if value == NONE else value

    chosen: dict[str, str | None] = {}
    units: dict[str, str] = {}
    values: dict[str, ValueChoice] = {}
    with st.container(border=True):
        st.markdown(f"**{t('data_page.correct.columns')}**")
        grid = st.columns(3)
        for i, spec in enumerate(INTERACTION_FIELDS):
            current = mapping.columns.get(spec.name, NONE)
            with grid[i % 3]:
                value = st.selectbox(
                    field_label(spec.name, page),
                    options,
                    index=options.index(current) if current in options else 0,
                    format_func=show_column,
                    key=f"data_col_{spec.name}_{version}",
                )
                chosen[spec.name] = value or None
        unit_cols = st.columns(3)
        for unit_col, name in zip(unit_cols, DURATION_FIELDS, strict=False):
            if not chosen.get(name):
                continue
            unit = mapping.units.get(name, "seconds")
            units[name] = unit_col.selectbox(
                t("data_page.correct.unit", field=t(f"data_page.field.{name}")),
                UNITS,
                index=UNITS.index(unit) if unit in UNITS else 0,
                format_func=lambda u: t(f"data_page.unit.{u}"),
                key=f"data_unit_{name}_{version}",
            )
        st.divider()
        st.markdown(f"**{t('data_page.correct.values_heading')}**")
        st.caption(t("data_page.correct.values_caption"))
        for name in BOOL_FIELDS:
            values[name] = value_choice(page, name, mapping, raw, options, version)
        st.divider()
        st.markdown(f"**{t('data_page.correct.other_heading')}**")
        low_col, high_col = st.columns(2)
        tz_col, order_col = st.columns(2)
        low, high = mapping.scale
        csat_low = low_col.number_input(
            t("data_page.correct.csat_low"),
            value=float(low),
            step=1.0,
            format="%g",
            key=f"data_csat_low_{version}",
        )
        csat_high = high_col.number_input(
            t("data_page.correct.csat_high"),
            value=float(high),
            step=1.0,
            format="%g",
            key=f"data_csat_high_{version}",
        )
        zones = [NONE, *TIMEZONES]
        timezone = tz_col.selectbox(
            t("data_page.correct.timezone"),
            zones,
            index=zones.index(mapping.timezone) if mapping.timezone in zones else 0,
            format_func=lambda z: t("data_page.correct.timezone_as_written") if z == NONE else z,
            key=f"data_timezone_{version}",
        )
        orders = list(DATE_ORDERS)
        dayfirst = mapping.dayfirst
        order = order_col.selectbox(
            t("data_page.correct.date_order"),
            orders,
            index=orders.index(
                "auto" if dayfirst is None else ("dayfirst" if dayfirst else "monthfirst")
            ),
            format_func=lambda o: t(f"data_page.date_order.{o}"),
            key=f"data_date_order_{version}",
        )
        apply = st.button(
            t("data_page.correct.apply"),
            key="data_apply",
            type="primary",
            icon=":material/refresh:",
        )
    if not apply:
        return
    duplicates = duplicate_columns(chosen)
    if duplicates:
        column, names = next(iter(duplicates.items()))
        message = t("data_page.correct.duplicate", column=column, fields=", ".join(names))
        st.error(escape_markdown(message))
        return
    if csat_low >= csat_high:
        st.error(t("data_page.correct.csat_order"))
        return
    corrections = Corrections(
        columns=chosen,
        units=units,
        values=values,
        csat_scale=(csat_low, csat_high),
        timezone=timezone or None,
        dayfirst=DATE_ORDERS[order],
    )
    new_mapping = corrected_mapping(mapping, corrections)
    source = state.get_source()
    load(
        cache.reload_source(replace(source, mapping_json=new_mapping.to_json())),
        page,
        "data_page.mapping_applied",
    )


def value_choice(
    page: frame.PageContext,
    name: str,
    mapping: Mapping,
    raw: pd.DataFrame,
    options: list[str],
    version: str,
) -> ValueChoice:
    t = page.t
    current = mapping.values.get(name)
    column_col, true_col, false_col = st.columns([2, 3, 3])
    current_column = current.column if current is not None else NONE
    column = column_col.selectbox(
        t("data_page.correct.values_column", field=t(f"data_page.field.{name}")),
        options,
        index=options.index(current_column) if current_column in options else 0,
        format_func=lambda c: t("data_page.correct.none") if c == NONE else c,
        key=f"data_values_col_{name}_{version}",
    )
    if not column:
        return ValueChoice(None)
    observed = cache.observed_values_of(state.dataset_key() or "", column, raw[column])
    keep = current if current is not None and current.column == column else None
    for value in (*(keep.true if keep else ()), *(keep.false if keep else ())):
        if value not in observed:
            observed.append(value)
    suffix = f"{name}_{short_hash(column)}_{version}"
    true = true_col.multiselect(
        t("data_page.correct.true_values"),
        observed,
        default=list(keep.true) if keep else [],
        key=f"data_true_{suffix}",
    )
    false = false_col.multiselect(
        t("data_page.correct.false_values"),
        observed,
        default=list(keep.false) if keep else [],
        key=f"data_false_{suffix}",
    )
    return ValueChoice(column, tuple(true), tuple(false))


# ----------------------------------------------------------------------------- checks, preview


def validation_section(page: frame.PageContext, dataset: Dataset) -> None:
    t, lang = page.t, page.lang
    report = dataset.report
    st.subheader(t("data_page.validation.heading"))
    read_col, kept_col, issues_col = st.columns(3)
    read_col.metric(t("data_page.validation.rows_read"), fmt.integer(report.rows_read, lang))
    kept_col.metric(t("data_page.validation.rows_kept"), fmt.integer(report.rows_kept, lang))
    issues_col.metric(t("data_page.validation.issues"), fmt.integer(len(report.issues), lang))
    lines = report.lines(lang)
    if not lines:
        st.success(t("data_page.validation.clean"))
        return
    st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines))


def preview_section(page: frame.PageContext, dataset: Dataset, lang: Lang) -> None:
    t = page.t
    frame_ = dataset.interactions
    st.subheader(t("data_page.preview.heading"))
    shown = min(PREVIEW_ROWS, len(frame_))
    st.caption(
        t(
            "data_page.preview.caption",
            shown=fmt.integer(shown, lang),
            rows=fmt.integer(len(frame_), lang),
        )
    )
    st.dataframe(frame_.head(PREVIEW_ROWS), hide_index=True)


# ----------------------------------------------------------------------------- converted Parquet


def parquet_section(page: frame.PageContext) -> None:
    """Open a converted dataset (canonical Parquet) by path or URI: pick months, see the
    rows and memory they take, load them as the session's dataset."""
    t, lang = page.t, page.lang
    with st.expander(t("data_page.parquet.heading"), icon=":material/folder_open:"):
        st.caption(t("data_page.parquet.caption"))
        path_col, button_col = st.columns([4, 1], vertical_alignment="bottom")
        location = path_col.text_input(
            t("data_page.parquet.path"), key="data_parquet_path",
            placeholder="/data/contacts-parquet",
        )
        if button_col.button(t("data_page.parquet.inspect"), key="data_parquet_inspect",
                             icon=":material/search:"):
            state.PARQUET_INFO.clear()
            try:
                with st.spinner():
                    state.PARQUET_INFO.set(inspect_parquet(location))
            except KpiError as error:
                st.error(escape_markdown(error.message(lang)), icon=":material/error:")
        info = state.PARQUET_INFO.get()
        if info is None:
            return
        months = st.multiselect(
            t("data_page.parquet.months"),
            list(info.month_names),
            default=list(info.default_months()),
            key=f"data_parquet_months_{info.fingerprint[:12]}",
        )
        mb = 1024**2
        st.caption(t(
            "data_page.parquet.estimate",
            rows=fmt.integer(info.rows(months), lang),
            months=fmt.integer(len(months), lang),
            memory=fmt.integer(-(-info.memory_bytes(months) // mb), lang),
            budget=fmt.integer(memory_budget() // mb, lang),
        ))
        if info.approximate:
            st.caption(t("data_page.parquet.estimate_approximate"))
        if st.button(t("data_page.parquet.load"), key="data_parquet_load", type="primary",
                     icon=":material/upload:", disabled=not months):
            try:
                load(cache.parquet_source(info, months), page, "data_page.parquet.loaded",
                     path=info.location)
            except KpiError as error:
                st.error(escape_markdown(error.message(lang)), icon=":material/error:")


def data_page(page: frame.PageContext) -> None:
    st.title(page.t("data_page.title"))
    st.caption(page.t("data_page.intro"))
    load_section(page)
    parquet_section(page)
    follow_privacy_setting(page)
    dataset = state.get_dataset()
    if dataset is None:
        if state.LOAD_ERROR.get() is None:
            st.info(page.t("data_page.no_data"))
        return
    detected_section(page, dataset)
    source = state.get_source()
    if source is not None and source.parquet is not None:
        months = ", ".join(source.parquet.months)
        st.caption(page.t("data_page.parquet.canonical", months=months))
    else:
        mapping_section(page, dataset)
        corrections_section(page, dataset)
    validation_section(page, dataset)
    preview_section(page, dataset, page.lang)


frame.run_page("data", data_page)
