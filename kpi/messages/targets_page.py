"""Messages of the Targets page (pages/3_Targets.py)."""

MESSAGES: dict[str, dict[str, str]] = {
    "targets_page.title": {"en": "Targets", "pt": "Metas"},
    "targets_page.no_data": {
        "en": "Load data first: targets are set against the KPIs your data supports.",
        "pt": "Carregue dados primeiro: as metas são definidas para os KPIs que seus dados "
              "permitem.",
    },
    "targets_page.intro": {
        "en": "One row per chosen KPI. Give a target (or, for a KPI best inside a range, a "
              "lower and an upper limit), a warning margin, and optionally a start date. Add "
              "rows for channel or team overrides. Rates are in %, durations in seconds, NPS "
              "in points.",
        "pt": "Uma linha por KPI escolhido. Informe a meta (ou, para um KPI que deve ficar "
              "dentro de um intervalo, um limite inferior e um superior), uma margem de "
              "alerta e, se quiser, uma data de início. Adicione linhas para metas específicas "
              "de um canal ou equipe. Taxas em %, durações em segundos, NPS em pontos.",
    },
    "targets_page.neutral": {
        "en": "{kpi} is neither better higher nor lower, so it takes no target.",
        "pt": "Para {kpi}, nem mais alto nem mais baixo é melhor: sem meta.",
    },
    "targets_page.unavailable": {
        "en": "{kpi} is not in the table: {reason}",
        "pt": "{kpi} não está na tabela: {reason}",
    },
    "targets_page.col.kpi": {"en": "KPI", "pt": "KPI"},
    "targets_page.col.unit": {"en": "Unit", "pt": "Unidade"},
    "targets_page.col.scope": {"en": "Applies to", "pt": "Vale para"},
    "targets_page.col.target": {"en": "Target", "pt": "Meta"},
    "targets_page.col.lower": {"en": "Lower", "pt": "Mínimo"},
    "targets_page.col.upper": {"en": "Upper", "pt": "Máximo"},
    "targets_page.col.margin": {"en": "Warning margin", "pt": "Margem de alerta"},
    "targets_page.col.effective_from": {"en": "From", "pt": "A partir de"},
    "targets_page.col.current": {"en": "Last week", "pt": "Última semana"},
    "targets_page.col.status": {"en": "Status", "pt": "Situação"},
    "targets_page.unit.percent": {"en": "%", "pt": "%"},
    "targets_page.unit.seconds": {"en": "seconds", "pt": "segundos"},
    "targets_page.unit.points": {"en": "points", "pt": "pontos"},
    "targets_page.unit.number": {"en": "number", "pt": "número"},
    "targets_page.help.scope": {
        "en": "All channels and teams, or one channel or team (an override).",
        "pt": "Todos os canais e equipes, ou um único canal ou equipe (uma meta específica).",
    },
    "targets_page.help.target": {
        "en": "The value to reach, in the KPI's unit (e.g. 8 for 8 %).",
        "pt": "O valor a atingir, na unidade do KPI (por exemplo 8 para 8 %).",
    },
    "targets_page.help.band": {
        "en": "For KPIs best inside a range, such as occupancy (e.g. 75 to 85).",
        "pt": "Para KPIs que devem ficar dentro de um intervalo, como a ocupação "
              "(por exemplo 75 a 85).",
    },
    "targets_page.help.margin": {
        "en": "How far past the target still counts as at risk rather than off target.",
        "pt": "Quanto além da meta ainda conta como em risco, e não fora da meta.",
    },
    "targets_page.help.effective_from": {
        "en": "The first day the target applies (empty: always).",
        "pt": "O primeiro dia em que a meta vale (vazio: sempre).",
    },
    "targets_page.save": {"en": "Save targets", "pt": "Salvar metas"},
    "targets_page.nothing_saved": {
        "en": "Nothing was saved: fix the rows above and save again.",
        "pt": "Nada foi salvo: corrija as linhas acima e salve de novo.",
    },
    "targets_page.saved": {
        "en": "Targets saved ({count}).",
        "pt": "Metas salvas ({count}).",
    },
    "targets_page.detectable_heading": {
        "en": "What your volumes can detect",
        "pt": "O que seus volumes permitem detectar",
    },
    "targets_page.detectable_help": {
        "en": "Last complete week's value and status, and the smallest change between two "
              "weeks your typical weekly volume can tell from noise: set targets further away "
              "than that, or judge them over longer periods.",
        "pt": "Valor e situação da última semana completa, e a menor mudança entre duas "
              "semanas que seu volume semanal típico consegue distinguir do ruído: defina "
              "metas mais distantes que isso, ou avalie-as em períodos mais longos.",
    },
}
