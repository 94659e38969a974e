"""Messages of workshop mode: shared workspaces, access codes, proposals, votes, decisions."""

MESSAGES: dict[str, dict[str, str]] = {
    "workshop.nav": {"en": "Workshop", "pt": "Oficina"},
    "workshop.title": {"en": "Workshop", "pt": "Oficina de KPIs"},
    "workshop.intro": {
        "en": "Agree on KPIs and targets as a team: propose, vote, then adopt them as the "
        "workspace's charter. Everyone who opens this workspace sees the same results.",
        "pt": "Definam KPIs e metas em equipe: proponham, votem e adotem-nos como o contrato de "
        "KPIs do espaço de trabalho. Todos que abrem este espaço veem os mesmos resultados.",
    },
    "workshop.step.propose": {"en": "1. Propose", "pt": "1. Propor"},
    "workshop.step.vote": {"en": "2. Vote", "pt": "2. Votar"},
    "workshop.step.decide": {"en": "3. Decide", "pt": "3. Decidir"},
    # workspaces
    "workshop.workspace.server": {
        "en": "This server's workspace", "pt": "Espaço de trabalho deste servidor",
    },
    "workshop.workspace.heading": {
        "en": "Shared workspace", "pt": "Espaço de trabalho compartilhado",
    },
    "workshop.workspace.current": {
        "en": "Workspace: {name}", "pt": "Espaço de trabalho: {name}",
    },
    "workshop.workspace.pick": {"en": "Open a workspace", "pt": "Abrir um espaço de trabalho"},
    "workshop.workspace.open_label": {
        "en": "Or open or create one by name", "pt": "Ou abra ou crie um pelo nome",
    },
    "workshop.workspace.open_help": {
        "en": "Letters, digits and hyphens, e.g. ops-brazil. Share the page's link so others "
        "join the same workspace.",
        "pt": "Letras, dígitos e hífens, por exemplo ops-brasil. Compartilhe o link da página "
        "para que outras pessoas entrem no mesmo espaço.",
    },
    "workshop.workspace.open_button": {"en": "Open", "pt": "Abrir"},
    "workshop.workspace.bad_name": {
        "en": "'{name}' cannot name a workspace: use letters, digits and hyphens (at most "
        "40), e.g. ops-brazil.",
        "pt": "'{name}' não pode ser o nome de um espaço de trabalho: use letras, dígitos e "
        "hífens (no máximo 40), por exemplo ops-brasil.",
    },
    # access codes
    "workshop.access.locked": {
        "en": "The workspace {name} is protected: enter its access code to open it.",
        "pt": "O espaço de trabalho {name} é protegido: digite o código de acesso para abri-lo.",
    },
    "workshop.access.code_label": {"en": "Access code", "pt": "Código de acesso"},
    "workshop.access.unlock": {"en": "Open the workspace", "pt": "Abrir o espaço de trabalho"},
    "workshop.access.wrong": {
        "en": "That access code is not right.", "pt": "Esse código de acesso não está correto.",
    },
    "workshop.access.wait": {
        "en": "Too many wrong codes: wait {seconds} s before trying again.",
        "pt": "Códigos errados demais: aguarde {seconds} s antes de tentar de novo.",
    },
    "workshop.access.too_short": {
        "en": "An access code needs at least {length} characters.",
        "pt": "Um código de acesso precisa de pelo menos {length} caracteres.",
    },
    "workshop.access.heading": {"en": "Access code", "pt": "Código de acesso"},
    "workshop.access.protected": {
        "en": "This workspace is protected by an access code. Save a new one to change it, or "
        "save an empty one to remove it.",
        "pt": "Este espaço é protegido por um código de acesso. Salve um novo para trocá-lo, "
        "ou salve um vazio para removê-lo.",
    },
    "workshop.access.open": {
        "en": "Anyone who opens this workspace can change it. Set an access code to protect it.",
        "pt": "Qualquer pessoa que abrir este espaço pode alterá-lo. Defina um código de "
        "acesso para protegê-lo.",
    },
    "workshop.access.new_code": {"en": "New access code", "pt": "Novo código de acesso"},
    "workshop.access.save": {"en": "Save the code", "pt": "Salvar o código"},
    "workshop.access.saved": {
        "en": "The workspace is now protected by the access code.",
        "pt": "O espaço agora está protegido pelo código de acesso.",
    },
    "workshop.access.removed": {
        "en": "The workspace no longer needs an access code.",
        "pt": "O espaço não precisa mais de código de acesso.",
    },
    # participants
    "workshop.participant.label": {"en": "Your name", "pt": "Seu nome"},
    "workshop.participant.help": {
        "en": "No account needed: votes are kept under this name, so type the same name after "
        "a reload to see yours.",
        "pt": "Não precisa de conta: os votos ficam guardados com este nome; digite o mesmo "
        "nome depois de recarregar para ver os seus.",
    },
    "workshop.participant.needed": {
        "en": "Type your name to propose and vote.",
        "pt": "Digite seu nome para propor e votar.",
    },
    "workshop.participant.missing": {
        "en": "Type your name first.", "pt": "Digite seu nome primeiro.",
    },
    "workshop.participant.too_long": {
        "en": "A name can have at most {length} characters.",
        "pt": "Um nome pode ter no máximo {length} caracteres.",
    },
    # propose
    "workshop.propose.intro": {
        "en": "Propose a KPI from the catalog or your own, with one line on why it matters to "
        "the team.",
        "pt": "Proponha um KPI do catálogo ou um próprio, com uma linha sobre por que ele "
        "importa para a equipe.",
    },
    "workshop.propose.kind": {"en": "KPI", "pt": "KPI"},
    "workshop.propose.kind.catalog": {"en": "From the catalog", "pt": "Do catálogo"},
    "workshop.propose.kind.custom": {"en": "Our own", "pt": "Próprio"},
    "workshop.propose.kpi": {"en": "Catalog KPI", "pt": "KPI do catálogo"},
    "workshop.propose.custom_name": {"en": "Name of the KPI", "pt": "Nome do KPI"},
    "workshop.propose.why": {
        "en": "Why this matters to us", "pt": "Por que isso importa para nós",
    },
    "workshop.propose.why_hint": {
        "en": "One line, e.g. customers who wait leave", "pt": "Uma linha, por exemplo: quem "
        "espera desiste",
    },
    "workshop.propose.submit": {"en": "Propose", "pt": "Propor"},
    "workshop.propose.done": {"en": "Proposed: {kpi}.", "pt": "Proposto: {kpi}."},
    "workshop.propose.why_missing": {
        "en": "Add one line on why this KPI matters to the team.",
        "pt": "Acrescente uma linha sobre por que este KPI importa para a equipe.",
    },
    "workshop.propose.why_too_long": {
        "en": "Keep the reason to one line of at most {length} characters.",
        "pt": "Mantenha o motivo em uma linha de no máximo {length} caracteres.",
    },
    "workshop.propose.unknown_kpi": {
        "en": "{kpi} is not a KPI of the catalog.", "pt": "{kpi} não é um KPI do catálogo.",
    },
    "workshop.propose.custom_missing": {
        "en": "The custom KPI's definition has no id.",
        "pt": "A definição do KPI próprio não tem identificador.",
    },
    "workshop.propose.kpi_missing": {
        "en": "Choose a catalog KPI or type the name of your own.",
        "pt": "Escolha um KPI do catálogo ou digite o nome de um próprio.",
    },
    "workshop.propose.name_too_long": {
        "en": "A KPI name can have at most {length} characters.",
        "pt": "O nome de um KPI pode ter no máximo {length} caracteres.",
    },
    # vote
    "workshop.vote.none": {
        "en": "No KPI has been proposed yet.", "pt": "Nenhum KPI foi proposto ainda.",
    },
    "workshop.vote.intro": {
        "en": "Score how important each KPI is (1 = not important, 5 = essential) and, if you "
        "like, suggest a target. Voting again replaces your vote.",
        "pt": "Dê uma nota à importância de cada KPI (1 = pouco importante, 5 = essencial) e, "
        "se quiser, sugira uma meta. Votar de novo substitui o seu voto.",
    },
    "workshop.vote.score": {"en": "Importance", "pt": "Importância"},
    "workshop.vote.target": {
        "en": "Suggested target ({unit})", "pt": "Meta sugerida ({unit})",
    },
    "workshop.vote.submit": {"en": "Save my votes", "pt": "Salvar meus votos"},
    "workshop.vote.done": {
        "en": "Votes saved: {count}.", "pt": "Votos salvos: {count}.",
    },
    "workshop.vote.bad_score": {
        "en": "An importance score is a whole number from 1 to 5 (got {score}).",
        "pt": "A nota de importância é um número inteiro de 1 a 5 (recebido: {score}).",
    },
    "workshop.vote.bad_target": {
        "en": "A suggested target must be a number (got {value}).",
        "pt": "A meta sugerida deve ser um número (recebido: {value}).",
    },
    "workshop.vote.no_proposal": {
        "en": "Proposal {proposal} no longer exists; reload the page.",
        "pt": "A proposta {proposal} não existe mais; recarregue a página.",
    },
    "workshop.unit.percent": {"en": "%", "pt": "%"},
    "workshop.unit.duration": {"en": "seconds", "pt": "segundos"},
    "workshop.unit.nps": {"en": "points", "pt": "pontos"},
    "workshop.unit.rate": {"en": "per unit", "pt": "por unidade"},
    "workshop.unit.number": {"en": "number", "pt": "número"},
    # results
    "workshop.results.heading": {"en": "Live results", "pt": "Resultados ao vivo"},
    "workshop.results.summary": {
        "en": "{proposals} proposals, {votes} votes so far (updates every few seconds).",
        "pt": "{proposals} propostas, {votes} votos até agora (atualiza a cada poucos segundos).",
    },
    "workshop.results.kpi": {"en": "KPI", "pt": "KPI"},
    "workshop.results.proposed_by": {"en": "Proposed by", "pt": "Proposto por"},
    "workshop.results.why": {"en": "Why it matters", "pt": "Por que importa"},
    "workshop.results.votes": {"en": "Votes", "pt": "Votos"},
    "workshop.results.mean": {"en": "Average", "pt": "Média"},
    "workshop.results.spread": {"en": "Spread (sd)", "pt": "Dispersão (dp)"},
    "workshop.results.target": {"en": "Suggested target (median)", "pt": "Meta sugerida (mediana)"},
    "workshop.results.detectable": {"en": "Detectable change", "pt": "Mudança detectável"},
    "workshop.results.detectable_help": {
        "en": "With the data's typical weekly volume, a change smaller than this between two "
        "weeks cannot be told from noise: a target closer than this to today's value cannot "
        "be checked week by week.",
        "pt": "Com o volume semanal típico dos dados, uma mudança menor que esta entre duas "
        "semanas não se distingue do ruído: uma meta mais próxima do valor atual do que isso "
        "não pode ser verificada semana a semana.",
    },
    "workshop.results.no_data": {
        "en": "Load data to see the smallest change each KPI can detect.",
        "pt": "Carregue dados para ver a menor mudança que cada KPI consegue detectar.",
    },
    # decide
    "workshop.decide.choose": {
        "en": "KPIs to adopt (best average first)", "pt": "KPIs a adotar (melhor média primeiro)",
    },
    "workshop.decide.placeholder": {
        "en": "Choose the KPIs the team agreed on", "pt": "Escolha os KPIs que a equipe aprovou",
    },
    "workshop.decide.option": {
        "en": "{kpi} — average {mean}, {votes} votes", "pt": "{kpi} — média {mean}, {votes} votos",
    },
    "workshop.decide.target": {
        "en": "Target for {kpi} ({unit})", "pt": "Meta de {kpi} ({unit})",
    },
    "workshop.decide.submit": {
        "en": "Adopt as the workspace's charter", "pt": "Adotar como contrato de KPIs do espaço",
    },
    "workshop.decide.done": {
        "en": "The charter now has {count} KPIs.", "pt": "O contrato agora tem {count} KPIs.",
    },
    "workshop.decide.nothing": {
        "en": "Choose at least one KPI to adopt.", "pt": "Escolha pelo menos um KPI para adotar.",
    },
    "workshop.history.heading": {"en": "Decisions", "pt": "Decisões"},
    "workshop.history.entry": {
        "en": "{when} · {who} adopted {count} KPIs", "pt": "{when} · {who} adotou {count} KPIs",
    },
    "workshop.history.item": {
        "en": "{kpi}, proposed by {who} ({why}): {votes} votes, average {mean}",
        "pt": "{kpi}, proposto por {who} ({why}): {votes} votos, média {mean}",
    },
    # shared dataset
    "workshop.share.no_data": {
        "en": "No data loaded: the results show votes only.",
        "pt": "Nenhum dado carregado: os resultados mostram apenas os votos.",
    },
    "workshop.share.shared": {
        "en": "Everyone in this workspace sees this dataset.",
        "pt": "Todos neste espaço veem este conjunto de dados.",
    },
    "workshop.share.button": {
        "en": "Share this dataset with the workspace",
        "pt": "Compartilhar este conjunto de dados com o espaço",
    },
    "workshop.share.done": {
        "en": "Dataset shared: everyone who opens this workspace now sees it.",
        "pt": "Dados compartilhados: todos que abrirem este espaço passam a vê-los.",
    },
}
