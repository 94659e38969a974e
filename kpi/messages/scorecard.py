"""Messages of the scorecard library (kpi/scorecard.py): periods, reasons, detectable change,
target scopes and the targets table's problems."""

MESSAGES: dict[str, dict[str, str]] = {
    # periods
    "scorecard.period.week": {
        "en": "the week of {start} to {end}",
        "pt": "a semana de {start} a {end}",
    },
    "scorecard.period.month": {"en": "{month}", "pt": "{month}"},
    "scorecard.period.day": {"en": "{start}", "pt": "{start}"},
    "scorecard.using.week": {
        "en": "Values for the last complete week, {period}, compared with the week before.",
        "pt": "Valores da última semana completa, {period}, comparados com a semana anterior.",
    },
    "scorecard.using.month": {
        "en": "Values for the last complete month, {period}, compared with the month before.",
        "pt": "Valores do último mês completo, {period}, comparados com o mês anterior.",
    },
    "scorecard.using.day": {
        "en": "Values for the last complete day, {period}, compared with the day before.",
        "pt": "Valores do último dia completo, {period}, comparados com o dia anterior.",
    },
    # reasons
    "scorecard.reason.no_complete_period": {
        "en": "The data does not cover a complete period yet (a week counts once the data "
              "reaches its Sunday).",
        "pt": "Os dados ainda não cobrem um período completo (uma semana conta quando os dados "
              "chegam ao domingo dela).",
    },
    "scorecard.reason.no_value": {
        "en": "No value in this period.",
        "pt": "Sem valor neste período.",
    },
    # detectable change
    "scorecard.detectable.week": {
        "en": "With ~{volume} {population} a week, changes under {change} can't be told "
              "from noise.",
        "pt": "Com ~{volume} {population} por semana, mudanças menores que {change} não se "
              "distinguem do ruído.",
    },
    "scorecard.detectable.month": {
        "en": "With ~{volume} {population} a month, changes under {change} can't be told "
              "from noise.",
        "pt": "Com ~{volume} {population} por mês, mudanças menores que {change} não se "
              "distinguem do ruído.",
    },
    "scorecard.detectable.day": {
        "en": "With ~{volume} {population} a day, changes under {change} can't be told "
              "from noise.",
        "pt": "Com ~{volume} {population} por dia, mudanças menores que {change} não se "
              "distinguem do ruído.",
    },
    "scorecard.detectable.kind_quantile": {
        "en": "No simple detectable-change estimate for a percentile; compare periods on the "
              "Changes page.",
        "pt": "Não há estimativa simples de mudança detectável para um percentil; compare "
              "períodos na página Mudanças.",
    },
    "scorecard.detectable.kind_count": {
        "en": "Counts are compared as rates per day; see the Changes page.",
        "pt": "Contagens são comparadas como taxas por dia; veja a página Mudanças.",
    },
    "scorecard.detectable.kind_total": {
        "en": "Totals are compared day by day; see the Changes page.",
        "pt": "Totais são comparados dia a dia; veja a página Mudanças.",
    },
    "scorecard.detectable.no_complete_period": {
        "en": "Not enough data yet to estimate which changes can be detected.",
        "pt": "Ainda não há dados suficientes para estimar quais mudanças são detectáveis.",
    },
    "scorecard.detectable.no_data": {
        "en": "No {population} in the recent periods, so no change can be detected.",
        "pt": "Não há {population} nos períodos recentes, então nenhuma mudança é detectável.",
    },
    "scorecard.detectable.no_variation": {
        "en": "The values do not vary, so the detectable change cannot be estimated.",
        "pt": "Os valores não variam, então não dá para estimar a mudança detectável.",
    },
    "scorecard.population.contacts": {"en": "contacts", "pt": "contatos"},
    "scorecard.population.answered": {"en": "answered contacts", "pt": "contatos atendidos"},
    "scorecard.population.handled": {"en": "handled contacts", "pt": "contatos tratados"},
    "scorecard.population.resolved": {"en": "resolved contacts", "pt": "contatos resolvidos"},
    "scorecard.population.ratings": {"en": "ratings", "pt": "avaliações"},
    "scorecard.population.responses": {"en": "survey responses", "pt": "respostas à pesquisa"},
    "scorecard.population.agents": {"en": "agents", "pt": "atendentes"},
    "scorecard.population.agent_days": {"en": "agent-days", "pt": "dias-atendente"},
    "scorecard.population.rows": {"en": "matching contacts", "pt": "contatos que atendem"},
    # target scopes
    "scorecard.scope.all": {"en": "All channels and teams", "pt": "Todos os canais e equipes"},
    "scorecard.scope.channel": {"en": "Channel: {value}", "pt": "Canal: {value}"},
    "scorecard.scope.team": {"en": "Team: {value}", "pt": "Equipe: {value}"},
    # the targets table
    "scorecard.table.row_problem": {
        "en": "Row {row}: {problem}",
        "pt": "Linha {row}: {problem}",
    },
    "scorecard.table.no_kpi": {
        "en": "choose the KPI this target is for.",
        "pt": "escolha o KPI a que esta meta se refere.",
    },
    "scorecard.table.bad_scope": {
        "en": "the scope \"{scope}\" of the target for {kpi} is not a channel or team of the "
              "data.",
        "pt": "o escopo \"{scope}\" da meta de {kpi} não é um canal nem uma equipe dos dados.",
    },
    "scorecard.table.half_band": {
        "en": "the band for {kpi} needs both a lower and an upper limit.",
        "pt": "a faixa de {kpi} precisa de um limite inferior e de um superior.",
    },
    "scorecard.table.duplicate": {
        "en": "{kpi} already has a target for {scope} from the same date (row {other}).",
        "pt": "{kpi} já tem uma meta para {scope} a partir da mesma data (linha {other}).",
    },
}

