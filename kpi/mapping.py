"""Which source column feeds which canonical field: the mapping file and its detection.

:class:`Mapping` is the mapping file of SPEC §7 (JSON, every key optional). :func:`detect_mapping`
proposes one from a raw frame: headers are normalised (lowercase, no accents, punctuation as
spaces) and scored against alias tables in English, Portuguese, Spanish and Catalan (the
headers helpdesks and telephony systems export), then confirmed by the column's content. Each
choice carries a confidence and a reason (a message code with parameters), so the user sees
why a column was picked. Status-like columns become value mappings (``Abandonada`` →
``abandoned``, ``Resolved`` → ``resolved``, ``Bom``/``Ruim`` → ``satisfied``).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable
from collections.abc import Mapping as AbcMapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kpi.errors import MappingError
from kpi.io.options import ReadOptions
from kpi.parsing import parse_share, parse_text, unit_from_header
from kpi.schema import CHANNELS, TABLE_FIELDS, Field, TableName

Unit = Literal["seconds", "minutes", "hours"]
UNITS: tuple[str, ...] = ("seconds", "minutes", "hours")

_TABLE_KEYS = ("read", "columns", "units", "values", "csat_scale", "timezone", "dimensions")
_TOP_KEYS = (*_TABLE_KEYS, "activity", "forecast")
_NESTED_KEYS = (*_TABLE_KEYS, "sheet", "file")


# --------------------------------------------------------------------------- the mapping file


@dataclass(frozen=True)
class ValueMapping:
    """A boolean field derived from the values of a column (``true``/``false`` lists)."""

    column: str
    true: tuple[str, ...] = ()
    false: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"column", "true", "false"}``."""
        return {"column": self.column, "true": list(self.true), "false": list(self.false)}


