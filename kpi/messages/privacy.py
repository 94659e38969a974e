"""Messages of pseudonymisation (:mod:`kpi.privacy`)."""

from __future__ import annotations

MESSAGES = {
    "privacy.error.bad_salt": {
        "en": "The pseudonymisation salt must be between 1 and {limit} bytes.",
        "pt": "O sal da pseudonimização deve ter entre 1 e {limit} bytes.",
    },
}
