"""Messages of the Changes page and :mod:`kpi.changes`."""

MESSAGES: dict[str, dict[str, str]] = {
    "changes_page.title": {"en": "Changes", "pt": "Mudanças"},
    "changes_page.no_data": {
        "en": "No data loaded yet. Load your export on the Data page, or try the sample data.",
        "pt": "Ainda não há dados. Carregue sua exportação na página Dados ou experimente os "
              "dados de exemplo.",
    },
    "changes_page.unavailable": {
        "en": "Some chosen KPIs cannot be computed from this data:",
        "pt": "Alguns KPIs escolhidos não podem ser calculados com estes dados:",
    },
    "changes_page.no_kpis": {
        "en": "None of the chosen KPIs can be computed from this data. Choose others on the "
              "KPIs page.",
        "pt": "Nenhum dos KPIs escolhidos pode ser calculado com estes dados. Escolha outros "
              "na página KPIs.",
    },
    "changes_page.mode": {"en": "Compare", "pt": "Comparar"},
    "changes_page.mode.periods": {"en": "Two periods", "pt": "Dois períodos"},
    "changes_page.mode.change_date": {
        "en": "Before and after a date",
        "pt": "Antes e depois de uma data",
    },
    "changes_page.change_date": {
        "en": "Date of the change (first day after it)",
        "pt": "Data da mudança (primeiro dia depois dela)",
    },
    "changes_page.baseline": {"en": "Baseline period", "pt": "Período de referência"},
    "changes_page.current": {"en": "Current period", "pt": "Período atual"},
    "changes_page.pick_end": {
        "en": "Pick the last day of each period.",
        "pt": "Escolha o último dia de cada período.",
    },
    "changes_page.kpis": {"en": "KPIs", "pt": "KPIs"},
    "changes_page.pick_kpi": {
        "en": "Pick at least one KPI to compare.",
        "pt": "Escolha pelo menos um KPI para comparar.",
    },
    "changes_page.segment": {"en": "Per segment", "pt": "Por segmento"},
    "changes_page.segment_mode": {"en": "Segments", "pt": "Segmentos"},
    "changes_page.segment_mode.periods": {
        "en": "Each one: current vs baseline",
        "pt": "Cada um: atual vs referência",
    },
    "changes_page.segment_mode.rest": {
        "en": "Each one vs the rest",
        "pt": "Cada um vs os demais",
    },
    "changes_page.unit": {"en": "Unit of analysis", "pt": "Unidade de análise"},
    "changes_page.unit.auto": {"en": "Automatic", "pt": "Automática"},
    "changes_page.unit.day": {"en": "Days", "pt": "Dias"},
    "changes_page.unit.interaction": {"en": "Contacts", "pt": "Contatos"},
    "changes_page.periods": {
        "en": "Baseline {b0} – {b1}; current {c0} – {c1}.",
        "pt": "Referência {b0} – {b1}; atual {c0} – {c1}.",
    },
    "changes_page.rest_period": {
        "en": "Each segment against all the others, {start} – {end} (the current period).",
        "pt": "Cada segmento contra todos os demais, {start} – {end} (o período atual).",
    },
    "changes_page.computing": {"en": "Comparing…", "pt": "Comparando…"},
    "changes_page.nothing": {
        "en": "Nothing to compare in these periods.",
        "pt": "Nada a comparar nestes períodos.",
    },
    "changes_page.table": {"en": "Results", "pt": "Resultados"},
    "changes_page.col.kpi": {"en": "KPI", "pt": "KPI"},
    "changes_page.col.baseline": {"en": "Baseline", "pt": "Referência"},
    "changes_page.col.current": {"en": "Current", "pt": "Atual"},
    "changes_page.col.difference": {"en": "Difference", "pt": "Diferença"},
    "changes_page.col.ci": {"en": "95 % CI", "pt": "IC 95 %"},
    "changes_page.col.p": {"en": "Adjusted p", "pt": "p ajustado"},
    "changes_page.col.p_help": {
        "en": "Benjamini–Hochberg adjusted over every comparison in the table; below 0.05 is "
              "significant.",
        "pt": "Ajustado por Benjamini–Hochberg sobre todas as comparações da tabela; abaixo de "
              "0,05 é significativo.",
    },
    "changes_page.col.outcome": {"en": "Result", "pt": "Resultado"},
    "changes_page.col.unit": {"en": "Unit", "pt": "Unidade"},
    "changes_page.col.holds": {
        "en": "Same verdict at the other unit?",
        "pt": "Mesmo veredito na outra unidade?",
    },
    "changes_page.col.holds_help": {
        "en": "The comparison run again with the other unit of analysis (days or contacts).",
        "pt": "A comparação refeita com a outra unidade de análise (dias ou contatos).",
    },
    "changes_page.holds.yes": {"en": "Yes", "pt": "Sim"},
    "changes_page.holds.no": {"en": "No", "pt": "Não"},
    "changes_page.holds.none": {"en": "—", "pt": "—"},
    "changes_page.outcome.improved": {"en": "Improved", "pt": "Melhorou"},
    "changes_page.outcome.worsened": {"en": "Worsened", "pt": "Piorou"},
    "changes_page.outcome.changed": {"en": "Changed", "pt": "Mudou"},
    "changes_page.outcome.unclear": {"en": "Not significant", "pt": "Não significativo"},
    "changes_page.verdicts": {"en": "In words", "pt": "Em palavras"},
    "changes_page.forest": {"en": "Differences and their uncertainty",
                            "pt": "Diferenças e sua incerteza"},
    "changes_page.relative": {"en": "Relative (% of the baseline)",
                              "pt": "Relativa (% da referência)"},
    "changes_page.error.change_date": {
        "en": "The change date {date} leaves no days on one side: the data runs from {first} "
              "to {last}.",
        "pt": "A data da mudança {date} não deixa dias de um dos lados: os dados vão de "
              "{first} a {last}.",
    },
    "changes_page.error.reversed": {
        "en": "A period ends ({end}) before it starts ({start}).",
        "pt": "Um período termina ({end}) antes de começar ({start}).",
    },
}