@dataclass(frozen=True)
class Mapping:
    """The mapping file (SPEC §7): reading options, columns, units, value mappings and more.

    ``activity`` and ``forecast`` are nested mappings of the same shape for the optional agent
    activity and forecast tables; they may also name a ``sheet`` or a ``file``.
    """

    read: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    values: dict[str, ValueMapping] = field(default_factory=dict)
    csat_scale: tuple[float, float] | None = None
    timezone: str | None = None
    dimensions: tuple[str, ...] = ()
    activity: Mapping | None = None
    forecast: Mapping | None = None
    sheet: str | None = None
    file: str | None = None

    def __hash__(self) -> int:
        return hash(self.to_json())

    @property
    def scale(self) -> tuple[float, float]:
        """The CSAT scale in use (default 1–5)."""
        return self.csat_scale or (1.0, 5.0)

    @property
    def dayfirst(self) -> bool | None:
        """Date order from the reading options (``None``: decide from the data)."""
        return self.read.get("dayfirst")

    def source_columns(self) -> set[str]:
        """Every source column this mapping reads."""
        used = set(self.columns.values()) | set(self.dimensions)
        used |= {value.column for value in self.values.values()}
        return used

    # ---- JSON

    @classmethod
    def from_dict(cls, data: object, *, table: TableName = "interactions") -> Mapping:
        """Validate and build a mapping; anything unknown or mistyped → ``MappingError``."""
        return _from_dict(data, table=table, prefix="")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, with keys in a stable order and empty parts left out."""
        out: dict[str, Any] = {}
        if self.sheet is not None:
            out["sheet"] = self.sheet
        if self.file is not None:
            out["file"] = self.file
        if self.read:
            out["read"] = ReadOptions.from_dict(self.read).to_dict()
        if self.columns:
            out["columns"] = dict(self.columns)
        if self.units:
            out["units"] = dict(self.units)
        if self.values:
            out["values"] = {name: vm.to_dict() for name, vm in self.values.items()}
        if self.csat_scale is not None:
            out["csat_scale"] = [_plain_number(v) for v in self.csat_scale]
        if self.timezone is not None:
            out["timezone"] = self.timezone
        if self.dimensions:
            out["dimensions"] = list(self.dimensions)
        if self.activity is not None:
            out["activity"] = self.activity.to_dict()
        if self.forecast is not None:
            out["forecast"] = self.forecast.to_dict()
        return out

    def to_json(self) -> str:
        """The mapping as pretty JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> Mapping:
        """Parse JSON text; bad JSON → ``MappingError``."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise MappingError("mapping.error.json", detail=str(error)) from None
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        """Read a mapping file (UTF-8 JSON)."""
        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            raise MappingError(
                "mapping.error.file", path=str(path), detail=error.strerror
            ) from None
        return cls.from_json(raw)

    def save(self, path: str | Path) -> None:
        """Write the mapping as UTF-8 JSON."""
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")


def _finite(value: float) -> float:
    """``value`` as a float; NaN, infinities and integers beyond float range become NaN (so
    any comparison with them is false)."""
    try:
        number = float(value)
    except OverflowError:
        return math.nan
    return number if math.isfinite(number) else math.nan


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _type_name(value: object) -> str:
    return {dict: "object", list: "list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "number" if isinstance(value, int | float) else type(value).__name__
    )


def _expect(value: object, types: tuple[type, ...], key: str, allowed: str) -> None:
    ok = isinstance(value, types) and not (
        isinstance(value, bool) and bool not in types and int in types
    )
    if not ok:
        raise MappingError("mapping.error.type", key=key, expected=allowed, got=_type_name(value))


def _from_dict(data: object, *, table: TableName, prefix: str) -> Mapping:
    nested = bool(prefix)
    allowed_keys = _NESTED_KEYS if nested else _TOP_KEYS
    _expect(data, (dict,), prefix.rstrip(".") or "mapping", "object")
    assert isinstance(data, dict)
    for key in data:
        if key not in allowed_keys:
            raise MappingError(
                "mapping.error.unknown_key", key=prefix + str(key), allowed=", ".join(allowed_keys)
            )
    fields = {f.name: f for f in TABLE_FIELDS[table]}
    field_names = ", ".join(fields)
    kwargs: dict[str, Any] = {}

    read = data.get("read", {})
    _expect(read, (dict,), prefix + "read", "object")
    kwargs["read"] = _read_options(read, prefix)

    columns = data.get("columns", {})
    _expect(columns, (dict,), prefix + "columns", "object")
    for name, column in columns.items():
        if name not in fields:
            raise MappingError(
                "mapping.error.unknown_field", key=f"{prefix}columns.{name}", allowed=field_names
            )
        _expect(column, (str,), f"{prefix}columns.{name}", "text")
    kwargs["columns"] = dict(columns)

    units = data.get("units", {})
    _expect(units, (dict,), prefix + "units", "object")
    durations = [f.name for f in fields.values() if f.kind == "duration"]
    for name, unit in units.items():
        if name not in durations:
            raise MappingError(
                "mapping.error.unknown_field", key=f"{prefix}units.{name}",
                allowed=", ".join(durations),
            )
        if unit not in UNITS:
            raise MappingError(
                "mapping.error.unit", key=f"{prefix}units.{name}", value=str(unit),
                allowed=", ".join(UNITS),
            )
    kwargs["units"] = dict(units)

    values = data.get("values", {})
    _expect(values, (dict,), prefix + "values", "object")
    booleans = [f.name for f in fields.values() if f.kind == "bool"]
    parsed_values: dict[str, ValueMapping] = {}
    for name, spec in values.items():
        key = f"{prefix}values.{name}"
        if name not in booleans:
            raise MappingError("mapping.error.unknown_field", key=key, allowed=", ".join(booleans))
        _expect(spec, (dict,), key, "object")
        for sub in spec:
            if sub not in ("column", "true", "false"):
                raise MappingError(
                    "mapping.error.unknown_key", key=f"{key}.{sub}", allowed="column, true, false"
                )
        if "column" not in spec:
            raise MappingError("mapping.error.missing", key=f"{key}.column")
        _expect(spec["column"], (str,), f"{key}.column", "text")
        lists: dict[str, tuple[str, ...]] = {}
        for side in ("true", "false"):
            items = spec.get(side, [])
            _expect(items, (list,), f"{key}.{side}", "list of texts")
            for item in items:
                _expect(item, (str, int, float), f"{key}.{side}", "list of texts")
            lists[side] = tuple(str(item) for item in items)
        if not lists["true"] and not lists["false"]:
            raise MappingError("mapping.error.missing", key=f"{key}.true")
        parsed_values[name] = ValueMapping(spec["column"], lists["true"], lists["false"])
    kwargs["values"] = parsed_values

    if data.get("csat_scale") is not None:
        scale = data["csat_scale"]
        key = prefix + "csat_scale"
        _expect(scale, (list,), key, "[low, high]")
        if len(scale) != 2:
            raise MappingError("mapping.error.type", key=key, expected="[low, high]", got="list")
        for bound in scale:
            _expect(bound, (int, float), key, "[low, high]")
        low, high = (_finite(bound) for bound in scale)
        if not low < high:
            raise MappingError("mapping.error.scale", key=key, low=scale[0], high=scale[1])
        kwargs["csat_scale"] = (low, high)

    if data.get("timezone") is not None:
        _expect(data["timezone"], (str,), prefix + "timezone", "text")
        _check_timezone(data["timezone"], prefix + "timezone")
        kwargs["timezone"] = data["timezone"]

    dims = data.get("dimensions", [])
    _expect(dims, (list,), prefix + "dimensions", "list of texts")
    for item in dims:
        _expect(item, (str,), prefix + "dimensions", "list of texts")
    kwargs["dimensions"] = tuple(dims)

    for key in ("sheet", "file"):
        if data.get(key) is not None:
            _expect(data[key], (str,), prefix + key, "text")
            kwargs[key] = data[key]

    for sub_table in ("activity", "forecast"):
        if data.get(sub_table) is not None:
            kwargs[sub_table] = _from_dict(data[sub_table], table=sub_table, prefix=f"{sub_table}.")
    return Mapping(**kwargs)


def _check_timezone(name: str, key: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: name too long
        raise MappingError("mapping.error.timezone", key=key, value=name) from None


def _read_options(read: dict[str, Any], prefix: str) -> dict[str, Any]:
    """Validate the ``read`` block with ``ReadOptions``; errors name the key with its path."""
    try:
        return ReadOptions.from_dict(read).to_dict()
    except MappingError as error:
        params = dict(error.params)
        params["key"] = f"{prefix}read.{params.get('key', '')}"
        raise MappingError(error.code, **params) from None


# --------------------------------------------------------------------------- header aliases

#: Aliases per canonical field, written as people write them; normalised on first use. A
#: trailing ``~w`` gives the alias a weight below 1 (a weaker, more ambiguous name).
ALIASES: dict[TableName, dict[str, tuple[str, ...]]] = {
    "interactions": {
        "interaction_id": (
            "id", "ticket id", "ticket", "ticket number", "ticket #", "conversation id",
            "call id", "callid", "call sid", "interaction id", "contact id", "case id",
            "case number", "display id", "chat id", "session id", "protocolo",
            "numero do protocolo", "n protocolo", "nº protocolo", "protocolo de atendimento",
            "id do atendimento", "id atendimento", "numero do atendimento", "chamado",
            "numero do chamado", "id do chamado", "id do ticket", "numero do ticket",
            "id da conversa", "id da chamada", "id de la conversacion", "numero de ticket",
            "id del ticket", "id de llamada", "id llamada", "caso", "numero de caso",
            "id de la trucada", "id trucada", "numero de tiquet", "id del tiquet",
            "id de la conversa",
        ),
        "created_at": (
            "created at", "created", "created time", "created date", "creation date",
            "creation time", "date created", "start time", "start date", "started at",
            "conversation started at", "call start", "call start time", "opened at",
            "opened", "received at", "arrival time", "date", "datetime", "date time",
            "timestamp", "request date", "data", "data hora", "data e hora",
            "data de abertura", "abertura", "data de criacao", "criado em", "criada em",
            "data do atendimento", "data hora de entrada", "data hora de abertura",
            "data hora de criacao", "data hora do contato", "data da chamada",
            "data da ligacao", "inicio",
            "data inicio", "hora inicio", "data de entrada", "entrada", "entrada na fila",
            "data do contato", "fecha", "fecha hora", "fecha y hora", "fecha de creacion",
            "creado", "creado el", "fecha de apertura", "fecha de inicio", "hora de inicio",
            "fecha de entrada", "data de creacio", "creat", "creat el", "data i hora",
            "data d obertura", "data d entrada", "inici", "hora d inici",
        ),
        "channel": (
            "channel", "source", "via", "medium", "contact channel", "ticket channel",
            "conversation channel", "channel type", "media type", "mediatype", "canal",
            "canal de atendimento", "canal de contato", "origem", "origem do contato",
            "meio", "meio de contato", "tipo de canal", "origen", "medio", "canal d entrada",
        ),
        "team": (
            "team", "group", "queue", "queue name", "group name", "team name", "department",
            "workgroup", "skill", "inbox", "squad", "fila", "equipe", "grupo", "setor",
            "departamento", "time", "celula", "nome da fila", "cola", "equipo", "cua",
            "equip", "grup", "departament",
        ),
        "agent": (
            "agent", "agent name", "assignee", "assignee name", "assigned to", "responder",
            "owner", "operator", "user name~0.7", "handled by", "agente", "atendente",
            "operador", "responsavel", "analista", "colaborador", "atribuido a",
            "nome do atendente", "nome do agente", "usuario~0.7", "asignado", "asignado a",
            "agente asignado", "assignat a", "responsable", "gestor",
        ),
        "topic": (
            "topic", "category", "subject~0.8", "reason", "contact reason", "intent", "type",
            "ticket type", "issue type", "call reason", "tags~0.6", "assunto~0.8", "motivo",
            "motivo do contato", "motivo do atendimento", "categoria", "tema", "tipo",
            "tipo de atendimento", "classificacao", "tabulacao", "natureza", "asunto~0.8",
            "motivo de contacto", "tipologia", "motiu", "assumpte~0.8", "tipus",
        ),
        "customer_id": (
            # a phone, e-mail or id identifies a customer better than a name (names repeat)
            "customer", "customer id", "customer name~0.85", "requester", "requester id",
            "requester email", "requester name~0.85", "contact", "contact name~0.85", "client",
            "client id", "phone", "phone number", "caller", "caller id", "from", "ani",
            "contact phone", "customer phone", "contact email", "customer email",
            "email~0.7", "cliente", "id do cliente", "codigo do cliente", "nome do cliente~0.85",
            "telefone", "telefone do cliente", "email do cliente",
            "numero do cliente", "solicitante", "contato", "cpf", "remetente",
            "numero de origem", "id cliente", "telefono", "contacto", "client id",
            "telefon", "sollicitant", "contacte",
        ),
        "answered_at": (
            "answered at", "answer time~0.8", "answered time", "connected at",
            "first reply at", "first response at", "first responded at",
            "first response date", "atendido em", "atendida em", "hora do atendimento~0.8",
            "inicio do atendimento", "data hora de atendimento", "data hora do atendimento",
            "hora de atendimento~0.8", "data da primeira resposta", "primeira resposta em",
            "data de resposta", "atendido el", "fecha de respuesta", "fecha de atencion",
            "fecha primera respuesta", "atesa el", "data de resposta", "data d atencio",
        ),
        "wait_seconds": (
            "wait time", "wait", "waiting time", "wait seconds", "queue time", "queuetime",
            "time in queue", "queue duration", "hold time in queue", "speed of answer", "asa",
            "first reply time", "first response time", "time to first response",
            "time to first reply", "reply time~0.8", "response time~0.8", "tempo de espera",
            "espera", "tme", "tempo na fila", "tempo em fila", "tempo de fila",
            "tempo de primeira resposta", "tempo ate primeira resposta",
            "tempo da primeira resposta", "tempo de resposta~0.8", "tiempo de espera",
            "tiempo en cola", "tiempo de primera respuesta", "tiempo de respuesta~0.8",
            "temps d espera", "temps en cua", "temps de primera resposta",
            "temps de resposta~0.8",
        ),
        "handle_seconds": (
            "handle time", "handling time", "handle seconds", "aht", "duration~0.8",
            "call duration", "talk duration", "talk time~0.8", "talktime~0.8",
            "conversation duration", "chat duration", "tempo de atendimento", "duracao~0.8",
            "duracao da chamada", "duracao do atendimento", "tma", "tempo medio de atendimento",
            "tempo de conversa", "tempo falado", "tempo de ligacao", "tiempo de atencion",
            "duracion~0.8", "duracion de la llamada", "tiempo de conversacion",
            "tiempo de gestion", "temps d atencio", "durada~0.8", "temps de conversa",
            "durada de la trucada",
        ),
        "resolved_at": (
            "resolved at", "solved at", "closed at", "resolved time", "closed time",
            "resolution date", "resolved date", "date closed", "date resolved",
            "close date", "closed", "data de fechamento", "fechado em", "fechada em",
            "data de resolucao", "resolvido em", "resolvida em", "data de encerramento",
            "encerrado em", "encerrada em", "data hora de encerramento",
            "data hora de fechamento", "data hora de resolucao", "data de conclusao",
            "concluido em",
            "fecha de cierre", "fecha de resolucion", "cerrado el", "resuelto el",
            "cerrado en", "data de tancament", "tancat el", "resolt el",
            "data de resolucio",
        ),
        "resolution_seconds": (
            "resolution time", "full resolution time", "time to resolution",
            "time to resolve", "resolution seconds", "time to close", "tempo de resolucao",
            "tempo ate resolucao", "tempo de solucao", "tempo ate fechamento",
            "tempo de fechamento", "tmr", "tempo medio de resolucao",
            "tiempo de resolucion", "tiempo hasta resolucion", "tiempo de cierre",
            "temps de resolucio", "temps de tancament",
        ),
        "abandoned": (
            "abandoned", "abandon", "is abandoned", "abandonada", "abandonado", "abandono",
            "abandonou", "desistencia", "chamada abandonada", "ligacao abandonada",
            "llamada abandonada", "abandonat", "trucada abandonada",
        ),
        "resolved": (
            "resolved", "is resolved", "solved", "resolvido", "resolvida", "solucionado",
            "solucionada", "resuelto", "resuelta", "resolt", "resolta",
        ),
        "first_contact_resolution": (
            "fcr", "first contact resolution", "resolved on first contact", "one touch",
            "one touch resolution", "first call resolution", "resolvido no primeiro contato",
            "resolucao no primeiro contato", "resolvido no primeiro atendimento",
            "resolucao no primeiro atendimento", "resuelto en primer contacto",
            "resolucion en primer contacto", "resolt al primer contacte",
            "resolucio al primer contacte",
        ),
        "csat": (
            "csat", "csat score", "satisfaction score", "satisfaction", "satisfaction rating",
            "customer satisfaction", "rating", "score~0.8", "survey score", "survey rating",
            "nota", "nota csat", "nota do cliente", "nota de satisfacao", "avaliacao",
            "nota da avaliacao", "satisfacao", "pesquisa de satisfacao", "calificacion",
            "puntuacion", "valoracion", "satisfaccion", "nota de satisfaccion",
            "valoracio", "puntuacio", "satisfaccio",
        ),
        "satisfied": (
            "satisfied", "is satisfied", "customer satisfied", "satisfeito",
            "cliente satisfeito", "satisfecho", "cliente satisfecho", "satisfet",
        ),
        "nps": (
            "nps", "nps score", "nota nps", "likelihood to recommend", "recommend score",
            "would recommend", "recomendaria", "nota de recomendacao", "probabilidad de recomendar",
            "recomanaria",
        ),
        "identified": (
            "identified", "is identified", "bot identified", "intent recognized", "recognized",
            "categorized", "identificado", "identificada", "reconhecido", "classificado",
            "identificat", "identificado pelo bot", "identificada pelo bot",
            "identificado pela ura", "identified by bot",
        ),
        "transferred": (
            "transferred", "transfer", "was transferred", "rerouted", "transferido",
            "transferida", "transferencia", "houve transferencia", "transferit",
        ),
        "converted": (
            "converted", "conversion", "sale", "sold", "purchase", "venda", "vendeu",
            "venda realizada", "convertido", "converteu", "conversao", "venta", "convertit",
            "conversio",
        ),
        "cost": (
            "cost", "price", "cost per contact", "contact cost", "custo", "custo do atendimento",
            "valor~0.6", "coste", "costo", "cost del contacte",
        ),
        "status": (
            "status", "state", "ticket status", "conversation status", "situacao", "estado",
            "status do ticket", "status do atendimento", "situacao do atendimento",
            "situacao do ticket", "estado del ticket", "estat",
        ),
        "last_message_from": (
            "last message from", "last message by", "last sender", "last message sender",
            "ultima mensagem de", "ultima mensagem por", "remetente da ultima mensagem",
            "ultimo mensaje de", "darrer missatge de",
        ),
    },
    "activity": {
        "agent": (
            "agent", "agent name", "operator", "user", "agente", "atendente", "operador",
            "colaborador", "nome do atendente", "usuario",
        ),
        "date": ("date", "day", "data", "dia", "fecha", "date time", "data hora"),
        "online_seconds": (
            "online time", "online hours", "online", "time online", "logged in time",
            "login time", "logged time", "available time", "online seconds", "tempo online",
            "tempo logado", "horas online", "horas logadas", "tempo disponivel",
            "tempo conectado", "tiempo conectado", "horas conectado", "tiempo en linea",
            "temps connectat", "hores connectat", "temps en linia",
        ),
    },
    "forecast": {
        "date": ("date", "day", "data", "dia", "fecha", "period", "periodo"),
        "channel": ("channel", "canal", "queue~0.6", "fila~0.6"),
        "forecast_volume": (
            "forecast", "forecast volume", "forecasted volume", "expected volume",
            "predicted volume", "predicted", "forecast contacts", "previsao",
            "volume previsto", "previsto", "volume de previsao", "pronostico",
            "volumen previsto", "previsio", "volum previst",
        ),
    },
}

#: Tokens ignored when comparing headers (articles, prepositions, units in the header).
def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP = _word_set(
    "a o as os the of in de do da dos das del d l la en y e i per by no na pelo pela "
    "s sec secs seconds second segundos segundo seg min mins minute minutes minutos minuto "
    "h hr hrs hour hours horas hh mm ss"
)
#: Keep "hora", "at" etc. when they are the whole alias; these are common single words that
#: only count as a match when the header is exactly them.
_GENERIC = _word_set(
    "id data date time hora tempo status type tipo name nome numero number code codigo "
    "valor value fecha temps dia day score email user usuario from source via entrada "
    "inicio inici created opened closed caso contact contato state estado at em el"
)


def normalise_header(header: object) -> str:
    """Lowercase, accents removed, camelCase split, punctuation as single spaces."""
    return normalise_value(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(header)))


def normalise_value(value: object) -> str:
    """Lowercase, accents removed, punctuation as single spaces ("Não atendida" → "nao atendida").
    """
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


_HOUR_WORDS = frozenset({"h", "hr", "hrs", "hour", "hours", "hora", "horas", "hores"})


def _tokens_of(header: str) -> frozenset[str]:
    return frozenset(normalise_header(header).split())


def _tokens(text: str) -> frozenset[str]:
    return frozenset(t for t in text.split() if t not in _STOP)


@dataclass(frozen=True)
class _Alias:
    field: str
    text: str
    tokens: frozenset[str]
    weight: float


@cache
def _alias_table(table: TableName) -> tuple[_Alias, ...]:
    out = []
    for name, aliases in ALIASES[table].items():
        for alias in aliases:
            text, _, weight = alias.partition("~")
            norm = normalise_header(text)
            out.append(_Alias(name, norm, _tokens(norm) or frozenset(norm.split()),
                              float(weight or 1)))
    return tuple(out)


@dataclass(frozen=True)
class _HeaderScore:
    score: float
    alias: str
    kind: Literal["exact", "tokens", "partial"]


def header_scores(header: str, table: TableName = "interactions") -> dict[str, _HeaderScore]:
    """Best alias score per field for one header: exact 1.0 > all alias words 0.6–0.9 >
    partial 0.3–0.5, times the alias weight."""
    norm = normalise_header(header)
    tokens = _tokens(norm) or frozenset(norm.split())
    best: dict[str, _HeaderScore] = {}
    for alias in _alias_table(table):
        if norm == alias.text or (tokens and tokens == alias.tokens):
            candidate = _HeaderScore(1.0 * alias.weight, alias.text, "exact")
        elif len(alias.tokens) == 1 and next(iter(alias.tokens)) in _GENERIC:
            continue
        elif alias.tokens and alias.tokens <= tokens:
            coverage = len(alias.tokens) / len(tokens)
            candidate = _HeaderScore((0.6 + 0.3 * coverage) * alias.weight, alias.text, "tokens")
        else:
            shared = alias.tokens & tokens - _GENERIC
            if not shared or len(shared) * 2 < len(alias.tokens):
                continue
            fraction = len(shared) / len(alias.tokens | tokens)
            candidate = _HeaderScore((0.3 + 0.2 * fraction) * alias.weight, alias.text, "partial")
        current = best.get(alias.field)
        if current is None or candidate.score > current.score:
            best[alias.field] = candidate
    return best


# --------------------------------------------------------------------------- value vocabulary


def _norm_set(words: str) -> frozenset[str]:
    return frozenset(normalise_value(w) for w in words.split(","))


ABANDONED_VALUES = _norm_set(
    "abandoned,abandon,abandonada,abandonado,abandonou,perdida,perdido,missed,no answer,"
    "not answered,unanswered,nao atendida,nao atendido,desistencia,desistiu,abandonat,"
    "perduda,sin respuesta,no atendida,no contestada,no resposta"
)
ANSWERED_VALUES = _norm_set(
    "answered,atendida,atendido,completed,complete,handled,connected,resolved,resolvida,"
    "resolvido,finalizada,finalizado,encerrada,encerrado,transferida,transferido,transferred,"
    "closed,fechada,fechado,solved,concluida,concluido,contestada,contestado,atendida,resuelta,"
    "resuelto,atesa,ates,resolta,resolt,tancada,tancat,ok,success,successful"
)
RESOLVED_VALUES = _norm_set(
    "resolved,solved,closed,resolvido,resolvida,fechado,fechada,encerrado,encerrada,finalizado,"
    "finalizada,concluido,concluida,resuelto,resuelta,cerrado,cerrada,resolt,resolta,tancat,"
    "tancada,solucionado,solucionada,done"
)
OPEN_VALUES = _norm_set(
    "open,opened,pending,new,on hold,hold,waiting,in progress,snoozed,aberto,aberta,pendente,"
    "novo,nova,em andamento,em atendimento,aguardando,aguardando cliente,em espera,abierto,"
    "abierta,pendiente,nuevo,nueva,en curso,en espera,obert,oberta,pendent,nou,en curs"
)
SATISFIED_TRUE = _norm_set(
    "good,satisfied,bom,boa,otimo,otima,excelente,excellent,great,satisfeito,satisfeita,"
    "positivo,positiva,positive,bueno,buena,satisfecho,satisfecha,bo,bona,satisfet,satisfeta"
)
SATISFIED_FALSE = _norm_set(
    "bad,unsatisfied,dissatisfied,ruim,pessimo,pessima,insatisfeito,insatisfeita,negativo,"
    "negativa,negative,malo,mala,insatisfecho,insatisfecha,dolent,dolenta,insatisfet,"
    "insatisfeta,terrible,poor"
)

_CHANNEL_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(
        _norm_set(
            "phone,telephone,telefone,telefono,telefon,voz,voice,call,calls,ligacao,ligacoes,"
            "chamada,llamada,trucada,inbound call,outbound call,inbound,outbound,voip,"
            "telefonia,fone,phone call,ivr,ura"
        ), "phone"),
    **dict.fromkeys(
        _norm_set("email,e mail,mail,correo,correo electronico,correu,correu electronic,"
                  "inbound email"), "email"),
    **dict.fromkeys(
        _norm_set("whatsapp,whatsapp business,wa,whats,zap,wpp,whatsapp api"), "whatsapp"),
    **dict.fromkeys(_norm_set("instagram,instagram dm,ig,insta,instagram direct"), "instagram"),
    **dict.fromkeys(
        _norm_set("messenger,facebook messenger,facebook,fb,fb messenger"), "messenger"),
    **dict.fromkeys(
        _norm_set("chat,webchat,web chat,live chat,livechat,chat online,chat ao vivo,"
                  "chat en vivo,widget"), "chat"),
    **dict.fromkeys(_norm_set("telegram,tg"), "telegram"),
    **dict.fromkeys(_norm_set("sms,text message,mensagem de texto"), "sms"),
    **dict.fromkeys(_norm_set("web,web form,webform,formulario,form,portal,site"), "web"),
    **dict.fromkeys(_norm_set("other,outro,outros,otro,altre"), "other"),
    **{name: name for name in CHANNELS},
}

_LAST_FROM: dict[str, str] = {
    **dict.fromkeys(
        _norm_set("customer,cliente,client,contact,contato,contacto,contacte,requester,"
                  "end user,user,usuario,solicitante"), "customer"),
    **dict.fromkeys(
        _norm_set("agent,agente,atendente,operator,operador,bot,assignee,staff,support"),
        "agent"),
}


def distinct_texts(series: pd.Series) -> tuple[np.ndarray, list[str | None]]:
    """``codes`` and the stripped text of each distinct value (``None`` when it counts as
    missing); ``codes`` is -1 for missing cells. One parse per distinct value, not per row."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    texts = parse_text(pd.Series(uniques, dtype=object)).values
    return codes, [None if pd.isna(t) else str(t) for t in texts]


