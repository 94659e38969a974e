"""Numbers and dates in the user's language, through Babel (never the process locale)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

from kpi.i18n import Lang, normalise_lang

BABEL_LOCALES: dict[Lang, str] = {"en": "en_US", "pt": "pt_BR"}


def babel_locale(lang: str | None) -> str:
    """The Babel locale of a supported language (``pt`` → ``pt_BR``)."""
    return BABEL_LOCALES[normalise_lang(lang)]


def integer(value: int | float, lang: str | None) -> str:
    """``12345`` → ``12,345`` (en) / ``12.345`` (pt)."""
    return _babel_decimal(round(value), format="#,##0", locale=babel_locale(lang))


def decimal(value: float, lang: str | None, digits: int = 1) -> str:
    """A number with exactly ``digits`` decimals; an em dash when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _babel_decimal(value, format=pattern, locale=babel_locale(lang))


def percent(fraction: float, lang: str | None, digits: int = 1) -> str:
    """A fraction shown as a percentage: ``0.081`` → ``8.1%`` / ``8,1%``."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return _babel_percent(fraction, format=pattern, locale=babel_locale(lang))


def date(value: dt.date | dt.datetime | pd.Timestamp, lang: str | None) -> str:
    """A calendar date, medium length: ``Mar 1, 2026`` / ``1 de mar. de 2026``."""
    if value is None or value is pd.NaT:
        return "—"
    if isinstance(value, dt.datetime):
        value = value.date()
    return _babel_date(value, format="medium", locale=babel_locale(lang))
