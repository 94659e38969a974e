"""Messages of the Data page: loading files, what was detected, the mapping, validation."""

MESSAGES: dict[str, dict[str, str]] = {
    "data_page.title": {"en": "Data", "pt": "Dados"},
    "data_page.intro": {
        "en": "Upload one or more exports of your contacts (several months are appended). "
        "The app detects how each file is written and which column is which; check its "
        "choices below and correct any of them.",
        "pt": "Envie uma ou mais exportações dos seus atendimentos (vários meses são somados). "
        "O aplicativo detecta como cada arquivo foi escrito e qual coluna é qual; confira as "
        "escolhas abaixo e corrija o que for preciso.",
    },
    "data_page.upload.label": {"en": "Contact files", "pt": "Arquivos de atendimentos"},
    "data_page.upload.help": {
        "en": "CSV, TSV, TXT, .gz, .zip, Excel (.xlsx), Parquet, JSON or JSON Lines. "
        "Files up to {limit} MB each; a larger file is refused (for bigger data, convert it "
        "with kpi convert and open the folder below).",
        "pt": "CSV, TSV, TXT, .gz, .zip, Excel (.xlsx), Parquet, JSON ou JSON Lines. "
        "Arquivos de até {limit} MB cada; um arquivo maior é recusado (para dados maiores, "
        "converta com kpi convert e abra a pasta abaixo).",
    },
    # pseudonymisation of customer ids (a workspace setting)
    "data_page.privacy.toggle": {
        "en": "Pseudonymise customer ids",
        "pt": "Pseudonimizar os ids de clientes",
    },
    "data_page.privacy.help": {
        "en": "Replaces each customer id (phone number, CPF, e-mail) by a token made with a "
        "secret key of this workspace, when the data is loaded: the same customer always gets "
        "the same token, so repeat-contact KPIs such as first contact resolution still work, "
        "but no raw id is kept or shown. This is a workspace setting: changing it is saved at "
        "once, applies to everyone using this workspace, and reloads the data.",
        "pt": "Substitui cada id de cliente (telefone, CPF, e-mail) por um código gerado com "
        "uma chave secreta deste espaço de trabalho, no carregamento dos dados: o mesmo "
        "cliente recebe sempre o mesmo código, então KPIs de recontato, como a resolução no "
        "primeiro contato, continuam funcionando, mas nenhum id original é guardado ou "
        "mostrado. É uma configuração do espaço de trabalho: a mudança é salva na hora, vale "
        "para todos que usam este espaço e recarrega os dados.",
    },
    "data_page.privacy.on": {
        "en": "Customer ids are pseudonymised in this workspace: phone numbers and CPFs "
        "become tokens.",
        "pt": "Os ids de clientes são pseudonimizados neste espaço de trabalho: telefones e "
        "CPFs viram códigos.",
    },
    "data_page.privacy.off": {
        "en": "Customer ids are kept as they are in the files in this workspace.",
        "pt": "Os ids de clientes são mantidos como estão nos arquivos neste espaço de "
        "trabalho.",
    },
    "data_page.privacy.failed": {
        "en": "The setting could not be saved: {reason}",
        "pt": "A configuração não pôde ser salva: {reason}",
    },
    "data_page.privacy.reloaded_on": {
        "en": "Customer ids are now pseudonymised: {rows} contacts reloaded.",
        "pt": "Os ids de clientes agora são pseudonimizados: {rows} atendimentos recarregados.",
    },
    "data_page.privacy.reloaded_off": {
        "en": "Customer ids are now kept as in the files: {rows} contacts reloaded.",
        "pt": "Os ids de clientes agora são mantidos como nos arquivos: {rows} atendimentos "
        "recarregados.",
    },
    # a converted (canonical Parquet) dataset opened by path or URI
    "data_page.parquet.heading": {
        "en": "Open a converted dataset (Parquet)",
        "pt": "Abrir um conjunto convertido (Parquet)",
    },
    "data_page.parquet.caption": {
        "en": "A folder written by kpi convert (one created_month=YYYY-MM folder per month), "
        "a Parquet file, a glob, or a URI such as s3://bucket/contacts, on the server "
        "running the app.",
        "pt": "Uma pasta gravada pelo kpi convert (uma pasta created_month=AAAA-MM por mês), "
        "um arquivo Parquet, um padrão glob, ou uma URI como s3://bucket/atendimentos, no "
        "servidor onde o aplicativo roda.",
    },
    "data_page.parquet.path": {"en": "Path or URI", "pt": "Caminho ou URI"},
    "data_page.parquet.inspect": {"en": "Look at its months", "pt": "Ver os meses"},
    "data_page.parquet.months": {"en": "Months to load", "pt": "Meses a carregar"},
    "data_page.parquet.estimate": {
        "en": "{rows} contacts in {months} months; loading them takes about {memory} MB of "
        "memory (this server allows {budget} MB).",
        "pt": "{rows} atendimentos em {months} meses; carregá-los ocupa cerca de {memory} MB "
        "de memória (este servidor permite {budget} MB).",
    },
    "data_page.parquet.estimate_approximate": {
        "en": "The files are not split by month, so contacts per month are estimated from "
        "their statistics; the load itself is exact.",
        "pt": "Os arquivos não estão separados por mês, então os atendimentos por mês são "
        "estimados pelas estatísticas deles; o carregamento em si é exato.",
    },
    "data_page.parquet.load": {"en": "Load these months", "pt": "Carregar estes meses"},
    "data_page.parquet.loaded": {
        "en": "Loaded {rows} contacts from {path}.",
        "pt": "{rows} atendimentos carregados de {path}.",
    },
    "data_page.parquet.canonical": {
        "en": "A converted dataset is already in the canonical fields: there is no column "
        "mapping to check. Months loaded: {months}.",
        "pt": "Um conjunto convertido já está nos campos canônicos: não há mapeamento de "
        "colunas a conferir. Meses carregados: {months}.",
    },
    "data_page.sample_button": {"en": "Use the sample data", "pt": "Usar os dados de exemplo"},
    "data_page.mapping_upload.label": {
        "en": "Reuse a saved mapping file (optional)",
        "pt": "Reutilizar um arquivo de mapeamento salvo (opcional)",
    },
    "data_page.loaded": {
        "en": "Loaded {rows} contacts.",
        "pt": "{rows} atendimentos carregados.",
    },
    "data_page.mapping_applied": {
        "en": "The corrected mapping was applied: {rows} contacts loaded.",
        "pt": "O mapeamento corrigido foi aplicado: {rows} atendimentos carregados.",
    },
    "data_page.saved_mapping_applied": {
        "en": "The saved mapping {name} was applied.",
        "pt": "O mapeamento salvo {name} foi aplicado.",
    },
    "data_page.load_failed": {
        "en": "{reason} Check that it is the right export, or load the sample data "
        "to see what the app expects.",
        "pt": "{reason} Confira se é a exportação certa, ou carregue os dados de "
        "exemplo para ver o que o aplicativo espera.",
    },
    "data_page.no_data": {
        "en": "No data yet: upload a file above or use the sample data.",
        "pt": "Ainda sem dados: envie um arquivo acima ou use os dados de exemplo.",
    },
    # what was detected per file
    "data_page.detected.heading": {
        "en": "How the files were read",
        "pt": "Como os arquivos foram lidos",
    },
    "data_page.detected.file": {"en": "File", "pt": "Arquivo"},
    "data_page.detected.table": {"en": "Table", "pt": "Tabela"},
    "data_page.detected.format": {"en": "Format", "pt": "Formato"},
    "data_page.detected.encoding": {"en": "Encoding", "pt": "Codificação"},
    "data_page.detected.sep": {"en": "Separator", "pt": "Separador"},
    "data_page.detected.decimal": {"en": "Decimal mark", "pt": "Separador decimal"},
    "data_page.detected.date_order": {"en": "Date order", "pt": "Ordem das datas"},
    "data_page.detected.sheet": {"en": "Sheet", "pt": "Planilha"},
    "data_page.detected.rows": {"en": "Rows", "pt": "Linhas"},
    "data_page.sheet.label": {"en": "Excel sheet to read", "pt": "Planilha do Excel a ler"},
    "data_page.table.interactions": {"en": "contacts", "pt": "atendimentos"},
    "data_page.table.activity": {"en": "agent activity", "pt": "atividade dos atendentes"},
    "data_page.table.forecast": {"en": "forecast", "pt": "previsão"},
    "data_page.table.none": {"en": "not recognised, skipped", "pt": "não reconhecida, ignorada"},
    "data_page.sep.tab": {"en": "tab", "pt": "tabulação"},
    "data_page.date_order.auto": {"en": "detect from the data", "pt": "detectar pelos dados"},
    "data_page.date_order.dayfirst": {
        "en": "day first (dd/mm/yyyy)",
        "pt": "dia primeiro (dd/mm/aaaa)",
    },
    "data_page.date_order.monthfirst": {
        "en": "month first (mm/dd/yyyy)",
        "pt": "mês primeiro (mm/dd/aaaa)",
    },
    # the mapping
    "data_page.mapping.heading": {"en": "Column mapping", "pt": "Mapeamento das colunas"},
    "data_page.mapping.caption": {
        "en": "Which column of your file feeds each field the KPIs use, and why it was chosen.",
        "pt": "Qual coluna do seu arquivo alimenta cada campo usado pelos KPIs, e por que foi "
        "escolhida.",
    },
    "data_page.mapping.field": {"en": "Field", "pt": "Campo"},
    "data_page.mapping.column": {"en": "Column", "pt": "Coluna"},
    "data_page.mapping.confidence": {"en": "Confidence", "pt": "Confiança"},
    "data_page.mapping.reason": {"en": "Why", "pt": "Por quê"},
    "data_page.mapping.values_of": {
        "en": "{column} (values: yes = {true}; no = {false})",
        "pt": "{column} (valores: sim = {true}; não = {false})",
    },
    "data_page.mapping.user": {"en": "chosen by you", "pt": "escolhido por você"},
    "data_page.mapping.none_found": {
        "en": "No column was recognised yet; choose them below.",
        "pt": "Nenhuma coluna foi reconhecida ainda; escolha-as abaixo.",
    },
    "data_page.mapping.unmapped": {
        "en": "Columns not used: {columns}",
        "pt": "Colunas não usadas: {columns}",
    },
    # corrections
    "data_page.correct.heading": {"en": "Correct the mapping", "pt": "Corrigir o mapeamento"},
    "data_page.correct.columns": {"en": "Columns", "pt": "Colunas"},
    "data_page.correct.none": {"en": "— none —", "pt": "— nenhuma —"},
    "data_page.correct.unit": {"en": "{field}: unit", "pt": "{field}: unidade"},
    "data_page.unit.seconds": {"en": "seconds", "pt": "segundos"},
    "data_page.unit.minutes": {"en": "minutes", "pt": "minutos"},
    "data_page.unit.hours": {"en": "hours", "pt": "horas"},
    "data_page.correct.values_heading": {
        "en": "Yes/no fields from a column's values",
        "pt": "Campos sim/não a partir dos valores de uma coluna",
    },
    "data_page.correct.values_caption": {
        "en": "E.g. abandoned when Status is “Abandoned”. Choose the column, then which of "
        "its values mean yes and which mean no.",
        "pt": "Por exemplo, abandonado quando Situação é “Abandonada”. Escolha a coluna e "
        "depois quais valores significam sim e quais significam não.",
    },
    "data_page.correct.values_column": {
        "en": "{field}: column",
        "pt": "{field}: coluna",
    },
    "data_page.correct.true_values": {"en": "values meaning yes", "pt": "valores que são sim"},
    "data_page.correct.false_values": {"en": "values meaning no", "pt": "valores que são não"},
    "data_page.correct.other_heading": {
        "en": "Scales, time zone, dates",
        "pt": "Escalas, fuso horário, datas",
    },
    "data_page.correct.csat_low": {
        "en": "CSAT scale: lowest score",
        "pt": "Escala de CSAT: nota mínima",
    },
    "data_page.correct.csat_high": {
        "en": "CSAT scale: highest score",
        "pt": "Escala de CSAT: nota máxima",
    },
    "data_page.correct.timezone": {"en": "Time zone of the data", "pt": "Fuso horário dos dados"},
    "data_page.correct.timezone_as_written": {
        "en": "as written in the file",
        "pt": "como está escrito no arquivo",
    },
    "data_page.correct.date_order": {"en": "Date order", "pt": "Ordem das datas"},
    "data_page.correct.apply": {
        "en": "Apply the corrections and reload",
        "pt": "Aplicar as correções e recarregar",
    },
    "data_page.correct.duplicate": {
        "en": "Column {column} is chosen for several fields ({fields}); each column can feed "
        "only one field. Change one of them.",
        "pt": "A coluna {column} foi escolhida para vários campos ({fields}); cada coluna só "
        "pode alimentar um campo. Mude um deles.",
    },
    "data_page.correct.csat_order": {
        "en": "The lowest CSAT score must be below the highest.",
        "pt": "A nota mínima de CSAT precisa ser menor que a máxima.",
    },
    # validation and preview
    "data_page.validation.heading": {"en": "Data check", "pt": "Verificação dos dados"},
    "data_page.validation.rows_read": {"en": "Rows read", "pt": "Linhas lidas"},
    "data_page.validation.rows_kept": {"en": "Rows kept", "pt": "Linhas mantidas"},
    "data_page.validation.issues": {"en": "Points to review", "pt": "Pontos a revisar"},
    "data_page.validation.clean": {
        "en": "No problems found in the data.",
        "pt": "Nenhum problema encontrado nos dados.",
    },
    "data_page.validation.count": {"en": "Rows", "pt": "Linhas"},
    "data_page.validation.examples": {"en": "Examples", "pt": "Exemplos"},
    "data_page.preview.heading": {
        "en": "Preview of the contacts as the KPIs see them",
        "pt": "Prévia dos atendimentos como os KPIs os veem",
    },
    "data_page.preview.caption": {
        "en": "First {shown} of {rows} rows.",
        "pt": "Primeiras {shown} de {rows} linhas.",
    },
    "data_page.download": {
        "en": "Download the mapping file",
        "pt": "Baixar o arquivo de mapeamento",
    },
    "data_page.download.help": {
        "en": "Keep it and upload it next month to read the same export the same way.",
        "pt": "Guarde-o e envie no próximo mês para ler a mesma exportação do mesmo jeito.",
    },
    # canonical field names, as the user reads them
    "data_page.field.interaction_id": {"en": "Contact id", "pt": "Id do atendimento"},
    "data_page.field.created_at": {"en": "Arrived at", "pt": "Data/hora de entrada"},
    "data_page.field.channel": {"en": "Channel", "pt": "Canal"},
    "data_page.field.team": {"en": "Team / queue", "pt": "Equipe / fila"},
    "data_page.field.agent": {"en": "Agent", "pt": "Atendente"},
    "data_page.field.topic": {"en": "Topic", "pt": "Assunto"},
    "data_page.field.customer_id": {"en": "Customer", "pt": "Cliente"},
    "data_page.field.answered_at": {"en": "Answered at", "pt": "Data/hora do atendimento"},
    "data_page.field.wait_seconds": {"en": "Wait time", "pt": "Tempo de espera"},
    "data_page.field.handle_seconds": {"en": "Handle time", "pt": "Tempo de atendimento"},
    "data_page.field.resolved_at": {"en": "Resolved at", "pt": "Data/hora da resolução"},
    "data_page.field.resolution_seconds": {"en": "Resolution time", "pt": "Tempo de resolução"},
    "data_page.field.abandoned": {"en": "Abandoned", "pt": "Abandonado"},
    "data_page.field.resolved": {"en": "Resolved", "pt": "Resolvido"},
    "data_page.field.first_contact_resolution": {
        "en": "Resolved on first contact",
        "pt": "Resolvido no primeiro contato",
    },
    "data_page.field.csat": {"en": "CSAT score", "pt": "Nota de CSAT"},
    "data_page.field.satisfied": {"en": "Satisfied", "pt": "Satisfeito"},
    "data_page.field.nps": {"en": "NPS score (0–10)", "pt": "Nota de NPS (0–10)"},
    "data_page.field.identified": {
        "en": "Identified by automation",
        "pt": "Identificado pela automação",
    },
    "data_page.field.transferred": {"en": "Transferred", "pt": "Transferido"},
    "data_page.field.converted": {"en": "Converted (sale)", "pt": "Convertido (venda)"},
    "data_page.field.cost": {"en": "Cost", "pt": "Custo"},
    "data_page.field.status": {"en": "Status (open/closed)", "pt": "Situação (aberto/fechado)"},
    "data_page.field.last_message_from": {"en": "Last message from", "pt": "Última mensagem de"},
    "data_page.field.date": {"en": "Date", "pt": "Data"},
    "data_page.field.online_seconds": {"en": "Online time", "pt": "Tempo online"},
    "data_page.field.forecast_volume": {"en": "Forecast contacts", "pt": "Atendimentos previstos"},
}
