"""Messages of the report (document, HTML export, ``kpi report``, Report page)."""

MESSAGES = {
    # -- the document
    "report.title": {"en": "KPI report", "pt": "Relatório de KPIs"},
    "report.periods": {
        "en": "Current period {c0} – {c1}, compared with {b0} – {b1}",
        "pt": "Período atual de {c0} a {c1}, comparado com {b0} a {b1}",
    },
    "report.summary": {"en": "Summary", "pt": "Resumo"},
    "report.summary_empty": {
        "en": "No summary written yet.",
        "pt": "Nenhum resumo escrito ainda.",
    },
    "report.custom_no_description": {
        "en": "Custom KPI defined by the team (no description given).",
        "pt": "KPI personalizado definido pela equipe (sem descrição).",
    },
    "report.value.target": {
        "en": "Latest complete week ({period}): {value} against a target of {target} — {status}.",
        "pt": "Última semana completa ({period}): {value} contra uma meta de {target} — "
              "{status}.",
    },
    "report.value.no_target": {
        "en": "Latest complete week ({period}): {value} (no target set).",
        "pt": "Última semana completa ({period}): {value} (sem meta definida).",
    },
    "report.value.neutral": {
        "en": "Latest complete week ({period}): {value}.",
        "pt": "Última semana completa ({period}): {value}.",
    },
    "report.value.significantly_off": {
        "en": "It is significantly worse than the target: not just a bad week.",
        "pt": "Está significativamente pior que a meta: não é só uma semana ruim.",
    },
    "report.value.none": {
        "en": "No value for the latest complete week. {reason}",
        "pt": "Sem valor para a última semana completa. {reason}",
    },
    "report.chart_title": {"en": "{kpi} over time", "pt": "{kpi} ao longo do tempo"},
    "report.segment_changes": {
        "en": "Significant changes by channel and team",
        "pt": "Mudanças significativas por canal e equipe",
    },
    "report.segment_label": {
        "en": "{kpi} ({dimension} {segment})",
        "pt": "{kpi} ({dimension} {segment})",
    },
    "report.dimension.channel": {"en": "channel", "pt": "canal"},
    "report.dimension.team": {"en": "team", "pt": "equipe"},
    "report.dimension.agent": {"en": "agent", "pt": "atendente"},
    "report.dimension.topic": {"en": "topic", "pt": "assunto"},
    "report.stand_out": {
        "en": "Channels and teams that stand out in the current period",
        "pt": "Canais e equipes que se destacam no período atual",
    },
    "report.stand_out.none": {
        "en": "No channel or team differs significantly from the rest in the current period.",
        "pt": "Nenhum canal ou equipe difere significativamente dos demais no período atual.",
    },
    "report.quality_for_kpi": {
        "en": "Data-quality notes on the fields this KPI uses",
        "pt": "Observações de qualidade dos dados nos campos que este KPI usa",
    },
    "report.quality": {"en": "Data quality", "pt": "Qualidade dos dados"},
    "report.quality_notes": {
        "en": "Notes from validation",
        "pt": "Observações da validação",
    },
    "report.quality_none": {
        "en": "No validation notes.",
        "pt": "Nenhuma observação da validação.",
    },
    "report.unavailable": {
        "en": "KPIs of the charter that this data cannot compute",
        "pt": "KPIs do contrato que estes dados não permitem calcular",
    },
    "report.unavailable_item": {"en": "{kpi}: {reason}", "pt": "{kpi}: {reason}"},
    "report.error.no_dates": {
        "en": "The data has no usable dates, so there is no period to report on.",
        "pt": "Os dados não têm datas utilizáveis, então não há período para relatar.",
    },
    # -- the KPI table
    "report.table.kpi": {"en": "KPI", "pt": "KPI"},
    "report.table.baseline": {"en": "Baseline", "pt": "Período base"},
    "report.table.current": {"en": "Current", "pt": "Atual"},
    "report.table.change": {"en": "Change", "pt": "Variação"},
    "report.table.latest": {"en": "Latest week", "pt": "Última semana"},
    "report.table.target": {"en": "Target", "pt": "Meta"},
    "report.table.status": {"en": "Status", "pt": "Situação"},
    # -- the HTML file
    "report.html.generated": {
        "en": "Generated on {date} by the KPI workbench.",
        "pt": "Gerado em {date} pela bancada de KPIs.",
    },
    "report.html.contents": {"en": "Contents", "pt": "Sumário"},
    "report.html.kpi_table": {"en": "KPIs at a glance", "pt": "KPIs em resumo"},
    "report.html.download_svg": {"en": "Download SVG", "pt": "Baixar SVG"},
    "report.html.download_png": {"en": "Download PNG", "pt": "Baixar PNG"},
    "report.html.static_chart": {
        "en": "Static image of the chart",
        "pt": "Imagem estática do gráfico",
    },
    "report.html.no_script": {
        "en": "JavaScript is off: the charts below are static images.",
        "pt": "O JavaScript está desativado: os gráficos abaixo são imagens estáticas.",
    },
    # -- the command line
    "report.cli.written": {
        "en": "Report written to {path} ({size} KB, {charts} charts).",
        "pt": "Relatório gravado em {path} ({size} KB, {charts} gráficos).",
    },
    "report.cli.periods_pair": {
        "en": "Give both --baseline and --current, or neither.",
        "pt": "Informe --baseline e --current juntos, ou nenhum dos dois.",
    },
    # -- the page
    "report_page.title": {"en": "Report", "pt": "Relatório"},
    "report_page.intro": {
        "en": "A report you can send around after the meeting: every chosen KPI with its "
              "definition, value against target, trend, significant changes and data notes.",
        "pt": "Um relatório para enviar depois da reunião: cada KPI escolhido com sua "
              "definição, valor contra a meta, tendência, mudanças significativas e "
              "observações sobre os dados.",
    },
    "report_page.no_data": {
        "en": "Load data first: the report is built from your data and your KPI charter.",
        "pt": "Carregue os dados primeiro: o relatório é montado com seus dados e seu "
              "contrato de KPIs.",
    },
    "report_page.no_kpis": {
        "en": "None of the chosen KPIs can be computed from this data.",
        "pt": "Nenhum dos KPIs escolhidos pode ser calculado com estes dados.",
    },
    "report_page.summary": {"en": "Summary (saved with the charter)",
                            "pt": "Resumo (salvo com o contrato)"},
    "report_page.summary_help": {
        "en": "What the team concluded; it opens the report and is kept in the charter's notes.",
        "pt": "O que a equipe concluiu; abre o relatório e fica guardado nas notas do contrato.",
    },
    "report_page.summary_saved": {"en": "Summary saved.", "pt": "Resumo salvo."},
    "report_page.baseline": {"en": "Baseline period", "pt": "Período base"},
    "report_page.current": {"en": "Current period", "pt": "Período atual"},
    "report_page.pick_end": {
        "en": "Pick the end date of both periods.",
        "pt": "Escolha a data final dos dois períodos.",
    },
    "report_page.building": {"en": "Building the report…", "pt": "Montando o relatório…"},
    "report_page.exports": {"en": "Export", "pt": "Exportar"},
    "report_page.download_html": {"en": "Report (HTML)", "pt": "Relatório (HTML)"},
    "report_page.download_charter": {"en": "Charter (JSON)", "pt": "Contrato (JSON)"},
    "report_page.download_csv": {"en": "KPI table (CSV)", "pt": "Tabela de KPIs (CSV)"},
    "report_page.html_help": {
        "en": "One file that opens offline in any browser, with interactive charts.",
        "pt": "Um único arquivo que abre sem internet em qualquer navegador, com gráficos "
              "interativos.",
    },
}
