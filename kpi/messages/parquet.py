"""Messages of opening a converted (canonical Parquet) dataset (:mod:`kpi.parquet_dataset`)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "parquet.error.not_found": {
        "en": "Nothing was found at “{path}”. Check the path (on the server running the app) "
        "or the URI.",
        "pt": "Nada foi encontrado em “{path}”. Confira o caminho (no servidor onde o "
        "aplicativo roda) ou a URI.",
    },
    "parquet.error.bad_uri": {
        "en": "“{path}” is not a location the app can open ({reason}). Use a local path or a "
        "URI such as s3://bucket/folder.",
        "pt": "“{path}” não é um local que o aplicativo consiga abrir ({reason}). Use um "
        "caminho local ou uma URI como s3://bucket/pasta.",
    },
    "parquet.error.no_parquet": {
        "en": "“{path}” holds no Parquet files. Convert your exports first with "
        "kpi convert FILE --out FOLDER.",
        "pt": "“{path}” não contém arquivos Parquet. Converta antes as suas exportações com "
        "kpi convert ARQUIVO --out PASTA.",
    },
    "parquet.error.unreadable": {
        "en": "The Parquet files at “{path}” could not be read ({reason}).",
        "pt": "Os arquivos Parquet em “{path}” não puderam ser lidos ({reason}).",
    },
    "parquet.error.not_canonical": {
        "en": "The Parquet files at “{path}” are not a converted dataset: they lack {fields}. "
        "Upload the export instead, or convert it with kpi convert.",
        "pt": "Os arquivos Parquet em “{path}” não são um conjunto convertido: falta "
        "{fields}. Envie a exportação pelo envio de arquivos, ou converta-a com kpi convert.",
    },
    "parquet.error.wrong_types": {
        "en": "The Parquet files at “{path}” are not a converted dataset: the fields {fields} "
        "have the wrong type. Convert the export again with kpi convert.",
        "pt": "Os arquivos Parquet em “{path}” não são um conjunto convertido: os campos "
        "{fields} têm o tipo errado. Converta a exportação de novo com kpi convert.",
    },
    "parquet.error.no_months": {
        "en": "Choose at least one month of “{path}” to load.",
        "pt": "Escolha pelo menos um mês de “{path}” para carregar.",
    },
    "parquet.error.no_rows": {
        "en": "The chosen months of “{path}” hold no contacts.",
        "pt": "Os meses escolhidos de “{path}” não têm atendimentos.",
    },
    "parquet.error.too_big": {
        "en": "Loading these {months} months needs about {needed_mb} MB of memory, more than "
        "the {budget_mb} MB this server allows (setting {env}). Choose fewer months, or "
        "compute over all of them with the command line: kpi compute {path} --engine duckdb.",
        "pt": "Carregar estes {months} meses precisa de cerca de {needed_mb} MB de memória, "
        "mais do que os {budget_mb} MB que este servidor permite (configuração {env}). "
        "Escolha menos meses, ou calcule sobre todos pela linha de comando: "
        "kpi compute {path} --engine duckdb.",
    },
}
