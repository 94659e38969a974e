"""Messages of the shared page frame (navigation, language, status, errors) and the Overview."""

MESSAGES: dict[str, dict[str, str]] = {
    "ui.choose_kpis": {"en": "Choose KPIs", "pt": "Escolher KPIs"},
    "ui.app_title": {"en": "KPI workbench", "pt": "Painel de KPIs"},
    "ui.nav.heading": {"en": "Pages", "pt": "Páginas"},
    "ui.nav.overview": {"en": "Overview", "pt": "Visão geral"},
    "ui.nav.data": {"en": "Data", "pt": "Dados"},
    "ui.nav.kpis": {"en": "KPIs", "pt": "KPIs"},
    "ui.nav.targets": {"en": "Targets", "pt": "Metas"},
    "ui.nav.trends": {"en": "Trends", "pt": "Tendências"},
    "ui.nav.changes": {"en": "Changes", "pt": "Mudanças"},
    "ui.nav.report": {"en": "Report", "pt": "Relatório"},
    "ui.lang.label": {"en": "Language", "pt": "Idioma"},
    "ui.status.heading": {"en": "Dataset", "pt": "Conjunto de dados"},
    "ui.status.none": {
        "en": "No data loaded yet: open the Data page.",
        "pt": "Nenhum dado carregado ainda: abra a página Dados.",
    },
    "ui.status.none_here": {"en": "No data loaded yet.", "pt": "Nenhum dado carregado ainda."},
    "ui.status.loaded": {
        "en": "{source}: {rows} contacts, {start} to {end}",
        "pt": "{source}: {rows} contatos, de {start} a {end}",
    },
    "ui.status.sample": {"en": "Sample data", "pt": "Dados de exemplo"},
    "ui.status.files": {"en": "{count} files", "pt": "{count} arquivos"},
    "ui.error.unexpected": {
        "en": "Something unexpected went wrong on this page. Reload the page; if it happens "
        "again, load the sample data to check the app itself works.",
        "pt": "Algo inesperado deu errado nesta página. Recarregue a página; se acontecer de "
        "novo, carregue os dados de exemplo para conferir se o próprio aplicativo funciona.",
    },
    "ui.error.default_data": {
        "en": "The default data file {path} could not be loaded: {reason}",
        "pt": "O arquivo de dados padrão {path} não pôde ser carregado: {reason}",
    },
    "ui.error.default_data_missing": {
        "en": "The default data file {path} does not exist; load data on the Data page.",
        "pt": "O arquivo de dados padrão {path} não existe; carregue dados na página Dados.",
    },
    # Overview (app.py)
    "ui.overview.title": {
        "en": "Customer-service KPI workbench",
        "pt": "Painel de KPIs de atendimento",
    },
    "ui.overview.intro": {
        "en": "Load the contacts your helpdesk, CRM or phone system exports, choose the KPIs "
        "that matter to your team, set targets, and see whether a change is real or noise.",
        "pt": "Carregue os atendimentos exportados do seu helpdesk, CRM ou sistema de telefonia, "
        "escolha os KPIs que importam para a sua equipe, defina metas e veja se uma mudança é "
        "real ou apenas ruído.",
    },
    "ui.overview.flow_heading": {"en": "How it works", "pt": "Como funciona"},
    "ui.overview.flow.data": {
        "en": "**Data** — upload your export; the app recognises the columns and says what it "
        "decided.",
        "pt": "**Dados** — envie a sua exportação; o aplicativo reconhece as colunas e explica o "
        "que decidiu.",
    },
    "ui.overview.flow.kpis": {
        "en": "**KPIs** — pick the indicators your business needs and agree their definitions.",
        "pt": "**KPIs** — escolha os indicadores de que o seu negócio precisa e combine as "
        "definições.",
    },
    "ui.overview.flow.targets": {
        "en": "**Targets** — set a target and a warning margin for each KPI.",
        "pt": "**Metas** — defina uma meta e uma margem de alerta para cada KPI.",
    },
    "ui.overview.flow.trends": {
        "en": "**Trends** — follow each KPI by day, week or month, by channel, team or agent.",
        "pt": "**Tendências** — acompanhe cada KPI por dia, semana ou mês, por canal, equipe "
        "ou atendente.",
    },
    "ui.overview.flow.changes": {
        "en": "**Changes** — compare two periods and see whether the difference is real or chance.",
        "pt": "**Mudanças** — compare dois períodos e veja se a diferença é real ou acaso.",
    },
    "ui.overview.flow.report": {
        "en": "**Report** — take away a written KPI charter and report.",
        "pt": "**Relatório** — leve um documento com os KPIs combinados e o relatório.",
    },
    "ui.overview.sample_button": {
        "en": "Try it with sample data",
        "pt": "Experimentar com dados de exemplo",
    },
    "ui.overview.own_data": {
        "en": "Load your own data on the Data page",
        "pt": "Carregue os seus próprios dados na página Dados",
    },
    "ui.overview.summary_heading": {"en": "Loaded data", "pt": "Dados carregados"},
    "ui.overview.rows": {"en": "Contacts", "pt": "Contatos"},
    "ui.overview.date_range": {"en": "Date range", "pt": "Período"},
    "ui.overview.range_value": {"en": "{start} to {end}", "pt": "{start} a {end}"},
    "ui.overview.channels": {"en": "Channels", "pt": "Canais"},
    "ui.overview.no_channels": {"en": "not in the data", "pt": "não há nos dados"},
    "ui.overview.validation": {"en": "Data check", "pt": "Verificação dos dados"},
    "ui.overview.review_data": {
        "en": "Review the data and its mapping",
        "pt": "Revisar os dados e o mapeamento",
    },
    "ui.validation.headline": {
        "en": "{kept} of {read} rows kept; {issues} points to review on the Data page.",
        "pt": "{kept} de {read} linhas mantidas; {issues} pontos para revisar na página Dados.",
    },
    "ui.validation.headline_clean": {
        "en": "{kept} of {read} rows kept; no problems found.",
        "pt": "{kept} de {read} linhas mantidas; nenhum problema encontrado.",
    },
}
