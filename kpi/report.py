"""The notebook-style report (issue 6): a typed document assembled from a dataset, a charter,
two periods and a language.

:func:`build_report` reads like a notebook: a title and the periods, the team's summary, then
one :class:`Section` per chosen KPI in charter order — its definition, the latest complete week
against its target (:func:`kpi.scorecard.scorecard`), the trend over both periods
(:func:`kpi.charts.trend_chart`), the change between the periods in plain language
(:func:`kpi.changes.compare_periods`; significant per-channel and per-team changes too),
the channels and teams that stand out in the current period (each against the rest, as
:func:`kpi.changes.compare_one_vs_rest` does; significant ones only) and the validation notes
about the fields the KPI reads — and a last section with every data-quality note. Every text
is already in the document's language; text from data or users (KPI names, agent names,
notes) is kept as plain text and escaped by the
renderer (:mod:`kpi.report_html`, the Report page).

The document also carries the KPI table (one row per KPI, numbers in KPI units) that
:mod:`kpi.export` writes as CSV.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from kpi.catalog import CATALOG, definition_text
from kpi.changes import (
    ComparisonPeriods,
    KpiRef,
    check_periods,
    compare_periods,
    default_periods,
    kpi_id,
    kpi_label,
    kpi_spec,
    kpi_unit,
)
from kpi.charter import Charter
from kpi.charts import Chart, trend_chart
from kpi.compute.source import CreatedRange, StatisticsSource, as_source
from kpi.explore import ROLLING, constant_target, dimensions_in, series_with_targets
from kpi.i18n import normalise_lang, translate
from kpi.scorecard import ScoreRow, scorecard
from kpi.selection import Selection, resolve
from kpi.stats import Comparison, compare_frames, compare_segments
from kpi.stats.results import ValueFormat
from kpi.stats.verdict import format_change, format_value, verdict
from kpi.validation import ValidationReport

#: Dimensions whose segments are compared (period changes and "stands out"), when present.
SEGMENT_FIELDS: tuple[str, ...] = ("channel", "team")
#: Longest span (days, both periods) drawn with daily points; longer spans use weeks.
DAILY_SPAN_DAYS = 92
#: Trend chart height (pixels) and the longest KPI name kept as its vertical axis title.
CHART_HEIGHT = 300
AXIS_TITLE_CHARS = 30
#: The "quality" section's key (KPI sections use the KPI id).
QUALITY_SECTION = "quality"

TextStyle = Literal["definition", "value", "change", "muted", "note"]


@dataclass(frozen=True)
class Paragraph:
    """A sentence or a few: plain text (never markup), styled by its role."""

    text: str
    style: TextStyle = "note"


@dataclass(frozen=True)
class Bullets:
    """A titled list of sentences (plain text)."""

    title: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class ChartBlock:
    """An Altair chart with an id unique in the document and its caption."""

    chart_id: str
    title: str
    chart: Chart = field(compare=False, repr=False)


Block = Paragraph | Bullets | ChartBlock


@dataclass(frozen=True)
class Section:
    """One part of the report: a KPI (``key`` = its id) or the data-quality notes."""

    key: str
    heading: str
    blocks: tuple[Block, ...]

    @property
    def charts(self) -> tuple[ChartBlock, ...]:
        return tuple(b for b in self.blocks if isinstance(b, ChartBlock))


@dataclass(frozen=True)
class ReportDocument:
    """The whole report in one language.

    ``summary`` is the team's free text (the charter's notes unless given); ``kpi_table`` has
    one row per KPI (see :func:`kpi_table`); ``charter`` is the charter the report was built
    from (exported as JSON next to the report).
    """

    lang: str
    title: str
    period_text: str
    summary: str
    periods: ComparisonPeriods
    sections: tuple[Section, ...]
    charter: Charter
    kpi_table: pd.DataFrame = field(compare=False, repr=False)
    generated_on: dt.date | None = None

    @property
    def charts(self) -> tuple[ChartBlock, ...]:
        """Every chart of the document, in order."""
        return tuple(c for s in self.sections for c in s.charts)

    @property
    def kpi_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.key != QUALITY_SECTION)

    def t(self, key: str, /, **params: object) -> str:
        """A message of the report in the document's language."""
        return translate(key, self.lang, **params)


