"""The exported HTML report in real headless Chromium with the network off: every chart drawn
(SVG marks counted), no console error, hostile labels inert; screenshots for a human look."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_support import ROOT, SCREENSHOTS, ConsoleErrors

from kpi.charter import Charter
from kpi.custom import Condition, CustomKpi
from kpi.load import load_dataset
from kpi.report import build_report
from kpi.report_html import render_html
from kpi.targets import Target

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

pytestmark = pytest.mark.e2e

SAMPLE = ROOT / "sample_data" / "contacts.csv"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    dataset = load_dataset([(SAMPLE.name, SAMPLE)])
    custom = CustomKpi(id="phone_share", name=HOSTILE, form="rate",
                       numerator=(Condition("channel", "=", "phone"),))
    charter = Charter(
        kpis=("abandonment_rate", "aht", "volume", "phone_share"),
        custom_kpis=(custom.to_dict(),),
        targets=(Target("abandonment_rate", value=0.07), Target("aht", value=600.0)),
        notes='Bot launched on April 6. =HYPERLINK("http://evil","x") <b>not bold</b>',
        name="Ops review — bot launch",
    )
    document = build_report(
        dataset.interactions, charter, report=dataset.report,
        baseline=(dt.date(2026, 3, 9), dt.date(2026, 4, 5)),
        current=(dt.date(2026, 4, 6), dt.date(2026, 5, 3)),
        segment_fields=("channel",),
    )
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(document), encoding="utf-8")
    return path, len(document.charts)


def test_report_renders_offline_every_chart(browser: Browser,
                                            report_file: tuple[Path, int]) -> None:
    path, charts = report_file
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.set_offline(True)
    requested: list[str] = []

    def only_local(route: Route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            requested.append(url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    errors = ConsoleErrors()
    page.on("console", errors.on_console)
    page.on("pageerror", errors.on_page_error)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(path.as_uri())
        page.wait_for_function(
            f"document.querySelectorAll('.vega[data-rendered=true]').length === {charts}",
            timeout=60_000,
        )
        for chart in page.locator("div.vega").all():
            svg = chart.locator("svg.marks")
            assert svg.count() == 1
            lines = svg.locator("g.mark-line path").count()
            symbols = svg.locator("g.mark-symbol path").count()
            assert lines >= 1, chart.get_attribute("id")
            assert symbols >= 28, chart.get_attribute("id")  # a point per day of 8 weeks
        # The target of abandonment is drawn as a rule; the export menu is there.
        target = page.locator("#chart-abandonment_rate svg.marks g.mark-rule line")
        assert target.count() >= 1
        assert page.locator("#chart-abandonment_rate details").count() == 1
        # Hostile text is text.
        body = page.inner_text("body")
        assert HOSTILE in body
        assert "<b>not bold</b>" in body
        assert page.locator("b", has_text="not bold").count() == 0
        table = page.inner_text("#kpi-table")
        assert "nan" not in table
        assert "targets.status" not in body
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "report_html_top.png"))
        page.screenshot(path=str(SCREENSHOTS / "report_html_full.png"), full_page=True)
        # A tooltip shows on hover (charts are interactive).
        point = page.locator("#chart-abandonment_rate g.mark-symbol path").nth(10)
        point.hover()
        page.wait_for_selector("#vg-tooltip-element.visible", timeout=10_000)
        page.screenshot(path=str(SCREENSHOTS / "report_html_tooltip.png"))
    finally:
        context.close()
    assert not dialogs
    assert not requested
    assert not errors.messages, "\n".join(errors.messages)
