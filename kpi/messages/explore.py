"""Messages of the Trends page and :mod:`kpi.explore`."""

MESSAGES: dict[str, dict[str, str]] = {
    "explore.title": {"en": "Trends", "pt": "Tendências"},
    "explore.no_data": {
        "en": "No data loaded yet. Load your export on the Data page, or try the sample data.",
        "pt": "Ainda não há dados. Carregue sua exportação na página Dados ou experimente os "
              "dados de exemplo.",
    },
    "explore.go_changes": {
        "en": "Compare these periods on the Changes page",
        "pt": "Comparar estes períodos na página Mudanças",
    },
    "explore.no_kpis": {
        "en": "None of the chosen KPIs can be computed from this data. Choose others on the "
              "KPIs page.",
        "pt": "Nenhum dos KPIs escolhidos pode ser calculado com estes dados. Escolha outros "
              "na página KPIs.",
    },
    "explore.unavailable": {
        "en": "Some chosen KPIs cannot be computed from this data:",
        "pt": "Alguns KPIs escolhidos não podem ser calculados com estes dados:",
    },
    "explore.tab.trends": {"en": "Over time", "pt": "Ao longo do tempo"},
    "explore.tab.heatmap": {"en": "Heatmap", "pt": "Mapa de calor"},
    "explore.kpis": {"en": "KPIs", "pt": "KPIs"},
    "explore.pick_kpi": {
        "en": "Pick at least one KPI to draw.",
        "pt": "Escolha pelo menos um KPI para desenhar.",
    },
    "explore.freq": {"en": "Periods of", "pt": "Períodos de"},
    "explore.freq.day": {"en": "Day", "pt": "Dia"},
    "explore.freq.week": {"en": "Week", "pt": "Semana"},
    "explore.freq.month": {"en": "Month", "pt": "Mês"},
    "explore.mode": {"en": "Chart", "pt": "Gráfico"},
    "explore.mode.normal": {"en": "Trend", "pt": "Tendência"},
    "explore.mode.control": {"en": "Control chart", "pt": "Gráfico de controle"},
    "explore.breakdown": {"en": "Break down by", "pt": "Detalhar por"},
    "explore.dim.none": {"en": "Nothing (all contacts)", "pt": "Nada (todos os contatos)"},
    "explore.dim.channel": {"en": "Channel", "pt": "Canal"},
    "explore.dim.team": {"en": "Team", "pt": "Equipe"},
    "explore.dim.agent": {"en": "Agent", "pt": "Atendente"},
    "explore.dim.topic": {"en": "Topic", "pt": "Assunto"},
    "explore.small_multiples": {
        "en": "One small chart per value",
        "pt": "Um gráfico pequeno por valor",
    },
    "explore.select_help": {
        "en": "Drag across a chart to choose the period to compare on the Changes page; click a "
              "point to see the contacts behind it (double-click clears).",
        "pt": "Arraste sobre um gráfico para escolher o período a comparar na página Mudanças; "
              "clique em um ponto para ver os contatos por trás dele (clique duplo limpa).",
    },
    "explore.control_help": {
        "en": "Control limits show the usual variation; points outside them or in unusual runs "
              "are marked (hover for the rule).",
        "pt": "Os limites de controle mostram a variação habitual; pontos fora deles ou em "
              "sequências incomuns são destacados (passe o mouse para ver a regra).",
    },
    "explore.control_total": {
        "en": "Control charts are drawn for all contacts together, without the breakdown.",
        "pt": "Os gráficos de controle usam todos os contatos juntos, sem o detalhamento.",
    },
    "explore.control_code": {
        "en": "No control chart for this KPI: {reason}",
        "pt": "Sem gráfico de controle para este KPI: {reason}",
    },
    "explore.control_kind.laney_p": {"en": "Laney p′ chart", "pt": "Gráfico p′ de Laney"},
    "explore.control_kind.xmr": {
        "en": "Individuals (XmR) chart",
        "pt": "Gráfico de valores individuais (XmR)",
    },
    "explore.control_summary": {
        "en": "{kind}, limits from {start} to {end}; unusual points: {flagged}.",
        "pt": "{kind}, limites de {start} a {end}; pontos fora do padrão: {flagged}.",
    },
    "explore.rule.1": {
        "en": "1 (a point beyond the control limits)",
        "pt": "1 (um ponto além dos limites de controle)",
    },
    "explore.rule.2": {
        "en": "2 (2 of 3 points far out on one side)",
        "pt": "2 (2 de 3 pontos muito afastados do mesmo lado)",
    },
    "explore.rule.3": {
        "en": "3 (4 of 5 points out on one side)",
        "pt": "3 (4 de 5 pontos afastados do mesmo lado)",
    },
    "explore.rule.4": {
        "en": "4 (8 points in a row on one side of the centre)",
        "pt": "4 (8 pontos seguidos do mesmo lado da linha central)",
    },
    "explore.brushed": {
        "en": "Changes page periods set: {start} – {end} against {base_start} – {base_end}.",
        "pt": "Períodos da página Mudanças definidos: {start} – {end} contra "
              "{base_start} – {base_end}.",
    },
    "explore.behind": {
        "en": "**{count} contacts** in the {freq} starting {start}{where}.",
        "pt": "**{count} contatos** no período ({freq}) iniciado em {start}{where}.",
    },
    "explore.in_segment": {"en": ", {value}", "pt": ", {value}"},
    "explore.first_rows": {
        "en": "The table shows the first {count}; the download has them all.",
        "pt": "A tabela mostra os primeiros {count}; o download traz todos.",
    },
    "explore.download": {"en": "Download as CSV", "pt": "Baixar como CSV"},
    "explore.heatmap.kpi": {"en": "KPI", "pt": "KPI"},
    "explore.heatmap.rows": {"en": "Rows", "pt": "Linhas"},
    "explore.heatmap.columns": {"en": "Columns", "pt": "Colunas"},
    "explore.heatmap.top": {"en": "Most frequent values shown", "pt": "Valores mais frequentes"},
    "explore.heatmap.caption": {
        "en": "Whole data period; the {top} values with most contacts on each side.",
        "pt": "Todo o período dos dados; os {top} valores com mais contatos em cada eixo.",
    },
    "explore.heatmap.percentiles": {
        "en": "Percentile KPIs are left out of the heatmap: they cannot be pooled across periods.",
        "pt": "KPIs de percentil ficam fora do mapa de calor: não podem ser agregados entre "
              "períodos.",
    },
    "explore.heatmap.no_dimensions": {
        "en": "A heatmap needs two of channel, team, agent and topic in the data.",
        "pt": "O mapa de calor precisa de dois entre canal, equipe, atendente e assunto nos "
              "dados.",
    },
    "explore.heatmap.no_kpi": {
        "en": "None of the chosen KPIs can be drawn as a heatmap.",
        "pt": "Nenhum dos KPIs escolhidos pode ser desenhado como mapa de calor.",
    },
}
