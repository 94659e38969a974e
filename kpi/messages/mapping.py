"""Messages of column mapping, canonicalisation, loading and ``kpi validate``."""

from __future__ import annotations

_HEADER = {
    "exact": ("header '{column}' matches {field}", "o cabeçalho '{column}' corresponde a {field}"),
    "tokens": (
        "header '{column}' contains '{alias}' ({field})",
        "o cabeçalho '{column}' contém '{alias}' ({field})",
    ),
    "partial": (
        "header '{column}' resembles '{alias}' ({field})",
        "o cabeçalho '{column}' lembra '{alias}' ({field})",
    ),
}
_KIND = {
    "datetime": ("dates", "datas"),
    "duration": ("durations", "durações"),
    "number": ("numbers", "números"),
    "bool": ("yes/no values", "valores sim/não"),
    "status": ("open/closed statuses", "situações aberto/fechado"),
}

MESSAGES: dict[str, dict[str, str]] = {
    # ---- mapping file errors
    "mapping.error.json": {
        "en": "The mapping file is not valid JSON: {detail}",
        "pt": "O arquivo de mapeamento não é um JSON válido: {detail}",
    },
    "mapping.error.file": {
        "en": "Cannot read the mapping file {path}: {detail}",
        "pt": "Não foi possível ler o arquivo de mapeamento {path}: {detail}",
    },
    "mapping.error.type": {
        "en": "In the mapping, '{key}' must be {expected}, not {got}.",
        "pt": "No mapeamento, '{key}' deve ser {expected}, e não {got}.",
    },
    "mapping.error.unknown_key": {
        "en": "In the mapping, '{key}' is not a known key; allowed: {allowed}.",
        "pt": "No mapeamento, '{key}' não é uma chave conhecida; permitidas: {allowed}.",
    },
    "mapping.error.unknown_field": {
        "en": "In the mapping, '{key}' does not name a field that can go there; allowed: "
              "{allowed}.",
        "pt": "No mapeamento, '{key}' não é um campo aceito ali; permitidos: {allowed}.",
    },
    "mapping.error.unit": {
        "en": "In the mapping, '{key}' has the unit '{value}'; allowed: {allowed}.",
        "pt": "No mapeamento, '{key}' tem a unidade '{value}'; permitidas: {allowed}.",
    },
    "mapping.error.missing": {
        "en": "In the mapping, '{key}' is required.",
        "pt": "No mapeamento, '{key}' é obrigatório.",
    },
    "mapping.error.scale": {
        "en": "In the mapping, '{key}' must go from low to high, not {low} to {high}.",
        "pt": "No mapeamento, '{key}' deve ir do menor ao maior, e não de {low} a {high}.",
    },
    "mapping.error.timezone": {
        "en": "In the mapping, '{key}' is '{value}', which is not a known time zone "
              "(e.g. America/Sao_Paulo).",
        "pt": "No mapeamento, '{key}' é '{value}', que não é um fuso horário conhecido "
              "(ex.: America/Sao_Paulo).",
    },
    "mapping.error.column_missing": {
        "en": "The mapping names the column '{column}' for {field}, but the file has no such "
              "column.",
        "pt": "O mapeamento indica a coluna '{column}' para {field}, mas o arquivo não tem essa "
              "coluna.",
    },
    # ---- detection reasons
    "mapping.reason.given": {
        "en": "given by the mapping file",
        "pt": "definido no arquivo de mapeamento",
    },
    "mapping.reason.values": {
        "en": "column '{column}' holds {true} (true) and {false} (false) for {field}",
        "pt": "a coluna '{column}' traz {true} (verdadeiro) e {false} (falso) para {field}",
    },
    **{
        f"mapping.reason.{header}": {"en": en, "pt": pt}
        for header, (en, pt) in _HEADER.items()
    },
    **{
        f"mapping.reason.{header}_empty": {
            "en": en + ", but the column is empty",
            "pt": pt + ", mas a coluna está vazia",
        }
        for header, (en, pt) in _HEADER.items()
    },
    **{
        f"mapping.reason.{header}_{kind}": {
            "en": f"{en}; {{share}} % of values read as {kind_en}",
            "pt": f"{pt}; {{share}} % dos valores são lidos como {kind_pt}",
        }
        for header, (en, pt) in _HEADER.items()
        for kind, (kind_en, kind_pt) in _KIND.items()
    },
    **{
        f"mapping.reason.rejected_{kind}": {
            "en": f"header '{{column}}' looks like {{field}}, but only {{share}} % of values "
                  f"read as {kind_en}",
            "pt": f"o cabeçalho '{{column}}' parece {{field}}, mas só {{share}} % dos valores "
                  f"são lidos como {kind_pt}",
        }
        for kind, (kind_en, kind_pt) in _KIND.items()
        if kind != "status"
    },
    "mapping.reason.rejected_status": {
        "en": "header '{column}' looks like {field}, but only {share} % of values are "
              "open/closed statuses",
        "pt": "o cabeçalho '{column}' parece {field}, mas só {share} % dos valores são "
              "situações aberto/fechado",
    },
    # ---- canonicalisation
    "mapping.issue.placeholder_customers": {
        "en": "{count} contacts have no real customer id in '{column}' (e.g. {examples}): they "
        "are counted as unknown customers, never as repeat contacts of one another.",
        "pt": "{count} atendimentos não têm um id de cliente real em '{column}' (ex.: "
        "{examples}): contam como clientes desconhecidos, nunca como contatos repetidos entre "
        "si.",
    },
    "mapping.issue.id_generated": {
        "en": "No id column: interactions are numbered by row instead.",
        "pt": "Sem coluna de identificador: os atendimentos foram numerados pela linha.",
    },
    "mapping.issue.unparsed": {
        "en": "{count} values of '{column}' ({field}) could not be read, e.g. {examples}; "
              "they count as unknown.",
        "pt": "{count} valores de '{column}' ({field}) não puderam ser lidos, ex.: {examples}; "
              "contam como desconhecidos.",
    },
    "mapping.issue.unmapped_values": {
        "en": "{count} values of '{column}' are in neither list of {field}, e.g. {examples}; "
              "they count as unknown.",
        "pt": "{count} valores de '{column}' não estão em nenhuma lista de {field}, ex.: "
              "{examples}; contam como desconhecidos.",
    },
    "mapping.issue.no_created_at": {
        "en": "{count} rows have no readable creation time (e.g. {examples}) and were left out.",
        "pt": "{count} linhas não têm data de criação legível (ex.: {examples}) e foram "
              "descartadas.",
    },
    "mapping.issue.blank_created_at": {
        "en": "{count} rows have no creation time at all (blank, e.g. empty lines or a totals "
              "row) and were left out.",
        "pt": "{count} linhas não têm data de criação (em branco, como linhas vazias ou uma "
              "linha de totais) e foram descartadas.",
    },
    "mapping.issue.missing_required": {
        "en": "{count} rows have no {field} and were left out.",
        "pt": "{count} linhas não têm {field} e foram descartadas.",
    },
    "mapping.issue.overlap": {
        "en": "{count} interaction ids appear in more than one file (overlapping exports?), "
              "e.g. {examples}.",
        "pt": "{count} identificadores aparecem em mais de um arquivo (exportações "
              "sobrepostas?), ex.: {examples}.",
    },
    "mapping.issue.file_failed": {
        "en": "The file {file} was skipped: {detail}",
        "pt": "O arquivo {file} foi ignorado: {detail}",
    },
    "mapping.issue.unclassified": {
        "en": "The table {file} was not recognised as interactions, agent activity or forecast "
              "and was skipped.",
        "pt": "A tabela {file} não foi reconhecida como atendimentos, atividade de agentes ou "
              "previsão e foi ignorada.",
    },
    "mapping.fatal.no_created_at": {
        "en": "No column holds the creation time of each contact, so the data cannot be used; "
              "map one (e.g. 'Created at' or 'Data de abertura').",
        "pt": "Nenhuma coluna traz a data de criação de cada contato, então os dados não podem "
              "ser usados; mapeie uma (ex.: 'Created at' ou 'Data de abertura').",
    },
    "mapping.fatal.no_rows": {
        "en": "No row has a readable creation time in '{column}', so the data cannot be used.",
        "pt": "Nenhuma linha tem data de criação legível em '{column}', então os dados não podem "
              "ser usados.",
    },
    "mapping.fatal.no_file": {
        "en": "None of the files could be read.",
        "pt": "Nenhum dos arquivos pôde ser lido.",
    },
    "mapping.fatal.no_interactions": {
        "en": "None of the files holds interactions (a creation time per contact).",
        "pt": "Nenhum dos arquivos traz atendimentos (uma data de criação por contato).",
    },
    "mapping.fatal.missing_required": {
        "en": "The {table} table needs the field {field}, and no column provides it.",
        "pt": "A tabela {table} precisa do campo {field}, e nenhuma coluna o fornece.",
    },
    # ---- kpi validate
    "mapping.cli.help": {
        "en": "check files: what was detected and what is wrong with the data",
        "pt": "verifica arquivos: o que foi detectado e o que há de errado nos dados",
    },
    "mapping.cli.file": {
        "en": "File {file}: {format}, {rows} rows{details}",
        "pt": "Arquivo {file}: {format}, {rows} linhas{details}",
    },
    "mapping.cli.table": {
        "en": "Table {table} ({file})",
        "pt": "Tabela {table} ({file})",
    },
    "mapping.cli.field": {
        "en": "  {field:<26} ← {column}  ({confidence} %: {reason})",
        "pt": "  {field:<26} ← {column}  ({confidence} %: {reason})",
    },
    "mapping.cli.unmapped": {
        "en": "  not used: {columns}",
        "pt": "  não usadas: {columns}",
    },
    "mapping.cli.report": {
        "en": "Report:",
        "pt": "Relatório:",
    },
    "mapping.cli.saved": {
        "en": "Mapping saved to {path}.",
        "pt": "Mapeamento salvo em {path}.",
    },
    "mapping.cli.encoding": {"en": "encoding {value}", "pt": "codificação {value}"},
    "mapping.cli.sep": {"en": "separator '{value}'", "pt": "separador '{value}'"},
    "mapping.cli.decimal": {"en": "decimal mark '{value}'", "pt": "separador decimal '{value}'"},
    "mapping.cli.sheet": {"en": "sheet '{value}'", "pt": "planilha '{value}'"},
    "mapping.cli.dayfirst": {"en": "dates day first", "pt": "datas com o dia primeiro"},
    "mapping.cli.monthfirst": {"en": "dates month first", "pt": "datas com o mês primeiro"},
    "mapping.cli.dateorder_unknown": {
        "en": "date order not needed or undecided",
        "pt": "ordem das datas desnecessária ou indefinida",
    },
    "mapping.cli.unusable": {
        "en": "Unusable: {detail}",
        "pt": "Inutilizável: {detail}",
    },
}
