"""Messages of the KPI catalog: names, definitions, why each KPI matters, availability."""

from __future__ import annotations

# (id, name en, name pt, description en, description pt, why en, why pt, missing en, missing pt)
_KPIS: tuple[tuple[str, ...], ...] = (
    (
        "volume", "Contacts", "Contatos",
        "Number of interactions created in the period.",
        "Número de interações criadas no período.",
        "Volume drives staffing: every other KPI moves when it does.",
        "O volume define o dimensionamento da equipe: todos os outros KPIs mudam com ele.",
        "needs a creation time column",
        "precisa de uma coluna com a data/hora de criação",
    ),
    (
        "abandonment_rate", "Abandonment rate", "Taxa de abandono",
        "Share of contacts abandoned before an agent answered, among contacts whose outcome is "
        "known.",
        "Percentual de contatos abandonados antes do atendimento, entre os contatos com "
        "desfecho conhecido.",
        "Every abandoned contact is a customer who gave up: often a lost sale or a repeat call.",
        "Cada contato abandonado é um cliente que desistiu: muitas vezes uma venda perdida ou "
        "uma nova ligação.",
        "needs an abandoned yes/no column (or a status mapped to abandoned)",
        "precisa de uma coluna abandonado sim/não (ou um status mapeado para abandono)",
    ),
    (
        "service_level", "Service level", "Nível de serviço",
        "Share of contacts answered within {threshold} s, among contacts whose outcome is known "
        "(abandoned contacts count as missed).",
        "Percentual de contatos atendidos em até {threshold} s, entre os contatos com desfecho "
        "conhecido (os abandonados contam como não atendidos).",
        "The classic promise of a contact centre: how many customers are served quickly.",
        "A promessa clássica de uma central: quantos clientes são atendidos rapidamente.",
        "needs an abandoned yes/no column and a wait time column or an answered-at time",
        "precisa de uma coluna abandonado sim/não e de uma coluna de tempo de espera ou da "
        "data/hora de atendimento",
    ),
    (
        "avg_wait", "Average wait / first response time", "Tempo médio de espera / primeira "
        "resposta",
        "Average time from arrival to the first answer, over handled contacts.",
        "Tempo médio entre a chegada e a primeira resposta, nos contatos atendidos.",
        "Waiting is what customers feel first; long waits cause abandonment and poor ratings.",
        "A espera é o que o cliente sente primeiro; esperas longas geram abandono e notas baixas.",
        "needs a wait time column or an answered-at time",
        "precisa de uma coluna de tempo de espera ou da data/hora de atendimento",
    ),
    (
        "p90_wait", "90th percentile wait", "Espera no percentil 90",
        "Wait that 90 % of handled contacts do not exceed (linear interpolation).",
        "Espera que 90 % dos contatos atendidos não ultrapassam (interpolação linear).",
        "Averages hide the long waits; the 90th percentile shows what the unlucky tenth lives "
        "through.",
        "A média esconde as esperas longas; o percentil 90 mostra o que vive o décimo menos "
        "sortudo.",
        "needs a wait time column or an answered-at time",
        "precisa de uma coluna de tempo de espera ou da data/hora de atendimento",
    ),
    (
        "aht", "Average handle time", "Tempo médio de atendimento (TMA)",
        "Average handling time (talk, hold and wrap-up) over handled contacts with a known "
        "handle time.",
        "Tempo médio de atendimento (conversa, espera e pós-atendimento) nos contatos atendidos "
        "com tempo conhecido.",
        "Handle time sets how many agents you need; cut it too far and quality suffers.",
        "O TMA define quantos atendentes são necessários; reduzido demais, a qualidade cai.",
        "needs a handle time column",
        "precisa de uma coluna de tempo de atendimento",
    ),
    (
        "avg_resolution_time", "Average resolution time", "Tempo médio de resolução",
        "Average time from arrival to resolution, over resolved contacts.",
        "Tempo médio entre a chegada e a resolução, nos contatos resolvidos.",
        "Customers care about when their problem is solved, not only when someone answered.",
        "O cliente se importa com quando o problema é resolvido, não só com quando foi atendido.",
        "needs a resolution time column or a resolved-at time",
        "precisa de uma coluna de tempo de resolução ou da data/hora de resolução",
    ),
    (
        "fcr_rate", "First contact resolution", "Resolução no primeiro contato",
        "Share of handled contacts resolved on the first contact: the flag when given, otherwise "
        "resolved with no other contact from the same customer in the following {days} days.",
        "Percentual de contatos atendidos resolvidos no primeiro contato: pelo indicador quando "
        "existe, senão resolvidos sem outro contato do mesmo cliente nos {days} dias seguintes.",
        "Solving it the first time saves a second contact and makes customers happier.",
        "Resolver de primeira evita um segundo contato e deixa o cliente mais satisfeito.",
        "needs a first-contact-resolution flag, or a resolved column and a customer id",
        "precisa de um indicador de resolução no primeiro contato, ou de uma coluna resolvido e "
        "de um identificador de cliente",
    ),
    (
        "resolution_rate", "Resolution rate", "Taxa de resolução",
        "Share of handled contacts that were resolved.",
        "Percentual de contatos atendidos que foram resolvidos.",
        "Unresolved contacts come back as repeat contacts and complaints.",
        "Contatos não resolvidos voltam como novos contatos e reclamações.",
        "needs a resolved yes/no column or a resolved-at time",
        "precisa de uma coluna resolvido sim/não ou da data/hora de resolução",
    ),
    (
        "transfer_rate", "Transfer (reroute) rate", "Taxa de transferência",
        "Share of handled contacts transferred to another agent, team or back to the bot.",
        "Percentual de contatos atendidos transferidos para outro atendente, equipe ou de volta "
        "ao robô.",
        "Transfers mean the first routing was wrong: more waiting and repeated explanations.",
        "Transferências indicam roteamento errado: mais espera e o cliente repetindo a história.",
        "needs a transferred yes/no column",
        "precisa de uma coluna transferido sim/não",
    ),
    (
        "identification_rate", "Identification rate", "Taxa de identificação",
        "Share of all contacts identified or categorised by automation (bot, IVR, routing).",
        "Percentual de todos os contatos identificados ou categorizados pela automação (robô, "
        "URA, roteamento).",
        "Identified contacts reach the right agent faster and feed better reports.",
        "Contatos identificados chegam mais rápido ao atendente certo e melhoram os relatórios.",
        "needs an identified yes/no column",
        "precisa de uma coluna identificado sim/não",
    ),
    (
        "conversion_rate", "Conversion rate", "Taxa de conversão",
        "Share of handled contacts that closed a sale.",
        "Percentual de contatos atendidos que fecharam uma venda.",
        "For sales teams, the direct link between service and revenue.",
        "Para equipes de vendas, a ligação direta entre atendimento e receita.",
        "needs a converted yes/no column",
        "precisa de uma coluna convertido sim/não",
    ),
    (
        "csat_score", "Average CSAT", "CSAT médio",
        "Average satisfaction score over rated contacts (scale {low}–{high}).",
        "Nota média de satisfação nos contatos avaliados (escala {low}–{high}).",
        "What customers say about the service, in their own rating.",
        "O que os clientes dizem do atendimento, na nota que eles mesmos dão.",
        "needs a satisfaction score (CSAT) column",
        "precisa de uma coluna de nota de satisfação (CSAT)",
    ),
    (
        "csat_satisfied", "Customers satisfied (CSAT %)", "Clientes satisfeitos (CSAT %)",
        "Share of rated contacts that were satisfied (a score of {satisfied_from} or more on "
        "{low}–{high}, or the satisfied answer).",
        "Percentual de contatos avaliados com cliente satisfeito (nota {satisfied_from} ou mais "
        "em {low}–{high}, ou a resposta satisfeito).",
        "A share is easier to target and explain than an average score.",
        "Um percentual é mais fácil de definir como meta e de explicar do que uma nota média.",
        "needs a satisfaction score (CSAT) or a satisfied yes/no column",
        "precisa de uma coluna de nota de satisfação (CSAT) ou satisfeito sim/não",
    ),
    (
        "nps", "Net Promoter Score", "Net Promoter Score (NPS)",
        "Promoters (9–10) minus detractors (0–6), in points, over all responses.",
        "Promotores (9–10) menos detratores (0–6), em pontos, sobre todas as respostas.",
        "Loyalty: whether customers would recommend you after talking to your team.",
        "Lealdade: se o cliente recomendaria a empresa depois de falar com a equipe.",
        "needs an NPS (0–10) column",
        "precisa de uma coluna de NPS (0–10)",
    ),
    (
        "cost_per_contact", "Cost per contact", "Custo por contato",
        "Total cost divided by the number of contacts with a known cost.",
        "Custo total dividido pelo número de contatos com custo conhecido.",
        "What each contact costs the business; the basis for channel and staffing choices.",
        "Quanto cada contato custa à empresa; a base para escolher canais e dimensionar a equipe.",
        "needs a cost column",
        "precisa de uma coluna de custo",
    ),
    (
        "closed_per_agent", "Contacts closed per agent", "Contatos encerrados por atendente",
        "Resolved contacts created in the period divided by the agents with a contact in it.",
        "Contatos resolvidos criados no período divididos pelos atendentes com algum contato "
        "nele.",
        "Productivity per person, to balance workload across the team.",
        "Produtividade por pessoa, para equilibrar a carga de trabalho da equipe.",
        "needs a resolved column and an agent column",
        "precisa de uma coluna resolvido e de uma coluna de atendente",
    ),
    (
        "contacts_per_hour", "Contacts per agent hour", "Contatos por hora de atendente",
        "Handled contacts divided by the agents' online hours, same agents and days.",
        "Contatos atendidos divididos pelas horas online dos atendentes, mesmos atendentes e "
        "dias.",
        "Throughput of the logged-in time you pay for.",
        "Produtividade do tempo conectado pelo qual a empresa paga.",
        "needs the agent activity table (online time per agent and day) and an agent column",
        "precisa da tabela de atividade dos atendentes (tempo online por atendente e dia) e de "
        "uma coluna de atendente",
    ),
    (
        "occupancy", "Agent occupancy", "Ocupação dos atendentes",
        "Handle time divided by online time, same agents and days (healthy band about "
        "75–85 %).",
        "Tempo de atendimento dividido pelo tempo online, mesmos atendentes e dias (faixa "
        "saudável em torno de 75–85 %).",
        "Too low wastes paid time; too high burns agents out and lengthens waits.",
        "Baixa demais desperdiça tempo pago; alta demais esgota os atendentes e aumenta a espera.",
        "needs the agent activity table, an agent column and a handle time column",
        "precisa da tabela de atividade dos atendentes, de uma coluna de atendente e de uma "
        "coluna de tempo de atendimento",
    ),
    (
        "online_hours", "Agent online hours", "Horas online dos atendentes",
        "Total hours agents were logged in and available.",
        "Total de horas em que os atendentes estiveram conectados e disponíveis.",
        "The capacity you staffed, to compare with the volume that came.",
        "A capacidade escalada, para comparar com o volume que chegou.",
        "needs the agent activity table (online time per agent and day)",
        "precisa da tabela de atividade dos atendentes (tempo online por atendente e dia)",
    ),
    (
        "backlog", "Open contacts", "Contatos em aberto",
        "Contacts created in the period that were still open when the data was exported.",
        "Contatos criados no período que ainda estavam em aberto na exportação dos dados.",
        "A growing backlog is a queue customers cannot see but feel.",
        "Um acúmulo crescente é uma fila que o cliente não vê, mas sente.",
        "needs a status (open/closed) column",
        "precisa de uma coluna de status (aberto/fechado)",
    ),
    (
        "unanswered", "Unanswered conversations", "Conversas sem resposta",
        "Open contacts created in the period whose last message came from the customer "
        "(at export time).",
        "Contatos em aberto criados no período cuja última mensagem veio do cliente (na "
        "exportação).",
        "These customers are waiting for you right now.",
        "Esses clientes estão esperando uma resposta agora.",
        "needs a status column and a last-message-from column",
        "precisa de uma coluna de status e de uma coluna indicando quem enviou a última mensagem",
    ),
    (
        "forecast_accuracy", "Forecast accuracy", "Precisão da previsão",
        "One minus the weighted absolute percentage error of the daily volume forecast "
        "(1 − WAPE).",
        "Um menos o erro percentual absoluto ponderado da previsão diária de volume (1 − WAPE).",
        "Staffing is only as good as the forecast behind it.",
        "A escala só é tão boa quanto a previsão que a sustenta.",
        "needs the forecast table (forecast volume per day)",
        "precisa da tabela de previsão (volume previsto por dia)",
    ),
)

