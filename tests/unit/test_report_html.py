"""The self-contained HTML report: hostile labels stay text, one inlined bundle, images."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from kpi.charter import Charter
from kpi.custom import Condition, CustomKpi
from kpi.load import load_dataset
from kpi.report import ReportDocument, build_report
from kpi.report_html import EMBED_OPTIONS, render_html, script_json

HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_SUMMARY = '<img src=x onerror="alert(2)"> & =HYPERLINK("http://evil","click")'
HOSTILE_CHANNEL = "</script><script>alert(3)</script>"


class _Collector(HTMLParser):
    """Scripts (attributes and text), links and visible text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.links: list[dict[str, str | None]] = []
        self.images: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))
        elif tag == "a":
            self.links.append(dict(attrs))
        elif tag == "img":
            self.images.append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        else:
            self.text.append(data)


def _dataset():
    days = pd.date_range("2026-03-02", periods=28, freq="D")
    channels = ["phone", "chat", HOSTILE_CHANNEL]
    rows = pd.DataFrame({
        "Created At": [d + pd.Timedelta(hours=9 + i % 8) for d in days for i in range(12)],
        "Channel": channels * (28 * 4),
        "Abandoned": ["true", "false", "false", "false"] * (28 * 3),
        "Handle Time": [300 + 10 * (i % 7) for i in range(28 * 12)],
    })
    return load_dataset([("hostile.csv", rows.to_csv(index=False).encode())])


@pytest.fixture(scope="module")
def document() -> ReportDocument:
    dataset = _dataset()
    custom = CustomKpi(id="phone_share", name=HOSTILE_NAME, form="rate",
                       description="Share of phone contacts <b>bold?</b>",
                       numerator=(Condition("channel", "=", "phone"),))
    charter = Charter(kpis=("abandonment_rate", "phone_share"),
                      custom_kpis=(custom.to_dict(),), notes=HOSTILE_SUMMARY,
                      name="Review <i>March</i>")
    return build_report(dataset.interactions, charter, report=dataset.report,
                        baseline=(dt.date(2026, 3, 2), dt.date(2026, 3, 15)),
                        current=(dt.date(2026, 3, 16), dt.date(2026, 3, 29)),
                        generated_on=dt.date(2026, 3, 30))


@pytest.fixture(scope="module")
def page(document: ReportDocument) -> str:
    return render_html(document)


@pytest.fixture(scope="module")
def parsed(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector


def test_hostile_labels_are_text_not_markup(page: str, parsed: _Collector) -> None:
    for raw in (HOSTILE_NAME, HOSTILE_SUMMARY, "<b>bold?</b>", "<i>March</i>",
                "alert(3)</script>"):
        assert raw not in page
    visible = "".join(parsed.text)
    assert HOSTILE_NAME in visible  # shown as the plain text it is
    assert HOSTILE_SUMMARY in visible
    assert "Review <i>March</i>" in visible
    assert "alert(3)</script>" in visible  # the channel, quoted by a data-quality note
    assert not parsed.images  # nothing injected an <img>
    assert not [link for link in parsed.links if "evil" in (link.get("href") or "")]


def test_one_inlined_bundle_no_network_and_one_spec_per_chart(
    page: str, parsed: _Collector, document: ReportDocument,
) -> None:
    assert not [attrs for attrs, _ in parsed.scripts if "src" in attrs]
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    bundles = [text for attrs, text in parsed.scripts if "window.vegaEmbed=" in text]
    assert len(bundles) == 1
    assert page.count("window.vegaEmbed=") == 1
    specs = {attrs["data-chart"]: json.loads(text) for attrs, text in parsed.scripts
             if attrs.get("data-chart")}
    assert list(specs) == [c.chart_id for c in document.charts]
    assert len(specs) == 2
    options = next(json.loads(text) for attrs, text in parsed.scripts
                   if attrs.get("id") == "embed-options")
    assert options == EMBED_OPTIONS
    assert options["renderer"] == "svg"
    # The hostile KPI name travels inside the chart spec as the same string, unharmed.
    assert HOSTILE_NAME in json.dumps(specs["chart-phone_share"], ensure_ascii=False)


def test_every_chart_has_svg_and_png_downloads(parsed: _Collector, document: ReportDocument
                                               ) -> None:
    svg = [a for a in parsed.links if (a.get("href") or "").startswith("data:image/svg+xml")]
    png = [a for a in parsed.links if (a.get("href") or "").startswith("data:image/png")]
    assert len(svg) == len(png) == len(document.charts)
    for link in svg:
        data = base64.b64decode(link["href"].split(",", 1)[1]).decode("utf-8")
        assert data.lstrip().startswith("<svg")
        assert "<path" in data
        assert link["download"].endswith(".svg")
    for link in png:
        data = base64.b64decode(link["href"].split(",", 1)[1])
        assert data[:8] == b"\x89PNG\r\n\x1a\n"


def test_portuguese_html_declares_its_language(document: ReportDocument) -> None:
    dataset = _dataset()
    pt = build_report(dataset.interactions, Charter(kpis=("abandonment_rate",)), lang="pt",
                      baseline=document.periods.baseline, current=document.periods.current,
                      segment_fields=())
    text = render_html(pt, generated_on=dt.date(2026, 3, 30))
    assert '<html lang="pt-BR">' in text
    assert "Relatório de KPIs" in text
    assert "Baixar SVG" in text
    assert "Gerado em 30 de mar. de 2026" in text


@pytest.mark.parametrize("value", [
    HOSTILE_NAME, HOSTILE_CHANNEL, "<!-- x", "a & b", {"k": ["</SCRIPT>", 1.5, None]},
    "\u2028 line separator",
])
def test_script_json_round_trips_and_never_contains_markup(value: object) -> None:
    text = script_json(value)
    assert not {"<", ">", "&"} & set(text)
    assert json.loads(text) == value


def test_field_notes_go_to_the_kpis_reading_that_field(document: ReportDocument) -> None:
    from kpi.report import Bullets

    sections = {s.key: s for s in document.sections}
    title = "Data-quality notes on the fields this KPI uses"

    def notes(key: str) -> tuple[str, ...]:
        found = [b for b in sections[key].blocks if isinstance(b, Bullets) and b.title == title]
        return found[0].items if found else ()

    # The custom KPI reads ``channel``, whose hostile values validation reported; abandonment
    # does not read it.
    assert any("channel" in line and "alert(3)" in line for line in notes("phone_share"))
    assert notes("abandonment_rate") == ()
