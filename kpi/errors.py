"""The project's own errors: each carries a translatable code and a sentence a team lead reads.

Modelled on narwhals' small hierarchy: every error is a ``KpiError`` (a ``ValueError``), so a
caller that shows errors to users catches one class. ``str(error)`` is the English sentence;
``error.message(lang)`` the translated one.
"""

from __future__ import annotations

from kpi.i18n import translate


class KpiError(ValueError):
    """Base class: ``code`` is a key of the message catalogs, ``params`` fill its placeholders."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(translate(code, "en", **params))

    def __reduce__(self) -> tuple[object, ...]:
        # Keep code and params through pickling (caches, worker processes).
        return (_rebuild, (type(self), self.code, self.params))

    def message(self, lang: str | None = "en") -> str:
        """The sentence in the user's language."""
        return translate(self.code, lang, **self.params)


class UnreadableFileError(KpiError):
    """A file cannot be read at all (empty, binary, unknown format, no header)."""


class MappingError(KpiError):
    """A mapping file or a mapping choice is invalid (unknown column, bad JSON, wrong type)."""


class UnusableDataError(KpiError):
    """The data was read but nothing usable remains (e.g. no timestamp column can be parsed)."""


class MissingFieldError(KpiError):
    """A KPI or operation needs a canonical field the data does not have."""


class DefinitionError(KpiError):
    """A user definition (custom KPI, target, charter, period) is invalid; says what to fix."""


def _rebuild(cls: type[KpiError], code: str, params: dict[str, object]) -> KpiError:
    return cls(code, **params)