# ------------------------------------------------------------------ periods and text helpers


def report_periods(created_at: pd.Series | CreatedRange,
                   baseline: tuple[dt.date, dt.date] | None = None,
                   current: tuple[dt.date, dt.date] | None = None) -> ComparisonPeriods:
    """The periods asked for, else the last 4 complete weeks of the data against the 4
    before (:func:`kpi.changes.default_periods`). Both or neither must be given.
    ``created_at`` is the column or its ``(first, last)`` (``StatisticsSource.created_range``).
    """
    if baseline is not None and current is not None:
        periods = ComparisonPeriods(tuple(baseline), tuple(current))  # type: ignore[arg-type]
    else:
        if isinstance(created_at, pd.Series):
            last = created_at.max()
        else:
            last = pd.NaT if created_at is None else created_at[1]
        if pd.isna(last):
            from kpi.errors import UnusableDataError

            raise UnusableDataError("report.error.no_dates")
        periods = default_periods(pd.Timestamp(last).date())
    check_periods(periods)
    return periods


def format_day(day: dt.date, lang: str) -> str:
    """A date in the medium format of ``lang`` (``Apr 6, 2026`` / ``6 de abr. de 2026``)."""
    from babel.dates import format_date

    return format_date(day, format="medium", locale="pt_BR" if lang == "pt" else "en_US")


def period_sentence(periods: ComparisonPeriods, lang: str) -> str:
    """"Current period Jun 8, 2026 – Jul 5, 2026, compared with May 11 – Jun 7, 2026"."""
    (b0, b1), (c0, c1) = periods.baseline, periods.current
    return translate("report.periods", lang, c0=format_day(c0, lang), c1=format_day(c1, lang),
                     b0=format_day(b0, lang), b1=format_day(b1, lang))


def _needed_fields(ref: KpiRef) -> frozenset[str]:
    """Every canonical field a KPI may read (all alternatives), for its data-quality notes."""
    if isinstance(ref, str):
        definition = CATALOG[ref]
        return frozenset(f for option in definition.needs for f in option)
    return frozenset(ref.columns()) | {"created_at"}


def _definition(ref: KpiRef, selection: Selection, lang: str) -> str:
    if isinstance(ref, str):
        return definition_text(ref, selection.params, lang)
    return ref.description or translate("report.custom_no_description", lang)


def _value_sentence(row: ScoreRow | None, lang: str) -> Paragraph:
    """The latest complete week against the target."""
    if row is None or row.period is None or row.value is None:
        reason = row.reason_text(lang) if row is not None else ""
        return Paragraph(translate("report.value.none", lang, reason=reason).strip(), "muted")
    period = format_day(row.period.start, lang) + " – " + format_day(row.period.end, lang)
    value = row.formatted(lang)
    if row.target is None:
        key = "report.value.neutral" if row.direction == "neutral" else "report.value.no_target"
        return Paragraph(translate(key, lang, period=period, value=value), "value")
    status = translate(f"targets.status.{row.status}", lang) if row.status else ""
    text = translate("report.value.target", lang, period=period, value=value,
                     target=row.target_text(lang), status=status)
    if row.significantly_off:
        text += " " + translate("report.value.significantly_off", lang)
    return Paragraph(text, "value")


def _segment_label(name: str, comparison: Comparison, lang: str) -> str:
    field_name = translate(f"report.dimension.{comparison.segment}", lang)
    return translate("report.segment_label", lang, kpi=name, dimension=field_name,
                     segment=str(comparison.segment_value))


# ------------------------------------------------------------------ the document


@dataclass(frozen=True)
class _Results:
    """Everything computed for the report (one call per kind of result)."""

    card: dict[str, ScoreRow]
    values: pd.DataFrame
    freq: Literal["day", "week"]
    overall: dict[str, Comparison]
    overall_tested: int
    by_segment: tuple[tuple[Comparison, int], ...]
    versus_rest: tuple[tuple[Comparison, int], ...]


def _tested(comparisons: Sequence[Comparison]) -> int:
    return sum(c.p_value is not None for c in comparisons)


