"""Messages shared by every area."""

MESSAGES: dict[str, dict[str, str]] = {
    "common.error": {
        "en": "Something went wrong: {detail}",
        "pt": "Algo deu errado: {detail}",
    },
}