MESSAGES: dict[str, dict[str, str]] = {}
for _id, _ne, _np, _de, _dp, _we, _wp, _me, _mp in _KPIS:
    MESSAGES[f"catalog.{_id}.name"] = {"en": _ne, "pt": _np}
    MESSAGES[f"catalog.{_id}.description"] = {"en": _de, "pt": _dp}
    MESSAGES[f"catalog.{_id}.why"] = {"en": _we, "pt": _wp}
    MESSAGES[f"catalog.missing.{_id}"] = {"en": _me, "pt": _mp}

MESSAGES.update({
    "catalog.category.effectiveness": {"en": "Effectiveness", "pt": "Efetividade"},
    "catalog.category.cost": {"en": "Operational cost", "pt": "Custo operacional"},
    "catalog.category.experience": {"en": "Customer experience", "pt": "Experiência do cliente"},
    "catalog.statistic.median": {
        "en": "Shown as the median instead of the mean.",
        "pt": "Mostrado como mediana em vez de média.",
    },
    "catalog.statistic.p90": {
        "en": "Shown as the 90th percentile instead of the mean.",
        "pt": "Mostrado como percentil 90 em vez de média.",
    },
    "catalog.hours.business": {
        "en": "Time counted in business hours only.",
        "pt": "Tempo contado apenas em horário comercial.",
    },
    "catalog.hours.clock": {
        "en": "Time counted in clock hours.",
        "pt": "Tempo contado em horas corridas.",
    },
    "catalog.param.include_bot_only.inert": {
        "en": "Bot-only interactions cannot be told apart in this data, so every interaction "
        "counts.",
        "pt": "Não é possível distinguir interações só com robô nestes dados, então todas as "
        "interações contam.",
    },
    "catalog.heading": {"en": "KPI catalog", "pt": "Catálogo de KPIs"},
    "catalog.error.unknown_kpi": {
        "en": "There is no KPI called “{kpi}”; choose one from the catalog.",
        "pt": "Não existe um KPI chamado “{kpi}”; escolha um do catálogo.",
    },
    "catalog.error.threshold": {
        "en": "The service-level threshold must be zero or more seconds (got {value}).",
        "pt": "O limite do nível de serviço deve ser de zero ou mais segundos (recebido {value}).",
    },
    "catalog.error.fcr_window": {
        "en": "The first-contact-resolution window must be a whole number of days from 1 to "
        "3650 (got {value}).",
        "pt": "A janela de resolução no primeiro contato deve ser um número inteiro de dias, "
        "de 1 a 3650 (recebido {value}).",
    },
    "catalog.error.csat_scale": {
        "en": "The CSAT scale must go from a lower to a higher score (got {low}–{high}).",
        "pt": "A escala de CSAT deve ir de uma nota menor para uma maior (recebido {low}–{high}).",
    },
    "catalog.error.statistic": {
        "en": "The statistic must be mean, median or p90 (got “{value}”).",
        "pt": "A estatística deve ser mean, median ou p90 (recebido “{value}”).",
    },
    "catalog.error.statistic_kpi": {
        "en": "“{kpi}” is not a duration KPI, so its statistic cannot be chosen.",
        "pt": "“{kpi}” não é um KPI de duração, então sua estatística não pode ser escolhida.",
    },
    "catalog.error.business_hours_kpi": {
        "en": "“{kpi}” cannot be counted in business hours; only wait and resolution times can.",
        "pt": "“{kpi}” não pode ser contado em horário comercial; só os tempos de espera e de "
        "resolução podem.",
    },
    "catalog.error.unknown_param": {
        "en": "Unknown KPI parameter “{key}”; remove it from the charter.",
        "pt": "Parâmetro de KPI desconhecido “{key}”; remova-o do documento de KPIs.",
    },
    "catalog.error.bad_params": {
        "en": "The KPI parameters are not valid JSON of the expected shape.",
        "pt": "Os parâmetros dos KPIs não são um JSON válido no formato esperado.",
    },
})

