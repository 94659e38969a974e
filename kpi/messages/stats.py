"""Messages of the statistics layer: verdicts, degenerate codes, trends, control-chart rules."""

MESSAGES: dict[str, dict[str, str]] = {
    # ---- verdicts
    "stats.verdict.fell": {
        "en": "{label} fell from {baseline} to {current} ({difference}, 95 % CI {ci_low} to "
              "{ci_high})",
        "pt": "{label} caiu de {baseline} para {current} ({difference}, IC 95 % {ci_low} a "
              "{ci_high})",
    },
    "stats.verdict.rose": {
        "en": "{label} rose from {baseline} to {current} ({difference}, 95 % CI {ci_low} to "
              "{ci_high})",
        "pt": "{label} subiu de {baseline} para {current} ({difference}, IC 95 % {ci_low} a "
              "{ci_high})",
    },
    "stats.verdict.same": {
        "en": "{label} stayed at {baseline} (95 % CI of the change {ci_low} to {ci_high})",
        "pt": "{label} ficou em {baseline} (IC 95 % da mudança {ci_low} a {ci_high})",
    },
    "stats.verdict.moved_no_ci": {
        "en": "{label} went from {baseline} to {current} ({difference})",
        "pt": "{label} passou de {baseline} para {current} ({difference})",
    },
    "stats.verdict.segment": {
        "en": "{label} for {segment} is {current} against {baseline} for the rest ({difference}, "
              "95 % CI {ci_low} to {ci_high})",
        "pt": "{label} em {segment} é {current} contra {baseline} no restante ({difference}, IC "
              "95 % {ci_low} a {ci_high})",
    },
    "stats.verdict.segment_no_ci": {
        "en": "{label} for {segment} is {current} against {baseline} for the rest ({difference})",
        "pt": "{label} em {segment} é {current} contra {baseline} no restante ({difference})",
    },
    "stats.verdict.no_values": {
        "en": "{label}: no comparison possible",
        "pt": "{label}: não é possível comparar",
    },
    "stats.certainty.very_unlikely": {
        "en": "this is very unlikely to be chance ({p})",
        "pt": "é muito improvável que seja acaso ({p})",
    },
    "stats.certainty.unlikely": {
        "en": "this is unlikely to be chance ({p})",
        "pt": "é improvável que seja acaso ({p})",
    },
    "stats.certainty.probably_not": {
        "en": "this is probably not chance ({p})",
        "pt": "provavelmente não é acaso ({p})",
    },
    "stats.certainty.weak": {
        "en": "this could still be chance: the evidence is weak ({p})",
        "pt": "isso ainda pode ser acaso: o indício é fraco ({p})",
    },
    "stats.certainty.cannot_tell": {
        "en": "not enough data to tell: with these volumes only changes larger than {mde} can be "
              "detected ({p})",
        "pt": "dados insuficientes para concluir: com estes volumes só é possível detectar "
              "mudanças maiores que {mde} ({p})",
    },
    "stats.certainty.could_be_chance": {
        "en": "this could well be chance ({p})",
        "pt": "isso pode muito bem ser acaso ({p})",
    },
    "stats.p": {"en": "p = {p}", "pt": "p = {p}"},
    "stats.per_day": {"en": "{label} per day", "pt": "{label} por dia"},
    "stats.p_below": {"en": "p < {p}", "pt": "p < {p}"},
    "stats.p_adjusted": {
        "en": "{p}; {adjusted} after adjusting for {count} comparisons",
        "pt": "{p}; {adjusted} após ajuste para {count} comparações",
    },
    "stats.points": {"en": "{value} points", "pt": "{value} pontos"},
    "stats.robustness": {
        "en": "A rank test (Mann–Whitney) gives {p}.",
        "pt": "Um teste de postos (Mann–Whitney) dá {p}.",
    },
    # ---- degenerate codes
    "stats.code.empty_period": {
        "en": "one of the periods has no data",
        "pt": "um dos períodos não tem dados",
    },
    "stats.code.not_enough_data": {
        "en": "not enough data to compare (a period needs at least 2 values)",
        "pt": "dados insuficientes para comparar (cada período precisa de pelo menos 2 valores)",
    },
    "stats.code.zero_variance": {
        "en": "the values do not vary within each period, so no test is possible",
        "pt": "os valores não variam dentro de cada período, então nenhum teste é possível",
    },
    "stats.code.all_same": {
        "en": "every value is the same in both periods: nothing to test",
        "pt": "todos os valores são iguais nos dois períodos: não há o que testar",
    },
    "stats.code.too_few_days": {
        "en": "too few days with data for a day-by-day comparison (at least {days} per period)",
        "pt": "poucos dias com dados para uma comparação dia a dia (pelo menos {days} por período)",
    },
    "stats.code.too_few_for_p90": {
        "en": "too few values for this percentile (at least {min_n} per period)",
        "pt": "poucos valores para este percentil (pelo menos {min_n} por período)",
    },
    "stats.code.boundary": {
        "en": "both periods are at {value}: nothing to test",
        "pt": "os dois períodos estão em {value}: não há o que testar",
    },
    "stats.code.raw_values_needed": {
        "en": "this percentile needs the individual values, which are not available",
        "pt": "este percentil precisa dos valores individuais, que não estão disponíveis",
    },
    "stats.code.no_denominator": {
        "en": "the denominator is zero in one of the periods",
        "pt": "o denominador é zero em um dos períodos",
    },
    "stats.verdict.degenerate": {
        "en": "{label}: {reason}.",
        "pt": "{label}: {reason}.",
    },
    "stats.verdict.degenerate_values": {
        "en": "{label} went from {baseline} to {current}; {reason}.",
        "pt": "{label} passou de {baseline} para {current}; {reason}.",
    },
    # ---- targets
    "stats.target.worse": {
        "en": "{label} is {value}, significantly worse than the target {target} ({p})",
        "pt": "{label} está em {value}, significativamente pior que a meta {target} ({p})",
    },
    "stats.target.not_worse": {
        "en": "{label} is {value}; not significantly worse than the target {target} ({p})",
        "pt": "{label} está em {value}; não é significativamente pior que a meta {target} ({p})",
    },
    # ---- trends
    "stats.trend.rising": {
        "en": "{label} has been rising by {slope} a {per} since {start} ({p})",
        "pt": "{label} vem subindo {slope} por {per} desde {start} ({p})",
    },
    "stats.trend.falling": {
        "en": "{label} has been falling by {slope} a {per} since {start} ({p})",
        "pt": "{label} vem caindo {slope} por {per} desde {start} ({p})",
    },
    "stats.trend.none": {
        "en": "{label} shows no clear trend since {start} ({p})",
        "pt": "{label} não mostra tendência clara desde {start} ({p})",
    },
    "stats.trend.too_short": {
        "en": "{label}: too few periods to judge a trend (at least {min_n})",
        "pt": "{label}: poucos períodos para avaliar uma tendência (pelo menos {min_n})",
    },
    "stats.per.day": {"en": "day", "pt": "dia"},
    "stats.per.week": {"en": "week", "pt": "semana"},
    "stats.per.month": {"en": "month", "pt": "mês"},
    # ---- control-chart rules (Western Electric)
    "stats.rule.1": {
        "en": "a point beyond the 3σ limits",
        "pt": "um ponto além dos limites de 3σ",
    },
    "stats.rule.2": {
        "en": "2 of 3 points beyond 2σ on the same side",
        "pt": "2 de 3 pontos além de 2σ do mesmo lado",
    },
    "stats.rule.3": {
        "en": "4 of 5 points beyond 1σ on the same side",
        "pt": "4 de 5 pontos além de 1σ do mesmo lado",
    },
    "stats.rule.4": {
        "en": "8 points in a row on the same side of the centre line",
        "pt": "8 pontos seguidos do mesmo lado da linha central",
    },
    # ---- planning
    "stats.mde": {
        "en": "with {n} per period you can only detect a change of about {mde}",
        "pt": "com {n} por período só é possível detectar uma mudança de cerca de {mde}",
    },
    # ---- command line
    "stats.cli.bad_period": {
        "en": "The period {value!r} is not START:END with dates as YYYY-MM-DD.",
        "pt": "O período {value!r} não está no formato INÍCIO:FIM com datas AAAA-MM-DD.",
    },
    "stats.cli.reversed_period": {
        "en": "The period {value!r} ends before it starts.",
        "pt": "O período {value!r} termina antes de começar.",
    },
    "stats.cli.unknown_field": {
        "en": "The data has no field {field!r} to break the comparison down by.",
        "pt": "Os dados não têm o campo {field!r} para detalhar a comparação.",
    },
    "stats.cli.footer": {
        "en": "{count} comparisons tested together; p-values adjusted by Benjamini–Hochberg.",
        "pt": "{count} comparações testadas juntas; valores-p ajustados por Benjamini–Hochberg.",
    },
}