def _map_values(series: pd.Series, lookup: AbcMapping[str, str], *, keep: bool) -> pd.Series:
    """Map values through ``lookup`` on their normalised form, one look-up per distinct value.

    Unknown values are kept lowercase (``keep``) or become missing. Vectorised through Arrow.
    """
    codes, texts = distinct_texts(series)
    targets: dict[str, int] = {}
    remap = np.full(len(texts) + 1, -1, dtype=np.int64)
    for i, text in enumerate(texts):
        if text is None:
            continue
        hit = lookup.get(normalise_value(text))
        target = hit if hit is not None else text.lower() if keep else None
        if target is not None:
            remap[i] = targets.setdefault(target, len(targets))
    picked = remap[codes]
    values = pc.take(pa.array(list(targets), pa.large_string()),
                     pa.array(picked, mask=picked < 0))
    return pd.Series(pd.array(values, dtype="str"), index=series.index)


def normalise_channel(series: pd.Series) -> pd.Series:
    """Channel synonyms to :data:`kpi.schema.CHANNELS`; unknown values kept lowercase."""
    return _map_values(series, _CHANNEL_SYNONYMS, keep=True)


def normalise_status(series: pd.Series) -> pd.Series:
    """Status values to ``open``/``closed`` (Pendente → open, Solved → closed); else lowercase."""
    lookup = {**dict.fromkeys(OPEN_VALUES, "open"), **dict.fromkeys(RESOLVED_VALUES, "closed")}
    return _map_values(series, lookup, keep=True)


