"""Translation of every user-facing sentence (English and Português).

Catalogs are plain dictionaries, one module per area under :mod:`kpi.messages`, each defining
``MESSAGES = {"area.key": {"en": "...", "pt": "..."}}``. Placeholders use ``str.format`` names.
No process-wide locale is touched, so concurrent sessions can speak different languages.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Literal

import kpi.messages

Lang = Literal["en", "pt"]
LANGUAGES: dict[str, str] = {"en": "English", "pt": "Português"}
DEFAULT_LANG: Lang = "en"


@cache
def catalog() -> dict[str, dict[str, str]]:
    """All messages of every area, merged; a key defined twice is a programming error."""
    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(kpi.messages.__path__):
        module = importlib.import_module(f"kpi.messages.{info.name}")
        for key, texts in module.MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} defined twice (in {info.name})")
            merged[key] = texts
    return merged


def normalise_lang(lang: str | None) -> Lang:
    """Map a browser locale such as ``pt-BR`` or ``en_US`` to a supported language."""
    if lang and lang.lower().startswith("pt"):
        return "pt"
    return DEFAULT_LANG


def translate(key: str, lang: str | None = DEFAULT_LANG, /, **params: object) -> str:
    """The sentence for ``key`` in ``lang`` (falling back to English, then to the key itself)."""
    texts = catalog().get(key)
    if texts is None:
        return key
    text = texts.get(normalise_lang(lang)) or texts.get(DEFAULT_LANG) or key
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
