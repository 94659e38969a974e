"""Plain-language verdicts of comparisons, in English and Português.

Numbers go through Babel for the language (decimal comma in Portuguese); proportions are shown
as percentages with changes in points, durations as m:ss, NPS in points. The grade of
certainty comes from the BH-adjusted p-value.
"""

from __future__ import annotations

import math

from babel.numbers import format_decimal

from kpi.i18n import normalise_lang, translate
from kpi.stats.bootstrap import min_n_for_quantile
from kpi.stats.results import DAY_UNIT_MIN_DAYS, Comparison, ValueFormat

MINUS = "\u2212"
_LOCALES = {"en": "en_US", "pt": "pt_BR"}


def _locale(lang: str | None) -> str:
    return _LOCALES[normalise_lang(lang)]


def _decimal(value: float, pattern: str, lang: str | None) -> str:
    text = format_decimal(abs(value), format=pattern, locale=_locale(lang))
    return (MINUS + text) if value < 0 and text.strip("0.,") else text


def _duration(seconds: float) -> str:
    total = round(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    body = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return (MINUS + body) if seconds < 0 and total else body


def format_value(value: float | None, fmt: ValueFormat, lang: str | None = "en") -> str:
    """A KPI value: ``8.1 %``, ``5:12``, ``32``, ``1,234.5``."""
    if value is None or not math.isfinite(value):
        return "—"
    if fmt == "percent":
        return _decimal(value * 100, "#,##0.0", lang) + " %"
    if fmt == "duration":
        return _duration(value)
    if fmt == "nps":
        return _decimal(value, "#,##0.#", lang)
    if fmt == "rate":
        return _decimal(value, "#,##0.0", lang)
    return _decimal(value, "#,##0.##", lang)


def format_amount(value: float, fmt: ValueFormat, lang: str | None = "en") -> str:
    """A change or bound on the change's scale, unsigned unit: ``−2.6`` points, ``0:28``."""
    if fmt == "percent":
        return _decimal(value * 100, "#,##0.0", lang)
    if fmt == "duration":
        return _duration(value)
    if fmt == "nps":
        return _decimal(value, "#,##0.#", lang)
    if fmt == "rate":
        return _decimal(value, "#,##0.0", lang)
    return _decimal(value, "#,##0.##", lang)


def format_change(value: float, fmt: ValueFormat, lang: str | None = "en", *,
                  signed: bool = True) -> str:
    """A change with its sign and unit: ``−1.7 points``, ``+0:28``, ``+6 points``."""
    text = format_amount(value, fmt, lang)
    if signed and value > 0:
        text = "+" + text
    if fmt in ("percent", "nps"):
        return translate("stats.points", lang, value=text)
    return text


def format_p(p: float, lang: str | None = "en") -> str:
    """``p = 0.0004`` (two significant digits, one below 0.001), ``p < 0.0001``."""
    if p < 0.0001:
        return translate("stats.p_below", lang, p=_decimal(0.0001, "0.0###", lang))
    digits = 1 if p < 0.001 else 2
    rounded = float(f"{p:.{digits}g}")
    return translate("stats.p", lang, p=_decimal(rounded, "0.0#####", lang))


def _p_text(comparison: Comparison, count: int | None, lang: str | None) -> str:
    p, adjusted = comparison.p_value, comparison.p_adjusted
    text = format_p(p, lang)  # type: ignore[arg-type]
    if adjusted is not None and p is not None and not math.isclose(adjusted, p) and count:
        text = translate(
            "stats.p_adjusted", lang, p=text, adjusted=format_p(adjusted, lang), count=count
        )
    return text


def certainty(comparison: Comparison, lang: str | None = "en", count: int | None = None) -> str:
    """The grade of certainty from the adjusted p-value, with the p-value(s) in brackets."""
    p = comparison.p_adjusted if comparison.p_adjusted is not None else comparison.p_value
    p_text = _p_text(comparison, count, lang)
    if p is None:
        return ""
    if p < 0.001:
        return translate("stats.certainty.very_unlikely", lang, p=p_text)
    if p < 0.01:
        return translate("stats.certainty.unlikely", lang, p=p_text)
    if p < 0.05:
        return translate("stats.certainty.probably_not", lang, p=p_text)
    if p < 0.10:
        return translate("stats.certainty.weak", lang, p=p_text)
    if comparison.mde is not None:
        fmt = "rate" if comparison.kind == "count" else comparison.format
        mde = format_change(comparison.mde, fmt, lang, signed=False)
        return translate("stats.certainty.cannot_tell", lang, mde=mde, p=p_text)
    return translate("stats.certainty.could_be_chance", lang, p=p_text)


def reason(comparison: Comparison, lang: str | None = "en") -> str:
    """The translated reason a comparison has no p-value."""
    code = comparison.code
    params: dict[str, object] = {}
    if code == "too_few_days":
        params["days"] = DAY_UNIT_MIN_DAYS
    elif code == "too_few_for_p90":
        params["min_n"] = min_n_for_quantile(0.9)
    elif code == "boundary":
        params["value"] = format_value(comparison.baseline.value, comparison.format, lang)
    return translate(f"stats.code.{code}", lang, **params)


def verdict(
    comparison: Comparison,
    lang: str | None = "en",
    *,
    label: str | None = None,
    value_format: ValueFormat | None = None,
    count: int | None = None,
) -> str:
    """The sentence for a comparison, e.g. "Abandonment fell from 8.1 % to 6.4 % (−1.7 points,
    95 % CI −2.6 to −0.8); this is very unlikely to be chance (p = 0.0004)."

    ``label`` is the KPI's name in ``lang`` (default: the comparison's label, else its id);
    ``count`` the number of comparisons adjusted together (shown beside an adjusted p).
    """
    name = label or comparison.label or comparison.kpi
    fmt = value_format or comparison.format
    c = comparison
    if c.kind == "count":
        # Volumes are compared as daily rates (exposure = days), so say so: "Contacts per day".
        name = translate("stats.per_day", lang, label=name)
        fmt = "rate"
    base = format_value(c.baseline.value, fmt, lang)
    cur = format_value(c.current.value, fmt, lang)
    if c.code is not None:
        if c.baseline.value is None or c.current.value is None:
            return translate("stats.verdict.degenerate", lang, label=name, reason=reason(c, lang))
        return translate("stats.verdict.degenerate_values", lang, label=name, baseline=base,
                         current=cur, reason=reason(c, lang))
    if c.difference is None:
        return translate("stats.verdict.no_values", lang, label=name) + "."
    has_ci = c.ci_low is not None and c.ci_high is not None
    params = {
        "label": name, "baseline": base, "current": cur,
        "difference": format_change(c.difference, fmt, lang),
        "ci_low": format_amount(c.ci_low, fmt, lang) if has_ci else "",  # type: ignore[arg-type]
        "ci_high": format_amount(c.ci_high, fmt, lang) if has_ci else "",  # type: ignore[arg-type]
        "segment": "" if c.segment_value is None else str(c.segment_value),
    }
    if c.versus_rest:
        key = "stats.verdict.segment" if has_ci else "stats.verdict.segment_no_ci"
    elif not has_ci:
        key = "stats.verdict.moved_no_ci"
    elif base == cur:
        # "fell from 9:33 to 9:33" reads as a contradiction: the change is below the display.
        key = "stats.verdict.same"
    elif c.difference < 0:
        key = "stats.verdict.fell"
    elif c.difference > 0:
        key = "stats.verdict.rose"
    else:
        key = "stats.verdict.same"
    head = translate(key, lang, **params)
    tail = certainty(c, lang, count)
    sentence = f"{head}; {tail}." if tail else f"{head}."
    if c.robustness is not None:
        sentence += " " + translate("stats.robustness", lang, p=format_p(c.robustness, lang))
    return sentence