def normalise_last_message_from(series: pd.Series) -> pd.Series:
    """Last-message sender to ``customer``/``agent``; others lowercase."""
    return _map_values(series, _LAST_FROM, keep=True)


def value_mask(series: pd.Series, values: Iterable[str]) -> np.ndarray:
    """Which cells equal one of ``values`` (case, accents and spacing ignored)."""
    wanted = {normalise_value(v) for v in values}
    codes, texts = distinct_texts(series)
    hits = np.array([t is not None and normalise_value(t) in wanted for t in texts] + [False],
                    dtype=bool)
    return hits[codes]


# --------------------------------------------------------------------------- detection


@dataclass(frozen=True)
class FieldMatch:
    """One proposed field: its source column, confidence 0–1 and the reason (message code)."""

    field: str
    column: str
    confidence: float
    reason: str
    params: dict[str, Any] = field(default_factory=dict)
    unit: str | None = None
    true_values: tuple[str, ...] = ()
    false_values: tuple[str, ...] = ()

    def __hash__(self) -> int:
        return hash((self.field, self.column, self.confidence, self.reason))

    @property
    def is_value_mapping(self) -> bool:
        """Whether the field is derived from the column's values rather than read from it."""
        return bool(self.true_values or self.false_values)


@dataclass(frozen=True)
class MappingProposal:
    """What detection decided: matches (best first), unused columns, and what it rejected."""

    table: TableName
    matches: tuple[FieldMatch, ...]
    unmapped_columns: tuple[str, ...]
    rejected: tuple[FieldMatch, ...] = ()
    read: dict[str, Any] = field(default_factory=dict)
    csat_scale: tuple[float, float] | None = None

    def __hash__(self) -> int:
        return hash((self.table, self.matches, self.unmapped_columns))

    @property
    def fields(self) -> dict[str, FieldMatch]:
        """Matches by canonical field."""
        return {m.field: m for m in self.matches}

    def to_mapping(self, *, dimensions: Iterable[str] = ()) -> Mapping:
        """The proposal as a mapping file (to save, edit and load again)."""
        columns: dict[str, str] = {}
        units: dict[str, str] = {}
        values: dict[str, ValueMapping] = {}
        for match in self.matches:
            if match.is_value_mapping:
                values[match.field] = ValueMapping(
                    match.column, match.true_values, match.false_values
                )
            else:
                columns[match.field] = match.column
                if match.unit is not None:
                    units[match.field] = match.unit
        return Mapping(
            read=dict(self.read), columns=columns, units=units, values=values,
            csat_scale=self.csat_scale, dimensions=tuple(dimensions),
        )


