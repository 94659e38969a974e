"""Messages of the validation report and of business-hours calendars."""

MESSAGES: dict[str, dict[str, str]] = {
    "validation.summary": {
        "en": "{read} rows read, {kept} kept.",
        "pt": "{read} linhas lidas, {kept} mantidas.",
    },
    "validation.summary_dropped": {
        "en": "{read} rows read, {kept} kept; {dropped} set aside.",
        "pt": "{read} linhas lidas, {kept} mantidas; {dropped} deixadas de lado.",
    },
    "validation.dropped_reason": {
        "en": "{count} rows set aside ({reason}).",
        "pt": "{count} linhas deixadas de lado ({reason}).",
    },
    "validation.duplicate_id": {
        "en": "{count} rows repeat an interaction id seen earlier (e.g. {examples}); all are "
              "kept, check whether the export has duplicates.",
        "pt": "{count} linhas repetem um identificador de atendimento já visto (ex.: "
              "{examples}); todas foram mantidas, confira se a exportação tem duplicatas.",
    },
    "validation.negative_duration": {
        "en": "{count} negative values of {field} (e.g. {examples}) were treated as unknown.",
        "pt": "{count} valores negativos de {field} (ex.: {examples}) foram tratados como "
              "desconhecidos.",
    },
    "validation.csat_off_scale": {
        "en": "{count} CSAT scores outside the {low}–{high} scale (e.g. {examples}) were treated "
              "as unknown.",
        "pt": "{count} notas de CSAT fora da escala {low}–{high} (ex.: {examples}) foram "
              "tratadas como desconhecidas.",
    },
    "validation.nps_off_scale": {
        "en": "{count} NPS answers outside 0–10 (e.g. {examples}) were treated as unknown.",
        "pt": "{count} respostas de NPS fora de 0–10 (ex.: {examples}) foram tratadas como "
              "desconhecidas.",
    },
    "validation.created_at_implausible": {
        "en": "{count} rows were set aside because their creation date is before {earliest} or "
              "more than a year ahead (e.g. {examples}).",
        "pt": "{count} linhas foram deixadas de lado porque a data de criação é anterior a "
              "{earliest} ou mais de um ano à frente (ex.: {examples}).",
    },
    "validation.created_at_future": {
        "en": "{count} interactions were created after {now}, in the future (e.g. {examples}); "
              "they are kept — check the export's time zone.",
        "pt": "{count} atendimentos foram criados depois de {now}, no futuro (ex.: {examples}); "
              "foram mantidos — confira o fuso horário da exportação.",
    },
    "validation.date_implausible": {
        "en": "{count} values of {field} before {earliest} or more than a year ahead (e.g. "
              "{examples}) were treated as unknown.",
        "pt": "{count} valores de {field} anteriores a {earliest} ou mais de um ano à frente "
              "(ex.: {examples}) foram tratados como desconhecidos.",
    },
    "validation.answered_at_before_created": {
        "en": "{count} interactions were answered before they were created (e.g. {examples}); "
              "their answer time was treated as unknown.",
        "pt": "{count} atendimentos foram respondidos antes de serem criados (ex.: {examples}); "
              "o horário de resposta foi tratado como desconhecido.",
    },
    "validation.resolved_at_before_created": {
        "en": "{count} interactions were resolved before they were created (e.g. {examples}); "
              "their resolution time was treated as unknown.",
        "pt": "{count} atendimentos foram resolvidos antes de serem criados (ex.: {examples}); "
              "o horário de resolução foi tratado como desconhecido.",
    },
    "validation.formula_like": {
        "en": "{count} values of {field} start like a spreadsheet formula (e.g. {examples}); "
              "they are kept as plain text.",
        "pt": "{count} valores de {field} começam como uma fórmula de planilha (ex.: "
              "{examples}); foram mantidos como texto simples.",
    },
    "validation.markup": {
        "en": "{count} values of {field} contain HTML or script tags (e.g. {examples}); they "
              "are kept as plain text.",
        "pt": "{count} valores de {field} contêm marcação HTML ou script (ex.: {examples}); "
              "foram mantidos como texto simples.",
    },
    "validation.calendar_bad_time": {
        "en": "'{value}' is not a time of day: write opening hours as HH:MM, from 00:00 to "
              "24:00.",
        "pt": "'{value}' não é um horário: escreva o horário de funcionamento como HH:MM, de "
              "00:00 a 24:00.",
    },
    "validation.calendar_bad_weekday": {
        "en": "'{value}' is not a weekday: use 0–6 (Monday = 0) or mon, tue, … sun.",
        "pt": "'{value}' não é um dia da semana: use 0–6 (segunda = 0) ou mon, tue, … sun.",
    },
    "validation.calendar_bad_hours": {
        "en": "Opening hours must map each weekday to a list of [open, close] pairs.",
        "pt": "O horário de funcionamento deve associar cada dia da semana a uma lista de pares "
              "[abertura, fechamento].",
    },
    "validation.calendar_bad_interval": {
        "en": "The opening interval {start}–{end} closes before it opens; split a night shift "
              "into two days.",
        "pt": "O intervalo {start}–{end} fecha antes de abrir; divida um turno noturno em dois "
              "dias.",
    },
    "validation.calendar_overlap": {
        "en": "The opening intervals of {weekday} overlap.",
        "pt": "Os intervalos de funcionamento de {weekday} se sobrepõem.",
    },
    "validation.calendar_bad_holiday": {
        "en": "'{value}' is not a date: write holidays as YYYY-MM-DD.",
        "pt": "'{value}' não é uma data: escreva os feriados como AAAA-MM-DD.",
    },
    "validation.calendar_bad_timezone": {
        "en": "'{value}' is not a known time zone (e.g. America/Sao_Paulo).",
        "pt": "'{value}' não é um fuso horário conhecido (ex.: America/Sao_Paulo).",
    },
    "validation.calendar_unknown_key": {
        "en": "Unknown key '{key}' in the business-hours calendar (expected hours, holidays, "
              "timezone).",
        "pt": "Chave desconhecida '{key}' no calendário de horário comercial (esperado: hours, "
              "holidays, timezone).",
    },
}
