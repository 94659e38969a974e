"""Messages of targets, the KPI charter and the workspace store."""

MESSAGES: dict[str, dict[str, str]] = {
    # targets
    "targets.status.on_target": {"en": "On target", "pt": "Dentro da meta"},
    "targets.status.at_risk": {"en": "At risk", "pt": "Em risco"},
    "targets.status.off_target": {"en": "Off target", "pt": "Fora da meta"},
    "targets.value_or_band": {
        "en": "The target for {kpi} needs either a value or a band (lower and upper), not both.",
        "pt": "A meta de {kpi} precisa de um valor ou de uma faixa (mínimo e máximo), não ambos.",
    },
    "targets.band_required": {
        "en": "{kpi} is best inside a range: give its target as a band (lower and upper).",
        "pt": "{kpi} deve ficar dentro de um intervalo: informe a meta como uma faixa "
        "(mínimo e máximo).",
    },
    "targets.value_required": {
        "en": "{kpi} has a better direction, so its target is a single value, not a band.",
        "pt": "{kpi} tem um sentido de melhora, então a meta é um único valor, não uma faixa.",
    },
    "targets.neutral_kpi": {
        "en": "{kpi} is neither better higher nor lower, so it cannot have a target.",
        "pt": "Para {kpi}, nem mais alto nem mais baixo é melhor, então não pode ter meta.",
    },
    "targets.rate_out_of_range": {
        "en": "The target for {kpi} is a rate and must be between 0 % and 100 % (got {value}).",
        "pt": "A meta de {kpi} é uma taxa e deve ficar entre 0 % e 100 % (recebido: {value}).",
    },
    "targets.negative_duration": {
        "en": "The target for {kpi} is a duration and cannot be negative (got {value}).",
        "pt": "A meta de {kpi} é uma duração e não pode ser negativa (recebido: {value}).",
    },
    "targets.band_reversed": {
        "en": "The band for {kpi} has its lower limit ({lower}) above its upper limit ({upper}).",
        "pt": "A faixa de {kpi} tem o limite inferior ({lower}) acima do superior ({upper}).",
    },
    "targets.negative_margin": {
        "en": "The warning margin for {kpi} cannot be negative (got {value}).",
        "pt": "A margem de alerta de {kpi} não pode ser negativa (recebido: {value}).",
    },
    "targets.not_a_number": {
        "en": "The target for {kpi} must be a number (got {value}).",
        "pt": "A meta de {kpi} deve ser um número (recebido: {value}).",
    },
    "targets.bad_scope": {
        "en": "A target can apply to one channel or one team only (got {scope}).",
        "pt": "Uma meta pode valer para um único canal ou uma única equipe (recebido: {scope}).",
    },
    "targets.bad_date": {
        "en": "The start date of the target for {kpi} is not a date (got {value}).",
        "pt": "A data de início da meta de {kpi} não é uma data (recebido: {value}).",
    },
    # charter
    "targets.charter.malformed": {
        "en": "This file is not a readable KPI charter: {detail}.",
        "pt": "Este arquivo não é um contrato de KPIs legível: {detail}.",
    },
    "targets.charter.newer_version": {
        "en": "This charter was written by a newer version of the app (format {found}; this "
        "version reads up to {supported}). Update the app to open it.",
        "pt": "Este contrato foi gravado por uma versão mais nova do aplicativo (formato "
        "{found}; esta versão lê até {supported}). Atualize o aplicativo para abri-lo.",
    },
    "targets.charter.bad_field": {
        "en": "The charter's field \"{field}\" should be {expected}.",
        "pt": "O campo \"{field}\" do contrato deveria ser {expected}.",
    },
    "targets.charter.unknown_kpis": {
        "en": "The charter mentions KPIs this app does not know: {kpis}. They were kept but "
        "are not shown.",
        "pt": "O contrato cita KPIs que este aplicativo não conhece: {kpis}. Eles foram "
        "mantidos, mas não são exibidos.",
    },
    # workspace store
    "targets.store.corrupt": {
        "en": "The workspace database {path} is damaged. Restart the app (or run the command "
        "again): it will set the damaged file aside and start a new one.",
        "pt": "O banco de dados do espaço de trabalho {path} está danificado. Reinicie o "
        "aplicativo (ou rode o comando de novo): o arquivo danificado será posto de lado e "
        "um novo será criado.",
    },
    "targets.store.foreign": {
        "en": "The file {path} is a SQLite database of another program, not a workspace. It "
        "was left untouched; move it away or choose another workspace folder.",
        "pt": "O arquivo {path} é um banco de dados SQLite de outro programa, não um espaço "
        "de trabalho. Ele não foi alterado; mova-o ou escolha outra pasta.",
    },
    "targets.store.recovered": {
        "en": "The workspace database was damaged and has been set aside as {file}; a new, "
        "empty one was started. The charters, targets and mappings saved before are in that "
        "file. The data files of saved datasets stay in the folder {datasets}, but are no "
        "longer listed.",
        "pt": "O banco de dados do espaço de trabalho estava danificado e foi posto de lado "
        "como {file}; um novo, vazio, foi criado. Os contratos, metas e mapeamentos salvos "
        "antes estão nesse arquivo. Os arquivos dos conjuntos de dados salvos continuam na "
        "pasta {datasets}, mas não aparecem mais na lista.",
    },
    "targets.store.disk_full": {
        "en": "The disk holding the workspace {path} is full, so nothing was saved: the "
        "workspace is as it was before. Free some space and try again.",
        "pt": "O disco do espaço de trabalho {path} está cheio, por isso nada foi salvo: o "
        "espaço de trabalho continua como estava. Libere espaço e tente de novo.",
    },
    "targets.store.newer_version": {
        "en": "The workspace {path} was created by a newer version of the app (schema "
        "{found}; this version knows up to {supported}). It was left untouched.",
        "pt": "O espaço de trabalho {path} foi criado por uma versão mais nova do aplicativo "
        "(esquema {found}; esta versão conhece até {supported}). Ele não foi alterado.",
    },
    "targets.store.busy": {
        "en": "The workspace {path} stayed busy (another session is writing). Try again.",
        "pt": "O espaço de trabalho {path} continuou ocupado (outra sessão está gravando). "
        "Tente de novo.",
    },
    "targets.store.no_mapping": {
        "en": "There is no saved mapping named \"{name}\" in the workspace.",
        "pt": "Não há mapeamento salvo com o nome \"{name}\" no espaço de trabalho.",
    },
    "targets.store.no_dataset": {
        "en": "There is no saved dataset named \"{name}\" in the workspace.",
        "pt": "Não há conjunto de dados salvo com o nome \"{name}\" no espaço de trabalho.",
    },
    "targets.store.no_revision": {
        "en": "There is no saved charter version number {name} in the workspace.",
        "pt": "Não há versão número {name} do contrato salva no espaço de trabalho.",
    },
    "targets.store.missing_file": {
        "en": "The data file of dataset \"{name}\" is missing from the workspace folder.",
        "pt": "O arquivo de dados do conjunto \"{name}\" sumiu da pasta do espaço de trabalho.",
    },
    "targets.store.bad_name": {
        "en": "A name cannot be empty.",
        "pt": "O nome não pode ficar vazio.",
    },
}
