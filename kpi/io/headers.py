"""Column headers as users expect them: trimmed, never blank, never duplicated."""

from __future__ import annotations

import math
from collections.abc import Iterable

_STRIP = " \t\r\n\ufeff\u00a0\u200b"


def clean_headers(names: Iterable[object]) -> list[str]:
    """Strip whitespace and BOMs, name blanks ``column_N`` (1-based), make duplicates unique.

    The second "Date" becomes "Date (2)", the third "Date (3)", skipping any name the file
    already uses.
    """
    stripped = [_as_text(name).strip(_STRIP) for name in names]
    real = {text for text in stripped if text}
    unique: list[str] = []
    seen: set[str] = set()
    for position, text in enumerate(stripped, start=1):
        name = text or f"column_{position}"
        candidate, copy = name, 1
        # Taken: already used, or the real header of another column (generated names give way).
        while candidate in seen or (candidate in real and candidate != text):
            copy += 1
            candidate = f"{name} ({copy})"
        seen.add(candidate)
        unique.append(candidate)
    return unique


def _as_text(name: object) -> str:
    if name is None or (isinstance(name, float) and math.isnan(name)):
        return ""
    if isinstance(name, float) and name.is_integer():
        return str(int(name))
    return str(name)
