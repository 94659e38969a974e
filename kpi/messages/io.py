"""Messages of the file readers (``kpi.io``): what went wrong and what to do about it."""

MESSAGES: dict[str, dict[str, str]] = {
    "io.empty": {
        "en": "The file {name} is empty. Export the data again and upload the new file.",
        "pt": "O arquivo {name} está vazio. Exporte os dados novamente e envie o novo arquivo.",
    },
    "io.no_rows": {
        "en": "The file {name} has column headers but no data rows. Check the export's date "
        "range or filters, then export again.",
        "pt": "O arquivo {name} tem cabeçalhos de coluna, mas nenhuma linha de dados. Confira o "
        "período ou os filtros da exportação e exporte de novo.",
    },
    "io.not_found": {
        "en": "The file {name} could not be opened. Check that the path is right and the file "
        "still exists.",
        "pt": "Não foi possível abrir o arquivo {name}. Confira se o caminho está correto e se "
        "o arquivo ainda existe.",
    },
    "io.not_text": {
        "en": "The file {name} is named .{format} but does not contain text (it looks like an "
        "image, a document or another binary file). Upload the data export itself.",
        "pt": "O arquivo {name} tem a extensão .{format}, mas não contém texto (parece uma "
        "imagem, um documento ou outro arquivo binário). Envie a própria exportação dos dados.",
    },
    "io.unknown_format": {
        "en": "The format of {name} is not recognised. Upload a CSV, TSV, Excel (.xlsx), "
        "Parquet, JSON or JSON Lines file, optionally compressed as .gz or .zip.",
        "pt": "O formato de {name} não foi reconhecido. Envie um arquivo CSV, TSV, Excel "
        "(.xlsx), Parquet, JSON ou JSON Lines, compactado ou não em .gz ou .zip.",
    },
    "io.xls_unsupported": {
        "en": "{name} is an old Excel (.xls) workbook, which cannot be read. Open it in Excel "
        "or LibreOffice and save it as .xlsx or .csv.",
        "pt": "{name} é uma pasta de trabalho do Excel antigo (.xls), que não pode ser lida. "
        "Abra-a no Excel ou no LibreOffice e salve como .xlsx ou .csv.",
    },
    "io.corrupt_excel": {
        "en": "The Excel file {name} is damaged or incomplete. Download or export it again, "
        "or save it as .csv.",
        "pt": "O arquivo Excel {name} está danificado ou incompleto. Baixe ou exporte de novo, "
        "ou salve como .csv.",
    },
    "io.corrupt_parquet": {
        "en": "The Parquet file {name} is damaged or incomplete. Export it again.",
        "pt": "O arquivo Parquet {name} está danificado ou incompleto. Exporte-o novamente.",
    },
    "io.corrupt_gzip": {
        "en": "The compressed file {name} (.gz) is damaged or incomplete. Download it again, "
        "or upload the file without compression.",
        "pt": "O arquivo compactado {name} (.gz) está danificado ou incompleto. Baixe-o de novo "
        "ou envie o arquivo sem compactação.",
    },
    "io.corrupt_zip": {
        "en": "The zip archive {name} is damaged, incomplete or password-protected. Extract the "
        "table and upload it directly.",
        "pt": "O arquivo zip {name} está danificado, incompleto ou protegido por senha. Extraia "
        "a tabela e envie-a diretamente.",
    },
    "io.zip_no_table": {
        "en": "The zip archive {name} holds no CSV, Excel, Parquet or JSON file. Upload the "
        "table itself.",
        "pt": "O arquivo zip {name} não contém nenhum arquivo CSV, Excel, Parquet ou JSON. "
        "Envie a própria tabela.",
    },
    "io.zip_many_tables": {
        "en": "The zip archive {name} holds several tables ({files}). Upload them one by one, "
        "or put only one table in the archive.",
        "pt": "O arquivo zip {name} contém várias tabelas ({files}). Envie uma de cada vez ou "
        "deixe só uma tabela no arquivo.",
    },
    "io.sheet_not_found": {
        "en": "The workbook {name} has no sheet called “{sheet}”. Its sheets are: {sheets}.",
        "pt": "A pasta de trabalho {name} não tem uma planilha chamada “{sheet}”. As planilhas "
        "são: {sheets}.",
    },
    "io.sheet_empty": {
        "en": "The sheet “{sheet}” of {name} is empty. Choose the sheet that holds the data.",
        "pt": "A planilha “{sheet}” de {name} está vazia. Escolha a planilha que contém os "
        "dados.",
    },
    "io.bad_json": {
        "en": "{name} is not valid JSON (the problem is near line {line}). Export it again.",
        "pt": "{name} não é um JSON válido (o problema está perto da linha {line}). Exporte-o "
        "novamente.",
    },
    "io.json_shape": {
        "en": "{name} is JSON but not a list of records. Upload an array of objects (one per "
        "interaction), an object holding one such array, or JSON Lines.",
        "pt": "{name} é JSON, mas não é uma lista de registros. Envie um array de objetos (um "
        "por atendimento), um objeto que contenha um único array desses, ou JSON Lines.",
    },
    "io.csv_malformed": {
        "en": "The text file {name} could not be read as a table ({detail}). Check that it is "
        "a CSV export, or set the separator and encoding by hand.",
        "pt": "O arquivo de texto {name} não pôde ser lido como tabela ({detail}). Confira se "
        "é uma exportação CSV ou informe o separador e a codificação manualmente.",
    },
    "io.decode_failed": {
        "en": "The file {name} is not valid {encoding} text. Choose another encoding (for "
        "example utf-8 or latin-1) or let it be detected.",
        "pt": "O arquivo {name} não é um texto {encoding} válido. Escolha outra codificação "
        "(por exemplo utf-8 ou latin-1) ou deixe que ela seja detectada.",
    },
    "io.unknown_encoding": {
        "en": "“{encoding}” is not a known text encoding. Use for example utf-8, latin-1 or "
        "cp1252.",
        "pt": "“{encoding}” não é uma codificação de texto conhecida. Use por exemplo utf-8, "
        "latin-1 ou cp1252.",
    },
    "io.option_not_object": {
        "en": "The \"read\" options must be an object of key/value pairs, not {type}.",
        "pt": "As opções de \"read\" devem ser um objeto de pares chave/valor, e não {type}.",
    },
    "io.option_unknown": {
        "en": "Unknown reading option “{key}”. The options are: {known}.",
        "pt": "Opção de leitura desconhecida “{key}”. As opções são: {known}.",
    },
    "io.option_invalid": {
        "en": "The reading option “{key}” cannot be {value}. Accepted values: {expected}.",
        "pt": "A opção de leitura “{key}” não pode ser {value}. Valores aceitos: {expected}.",
    },
    "io.too_large": {
        "en": "{name} is {size}; the limit is {limit}. Split the export by month, or convert "
        "it with `kpi convert` and open the Parquet folder.",
        "pt": "{name} tem {size}; o limite é {limit}. Divida a exportação por mês, ou "
        "converta-a com `kpi convert` e abra a pasta Parquet.",
    },
    "io.too_big_for_memory": {
        "en": "Reading {name} needs about {need} of memory, but only {available} is available "
        "for it right now. Split the export by month, or convert it with `kpi convert` and "
        "open the Parquet folder.",
        "pt": "Ler {name} exige cerca de {need} de memória, mas só há {available} disponíveis "
        "para isso agora. Divida a exportação por mês, ou converta-a com `kpi convert` e abra "
        "a pasta Parquet.",
    },
    "io.inflates_too_much": {
        "en": "{name} expands to more than {size} once decompressed, more than there is "
        "memory for right now. Split the export by month, or convert it with `kpi convert` "
        "and open the Parquet folder.",
        "pt": "{name} passa de {size} depois de descompactado, mais do que a memória "
        "disponível agora. Divida a exportação por mês, ou converta-a com `kpi convert` e "
        "abra a pasta Parquet.",
    },
    "io.load_too_big_for_memory": {
        "en": "Reading these {count} files together ({name}) needs about {need} of memory, "
        "but only {available} is available for it right now. Load fewer files at once, split "
        "the exports by month, or convert them with `kpi convert` and open the Parquet folder.",
        "pt": "Ler estes {count} arquivos juntos ({name}) exige cerca de {need} de memória, "
        "mas só há {available} disponíveis para isso agora. Carregue menos arquivos de cada "
        "vez, divida as exportações por mês, ou converta-as com `kpi convert` e abra a pasta "
        "Parquet.",
    },
    "io.budget_setting_invalid": {
        "en": "The setting {variable} must be a positive number of megabytes, not “{value}”. "
        "Fix it or remove it to use the default.",
        "pt": "A configuração {variable} deve ser um número positivo de megabytes, e não "
        "“{value}”. Corrija-a ou remova-a para usar o padrão.",
    },
}