def _segment_comparisons(source: StatisticsSource, refs: Sequence[KpiRef],
                         selection: Selection, periods: ComparisonPeriods, by: str,
                         lang: str) -> tuple[list[Comparison], list[Comparison]]:
    """Per-segment period changes and each segment against the rest (current period), from
    one daily aggregation by ``by``. Means are compared from their sufficient statistics (no
    rank test per segment: it would read every contact once per segment); percentiles, which
    need the contacts' values, and volumes (a segment is always smaller than the rest) are not
    compared against the rest."""
    span = (periods.baseline[0], periods.current[1])
    stats = source.statistics(list(refs), freq="day", by=(by,), params=selection.params,
                              period=span)
    kinds = {kpi_id(ref): kpi_spec(ref, selection.params, lang) for ref in refs}
    testable = {k: spec for k, spec in kinds.items() if spec.kind != "quantile"}
    per_period = compare_frames(stats, testable, periods.baseline, periods.current, by=by)
    rest_kinds = {k: spec for k, spec in testable.items() if spec.kind not in ("count", "total")}
    versus_rest = compare_segments(stats, rest_kinds, periods.current, by) if rest_kinds else []
    return per_period, versus_rest


def _compute(source: StatisticsSource, selection: Selection, charter: Charter,
             periods: ComparisonPeriods, segment_fields: Sequence[str], lang: str) -> _Results:
    refs = list(selection.kpis)
    span = (periods.baseline[0], periods.current[1])
    freq: Literal["day", "week"] = "day" if (span[1] - span[0]).days < DAILY_SPAN_DAYS else "week"
    if not refs:  # nothing the data can compute: the report keeps its data-quality notes
        return _Results({}, pd.DataFrame(), freq, {}, 0, (), ())
    today = periods.current[1] + dt.timedelta(days=1)
    card = scorecard(source, selection, charter.targets, freq="week", today=today, lang=lang)
    stats = source.statistics(refs, freq=freq, params=selection.params, period=span)
    values = stats[["period", "kpi", "value", "n", "reason"]].reset_index(drop=True)
    overall = compare_periods(source, refs, periods.baseline, periods.current,
                              params=selection.params, lang=lang)
    by_segment: list[tuple[Comparison, int]] = []
    versus_rest: list[tuple[Comparison, int]] = []
    for by in segment_fields:
        per_period, rest = _segment_comparisons(source, refs, selection, periods, by, lang)
        by_segment.extend((c, _tested(per_period)) for c in per_period if c.significant)
        versus_rest.extend((c, _tested(rest)) for c in rest if c.significant)
    return _Results(
        card={row.kpi: row for row in card.rows}, values=values, freq=freq,
        overall={c.kpi: c for c in overall}, overall_tested=_tested(overall),
        by_segment=tuple(by_segment), versus_rest=tuple(versus_rest),
    )


def build_report(
    interactions: pd.DataFrame | StatisticsSource,
    charter: Charter,
    *,
    report: ValidationReport | None = None,
    activity: pd.DataFrame | None = None,
    forecast: pd.DataFrame | None = None,
    baseline: tuple[dt.date, dt.date] | None = None,
    current: tuple[dt.date, dt.date] | None = None,
    lang: str | None = "en",
    summary: str | None = None,
    title: str | None = None,
    segment_fields: Sequence[str] = SEGMENT_FIELDS,
    generated_on: dt.date | None = None,
) -> ReportDocument:
    """The report of ``charter``'s KPIs on a canonical frame (or any
    :class:`kpi.compute.source.StatisticsSource`, whose own activity and forecast are used),
    in ``lang``.

    ``baseline``/``current`` are inclusive date ranges (default: the last 4 complete weeks
    against the 4 before); ``report`` is the dataset's validation report (its notes close the
    document); ``summary`` defaults to the charter's notes, ``title`` to the charter's name.
    """
    code = normalise_lang(lang)
    source = as_source(interactions, activity, forecast)
    periods = report_periods(source.created_range(), baseline, current)
    selection = resolve(charter, source.columns, has_activity=source.activity is not None,
                        has_forecast=source.forecast is not None)
    fields = tuple(f for f in dimensions_in(source.columns) if f in segment_fields)
    results = _compute(source, selection, charter, periods, fields, code)
    sections = [_kpi_section(ref, selection, charter, results, report, code)
                for ref in selection.kpis]
    sections.append(_quality_section(selection, report, code))
    return ReportDocument(
        lang=code,
        title=title or charter.name or translate("report.title", code),
        period_text=period_sentence(periods, code),
        summary=charter.notes if summary is None else summary,
        periods=periods,
        sections=tuple(sections),
        charter=charter,
        kpi_table=kpi_table(selection, results, periods, code),
        generated_on=generated_on,
    )


