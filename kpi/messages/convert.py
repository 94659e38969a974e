"""Messages of ``kpi convert``: canonical Parquet partitioned by month."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "convert.error.no_rows": {
        "en": "No interactions with a usable creation time were found; nothing was written.",
        "pt": "Nenhuma interação com data de criação utilizável foi encontrada; nada foi "
        "gravado.",
    },
    "convert.cli.month": {
        "en": "{month}: {rows} rows",
        "pt": "{month}: {rows} linhas",
    },
    "convert.cli.done": {
        "en": "Wrote {rows} rows in {months} months to {out}.",
        "pt": "{rows} linhas gravadas em {months} meses em {out}.",
    },
}
