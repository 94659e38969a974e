"""Entry points that take user input raise only the project's own errors, with a sentence.

Hypothesis feeds each parser wrong types, missing and unknown keys, huge numbers and nested
junk; whatever it does, the result is a value or a :class:`~kpi.errors.KpiError` whose
English and Portuguese messages are real sentences (not the bare message key). A failed
charter import leaves the workspace exactly as it was.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from string import Formatter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.business_hours import BusinessCalendar
from kpi.catalog import KpiParams
from kpi.changes import brush_periods
from kpi.charter import FORMAT_VERSION, Charter, read_charter
from kpi.cli.compare import parse_period
from kpi.custom import CustomKpi
from kpi.errors import KpiError
from kpi.i18n import catalog
from kpi.mapping import Mapping
from kpi.store import Workspace
from kpi.targets import Target, validate_target

#: ~100 examples per property keeps the file fast; raise it to hunt for crashes.
MAX_EXAMPLES = int(os.environ.get("KPI_PROPERTY_EXAMPLES", "100"))
EXAMPLES = settings(max_examples=MAX_EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([float("inf"), float("-inf"), float("nan"), 10**400, -(10**400), 1e308,
                     -0.0, 2**63, 0, -1]),  # edges random floats and ints rarely reach
    st.text(max_size=12),
    st.sampled_from(["", "09:00", "24:00", "25:99", "2026-02-30", "2026-01-05", "mon", "sun",
                     "America/Sao_Paulo", "Mars/Olympus", "percent", "seconds", "higher",
                     "band", "ratio", "created_at", "wait_seconds", "1e309", "NaN"]),
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


def documents(keys: list[str]) -> st.SearchStrategy[Any]:
    """Objects mixing the entry point's own keys (with junk values) and unknown keys, or junk."""
    known = st.dictionaries(st.sampled_from(keys), junk, max_size=len(keys))
    unknown = st.dictionaries(st.text(max_size=8), junk, max_size=2)
    mixed = st.builds(lambda a, b: {**b, **a}, known, unknown)
    return st.one_of(known, mixed, junk)


def only_kpi_errors(call: Callable[[], object]) -> None:
    """Run ``call``; a raised error must be a KpiError with translated sentences."""
    raised: KpiError | None = None
    try:
        call()
    except KpiError as error:  # anything else escapes and fails the property
        raised = error
    if raised is not None:
        assert_sentence(raised)


def assert_sentence(error: KpiError) -> None:
    """A known message key, a sentence in both languages, every placeholder filled."""
    assert error.code in catalog(), error.code
    for lang in ("en", "pt"):
        sentence = error.message(lang)
        assert sentence.strip()
        assert sentence != error.code
    template = catalog()[error.code]["en"]
    placeholders = {name for _, name, _, _ in Formatter().parse(template) if name}
    assert placeholders <= set(error.params), (error.code, error.params)


MAPPING_KEYS = ["columns", "read", "units", "values", "csat_scale", "timezone", "dimensions",
                "activity", "forecast", "sheet", "file"]


@EXAMPLES
@given(documents(MAPPING_KEYS))
def test_mapping_from_dict(data: Any) -> None:
    only_kpi_errors(lambda: Mapping.from_dict(data))


@EXAMPLES
@given(st.one_of(st.text(max_size=40), st.binary(max_size=40), junk.map(json.dumps)))
def test_mapping_from_json_text(text: str | bytes) -> None:
    only_kpi_errors(lambda: Mapping.from_json(text))


CHARTER_KEYS = ["format_version", "kpis", "parameters", "custom_kpis", "targets", "notes",
                "name", "revision", "updated_at"]


@EXAMPLES
@given(documents(CHARTER_KEYS), st.integers(min_value=-3, max_value=10**20))
def test_charter_from_dict(data: Any, version: int) -> None:
    if isinstance(data, dict) and "format_version" not in data:
        data = {**data, "format_version": version}  # reach the checks past the version
    only_kpi_errors(lambda: Charter.from_dict(data))


@EXAMPLES
@given(st.one_of(st.text(max_size=60), st.binary(max_size=60), documents(CHARTER_KEYS).map(
    lambda d: json.dumps(d, allow_nan=True))))
def test_read_charter_text(text: str | bytes) -> None:
    only_kpi_errors(lambda: read_charter(text, known_kpis=["aht", "fcr_rate"]))


def test_charter_newer_version_and_unknown_kpis_are_explained() -> None:
    text = json.dumps({"format_version": FORMAT_VERSION + 1, "kpis": ["aht"]})
    with pytest.raises(KpiError) as caught:
        read_charter(text, known_kpis=["aht"])
    assert str(FORMAT_VERSION + 1) in caught.value.message("pt")
    imported = read_charter(json.dumps({"format_version": FORMAT_VERSION,
                                        "kpis": ["aht", "made_up"]}), known_kpis=["aht"])
    assert imported.unknown_kpis == ("made_up",)
    assert "made_up" in imported.warnings("pt")[0]


CUSTOM_KEYS = ["id", "name", "form", "category", "unit", "direction", "description", "column",
               "quantile", "where", "numerator", "band"]


@EXAMPLES
@given(documents(CUSTOM_KEYS))
def test_custom_kpi_from_dict(data: Any) -> None:
    only_kpi_errors(lambda: CustomKpi.from_dict(data))


TARGET_KEYS = ["kpi", "value", "band", "warning_margin", "scope", "effective_from", "note"]


@EXAMPLES
@given(documents(TARGET_KEYS),
       st.sampled_from([None, "percent", "seconds", "count", "ratio", "currency"]),
       st.sampled_from(["higher", "lower", "band", "neutral"]))