MESSAGES.update({
    "catalog.custom.error.operator": {
        "en": "Unknown operator “{operator}”; use =, ≠, <, ≤, >, ≥, in, not in, is empty or is "
        "not empty.",
        "pt": "Operador desconhecido “{operator}”; use =, ≠, <, ≤, >, ≥, in, not in, is empty "
        "ou is not empty.",
    },
    "catalog.custom.error.id": {
        "en": "The KPI id “{id}” must start with a lower-case letter and use only a–z, 0–9 and "
        "_ (at most 63 characters).",
        "pt": "O identificador “{id}” deve começar com letra minúscula e usar apenas a–z, 0–9 "
        "e _ (no máximo 63 caracteres).",
    },
    "catalog.custom.error.id_taken": {
        "en": "“{id}” is already a built-in KPI; choose another id for your KPI.",
        "pt": "“{id}” já é um KPI do catálogo; escolha outro identificador para o seu KPI.",
    },
    "catalog.custom.error.name": {
        "en": "Give the KPI a name.",
        "pt": "Dê um nome ao KPI.",
    },
    "catalog.custom.error.form": {
        "en": "Unknown KPI form “{form}”; choose rate, mean, median, percentile or count.",
        "pt": "Forma de KPI desconhecida “{form}”; escolha rate, mean, median, percentile ou "
        "count.",
    },
    "catalog.custom.error.category": {
        "en": "Unknown category “{category}”; choose effectiveness, cost or experience.",
        "pt": "Categoria desconhecida “{category}”; escolha effectiveness, cost ou experience.",
    },
    "catalog.custom.error.unit": {
        "en": "Unknown unit “{unit}”.",
        "pt": "Unidade desconhecida “{unit}”.",
    },
    "catalog.custom.error.direction": {
        "en": "Unknown direction “{direction}”; choose higher, lower, neutral or band.",
        "pt": "Direção desconhecida “{direction}”; escolha higher, lower, neutral ou band.",
    },
    "catalog.custom.error.column_needed": {
        "en": "“{name}”: choose the numeric column to summarise.",
        "pt": "“{name}”: escolha a coluna numérica a resumir.",
    },
    "catalog.custom.error.quantile": {
        "en": "“{name}”: the percentile must be between 0 and 1 (e.g. 0.9 for the 90th).",
        "pt": "“{name}”: o percentil deve estar entre 0 e 1 (por exemplo 0.9 para o 90º).",
    },
    "catalog.custom.error.numerator": {
        "en": "“{name}”: a rate needs at least one condition for the rows that count as a "
        "success.",
        "pt": "“{name}”: uma taxa precisa de pelo menos uma condição para as linhas que contam "
        "como sucesso.",
    },
    "catalog.custom.error.shape": {
        "en": "The custom KPI definition is not in the expected format ({detail}).",
        "pt": "A definição do KPI personalizado não está no formato esperado ({detail}).",
    },
    "catalog.custom.error.unknown_column": {
        "en": "“{name}” uses the column “{column}”, which the data does not have; pick one of "
        "the data's columns.",
        "pt": "“{name}” usa a coluna “{column}”, que não existe nos dados; escolha uma das "
        "colunas dos dados.",
    },
    "catalog.custom.error.not_numeric": {
        "en": "“{name}”: “{column}” is not a numeric column, so it cannot be averaged; choose a "
        "number or duration column.",
        "pt": "“{name}”: “{column}” não é uma coluna numérica, então não pode ter média; "
        "escolha uma coluna de número ou de duração.",
    },
    "catalog.custom.error.needs_list": {
        "en": "“{name}”: the condition on “{column}” needs a list of one or more values.",
        "pt": "“{name}”: a condição sobre “{column}” precisa de uma lista com um ou mais valores.",
    },
    "catalog.custom.error.needs_value": {
        "en": "“{name}”: the condition on “{column}” needs a single value.",
        "pt": "“{name}”: a condição sobre “{column}” precisa de um único valor.",
    },
    "catalog.custom.error.order_on_text": {
        "en": "“{name}”: “{op}” compares numbers or dates, but “{column}” is text or yes/no; use "
        "= or in instead.",
        "pt": "“{name}”: “{op}” compara números ou datas, mas “{column}” é texto ou sim/não; "
        "use = ou in.",
    },
    "catalog.custom.error.value_type": {
        "en": "“{name}”: the value “{value}” does not fit the column “{column}” ({expected}).",
        "pt": "“{name}”: o valor “{value}” não combina com a coluna “{column}” ({expected}).",
    },
})
