"""Messages of the computation engine: why a value is missing, request errors, the CLI."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "compute.reason.no_contacts": {
        "en": "no contacts in this period",
        "pt": "nenhum contato neste período",
    },
    "compute.reason.no_values": {
        "en": "no values in this period",
        "pt": "nenhum valor neste período",
    },
    "compute.reason.no_outcome": {
        "en": "no contacts with a known outcome (answered or abandoned)",
        "pt": "nenhum contato com desfecho conhecido (atendido ou abandonado)",
    },
    "compute.reason.no_handled": {
        "en": "no handled contacts",
        "pt": "nenhum contato atendido",
    },
    "compute.reason.no_wait": {
        "en": "no handled contacts with a known wait",
        "pt": "nenhum contato atendido com tempo de espera conhecido",
    },
    "compute.reason.no_handle": {
        "en": "no handled contacts with a known handle time",
        "pt": "nenhum contato atendido com tempo de atendimento conhecido",
    },
    "compute.reason.no_resolved": {
        "en": "no resolved contacts with a known resolution time",
        "pt": "nenhum contato resolvido com tempo de resolução conhecido",
    },
    "compute.reason.no_fcr": {
        "en": "no handled contacts with the first-contact-resolution flag filled in",
        "pt": "nenhum contato atendido com o indicador de resolução no primeiro contato "
        "preenchido",
    },
    "compute.reason.no_customer": {
        "en": "no handled contacts with a known customer",
        "pt": "nenhum contato atendido com cliente identificado",
    },
    "compute.reason.no_ratings": {
        "en": "no ratings",
        "pt": "nenhuma avaliação",
    },
    "compute.reason.no_nps": {
        "en": "no NPS responses",
        "pt": "nenhuma resposta de NPS",
    },
    "compute.reason.no_cost": {
        "en": "no contacts with a known cost",
        "pt": "nenhum contato com custo conhecido",
    },
    "compute.reason.no_agents": {
        "en": "no contacts with a known agent",
        "pt": "nenhum contato com atendente conhecido",
    },
    "compute.reason.no_activity": {
        "en": "no agent activity (online time) in this period",
        "pt": "nenhuma atividade de atendentes (tempo online) neste período",
    },
    "compute.reason.no_online_time": {
        "en": "no online time recorded",
        "pt": "nenhum tempo online registrado",
    },
    "compute.reason.no_forecast": {
        "en": "no forecast for this period",
        "pt": "nenhuma previsão para este período",
    },
    "compute.reason.no_actual_volume": {
        "en": "no contacts on the forecast days",
        "pt": "nenhum contato nos dias com previsão",
    },
    "compute.reason.not_by_segment": {
        "en": "cannot be broken down this way (the activity and forecast tables are per agent "
        "and per channel only)",
        "pt": "não pode ser detalhado desta forma (as tabelas de atividade e de previsão são "
        "só por atendente e por canal)",
    },
    "compute.reason.no_matching_rows": {
        "en": "no rows match the KPI's conditions",
        "pt": "nenhuma linha atende às condições do KPI",
    },
    "compute.error.freq": {
        "en": "Unknown period size “{freq}”; use day, week or month.",
        "pt": "Tamanho de período desconhecido “{freq}”; use day, week ou month.",
    },
    "compute.error.too_many_dimensions": {
        "en": "Break KPIs down by at most two different fields (e.g. agent and topic).",
        "pt": "Detalhe os KPIs por no máximo dois campos diferentes (por exemplo atendente e "
        "assunto).",
    },
    "compute.error.dimension": {
        "en": "Cannot break down by “{column}”: the data has no such column.",
        "pt": "Não é possível detalhar por “{column}”: os dados não têm essa coluna.",
    },
    "compute.error.dimension_text": {
        "en": "Cannot break down by “{column}”: only text columns (channel, team, agent, "
        "topic...) can be used.",
        "pt": "Não é possível detalhar por “{column}”: só colunas de texto (canal, equipe, "
        "atendente, assunto...) podem ser usadas.",
    },
    "compute.error.no_kpis": {
        "en": "Choose at least one KPI to compute.",
        "pt": "Escolha pelo menos um KPI para calcular.",
    },
    "compute.error.unavailable": {
        "en": "{kpi} cannot be computed from this data: it {reason}.",
        "pt": "{kpi} não pode ser calculado com estes dados: {reason}.",
    },
    "compute.error.duplicate_kpi": {
        "en": "The KPI “{kpi}” is asked for twice; give each custom KPI its own id.",
        "pt": "O KPI “{kpi}” foi pedido duas vezes; dê a cada KPI personalizado um "
        "identificador próprio.",
    },
    "compute.error.no_raw_values": {
        "en": "“{kpi}” is not measured per contact, so it has no per-contact values.",
        "pt": "“{kpi}” não é medido por contato, então não tem valores por contato.",
    },
    "compute.cli.no_kpis_available": {
        "en": "None of the requested KPIs can be computed from this data.",
        "pt": "Nenhum dos KPIs pedidos pode ser calculado com estes dados.",
    },
    "compute.cli.skipped": {
        "en": "Skipped {kpi}: it {reason}.",
        "pt": "{kpi} ignorado: {reason}.",
    },
    "compute.error.engine": {
        "en": "Unknown or unavailable engine “{engine}”: use memory, duckdb or spark.",
        "pt": "Motor “{engine}” desconhecido ou indisponível: use memory, duckdb ou spark.",
    },
    "compute.error.engine_derived": {
        "en": "The file engines cannot derive the column “{column}”; use --engine memory.",
        "pt": "Os motores de arquivo não sabem derivar a coluna “{column}”; use --engine memory.",
    },
    "compute.error.side_table_activity": {
        "en": "“{file}” does not look like an agent-activity export (agent, date, online time); "
        "check the file or map its columns in the mapping's “activity” block.",
        "pt": "“{file}” não parece uma exportação de atividade dos agentes (agente, data, tempo "
        "online); confira o arquivo ou mapeie as colunas no bloco “activity” do mapeamento.",
    },
    "compute.error.side_table_forecast": {
        "en": "“{file}” does not look like a forecast export (date, forecast volume); check the "
        "file or map its columns in the mapping's “forecast” block.",
        "pt": "“{file}” não parece uma exportação de previsão (data, volume previsto); confira "
        "o arquivo ou mapeie as colunas no bloco “forecast” do mapeamento.",
    },
    "compute.issue.malformed_lines": {
        "en": "{count} lines of {file} had the wrong number of fields and were skipped.",
        "pt": "{count} linhas de {file} tinham o número errado de campos e foram ignoradas.",
    },
    "compute.error.no_parquet": {
        "en": "No Parquet files found in “{path}”.",
        "pt": "Nenhum arquivo Parquet encontrado em “{path}”.",
    },
    "compute.error.engine_setting": {
        "en": "The engine setting “{value}” is not valid.",
        "pt": "A configuração do motor “{value}” não é válida.",
    },
    "compute.error.no_spark": {
        "en": "Spark is not installed: install pyspark (pip install pyspark) and Java 17.",
        "pt": "O Spark não está instalado: instale o pyspark (pip install pyspark) e o Java 17.",
    },
    "compute.error.one_source": {
        "en": "With --engine {engine}, give one Parquet file or folder (see kpi convert).",
        "pt": "Com --engine {engine}, informe um único arquivo ou pasta Parquet "
        "(veja kpi convert).",
    },
}
