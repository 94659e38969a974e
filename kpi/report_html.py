"""The report as ONE self-contained HTML file that opens offline.

:func:`render_html` turns a :class:`kpi.report.ReportDocument` into a single HTML page: the
Vega, Vega-Lite and vega-embed JavaScript inlined once (vl-convert's
:func:`vl_convert.javascript_bundle`, no CDN), every chart's Vega-Lite spec embedded as JSON and
drawn by vega-embed with the SVG renderer (interactive: tooltips, the export menu), and every
chart also as SVG and PNG download links (data URIs rendered by vl-convert, so they exist even
where JavaScript is off). Every text from the document — KPI names, agent and channel names,
the team's summary — goes through :func:`html.escape`; JSON embedded in ``<script>`` has ``<``,
``>`` and ``&`` as ``\\u`` escapes, so no label can close the script or inject markup.

The JavaScript bundle takes vl-convert several seconds to build: it is built once per process
and kept in a file cache (``$KPI_CACHE_DIR``, else ``$XDG_CACHE_HOME/kpi-workbench``) keyed by
the vl-convert and Vega-Lite versions.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt

from kpi.report import (
    Block,
    Bullets,
    ChartBlock,
    Paragraph,
    ReportDocument,
    display_table,
    format_day,
)

#: Vega-embed options: SVG renderer (marks countable in tests, crisp when printed), the export
#: menu only (the editor and source actions would reach the network).
EMBED_OPTIONS: dict[str, Any] = {
    "renderer": "svg",
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}
CACHE_ENV = "KPI_CACHE_DIR"
_STYLE = """
:root { --ink: #212529; --muted: #6c757d; --line: #dee2e6; --accent: #1f5fa8;
        --good: #2b8a3e; --bad: #c92a2a; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       max-width: 980px; margin: 0 auto; padding: 24px 32px 64px; line-height: 1.5; }
header h1 { margin-bottom: 4px; }
.period { font-size: 1.1em; margin-top: 0; }
.muted, .generated { color: var(--muted); }
nav ol { columns: 2; padding-left: 20px; }
section { border-top: 1px solid var(--line); margin-top: 28px; padding-top: 8px; }
.summary p { white-space: pre-wrap; background: #f8f9fa; padding: 12px 16px;
             border-left: 4px solid var(--accent); }
.definition { font-style: italic; }
.value { font-weight: 600; }
.change { border-left: 4px solid var(--accent); padding-left: 10px; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; }
th { background: #f1f3f5; }
figure.chart { margin: 12px 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.vega { min-height: 120px; }
.downloads a { margin-right: 12px; font-size: 0.9em; }
@media print { .downloads, nav, .vega-embed details { display: none; } }
"""
_RENDER = """
(function () {
  var options = JSON.parse(document.getElementById("embed-options").textContent);
  document.querySelectorAll("script[data-chart]").forEach(function (holder) {
    var target = document.getElementById(holder.getAttribute("data-chart"));
    var spec = JSON.parse(holder.textContent);
    vegaEmbed(target, spec, options).then(function () {
      target.setAttribute("data-rendered", "true");
    }).catch(function (error) { console.error(error); });
  });
})();
"""


# ------------------------------------------------------------------ the JavaScript bundle


def vega_lite_version() -> str:
    """The Vega-Lite ``major.minor`` of the installed Altair (e.g. ``6.4``), which vl-convert
    must bundle and render with."""
    import vl_convert

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    available = vl_convert.get_vegalite_versions()
    return wanted if wanted in available else available[-1]


def _cache_dir() -> Path:
    given = os.environ.get(CACHE_ENV)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kpi-workbench"


@cache
def javascript_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script that defines ``window.vegaEmbed``."""
    import vl_convert

    version = vega_lite_version()
    name = f"vega-bundle-{vl_convert.get_vega_version()}-vl{version}-" \
           f"embed{vl_convert.get_vega_embed_version()}.js"
    path = _cache_dir() / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle(vl_version=version)
    try:  # an atomic write; a read-only home only costs the next process the rebuild
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                         delete=False, suffix=".tmp") as handle:
            handle.write(bundle)
        os.replace(handle.name, path)
    except OSError:
        pass
    return bundle


# ------------------------------------------------------------------ chart images


@dataclass(frozen=True)
class ChartImages:
    """A chart's Vega-Lite spec and its static renderings."""

    spec: dict[str, Any]
    svg: str
    png: bytes


def chart_images(chart: alt.TopLevelMixin, *, png_scale: float = 1.0) -> ChartImages:
    """The chart's spec (data inlined) and its SVG and PNG, rendered by vl-convert with the
    chart's own locale configuration."""
    import vl_convert

    with alt.data_transformers.disable_max_rows():
        spec = chart.to_dict()
    version = vega_lite_version()
    svg = vl_convert.vegalite_to_svg(spec, vl_version=version)
    png = vl_convert.svg_to_png(svg, scale=png_scale)
    return ChartImages(spec, svg, png)


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` as ``\\u`` escapes
    (JSON.parse reads them back), so no string can end the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


_SLUG = re.compile(r"[^a-zA-Z0-9_-]+")


def _file_stem(text: str) -> str:
    return _SLUG.sub("-", text).strip("-") or "chart"


# ------------------------------------------------------------------ rendering


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _paragraph(block: Paragraph) -> str:
    return f'<p class="{_e(block.style)}">{_e(block.text)}</p>'


def _bullets(block: Bullets) -> str:
    items = "".join(f"<li>{_e(item)}</li>" for item in block.items)
    return f"<h3>{_e(block.title)}</h3><ul>{items}</ul>"


def _chart(block: ChartBlock, images: ChartImages, document: ReportDocument) -> str:
    chart_id = _e(block.chart_id)
    stem = _file_stem(block.chart_id)
    svg_link = _data_uri("image/svg+xml", images.svg.encode("utf-8"))
    png_link = _data_uri("image/png", images.png)
    return (
        f'<figure class="chart"><figcaption>{_e(block.title)}</figcaption>'
        f'<div class="vega" id="{chart_id}" role="img" aria-label="{_e(block.title)}"></div>'
        f'<script type="application/json" data-chart="{chart_id}">'
        f"{script_json(images.spec)}</script>"
        f'<p class="downloads"><a download="{stem}.svg" href="{svg_link}">'
        f'{_e(document.t("report.html.download_svg"))}</a>'
        f'<a download="{stem}.png" href="{png_link}">'
        f'{_e(document.t("report.html.download_png"))}</a></p></figure>'
    )


def _block(block: Block, images: dict[str, ChartImages], document: ReportDocument) -> str:
    if isinstance(block, Paragraph):
        return _paragraph(block)
    if isinstance(block, Bullets):
        return _bullets(block)
    return _chart(block, images[block.chart_id], document)


def _table(document: ReportDocument) -> str:
    table = display_table(document)
    head = "".join(f"<th>{_e(c)}</th>" for c in table.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>"
        for row in table.itertuples(index=False)
    )
    return (f'<section id="kpi-table"><h2>{_e(document.t("report.html.kpi_table"))}</h2>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>")


def _summary(document: ReportDocument) -> str:
    text = document.summary.strip()
    body = (f"<p>{_e(text)}</p>" if text
            else f'<p class="muted">{_e(document.t("report.summary_empty"))}</p>')
    return f'<section id="summary" class="summary"><h2>{_e(document.t("report.summary"))}</h2>' \
           f"{body}</section>"


def _section_anchor(key: str) -> str:
    return "section-" + _file_stem(key)


def render_html(document: ReportDocument, *, images: dict[str, ChartImages] | None = None,
                generated_on: dt.date | None = None) -> str:
    """The whole report as one HTML document (UTF-8 text).

    ``images`` (chart id → :class:`ChartImages`) lets a caller reuse renderings; missing ones
    are rendered here.
    """
    images = dict(images or {})
    for block in document.charts:
        if block.chart_id not in images:
            images[block.chart_id] = chart_images(block.chart)
    day = generated_on or document.generated_on or dt.date.today()
    contents = "".join(
        f'<li><a href="#{_section_anchor(s.key)}">{_e(s.heading)}</a></li>'
        for s in document.sections
    )
    sections = "".join(
        f'<section id="{_section_anchor(s.key)}"><h2>{_e(s.heading)}</h2>'
        + "".join(_block(b, images, document) for b in s.blocks)
        + "</section>"
        for s in document.sections
    )
    lang = "pt-BR" if document.lang == "pt" else "en"
    generated = document.t("report.html.generated", date=format_day(day, document.lang))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(document.title)}</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>{_e(document.title)}</h1>"
        f'<p class="period">{_e(document.period_text)}</p>'
        f'<p class="generated">{_e(generated)}</p>'
        f'<noscript><p class="muted">{_e(document.t("report.html.no_script"))}</p></noscript>'
        "</header>"
        f'<nav><h2>{_e(document.t("report.html.contents"))}</h2><ol>{contents}</ol></nav>'
        f"{_summary(document)}{_table(document)}{sections}"
        f'<script type="application/json" id="embed-options">{script_json(EMBED_OPTIONS)}'
        "</script>"
        f"<script>{javascript_bundle()}</script>"
        f"<script>{_RENDER}</script>"
        "</body></html>\n"
    )


def write_html(document: ReportDocument, path: str | Path) -> Path:
    """Render ``document`` and write it to ``path`` (UTF-8); returns the path."""
    target = Path(path)
    target.write_text(render_html(document), encoding="utf-8")
    return target