#: Confidence below which a candidate is not proposed.
MIN_CONFIDENCE = 0.3
#: Share of values that must parse as the field's kind to confirm a header.
MIN_CONTENT_SHARE = 0.5
_SAMPLE_ROWS = 1000
_VALUE_FIELDS = ("abandoned", "resolved", "satisfied")


def _sample(series: pd.Series, size: int = _SAMPLE_ROWS) -> pd.Series:
    """Up to ``size`` non-empty values spread evenly over the column."""
    if len(series) > size * 4:
        step = len(series) // (size * 4)
        series = series.iloc[::step]
    series = series.dropna()
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        series = series[series.astype("str").str.strip() != ""]
    if len(series) > size:
        series = series.iloc[:: max(1, len(series) // size)].iloc[:size]
    return series


def _content_share(kind: str, values: pd.Series, cache: dict[tuple[int, str], float]) -> float:
    """Share of ``values`` that parse as ``kind`` (memoised in ``cache`` for one detection)."""
    if values.empty:
        return 0.0
    key = (id(values), kind)
    if key not in cache:
        cache[key] = float(parse_share(kind, values))  # type: ignore[arg-type]
    return cache[key]


def _unit_of(header: str) -> str | None:
    unit = unit_from_header(header)
    return unit if unit in UNITS else None


def _candidate(field_: Field, column: str, header: _HeaderScore, values: pd.Series,
               table: TableName, shares: dict[tuple[int, str], float]) -> FieldMatch:
    """Confirm a header candidate by content; confidence = header score × content share."""
    params: dict[str, Any] = {"column": column, "field": field_.name, "alias": header.alias}
    reason_kind = {"exact": "exact", "tokens": "tokens", "partial": "partial"}[header.kind]
    kind = field_.kind
    unit = None
    if values.empty:
        return FieldMatch(field_.name, column, header.score * 0.5,
                          f"mapping.reason.{reason_kind}_empty", params)
    if kind in ("datetime", "duration", "number", "bool"):
        share = _content_share(kind, values, shares)
        if kind == "number" and field_.name in ("csat", "nps"):
            numbers = pd.to_numeric(values, errors="coerce")
            if field_.name == "nps" and (numbers.dropna() > 10).mean() > 0.05:
                share = 0.0
        if kind == "datetime" and pd.api.types.is_numeric_dtype(values):
            share *= 0.3  # numbers read as Excel serials or epochs: plausible, not convincing
        if kind == "bool":
            numbers = pd.to_numeric(values, errors="coerce")
            if numbers.notna().mean() > 0.5 and not numbers.dropna().isin([0, 1]).all():
                share = 0.0
        params["share"] = round(share * 100)
        params["kind"] = kind
        if share < MIN_CONTENT_SHARE:
            return FieldMatch(field_.name, column, 0.0, f"mapping.reason.rejected_{kind}",
                              params)
        if kind == "duration":
            unit = _unit_of(column)
            if unit is None and table == "activity" and _tokens_of(column) & _HOUR_WORDS:
                unit = "hours"
        return FieldMatch(field_.name, column, round(header.score * share, 3),
                          f"mapping.reason.{reason_kind}_{kind}", params, unit=unit)
    # text and id: a loosely named column that clearly holds timestamps or durations is not text
    loose = header.kind != "exact" or header.alias in _GENERIC or header.score < 1
    if loose and field_.name != "interaction_id" and not pd.api.types.is_numeric_dtype(values):
        for other in ("datetime", "duration"):
            share = _content_share(other, values, shares)
            if share > 0.8:
                params.update(share=round(share * 100), kind=other)
                return FieldMatch(field_.name, column, 0.0, f"mapping.reason.rejected_{other}",
                                  params)
    if field_.name == "status":
        observed = _normalised_counts(values)
        known = sum(c for v, c in observed.items() if v in OPEN_VALUES | RESOLVED_VALUES)
        share = known / max(1, sum(observed.values()))
        params.update(share=round(share * 100), kind="status")
        if share < MIN_CONTENT_SHARE:
            return FieldMatch(field_.name, column, 0.0, "mapping.reason.rejected_status", params)
    return FieldMatch(field_.name, column, round(header.score, 3),
                      f"mapping.reason.{reason_kind}", params)


def _normalised_counts(values: pd.Series) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value, count in values.astype("str").value_counts().items():
        key = normalise_value(value)
        counts[key] = counts.get(key, 0) + int(count)
    return counts


def _observed(series: pd.Series, limit: int = 50) -> list[str] | None:
    """Distinct stripped values of a low-cardinality column (``None`` when there are too many)."""
    sample = _sample(series, 5000)
    if sample.empty or pd.api.types.is_numeric_dtype(sample):
        return None
    if sample.astype("str").str.strip().nunique() > limit:
        return None
    # every distinct value of the whole column (one hash pass), cleaned per distinct value
    texts = parse_text(pd.Series(pd.unique(series), dtype=object)).values.dropna()
    distinct = set(map(str, texts))
    if len(distinct) > limit:
        return None
    return sorted(distinct)


_STATUS_HEADERS = _norm_set(
    "status,state,situacao,estado,estat,resultado,result,outcome,disposition,call result,"
    "call status,call outcome,resultado da chamada,status da chamada,status da ligacao,"
    "situacao da chamada,tipo de encerramento,desfecho,resultat"
)


def _value_mapping(field_name: str, column: str, observed: list[str]) -> FieldMatch | None:
    norm = {value: normalise_value(value) for value in observed}
    if field_name == "abandoned":
        true_set, false_set = ABANDONED_VALUES, ANSWERED_VALUES
    elif field_name == "resolved":
        true_set, false_set = RESOLVED_VALUES, OPEN_VALUES | {"abandoned", "abandonada"}
    else:
        true_set, false_set = SATISFIED_TRUE, SATISFIED_FALSE
    true_values = tuple(v for v in observed if norm[v] in true_set)
    false_values = tuple(v for v in observed if norm[v] in false_set)
    if not true_values or not false_values:
        return None
    share = (len(true_values) + len(false_values)) / len(observed)
    params = {
        "column": column, "field": field_name, "true": ", ".join(true_values),
        "false": ", ".join(false_values), "share": round(share * 100),
    }
    confidence = round(0.6 + 0.35 * share, 3)
    return FieldMatch(field_name, column, confidence, "mapping.reason.values", params,
                      true_values=true_values, false_values=false_values)


def _csat_scale(series: pd.Series) -> tuple[float, float]:
    numbers = pd.to_numeric(_sample(series, 5000), errors="coerce").dropna()
    if numbers.empty:
        return (1.0, 5.0)
    high = float(numbers.quantile(0.95))
    low = 0.0 if (numbers == 0).mean() > 0.01 else 1.0
    if high <= 5:
        return (low, 5.0)
    if high <= 7:
        return (low, 7.0)
    if high <= 10:
        return (low, 10.0)
    return (0.0, 100.0)


def detect_mapping(frame: pd.DataFrame, table: TableName = "interactions", *,
                   read: AbcMapping[str, Any] | None = None) -> MappingProposal:
    """Propose a mapping for ``frame``: headers scored against aliases, confirmed by content.

    Each column feeds at most one field and each field comes from one column; the highest
    confidence wins. Columns whose header names no field stay unmapped (no guessing from
    content alone).
    """
    fields = {f.name: f for f in TABLE_FIELDS[table]}
    samples: dict[str, pd.Series] = {}
    shares: dict[tuple[int, str], float] = {}
    candidates: list[FieldMatch] = []
    rejected: list[FieldMatch] = []
    for column in frame.columns:
        name = str(column)
        scores = header_scores(name, table)
        for field_name, header in scores.items():
            if header.score < MIN_CONFIDENCE or field_name not in fields:
                continue
            if header.kind == "partial" and fields[field_name].kind in ("text", "id"):
                continue  # no content can confirm a loosely named text column
            if name not in samples:
                samples[name] = _sample(frame[column])
            match = _candidate(fields[field_name], name, header, samples[name], table, shares)
            (candidates if match.confidence >= MIN_CONFIDENCE else rejected).append(match)

    if table == "interactions":
        candidates.extend(_value_candidates(frame, fields))

    candidates.sort(key=lambda m: (-m.confidence, m.field, m.column))
    chosen: dict[str, FieldMatch] = {}
    used: set[str] = set()
    for match in candidates:
        if match.field in chosen:
            continue
        if match.column in used and not match.is_value_mapping:
            continue
        if match.is_value_mapping and any(
            c.column == match.column and not c.is_value_mapping and c.field != "status"
            for c in chosen.values()
        ):
            continue
        chosen[match.field] = match
        if not match.is_value_mapping:
            used.add(match.column)
    # a value mapping's column is used too (unless its column also became a plain field)
    used |= {m.column for m in chosen.values()}

    csat_scale = None
    if "csat" in chosen:
        csat_scale = _csat_scale(frame[chosen["csat"].column])
    order = {name: i for i, name in enumerate(fields)}
    matches = tuple(sorted(chosen.values(), key=lambda m: order[m.field]))
    unmapped = tuple(str(c) for c in frame.columns if str(c) not in used)
    return MappingProposal(
        table=table, matches=matches, unmapped_columns=unmapped,
        rejected=tuple(rejected), read=dict(read or {}), csat_scale=csat_scale,
    )


def _value_candidates(frame: pd.DataFrame, fields: dict[str, Field]) -> list[FieldMatch]:
    """Value mappings for status-like columns (Atendida/Abandonada, Resolved/Open, Bom/Ruim)."""
    out: list[FieldMatch] = []
    for column in frame.columns:
        name = str(column)
        norm = normalise_header(name)
        scores = header_scores(name)
        status_like = norm in _STATUS_HEADERS or bool(_tokens(norm) & _STATUS_HEADERS)
        targets = [
            f for f in _VALUE_FIELDS
            if f in fields and (status_like or scores.get(f, _HeaderScore(0, "", "partial")).score
                                >= MIN_CONFIDENCE
                                or (f == "satisfied" and scores.get("csat") is not None))
        ]
        if not targets:
            continue
        observed = _observed(frame[column])
        if not observed:
            continue
        for target in targets:
            match = _value_mapping(target, name, observed)
            if match is not None:
                out.append(match)
    return out


def replace_match(proposal: MappingProposal, match: FieldMatch) -> MappingProposal:
    """A copy of ``proposal`` with ``match`` replacing the one for its field (UI edits)."""
    others = tuple(m for m in proposal.matches if m.field != match.field)
    return replace(proposal, matches=(*others, match))