def _kpi_section(ref: KpiRef, selection: Selection, charter: Charter, results: _Results,
                 report: ValidationReport | None, lang: str) -> Section:
    kpi = kpi_id(ref)
    name = kpi_label(ref, lang)
    blocks: list[Block] = [Paragraph(_definition(ref, selection, lang), "definition"),
                           _value_sentence(results.card.get(kpi), lang)]
    series = series_with_targets(results.values, ref, charter.targets_for(kpi),
                                 params=selection.params)
    target, band = constant_target(series)
    # The axis title carries the name when it fits along the axis (the caption always does).
    axis_name = name if len(name) <= AXIS_TITLE_CHARS else None
    chart = trend_chart(series, unit=kpi_unit(ref), lang=lang, title=axis_name, target=target,
                        band=band, rolling=ROLLING[results.freq], freq=results.freq,
                        brush_name=None, pick_name=None, height=CHART_HEIGHT)
    blocks.append(ChartBlock(f"chart-{kpi}", translate("report.chart_title", lang, kpi=name),
                             chart))
    overall = results.overall.get(kpi)
    if overall is not None:
        style: TextStyle = "change" if overall.significant else "muted"
        blocks.append(Paragraph(verdict(overall, lang, label=name,
                                        count=results.overall_tested), style))
    segment_changes = tuple(
        verdict(c, lang, label=_segment_label(name, c, lang), count=count)
        for c, count in results.by_segment if c.kpi == kpi
    )
    if segment_changes:
        blocks.append(Bullets(translate("report.segment_changes", lang), segment_changes))
    standing_out = tuple(verdict(c, lang, label=name, count=count)
                         for c, count in results.versus_rest if c.kpi == kpi)
    if standing_out:
        blocks.append(Bullets(translate("report.stand_out", lang), standing_out))
    else:
        blocks.append(Paragraph(translate("report.stand_out.none", lang), "muted"))
    if report is not None:
        needed = _needed_fields(ref)
        notes = tuple(i.line(lang) for i in report.issues if i.field in needed)
        if notes:
            blocks.append(Bullets(translate("report.quality_for_kpi", lang), notes))
    return Section(kpi, name, tuple(blocks))


def _quality_section(selection: Selection, report: ValidationReport | None, lang: str
                     ) -> Section:
    blocks: list[Block] = []
    if selection.unavailable:
        items = tuple(translate("report.unavailable_item", lang, kpi=kpi_label(kpi, lang),
                                reason=check.sentence(lang))
                      for kpi, check in selection.unavailable)
        blocks.append(Bullets(translate("report.unavailable", lang), items))
    if report is not None:
        blocks.append(Bullets(translate("report.quality_notes", lang), tuple(report.lines(lang))))
    if not blocks:
        blocks.append(Paragraph(translate("report.quality_none", lang), "muted"))
    return Section(QUALITY_SECTION, translate("report.quality", lang), tuple(blocks))


#: Columns of :func:`kpi_table`, in order.
TABLE_COLUMNS: tuple[str, ...] = (
    "kpi", "name", "unit", "baseline_start", "baseline_end", "current_start", "current_end",
    "baseline_value", "baseline_n", "current_value", "current_n", "difference",
    "relative_difference", "ci_low", "ci_high", "p_value", "p_adjusted", "test",
    "analysis_unit", "significant", "improved", "latest_week", "latest_value", "target",
    "target_lower", "target_upper", "target_text", "status", "significantly_off", "verdict",
)