# the Overview page (app.py)
MESSAGES.update({
    "scorecard.ui.heading": {"en": "Scorecard", "pt": "Painel de indicadores"},
    "scorecard.ui.freq": {"en": "Period", "pt": "Período"},
    "scorecard.ui.freq.week": {"en": "Week", "pt": "Semana"},
    "scorecard.ui.freq.month": {"en": "Month", "pt": "Mês"},
    "scorecard.ui.default_kpis": {
        "en": "Showing the default KPIs your data supports; choose your own on the KPIs page.",
        "pt": "Exibindo os KPIs padrão que seus dados permitem; escolha os seus na página KPIs.",
    },
    "scorecard.ui.no_kpis": {
        "en": "None of the chosen KPIs can be computed from this data.",
        "pt": "Nenhum dos KPIs escolhidos pode ser calculado com estes dados.",
    },
    "scorecard.ui.target": {"en": "Target: {target}", "pt": "Meta: {target}"},
    "scorecard.ui.no_target": {
        "en": "No target yet: set one on the Targets page.",
        "pt": "Ainda sem meta: defina uma na página Metas.",
    },
    "scorecard.ui.no_target_neutral": {
        "en": "Neither higher nor lower is better: no target.",
        "pt": "Nem mais alto nem mais baixo é melhor: sem meta.",
    },
    "scorecard.ui.significantly_off": {
        "en": "Significantly off target",
        "pt": "Significativamente fora da meta",
    },
    "scorecard.ui.change.better": {"en": "Improved", "pt": "Melhorou"},
    "scorecard.ui.change.worse": {"en": "Worsened", "pt": "Piorou"},
    "scorecard.ui.change.changed": {"en": "Changed", "pt": "Mudou"},
    "scorecard.ui.change.none": {"en": "No clear change", "pt": "Sem mudança clara"},
    "scorecard.ui.change.unknown": {"en": "Change not testable", "pt": "Mudança não testável"},
    "scorecard.ui.unavailable": {
        "en": "{kpi} is not shown: {reason}",
        "pt": "{kpi} não é exibido: {reason}",
    },
    "scorecard.ui.set_targets": {"en": "Set targets", "pt": "Definir metas"},
})