def test_target_from_dict_and_validate(data: Any, unit: str | None, direction: Any) -> None:
    def call() -> None:
        target = Target.from_dict(data)
        validate_target(target, unit=unit, direction=direction)

    only_kpi_errors(call)


@EXAMPLES
@given(st.one_of(st.text(max_size=30),
                 st.builds("{}:{}".format, st.dates(), st.dates()),
                 st.builds("{}:{}:{}".format, st.dates(), st.dates(), st.text(max_size=3))))
def test_parse_period(text: str) -> None:
    only_kpi_errors(lambda: parse_period(text))


@EXAMPLES
@given(st.floats(min_value=0, max_value=4.1e12),  # 1970–2099 in ms, what a chart can brush
       st.floats(min_value=0, max_value=4.1e12),
       st.sampled_from(["day", "week", "month"]))
def test_brush_periods(start: float, end: float, freq: Any) -> None:
    only_kpi_errors(lambda: brush_periods(start, end, freq))


PARAM_KEYS = ["service_level_seconds", "fcr_window_days", "csat_scale", "statistics",
              "business_hours", "include_bot_only", "calendar"]


@EXAMPLES
@given(documents(PARAM_KEYS))
def test_kpi_params_from_dict(data: Any) -> None:
    only_kpi_errors(lambda: KpiParams.from_dict(data))


CALENDAR_KEYS = ["hours", "holidays", "timezone"]
hours = st.dictionaries(
    st.one_of(st.sampled_from(["mon", "tue", "sun", "Monday", "x"]), st.integers(-2, 9)),
    st.one_of(junk, st.lists(st.lists(scalars, max_size=3), max_size=3)),
    max_size=3,
)


@EXAMPLES
@given(st.one_of(documents(CALENDAR_KEYS),
                 st.fixed_dictionaries({"hours": hours}, optional={"holidays": junk,
                                                                  "timezone": scalars})))
def test_business_calendar_from_dict(data: Any) -> None:
    only_kpi_errors(lambda: BusinessCalendar.from_dict(data))


# ------------------------------------------------------------ a failed import changes nothing


def _state(workspace: Workspace) -> tuple[object, ...]:
    current = workspace.load_charter()
    history = [(r.id, r.note, r.charter.to_json()) for r in workspace.charter_history()]
    return (workspace.current_charter_id(),
            None if current is None else current.to_json(), history)


def _import(workspace: Workspace, text: str | bytes) -> None:
    """What the app does with an uploaded charter file: read it, then save it."""
    workspace.save_charter(read_charter(text, known_kpis=["aht"]).charter, note="imported")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    folder: Path = tmp_path_factory.mktemp("workspace")
    opened = Workspace.open(folder)
    opened.save_charter(Charter(kpis=("aht", "fcr_rate"), name="team"), note="first")
    return opened


@settings(max_examples=max(10, MAX_EXAMPLES * 3 // 5), deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.text(max_size=40), st.binary(max_size=40),
    documents(CHARTER_KEYS).map(lambda d: json.dumps(d, allow_nan=True)),
    st.just(json.dumps({"format_version": FORMAT_VERSION + 1, "kpis": ["aht"]})),
))
def test_failed_charter_import_leaves_the_workspace_unchanged(
        workspace: Workspace, text: str | bytes) -> None:
    before = _state(workspace)
    try:
        read_charter(text, known_kpis=["aht"])
    except KpiError:
        pass
    else:
        return  # a valid charter: importing it would rightly change the workspace
    with pytest.raises(KpiError):
        _import(workspace, text)
    again = Workspace.open(workspace.path)  # reopen from disk, as the next session does
    assert _state(again) == before


@pytest.mark.parametrize("parse", [Mapping.from_dict, Charter.from_dict, CustomKpi.from_dict,
                                   Target.from_dict, KpiParams.from_dict,
                                   BusinessCalendar.from_dict])
@pytest.mark.parametrize("data", [None, [], ["kpi"], "text", 3, [{"a": 1}]])
def test_a_document_that_is_not_an_object_is_a_kpi_error(
        parse: Callable[[Any], object], data: Any) -> None:
    with pytest.raises(KpiError) as caught:
        parse(data)
    assert_sentence(caught.value)


@pytest.mark.parametrize("parse", [
    lambda name: Mapping.from_dict({"timezone": name}),
    lambda name: BusinessCalendar.from_dict({"timezone": name}),
])
def test_a_very_long_timezone_name_is_a_kpi_error(parse: Callable[[str], object]) -> None:
    # found by hypothesis: zoneinfo raised OSError (file name too long) for such names
    with pytest.raises(KpiError) as caught:
        parse("America/" + "x" * 300)
    assert_sentence(caught.value)


@pytest.mark.parametrize("parse", [
    lambda: KpiParams.from_dict({"fcr_window_days": float("inf")}),
    lambda: KpiParams.from_dict({"service_level_seconds": 10**400}),
    lambda: Target.from_dict({"kpi": "aht", "value": 10**400}),
    lambda: Target.from_dict({"kpi": "aht", "band": [0, 10**400]}),
    lambda: Target.from_dict({"kpi": "aht", "value": float("inf")}),
    lambda: CustomKpi.from_dict({"id": "x", "name": "y", "form": "rate", "quantile": 10**400}),
    lambda: Mapping.from_dict({"csat_scale": [1, 10**400]}),
    lambda: Mapping.from_dict({"csat_scale": [1, float("inf")]}),
])
def test_huge_and_infinite_numbers_are_kpi_errors(parse: Callable[[], object]) -> None:
    # found while hunting: OverflowError escaped (int beyond float range, int(inf))
    with pytest.raises(KpiError) as caught:
        parse()
    assert_sentence(caught.value)
