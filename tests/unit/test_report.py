"""The report document on the bundled sample: order, values, the bot-launch story, language."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest

from kpi.catalog import kpi_name
from kpi.changes import ComparisonPeriods
from kpi.charter import Charter
from kpi.errors import DefinitionError, UnusableDataError
from kpi.load import Dataset, load_dataset
from kpi.report import (
    QUALITY_SECTION,
    Bullets,
    ChartBlock,
    Paragraph,
    ReportDocument,
    build_report,
    display_table,
    report_periods,
)
from kpi.stats.verdict import format_value
from kpi.targets import Target

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "contacts.csv"
#: Thirteen weeks before and after the chatbot launch of Mon 2026-04-06 (sample_data/README.md).
BASELINE = (dt.date(2026, 1, 5), dt.date(2026, 4, 5))
CURRENT = (dt.date(2026, 4, 6), dt.date(2026, 7, 5))
KPIS = ("aht", "abandonment_rate", "volume")
ABANDONMENT_TARGET = 0.06


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return load_dataset([(SAMPLE.name, SAMPLE)])


@pytest.fixture(scope="module")
def charter() -> Charter:
    return Charter(kpis=KPIS, targets=(Target("abandonment_rate", value=ABANDONMENT_TARGET),),
                   notes="Bot launched in April.", name="Ops review")


@pytest.fixture(scope="module")
def document(sample: Dataset, charter: Charter) -> ReportDocument:
    return build_report(sample.interactions, charter, report=sample.report,
                        baseline=BASELINE, current=CURRENT, lang="en")


def _texts(section) -> list[str]:
    out: list[str] = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Bullets):
            out.extend(block.items)
    return out


def _section(document: ReportDocument, key: str):
    return next(s for s in document.sections if s.key == key)


def _rate(frame: pd.DataFrame, start: dt.date, end: dt.date, channel: str | None = None
          ) -> float:
    """Abandonment by hand: abandoned / contacts with abandonment known, created in [start, end]."""
    day = frame["created_at"].dt.date
    rows = frame[(day >= start) & (day <= end)]
    if channel is not None:
        rows = rows[rows["channel"] == channel]
    known = rows["abandoned"].dropna().astype(bool)
    return known.sum() / len(known)


def test_sections_follow_the_charter_order_then_quality(document: ReportDocument) -> None:
    assert [s.key for s in document.sections] == [*KPIS, QUALITY_SECTION]
    assert [s.heading for s in document.kpi_sections] == [kpi_name(k, "en") for k in KPIS]
    assert [c.chart_id for c in document.charts] == [f"chart-{k}" for k in KPIS]
    assert document.title == "Ops review"
    assert document.summary == "Bot launched in April."
    assert document.periods == ComparisonPeriods(BASELINE, CURRENT)


def test_each_kpi_section_has_definition_value_chart_and_change(document: ReportDocument
                                                                ) -> None:
    for section in document.kpi_sections:
        kinds = [type(b).__name__ for b in section.blocks]
        assert kinds[:3] == ["Paragraph", "Paragraph", "ChartBlock"], section.key
        assert section.blocks[0].style == "definition"
        assert section.blocks[1].style == "value"
        assert isinstance(section.blocks[3], Paragraph)  # the verdict of the period change


def test_bot_launch_abandonment_fall_is_among_the_significant_changes(
    document: ReportDocument, sample: Dataset,
) -> None:
    frame = sample.interactions
    before = _rate(frame, *BASELINE, channel="whatsapp")
    after = _rate(frame, *CURRENT, channel="whatsapp")
    assert after < before - 0.02  # the designed 9 % -> 6 % fall
    changes = next(b for b in _section(document, "abandonment_rate").blocks
                   if isinstance(b, Bullets) and b.title.startswith("Significant changes"))
    whatsapp = [item for item in changes.items if "whatsapp" in item]
    assert len(whatsapp) == 1
    sentence = whatsapp[0]
    assert "fell" in sentence
    assert f"from {before * 100:.1f} % to {after * 100:.1f} %" in sentence
    # Phone had no designed change: it is not listed among significant changes.
    assert not any("channel phone" in item for item in changes.items)


def test_value_against_target_is_the_latest_week_by_hand(document: ReportDocument,
                                                         sample: Dataset) -> None:
    frame = sample.interactions
    week = (dt.date(2026, 6, 29), dt.date(2026, 7, 5))  # last complete week of CURRENT
    rate = _rate(frame, *week)
    status = "On target" if rate <= ABANDONMENT_TARGET else "Off target"
    text = _section(document, "abandonment_rate").blocks[1].text
    assert format_value(rate, "percent", "en") in text
    assert "≤ 6.0 %" in text
    assert status in text or "At risk" in text
    day = frame["created_at"].dt.date
    rows = frame[(day >= week[0]) & (day <= week[1])]
    handled = rows[rows["abandoned"].eq(False)]
    aht = handled["handle_seconds"].dropna().mean()
    assert format_value(aht, "duration", "en") in _section(document, "aht").blocks[1].text


def test_kpi_table_matches_hand_computed_rates(document: ReportDocument, sample: Dataset
                                               ) -> None:
    table = document.kpi_table.set_index("kpi")
    frame = sample.interactions
    before, after = _rate(frame, *BASELINE), _rate(frame, *CURRENT)
    row = table.loc["abandonment_rate"]
    assert row["baseline_value"] == pytest.approx(before, rel=1e-9)
    assert row["current_value"] == pytest.approx(after, rel=1e-9)
    assert row["difference"] == pytest.approx(after - before, rel=1e-9)
    assert row["target"] == ABANDONMENT_TARGET
    assert row["current_start"] == "2026-04-06"
    days = frame["created_at"].dt.date
    contacts = ((days >= CURRENT[0]) & (days <= CURRENT[1])).sum()
    assert table.loc["volume", "current_n"] == contacts
    shown = display_table(document)
    assert list(shown["KPI"]) == [kpi_name(k, "en") for k in KPIS]


def test_quality_section_lists_validation_lines(document: ReportDocument, sample: Dataset
                                                ) -> None:
    quality = _section(document, QUALITY_SECTION)
    assert _texts(quality) == sample.report.lines("en")


def test_portuguese_document_has_no_raw_message_keys(sample: Dataset, charter: Charter) -> None:
    short = (dt.date(2026, 5, 11), dt.date(2026, 6, 7)), (dt.date(2026, 6, 8), dt.date(2026, 7, 5))
    document = build_report(sample.interactions, charter.revised(kpis=("abandonment_rate",)),
                            baseline=short[0], current=short[1], lang="pt",
                            segment_fields=("channel",), title=None)
    assert document.lang == "pt"
    assert document.kpi_sections[0].heading == kpi_name("abandonment_rate", "pt")
    assert document.period_text.startswith("Período atual de 8 de jun. de 2026")
    texts = [document.title, document.period_text]
    for section in document.sections:
        texts += [section.heading, *_texts(section)]
        texts += [b.title for b in section.blocks if isinstance(b, ChartBlock | Bullets)]
    assert not [t for t in texts if "report." in t or "stats." in t or "targets." in t]
    assert "Última semana completa" in document.kpi_sections[0].blocks[1].text


def test_default_periods_are_the_last_four_complete_weeks(sample: Dataset) -> None:
    # The sample ends on Sunday 2026-07-05: current = the 4 weeks ending then, baseline before.
    periods = report_periods(sample.interactions["created_at"])
    assert periods.current == (dt.date(2026, 6, 8), dt.date(2026, 7, 5))
    assert periods.baseline == (dt.date(2026, 5, 11), dt.date(2026, 6, 7))
    with pytest.raises(DefinitionError):
        report_periods(sample.interactions["created_at"], BASELINE[::-1], CURRENT)
    # A source's (first, last) created_at gives the same periods; none at all is an error.
    created = sample.interactions["created_at"]
    assert report_periods((created.min(), created.max())) == periods
    with pytest.raises(UnusableDataError):
        report_periods(None)


def test_unavailable_kpis_and_field_notes_are_reported() -> None:
    days = pd.date_range("2026-03-02", periods=28, freq="D")
    rows = pd.DataFrame({
        "Created At": [d + pd.Timedelta(hours=9 + i % 8) for d in days for i in range(12)],
        "Channel": ["phone", "chat", "=HYPERLINK(\"http://x\")"] * (28 * 4),
        "Abandoned": ["true", "false", "false", "false"] * (28 * 3),
    })
    dataset = load_dataset([("small.csv", rows.to_csv(index=False).encode())])
    charter = Charter(kpis=("abandonment_rate", "csat_score"))
    document = build_report(dataset.interactions, charter, report=dataset.report,
                            baseline=(dt.date(2026, 3, 2), dt.date(2026, 3, 15)),
                            current=(dt.date(2026, 3, 16), dt.date(2026, 3, 29)))
    assert [s.key for s in document.sections] == ["abandonment_rate", QUALITY_SECTION]
    quality = _texts(_section(document, QUALITY_SECTION))
    assert any(t.startswith(kpi_name("csat_score", "en") + ": ") for t in quality)
    assert any("=hyperlink" in t.lower() for t in quality)  # formula-looking cells reported
    assert document.kpi_table["current_value"].iloc[0] == pytest.approx(0.25)
    buffer = io.StringIO()
    display_table(document).to_csv(buffer)
    assert "25.0 %" in buffer.getvalue()


def test_a_charter_the_data_cannot_compute_still_reports_the_data_notes() -> None:
    days = pd.date_range("2026-03-02", periods=28, freq="D")
    rows = pd.DataFrame({
        "Created At": [d + pd.Timedelta(hours=9 + i) for d in days for i in range(5)],
        "Channel": ["phone", "chat", "email", "phone", "chat"] * 28,
    })
    dataset = load_dataset([("no_csat.csv", rows.to_csv(index=False).encode())])
    document = build_report(dataset.interactions, Charter(kpis=("csat_score",)),
                            report=dataset.report)
    assert [s.key for s in document.sections] == [QUALITY_SECTION]
    assert document.kpi_table.empty
    assert display_table(document).empty
    quality = _texts(document.sections[0])
    assert quality[0].startswith(kpi_name("csat_score", "en") + ": ")
    assert quality[1:] == dataset.report.lines("en")
    # The data ends on Sunday 2026-03-29: its 4 weeks are the current period, the baseline
    # (before any data) is the 4 weeks before.
    assert document.periods.current == (dt.date(2026, 3, 2), dt.date(2026, 3, 29))
    assert document.periods.baseline == (dt.date(2026, 2, 2), dt.date(2026, 3, 1))