def kpi_table(selection: Selection, results: _Results, periods: ComparisonPeriods,
              lang: str) -> pd.DataFrame:
    """One row per KPI: the change between the periods (KPI units: fractions, seconds,
    points) and the latest complete week against its target, plus the verdict in ``lang``."""
    rows = []
    for ref in selection.kpis:
        kpi = kpi_id(ref)
        c = results.overall.get(kpi)
        row = results.card.get(kpi)
        target = row.target if row is not None else None
        name = kpi_label(ref, lang)
        rows.append({
            "kpi": kpi, "name": name, "unit": kpi_unit(ref),
            "baseline_start": periods.baseline[0].isoformat(),
            "baseline_end": periods.baseline[1].isoformat(),
            "current_start": periods.current[0].isoformat(),
            "current_end": periods.current[1].isoformat(),
            "baseline_value": None if c is None else c.baseline.value,
            "baseline_n": None if c is None else c.baseline.n,
            "current_value": None if c is None else c.current.value,
            "current_n": None if c is None else c.current.n,
            "difference": None if c is None else c.difference,
            "relative_difference": None if c is None else c.relative_difference,
            "ci_low": None if c is None else c.ci_low,
            "ci_high": None if c is None else c.ci_high,
            "p_value": None if c is None else c.p_value,
            "p_adjusted": None if c is None else c.p_adjusted,
            "test": None if c is None else c.test,
            "analysis_unit": None if c is None else c.unit,
            "significant": None if c is None else c.significant,
            "improved": None if c is None else c.improved,
            "latest_week": None if row is None or row.period is None
            else row.period.start.isoformat(),
            "latest_value": None if row is None else row.value,
            "target": None if target is None else target.value,
            "target_lower": None if target is None or target.band is None else target.band[0],
            "target_upper": None if target is None or target.band is None else target.band[1],
            "target_text": None if row is None else row.target_text(lang) or None,
            "status": None if row is None else row.status,
            "significantly_off": None if row is None else row.significantly_off,
            "verdict": "" if c is None else verdict(c, lang, label=name,
                                                    count=results.overall_tested),
        })
    frame = pd.DataFrame.from_records(rows, columns=list(TABLE_COLUMNS))
    numeric = ("baseline_value", "current_value", "difference", "relative_difference",
               "ci_low", "ci_high", "p_value", "p_adjusted", "latest_value", "target",
               "target_lower", "target_upper")
    for column in numeric:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("baseline_n", "current_n"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    for column in ("significant", "improved", "significantly_off"):
        frame[column] = frame[column].astype("boolean")
    return frame


def display_table(document: ReportDocument) -> pd.DataFrame:
    """The KPI table with values formatted in the document's language (for the page and the
    HTML file): KPI, baseline, current, change, latest week, target, status."""
    lang = document.lang
    out = []
    for record in document.kpi_table.to_dict("records"):
        fmt = _FORMATS.get(record["unit"], "number")
        # Volumes are compared as contacts per day (as the verdicts say); the week is a total.
        period_fmt: ValueFormat = "rate" if record["unit"] == "count" else fmt
        difference, status = record["difference"], record["status"]
        out.append({
            document.t("report.table.kpi"): record["name"],
            document.t("report.table.baseline"): _fmt(record["baseline_value"], period_fmt,
                                                      lang),
            document.t("report.table.current"): _fmt(record["current_value"], period_fmt, lang),
            document.t("report.table.change"): "" if pd.isna(difference)
            else format_change(float(difference), period_fmt, lang),
            document.t("report.table.latest"): _fmt(record["latest_value"], fmt, lang),
            document.t("report.table.target"): "" if pd.isna(record["target_text"])
            else str(record["target_text"]),
            document.t("report.table.status"): "" if pd.isna(status)
            else translate(f"targets.status.{status}", lang),
        })
    return pd.DataFrame(out, columns=[document.t(f"report.table.{c}") for c in (
        "kpi", "baseline", "current", "change", "latest", "target", "status")])


_FORMATS: dict[str, ValueFormat] = {"percent": "percent", "seconds": "duration", "nps": "nps",
                                    "points": "nps"}


def _fmt(value: object, fmt: ValueFormat, lang: str) -> str:
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return "—"
    return format_value(float(value), fmt, lang)  # type: ignore[arg-type]
