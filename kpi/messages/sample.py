"""Messages of the sample data generator (``kpi sample``)."""

MESSAGES: dict[str, dict[str, str]] = {
    "sample.rows_invalid": {
        "en": "The number of rows must be at least 1 (got {rows}).",
        "pt": "O número de linhas deve ser pelo menos 1 (recebido: {rows}).",
    },
    "sample.days_invalid": {
        "en": "The number of days must be at least 1 (got {days}).",
        "pt": "O número de dias deve ser pelo menos 1 (recebido: {days}).",
    },
    "sample.dialect_unknown": {
        "en": "Unknown export dialect “{dialect}”; choose one of: {choices}.",
        "pt": "Dialeto de exportação desconhecido “{dialect}”; escolha um destes: {choices}.",
    },
    "sample.format_unknown": {
        "en": "Cannot tell the file format of “{name}”; use one of these extensions: {choices}.",
        "pt": "Não é possível saber o formato do arquivo “{name}”; use uma destas extensões: "
        "{choices}.",
    },
    "sample.too_many_rows_for_excel": {
        "en": "{rows} rows do not fit in an Excel sheet (at most {limit}); write CSV or Parquet "
        "instead.",
        "pt": "{rows} linhas não cabem em uma planilha do Excel (no máximo {limit}); grave em CSV "
        "ou Parquet.",
    },
    "sample.start_invalid": {
        "en": "The start date “{value}” is not a date in the form YYYY-MM-DD.",
        "pt": "A data de início “{value}” não é uma data no formato AAAA-MM-DD.",
    },
    "sample.written": {
        "en": "Wrote {rows} contacts over {days} days to {paths}.",
        "pt": "{rows} contatos em {days} dias gravados em {paths}.",
    },
    "sample.story": {
        "en": "Story: chatbot launched {bot_launch}, new e-mail form {email_form}, outage on "
        "{outage}.",
        "pt": "História: chatbot lançado em {bot_launch}, novo formulário de e-mail em "
        "{email_form}, pane em {outage}.",
    },
}
