"""Messages about how a column was read (date order, units)."""

MESSAGES: dict[str, dict[str, str]] = {
    "parsing.dayfirst.day_first": {
        "en": "Dates read as day/month: {count} dates have a first number above 12.",
        "pt": "Datas lidas como dia/mês: {count} datas têm o primeiro número maior que 12.",
    },
    "parsing.dayfirst.month_first": {
        "en": "Dates read as month/day: {count} dates have a second number above 12.",
        "pt": "Datas lidas como mês/dia: {count} datas têm o segundo número maior que 12.",
    },
    "parsing.dayfirst.mixed": {
        "en": "The column mixes both date orders ({day_first} dates only read as day/month, "
              "{month_first} only as month/day); the more common order was used.",
        "pt": "A coluna mistura as duas ordens de data ({day_first} datas só se leem como "
              "dia/mês, {month_first} só como mês/dia); foi usada a ordem mais comum.",
    },
    "parsing.dayfirst.undecided": {
        "en": "Every date reads both as day/month and month/day; they were read as day/month. "
              "Change it if your system writes month first.",
        "pt": "Todas as datas podem ser lidas como dia/mês ou mês/dia; foram lidas como "
              "dia/mês. Altere se o seu sistema escreve o mês primeiro.",
    },
    "parsing.unit.seconds": {"en": "seconds", "pt": "segundos"},
    "parsing.unit.minutes": {"en": "minutes", "pt": "minutos"},
    "parsing.unit.hours": {"en": "hours", "pt": "horas"},
}
