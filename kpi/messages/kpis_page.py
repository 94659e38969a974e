"""Messages of the KPIs page: choosing and ordering KPIs, parameters, custom KPIs."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "kpis_page.title": {"en": "KPIs", "pt": "KPIs"},
    "kpis_page.intro": {
        "en": "Choose the KPIs your team follows, put them in order, set how they are computed "
        "and define your own. Save to keep the choice in the KPI charter.",
        "pt": "Escolha os KPIs que a equipe acompanha, coloque-os em ordem, defina como são "
        "calculados e crie os seus. Salve para guardar a escolha no contrato de KPIs.",
    },
    "kpis_page.no_data": {
        "en": "No data loaded yet: load your contacts (or the sample) to see which KPIs your "
        "data supports.",
        "pt": "Nenhum dado carregado ainda: carregue seus contatos (ou o exemplo) para ver quais "
        "KPIs os seus dados permitem.",
    },
    "kpis_page.tab.catalog": {"en": "Catalog", "pt": "Catálogo"},
    "kpis_page.tab.order": {"en": "Order", "pt": "Ordem"},
    "kpis_page.tab.parameters": {"en": "Parameters", "pt": "Parâmetros"},
    "kpis_page.tab.custom": {"en": "Custom KPIs", "pt": "KPIs personalizados"},
    "kpis_page.available": {"en": "In your data", "pt": "Nos seus dados"},
    "kpis_page.unavailable": {"en": "Not in your data", "pt": "Fora dos seus dados"},
    "kpis_page.custom_badge": {"en": "Custom", "pt": "Personalizado"},
    "kpis_page.reason": {"en": "Unavailable: {reason}.", "pt": "Indisponível: {reason}."},
    "kpis_page.why": {"en": "Why it matters: {why}", "pt": "Por que importa: {why}"},
    "kpis_page.default_choice": {
        "en": "No KPIs chosen yet: the usual ones your data supports are ticked. Save to make "
        "the choice yours.",
        "pt": "Nenhum KPI escolhido ainda: os habituais que seus dados permitem estão marcados. "
        "Salve para tornar a escolha sua.",
    },
    "kpis_page.order.intro": {
        "en": "The chosen KPIs appear in this order on every page.",
        "pt": "Os KPIs escolhidos aparecem nesta ordem em todas as páginas.",
    },
    "kpis_page.order.empty": {
        "en": "No KPI chosen: tick some in the catalog.",
        "pt": "Nenhum KPI escolhido: marque alguns no catálogo.",
    },
    "kpis_page.order.up": {"en": "Move up", "pt": "Subir"},
    "kpis_page.order.down": {"en": "Move down", "pt": "Descer"},
    "kpis_page.save": {"en": "Save KPIs and parameters", "pt": "Salvar KPIs e parâmetros"},
    "kpis_page.unsaved": {
        "en": "You have unsaved changes.",
        "pt": "Há alterações não salvas.",
    },
    "kpis_page.saved": {
        "en": "Saved: {count} KPIs in the charter (revision {revision}).",
        "pt": "Salvo: {count} KPIs no contrato (revisão {revision}).",
    },
    "kpis_page.param.threshold": {
        "en": "Service-level threshold (seconds)",
        "pt": "Limite do nível de serviço (segundos)",
    },
    "kpis_page.param.fcr_window": {
        "en": "First-contact-resolution window (days)",
        "pt": "Janela da resolução no primeiro contato (dias)",
    },
    "kpis_page.param.csat_low": {"en": "Lowest CSAT score", "pt": "Menor nota de CSAT"},
    "kpis_page.param.csat_high": {"en": "Highest CSAT score", "pt": "Maior nota de CSAT"},
    "kpis_page.param.statistics": {
        "en": "Statistic of each duration KPI",
        "pt": "Estatística de cada KPI de duração",
    },
    "kpis_page.param.statistics_help": {
        "en": "Times are skewed: a median or 90th percentile is often closer to what customers "
        "feel than a mean.",
        "pt": "Tempos são assimétricos: a mediana ou o percentil 90 costuma estar mais perto do "
        "que o cliente sente do que a média.",
    },
    "kpis_page.statistic.mean": {"en": "Mean", "pt": "Média"},
    "kpis_page.statistic.median": {"en": "Median", "pt": "Mediana"},
    "kpis_page.statistic.p90": {"en": "90th percentile", "pt": "Percentil 90"},
    "kpis_page.param.business_hours": {"en": "Business hours", "pt": "Horário comercial"},
    "kpis_page.param.business_kpis": {
        "en": "KPIs that count time only while you are open",
        "pt": "KPIs que contam o tempo só com o atendimento aberto",
    },
    "kpis_page.param.business_none": {
        "en": "None: every KPI counts clock time",
        "pt": "Nenhum: todos os KPIs contam o tempo corrido",
    },
    "kpis_page.param.calendar": {
        "en": "Opening hours per weekday (HH:MM)",
        "pt": "Horário de funcionamento por dia da semana (HH:MM)",
    },
    "kpis_page.param.timezone": {
        "en": "Time zone of the calendar",
        "pt": "Fuso horário do calendário",
    },
    "kpis_page.param.timezone_none": {
        "en": "Same as the data",
        "pt": "O mesmo dos dados",
    },
    "kpis_page.calendar.weekday": {"en": "Day", "pt": "Dia"},
    "kpis_page.calendar.open": {"en": "Open", "pt": "Aberto"},
    "kpis_page.calendar.opens": {"en": "Opens", "pt": "Abre"},
    "kpis_page.calendar.closes": {"en": "Closes", "pt": "Fecha"},
    "kpis_page.weekday.mon": {"en": "Monday", "pt": "Segunda-feira"},
    "kpis_page.weekday.tue": {"en": "Tuesday", "pt": "Terça-feira"},
    "kpis_page.weekday.wed": {"en": "Wednesday", "pt": "Quarta-feira"},
    "kpis_page.weekday.thu": {"en": "Thursday", "pt": "Quinta-feira"},
    "kpis_page.weekday.fri": {"en": "Friday", "pt": "Sexta-feira"},
    "kpis_page.weekday.sat": {"en": "Saturday", "pt": "Sábado"},
    "kpis_page.weekday.sun": {"en": "Sunday", "pt": "Domingo"},
    "kpis_page.custom.intro": {
        "en": "Build a KPI from your columns: a rate (rows matching some conditions among rows "
        "matching others), an average, a median, a percentile or a count.",
        "pt": "Monte um KPI a partir das suas colunas: uma taxa (linhas que atendem a certas "
        "condições entre as que atendem a outras), uma média, uma mediana, um percentil ou uma "
        "contagem.",
    },
    "kpis_page.custom.defined": {"en": "Your custom KPIs", "pt": "Seus KPIs personalizados"},
    "kpis_page.custom.none": {
        "en": "No custom KPI yet.",
        "pt": "Nenhum KPI personalizado ainda.",
    },
    "kpis_page.custom.new": {"en": "New custom KPI", "pt": "Novo KPI personalizado"},
    "kpis_page.custom.name": {"en": "Name", "pt": "Nome"},
    "kpis_page.custom.form": {"en": "Kind", "pt": "Tipo"},
    "kpis_page.custom.form.rate": {"en": "Rate", "pt": "Taxa"},
    "kpis_page.custom.form.mean": {"en": "Average", "pt": "Média"},
    "kpis_page.custom.form.median": {"en": "Median", "pt": "Mediana"},
    "kpis_page.custom.form.percentile": {"en": "Percentile", "pt": "Percentil"},
    "kpis_page.custom.form.count": {"en": "Count", "pt": "Contagem"},
    "kpis_page.custom.column": {"en": "Column", "pt": "Coluna"},
    "kpis_page.custom.column_label": {"en": "{column} ({family})", "pt": "{column} ({family})"},
    "kpis_page.family.number": {"en": "number", "pt": "número"},
    "kpis_page.family.bool": {"en": "yes/no", "pt": "sim/não"},
    "kpis_page.family.datetime": {"en": "date", "pt": "data"},
    "kpis_page.family.text": {"en": "text", "pt": "texto"},
    "kpis_page.custom.no_numeric": {
        "en": "Your data has no numeric column to summarise.",
        "pt": "Seus dados não têm coluna numérica para resumir.",
    },
    "kpis_page.custom.level": {"en": "Percentile (1–99)", "pt": "Percentil (1–99)"},
    "kpis_page.custom.where": {
        "en": "Rows counted (all conditions must hold; leave empty for every row)",
        "pt": "Linhas consideradas (todas as condições valem; vazio para todas as linhas)",
    },
    "kpis_page.custom.numerator": {
        "en": "Rows that count as a success (the rate's numerator)",
        "pt": "Linhas que contam como sucesso (o numerador da taxa)",
    },
    "kpis_page.custom.conditions_help": {
        "en": "Operators: = != < <= > >= in, not in (values separated by ;), is empty, is not "
        "empty. Yes/no columns take yes or no.",
        "pt": "Operadores: = != < <= > >= in, not in (valores separados por ;), is empty, is not "
        "empty. Colunas sim/não aceitam sim ou não.",
    },
    "kpis_page.condition.column": {"en": "Column", "pt": "Coluna"},
    "kpis_page.condition.operator": {"en": "Operator", "pt": "Operador"},
    "kpis_page.condition.value": {"en": "Value", "pt": "Valor"},
    "kpis_page.custom.unit": {"en": "Unit", "pt": "Unidade"},
    "kpis_page.unit.percent": {"en": "percent", "pt": "percentual"},
    "kpis_page.unit.seconds": {"en": "seconds (duration)", "pt": "segundos (duração)"},
    "kpis_page.unit.count": {"en": "count", "pt": "contagem"},
    "kpis_page.unit.score": {"en": "score", "pt": "nota"},
    "kpis_page.unit.currency": {"en": "currency", "pt": "moeda"},
    "kpis_page.unit.hours": {"en": "hours", "pt": "horas"},
    "kpis_page.unit.ratio": {"en": "ratio", "pt": "razão"},
    "kpis_page.unit.nps": {"en": "NPS points", "pt": "pontos de NPS"},
    "kpis_page.custom.direction": {"en": "Better when", "pt": "Melhor quando"},
    "kpis_page.direction.higher": {"en": "higher", "pt": "maior"},
    "kpis_page.direction.lower": {"en": "lower", "pt": "menor"},
    "kpis_page.direction.neutral": {
        "en": "neither (just follow it)",
        "pt": "nenhum (só acompanhar)",
    },
    "kpis_page.direction.band": {"en": "inside a band", "pt": "dentro de uma faixa"},
    "kpis_page.custom.category": {"en": "Category", "pt": "Categoria"},
    "kpis_page.custom.description": {
        "en": "Description (why it matters)",
        "pt": "Descrição (por que importa)",
    },
    "kpis_page.custom.preview": {"en": "Preview on your data", "pt": "Prévia nos seus dados"},
    "kpis_page.custom.overall": {"en": "All data", "pt": "Todos os dados"},
    "kpis_page.custom.last_week": {
        "en": "Week of {start}",
        "pt": "Semana de {start}",
    },
    "kpis_page.custom.n": {"en": "n = {n}", "pt": "n = {n}"},
    "kpis_page.custom.need_numerator": {
        "en": "Add at least one condition for the rows that count as a success to see the rate.",
        "pt": "Adicione ao menos uma condição para as linhas que contam como sucesso para ver a "
        "taxa.",
    },
    "kpis_page.custom.add": {"en": "Add custom KPI", "pt": "Adicionar KPI personalizado"},
    "kpis_page.custom.added": {
        "en": "“{name}” added to the charter and chosen.",
        "pt": "“{name}” adicionado ao contrato e escolhido.",
    },
    "kpis_page.custom.delete": {"en": "Delete", "pt": "Excluir"},
    "kpis_page.custom.deleted": {
        "en": "“{name}” deleted from the charter.",
        "pt": "“{name}” excluído do contrato.",
    },
    "kpis_page.custom.missing": {
        "en": "needs the column(s) {columns}",
        "pt": "precisa da(s) coluna(s) {columns}",
    },
    "kpis_page.custom.formula.rate": {
        "en": "Share of rows where {numerator}",
        "pt": "Percentual de linhas em que {numerator}",
    },
    "kpis_page.custom.formula.mean": {"en": "Average of {column}", "pt": "Média de {column}"},
    "kpis_page.custom.formula.median": {"en": "Median of {column}", "pt": "Mediana de {column}"},
    "kpis_page.custom.formula.percentile": {
        "en": "{level}th percentile of {column}",
        "pt": "Percentil {level} de {column}",
    },
    "kpis_page.custom.formula.count": {"en": "Number of rows", "pt": "Número de linhas"},
    "kpis_page.custom.formula.where": {
        "en": "among rows where {conditions}.",
        "pt": "entre as linhas em que {conditions}.",
    },
    "kpis_page.custom.formula.and": {"en": "and", "pt": "e"},
    "kpis_page.error.number": {
        "en": "“{value}” in a condition on {column} is not a number.",
        "pt": "“{value}” numa condição sobre {column} não é um número.",
    },
    "kpis_page.error.boolean": {
        "en": "“{value}” in a condition on {column} is not yes or no.",
        "pt": "“{value}” numa condição sobre {column} não é sim ou não.",
    },
    "kpis_page.error.date": {
        "en": "“{value}” in a condition on {column} is not a date (write it as 2026-03-31).",
        "pt": "“{value}” numa condição sobre {column} não é uma data (escreva como 2026-03-31).",
    },
    "kpis_page.error.condition_column": {
        "en": "A condition names the column “{column}”, which is not in your data; pick one from "
        "the list.",
        "pt": "Uma condição usa a coluna “{column}”, que não está nos seus dados; escolha uma da "
        "lista.",
    },
    "kpis_page.error.condition_operator": {
        "en": "The condition on {column} has no operator; choose one.",
        "pt": "A condição sobre {column} não tem operador; escolha um.",
    },
    "kpis_page.error.condition_value": {
        "en": "The condition on {column} needs a value.",
        "pt": "A condição sobre {column} precisa de um valor.",
    },
}
