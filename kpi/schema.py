"""The canonical interaction table (SPEC §3): its fields, their kinds and pandas dtypes.

Every loader produces a frame with these column names and dtypes; every KPI reads only them.

* ``datetime``: naive ``datetime64`` in the data's local wall time (never UTC).
* ``duration`` and ``number``: ``float64`` (durations in seconds), NaN when unknown.
* ``bool``: pandas nullable ``boolean``, ``<NA>`` when unknown.
* ``text`` and ``id``: pandas string dtype (``"str"``), ``<NA>`` when unknown.

Two bookkeeping columns follow the fields: ``source_file`` (text) and ``source_row``
(``int64``, the 1-based data row in that file), so any number can be traced back to its rows.
Extra text columns the user marks as dimensions keep their source name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldKind = Literal["id", "datetime", "text", "duration", "number", "bool"]

PANDAS_DTYPES: dict[FieldKind, str] = {
    "id": "str",
    "text": "str",
    "datetime": "datetime64[us]",
    "duration": "float64",
    "number": "float64",
    "bool": "boolean",
}


@dataclass(frozen=True)
class Field:
    """One canonical field: its name, kind and whether every dataset must have it."""

    name: str
    kind: FieldKind
    required: bool = False

    @property
    def dtype(self) -> str:
        """The pandas dtype of the field's column in a canonical frame."""
        return PANDAS_DTYPES[self.kind]


INTERACTION_FIELDS: tuple[Field, ...] = (
    Field("interaction_id", "id"),
    Field("created_at", "datetime", required=True),
    Field("channel", "text"),
    Field("team", "text"),
    Field("agent", "text"),
    Field("topic", "text"),
    Field("customer_id", "id"),
    Field("answered_at", "datetime"),
    Field("wait_seconds", "duration"),
    Field("handle_seconds", "duration"),
    Field("resolved_at", "datetime"),
    Field("resolution_seconds", "duration"),
    Field("abandoned", "bool"),
    Field("resolved", "bool"),
    Field("first_contact_resolution", "bool"),
    Field("csat", "number"),
    Field("satisfied", "bool"),
    Field("nps", "number"),
    Field("identified", "bool"),
    Field("transferred", "bool"),
    Field("converted", "bool"),
    Field("cost", "number"),
    Field("status", "text"),
    Field("last_message_from", "text"),
)

ACTIVITY_FIELDS: tuple[Field, ...] = (
    Field("agent", "text", required=True),
    Field("date", "datetime", required=True),
    Field("online_seconds", "duration", required=True),
)

FORECAST_FIELDS: tuple[Field, ...] = (
    Field("date", "datetime", required=True),
    Field("channel", "text"),
    Field("forecast_volume", "number", required=True),
)

FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in INTERACTION_FIELDS}

#: Text fields every KPI can be broken down by (plus any extra dimension the user maps).
DIMENSIONS: tuple[str, ...] = ("channel", "team", "agent", "topic")

#: Normalised channel names (``normalise_channel`` in the mapping layer maps synonyms to these).
CHANNELS: tuple[str, ...] = (
    "phone", "chat", "email", "whatsapp", "instagram", "messenger", "telegram", "sms", "web",
    "other",
)

SOURCE_FILE = "source_file"
SOURCE_ROW = "source_row"

TableName = Literal["interactions", "activity", "forecast"]

TABLE_FIELDS: dict[TableName, tuple[Field, ...]] = {
    "interactions": INTERACTION_FIELDS,
    "activity": ACTIVITY_FIELDS,
    "forecast": FORECAST_FIELDS,
}
