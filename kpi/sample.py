"""Realistic synthetic contact-centre exports, with a story for the later pages to reveal.

``generate`` returns three tables in *export form*: the headers and value formats a real tool
would write (an English helpdesk export, or a Brazilian call-centre/WhatsApp export), so the
whole pipeline (reading, mapping, KPIs, statistics) can be exercised on them. ``write_sample``
writes them as CSV, gzipped CSV, Excel or Parquet.

The data is built from a day-level plan (volumes per day × channel, shared shocks) and then, in
chunks of days, fully vectorised per contact, so millions of rows take seconds. The story
(``Story``; told with dates and effect sizes in ``sample_data/README.md``):

* a chatbot launches on chat, WhatsApp, Instagram and Telegram about halfway: abandonment on
  those channels falls from 9 % to 6 %, identification rises from 35 % to 70 %;
* a new e-mail ticket form makes e-mail handle time 25 % longer from an earlier date;
* phone CSAT and phone transfer rate do not change at all;
* one outage day (digital channels flooded, long waits) and a few understaffed days make
  contacts of one day depend on each other (a design effect).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from openpyxl import Workbook

from kpi.errors import DefinitionError

Dialect = Literal["plain", "br"]
DIALECTS: tuple[Dialect, ...] = ("plain", "br")

DEFAULT_START = date(2026, 1, 5)
DEFAULT_DAYS = 182
#: Days are generated in chunks of about this many contacts (bounds memory for 20M rows).
CHUNK_ROWS = 2_000_000
#: Excel's sheet limit, minus the header row.
EXCEL_MAX_ROWS = 1_048_575

# --- The story's effect sizes ------------------------------------------------------------------
ABANDONMENT_BEFORE_BOT = 0.09
ABANDONMENT_AFTER_BOT = 0.06
IDENTIFIED_BEFORE_BOT = 0.35
IDENTIFIED_AFTER_BOT = 0.70
EMAIL_FORM_HANDLE_FACTOR = 1.25
OUTAGE_WAIT_FACTOR = 4.0
UNDERSTAFFED_WAIT_FACTOR = 2.2
REPEAT_WINDOW_DAYS = 7

# --- Channels, topics, teams, agents -----------------------------------------------------------
CHANNELS: tuple[str, ...] = ("phone", "chat", "email", "whatsapp", "instagram", "telegram")
BOT_CHANNELS: tuple[str, ...] = ("chat", "whatsapp", "instagram", "telegram")
_PHONE, _CHAT, _EMAIL, _WHATSAPP, _INSTAGRAM, _TELEGRAM = range(6)
_IS_BOT = np.array([c in BOT_CHANNELS for c in CHANNELS])

CHANNEL_LABELS: dict[Dialect, tuple[str, ...]] = {
    "plain": ("Phone", "Chat", "Email", "WhatsApp", "Instagram", "Telegram"),
    "br": ("Telefone", "Chat", "E-mail", "WhatsApp", "Instagram", "Telegram"),
}
TOPIC_LABELS: dict[Dialect, tuple[str, ...]] = {
    "plain": (
        "Billing", "Delivery", "Returns & exchanges", "Technical issue", "Account access",
        "Cancellation", "Sales question", "Payment", "Registration update", "Complaint",
    ),
    "br": (
        "Cobrança", "Entrega", "Troca e devolução", "Problema técnico", "Acesso à conta",
        "Cancelamento", "Dúvida de compra", "Pagamento", "Atualização cadastral", "Reclamação",
    ),
}
_TECHNICAL, _CANCELLATION, _SALES = 3, 5, 6
TEAM_LABELS: dict[Dialect, tuple[str, ...]] = {
    "plain": ("Voice", "Digital", "Back Office", "Retention"),
    "br": ("Voz", "Digital", "Backoffice", "Retenção"),
}
_VOICE, _DIGITAL, _BACK_OFFICE, _RETENTION = range(4)
#: Agents per team (Brazilian, Portuguese and Spanish names), in team order.
AGENTS: tuple[tuple[str, ...], ...] = (
    ("Ana Souza", "Carlos Mendes", "Juliana Rocha", "Rafael Lima", "Fernanda Alves",
     "Diego Martínez", "Patrícia Gomes", "Bruno Carvalho", "Lucía Fernández"),
    ("Mariana Costa", "João Pereira", "Camila Ribeiro", "Thiago Oliveira", "Beatriz Santos",
     "Pablo García", "Larissa Barbosa", "Gustavo Araújo", "Inês Ferreira", "Tomás Silva"),
    ("Renata Almeida", "Miguel Sousa", "Carla Monteiro", "Javier López", "Aline Nascimento",
     "Rodrigo Teixeira"),
    ("Gabriela Martins", "André Moreira", "Sofía Romero", "Vinícius Cardoso", "Marta Rodrigues"),
)
AGENT_NAMES: tuple[str, ...] = tuple(name for team in AGENTS for name in team)
_TEAM_OF_CHANNEL = np.array([_VOICE, _DIGITAL, _BACK_OFFICE, _DIGITAL, _DIGITAL, _DIGITAL])

# Per channel, in CHANNELS order.
_SHARE = np.array([0.30, 0.18, 0.17, 0.25, 0.06, 0.04])
#: Phone answered mostly within 20 s (service level ~75 %), chat ~50 %, messaging in minutes.
_WAIT_MEDIAN = np.array([12.0, 20.0, 4 * 3600.0, 90.0, 300.0, 120.0])
_WAIT_SIGMA = np.array([0.9, 0.9, 0.8, 1.0, 1.0, 1.0])
_ABANDON_BASE = np.array([0.07, ABANDONMENT_BEFORE_BOT, 0.0, ABANDONMENT_BEFORE_BOT,
                          ABANDONMENT_BEFORE_BOT, ABANDONMENT_BEFORE_BOT])
_HANDLE_MEDIAN = np.array([330.0, 480.0, 420.0, 540.0, 400.0, 420.0])
_HANDLE_SIGMA = np.array([0.55, 0.6, 0.6, 0.65, 0.6, 0.6])
_CLOSE_DELAY_MEDIAN = np.array([0.0, 90.0, 6 * 3600.0, 1800.0, 1800.0, 1800.0])
_TRANSFER = np.array([0.12, 0.09, 0.06, 0.08, 0.07, 0.07])
_IDENTIFIED = np.array([0.58, IDENTIFIED_BEFORE_BOT, 0.22, IDENTIFIED_BEFORE_BOT,
                        IDENTIFIED_BEFORE_BOT, IDENTIFIED_BEFORE_BOT])
_CSAT_RESPONSE = np.array([0.22, 0.30, 0.25, 0.27, 0.22, 0.24])
_NPS_RESPONSE = 0.10
_COST_FIXED = np.array([1.20, 0.60, 0.80, 0.90, 0.50, 0.40])
_COST_PER_MINUTE = np.array([0.55, 0.35, 0.40, 0.35, 0.35, 0.35])
_COST_ABANDONED = np.array([0.25, 0.05, 0.0, 0.05, 0.05, 0.05])
#: Contacts per weekday (Monday first), per channel.
_WEEKDAY = np.array([
    [1.30, 1.10, 1.02, 1.00, 0.95, 0.45, 0.20],
    [1.25, 1.08, 1.02, 1.00, 0.95, 0.50, 0.30],
    [1.25, 1.10, 1.05, 1.00, 0.92, 0.35, 0.25],
    [1.20, 1.05, 1.00, 1.00, 1.00, 0.75, 0.55],
    [1.10, 1.00, 1.00, 1.00, 1.05, 0.90, 0.80],
    [1.15, 1.05, 1.00, 1.00, 1.00, 0.70, 0.55],
])
_OFFICE = [0, 0, 0, 0, 0, 0, 0, 0, .6, 1, 1.3, 1.25, .8, .85, 1.15, 1.2, 1.1, .9, .6, .35,
           0, 0, 0, 0]
_CHAT_HOURS = [*_OFFICE[:20], .25, .15, 0, 0]
_EMAIL_HOURS = [.1] * 7 + [.3, .7, 1.1, 1.1, 1.1, .8, .9, 1, 1, 1, .8, .6, .45, .45, .45, .25,
                           .25]
_MESSAGING = [.05] * 7 + [.3, .7, 1, 1.15, 1.1, .95, .95, 1, 1, .95, .9, .95, 1.05, 1, .8, .5,
                          .2]
_HOURLY = np.array([_OFFICE, _CHAT_HOURS, _EMAIL_HOURS, _MESSAGING, _MESSAGING, _MESSAGING])
#: Topic mix per channel (rows) over the ten topics.
_TOPIC_MIX = np.array([
    [.20, .14, .07, .13, .09, .10, .08, .09, .06, .04],
    [.15, .16, .10, .14, .10, .05, .12, .08, .06, .04],
    [.16, .12, .16, .10, .08, .06, .05, .09, .08, .10],
    [.14, .22, .11, .12, .08, .05, .12, .07, .05, .04],
    [.08, .18, .10, .08, .06, .03, .30, .05, .04, .08],
    [.14, .18, .10, .16, .10, .05, .12, .07, .05, .03],
])
_TOPIC_HANDLE = np.array([1.0, 0.85, 1.1, 1.45, 0.9, 1.25, 0.8, 0.95, 0.75, 1.3])
_TOPIC_TRANSFER = np.array([1.0, 0.9, 1.0, 1.5, 1.1, 1.3, 0.8, 1.0, 0.7, 1.2])

# --- Export headers ----------------------------------------------------------------------------
INTERACTION_HEADERS: dict[Dialect, tuple[str, ...]] = {
    "plain": (
        "Ticket ID", "Created At", "Channel", "Team", "Agent", "Topic", "Customer ID",
        "Answered At", "Wait Time (s)", "Handle Time (s)", "Resolved At", "Abandoned",
        "Resolved", "First Contact Resolution", "CSAT", "NPS", "Identified By Bot",
        "Transferred", "Converted", "Cost", "Status", "Last Message From",
    ),
    "br": (
        "Protocolo", "Data/Hora de Entrada", "Canal", "Equipe", "Atendente", "Assunto",
        "Cliente", "Data/Hora de Atendimento", "Tempo de Espera", "Tempo de Atendimento",
        "Data/Hora de Encerramento", "Situação", "Resolvido", "Resolvido no Primeiro Contato",
        "Nota", "NPS", "Identificado pelo Bot", "Transferido", "Venda", "Custo (R$)", "Status",
        "Última Mensagem De",
    ),
}
ACTIVITY_HEADERS: dict[Dialect, tuple[str, str, str]] = {
    "plain": ("Agent", "Date", "Online Hours"),
    "br": ("Atendente", "Data", "Horas Logadas"),
}
FORECAST_HEADERS: dict[Dialect, tuple[str, str, str]] = {
    "plain": ("Date", "Channel", "Forecast Volume"),
    "br": ("Data", "Canal", "Volume Previsto"),
}
SHEETS: dict[Dialect, tuple[str, str, str]] = {
    "plain": ("Interactions", "Agent activity", "Forecast"),
    "br": ("Atendimentos", "Atividade dos Atendentes", "Previsão"),
}
_BOOL_WORDS: dict[Dialect, tuple[str, str]] = {"plain": ("true", "false"), "br": ("Sim", "Não")}
_STATUS_WORDS: dict[Dialect, tuple[str, str]] = {
    "plain": ("open", "closed"), "br": ("Aberto", "Fechado"),
}
_LAST_FROM_WORDS: dict[Dialect, tuple[str, str]] = {
    "plain": ("customer", "agent"), "br": ("Cliente", "Atendente"),
}
#: br "Situação": answered, abandoned, still waiting in the queue at export time.
_SITUATION_WORDS = ("Atendida", "Abandonada", "Em espera")
_BR_AREA_CODES = np.array([11, 21, 31, 41, 51, 61, 71, 81, 85, 19])


@dataclass(frozen=True)
class Story:
    """The dates of the designed changes, derived from the start and length of the data."""

    bot_launch: date
    email_form: date
    outage: date
    export_time: datetime


@dataclass(frozen=True)
class SampleData:
    """The three exported tables, the dialect they are written in, and the story's dates."""

    interactions: pd.DataFrame
    activity: pd.DataFrame
    forecast: pd.DataFrame
    dialect: Dialect = "plain"
    story: Story | None = None


def story_dates(start: date = DEFAULT_START, days: int = DEFAULT_DAYS) -> Story:
    """The bot launches on the Monday of the middle week, the e-mail form at 30 % of the weeks,
    the outage on the Wednesday at 75 %; the export is taken at midnight after the last day."""
    first_monday = start + timedelta(days=(7 - start.weekday()) % 7)
    weeks = max((start + timedelta(days=days) - first_monday).days // 7, 1)
    bot = first_monday + timedelta(weeks=weeks // 2)
    email = first_monday + timedelta(weeks=round(weeks * 0.3))
    outage = first_monday + timedelta(weeks=round(weeks * 0.75), days=2)
    end = start + timedelta(days=days)
    return Story(bot, email, outage, datetime(end.year, end.month, end.day))


@dataclass(frozen=True)
class _Plan:
    """Day-level decisions shared by every chunk of contacts."""

    seed: int
    start: date
    days: int
    story: Story
    counts: np.ndarray  # (days, channels) contacts per day and channel
    wait_factor: np.ndarray  # (days, channels) shared shock on waits
    abandon_shock: np.ndarray  # (days, channels) mean-one multiplier of abandonment
    csat_shift: np.ndarray  # (days,) shared shift of satisfaction
    agent_weight: np.ndarray  # (days, agents) who works, and how much, each day
    agent_speed: np.ndarray  # (agents,) handle-time multiplier

    @property
    def day_seconds(self) -> np.ndarray:
        """Epoch seconds of each day's midnight."""
        first = np.datetime64(self.start, "s").astype(np.int64)
        return first + 86_400 * np.arange(self.days, dtype=np.int64)

    def day_index(self, when: date) -> int:
        """The index of a date in the plan (may fall outside 0..days-1)."""
        return (when - self.start).days


def _check(rows: int, days: int, dialect: str) -> None:
    if rows < 1:
        raise DefinitionError("sample.rows_invalid", rows=rows)
    if days < 1:
        raise DefinitionError("sample.days_invalid", days=days)
    if dialect not in DIALECTS:
        raise DefinitionError("sample.dialect_unknown", dialect=dialect,
                              choices=", ".join(DIALECTS))


def _plan(rows: int, seed: int, start: date, days: int) -> _Plan:
    rng = np.random.default_rng([seed, 0])
    story = story_dates(start, days)
    day = np.arange(days)
    weekday = np.array([(start + timedelta(days=int(d))).weekday() for d in day])
    volume = _WEEKDAY[:, weekday].T * _SHARE  # (days, channels)
    volume *= np.exp(0.0008 * day)[:, None]  # slow growth, about +15 % over six months
    volume *= rng.gamma(60.0, 1 / 60.0, size=(days, 1))  # shared day noise (campaigns, news)
    volume *= rng.gamma(150.0, 1 / 150.0, size=volume.shape)
    outage = day == (story.outage - start).days
    volume[outage] *= np.array([1.3, 1.6, 1.4, 1.6, 1.6, 1.6])
    counts = rng.multinomial(rows, (volume / volume.sum()).ravel()).reshape(volume.shape)

    understaffed = rng.random(days) < 0.05
    shared = np.exp(rng.normal(0.0, 0.25, size=(days, 1)))
    wait_factor = shared * np.exp(rng.normal(0.0, 0.1, size=(days, len(CHANNELS))))
    wait_factor[understaffed] *= UNDERSTAFFED_WAIT_FACTOR
    wait_factor[np.ix_(outage, _IS_BOT)] *= OUTAGE_WAIT_FACTOR
    shock = rng.normal(0.0, 0.25, size=(days, 1)) + rng.normal(0.0, 0.1, size=(days, 6))
    abandon_shock = np.exp(shock - (0.25**2 + 0.1**2) / 2)
    csat_shift = rng.normal(0.0, 0.12, size=days)

    n_agents = len(AGENT_NAMES)
    base_weight = rng.gamma(8.0, 1 / 8.0, size=n_agents)
    # each agent has two consecutive days off a week, staggered, and is absent 4 % of days
    day_off = np.arange(n_agents) % 7
    off = ((weekday[:, None] - day_off[None, :]) % 7) < 2
    absent = rng.random((days, n_agents)) < 0.04
    agent_weight = np.where(off | absent, 0.0, base_weight[None, :])
    team_start = np.cumsum([0, *[len(t) for t in AGENTS]])
    for lo, hi in pairwise(team_start):
        empty = agent_weight[:, lo:hi].sum(axis=1) == 0
        agent_weight[np.ix_(empty, np.arange(lo, hi))] = base_weight[lo:hi]
    agent_speed = np.exp(rng.normal(0.0, 0.12, size=n_agents))
    return _Plan(seed, start, days, story, counts, wait_factor, abandon_shock, csat_shift,
                 agent_weight, agent_speed)


def _chunks(counts: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive day ranges [lo, hi) of at most ``CHUNK_ROWS`` contacts (one day at least)."""
    limit = CHUNK_ROWS
    per_day = counts.sum(axis=1)
    ranges: list[tuple[int, int]] = []
    lo, total = 0, 0
    for d, n in enumerate(per_day):
        if total and total + n > limit:
            ranges.append((lo, d))
            lo, total = d, 0
        total += int(n)
    ranges.append((lo, len(per_day)))
    return ranges


def _pick(rng: np.random.Generator, cumulative: np.ndarray) -> np.ndarray:
    """Index drawn per row from rows of cumulative probabilities (shape rows × options)."""
    u = rng.random(len(cumulative)) * cumulative[:, -1]
    return (u[:, None] >= cumulative).sum(axis=1)


@dataclass(frozen=True)
class _Contacts:
    """One chunk of contacts in canonical form (numpy arrays; NaN / -1 when unknown)."""

    created: np.ndarray  # epoch seconds
    channel: np.ndarray
    team: np.ndarray
    agent: np.ndarray  # -1 when nobody answered
    topic: np.ndarray
    customer: np.ndarray
    answered: np.ndarray  # epoch seconds, -1 when not answered
    wait: np.ndarray  # seconds; for abandoned contacts the time before giving up
    handle: np.ndarray  # seconds, NaN when not answered
    resolved_at: np.ndarray  # epoch seconds, -1 when not resolved
    abandoned: np.ndarray
    resolved: np.ndarray
    fcr: np.ndarray  # 1 / 0 / -1 unknown
    csat: np.ndarray  # 0 when not rated
    nps: np.ndarray  # -1 when not asked
    identified: np.ndarray
    transferred: np.ndarray
    converted: np.ndarray
    cost: np.ndarray
    is_open: np.ndarray
    last_from_customer: np.ndarray
    waiting: np.ndarray  # still in the queue at export time (neither answered nor abandoned)


def _contacts(plan: _Plan, lo: int, hi: int, index: int, customer_offset: int) -> _Contacts:
    """Generate the contacts of days [lo, hi), vectorised."""
    rng = np.random.default_rng([plan.seed, index + 1])
    counts = plan.counts[lo:hi]
    cell = np.repeat(np.arange(counts.size), counts.ravel())
    day = lo + cell // len(CHANNELS)
    channel = cell % len(CHANNELS)
    n = len(cell)

    # arrival time: an hour from the channel's profile, uniform within the hour
    hour_cdf = np.cumsum(_HOURLY, axis=1) / _HOURLY.sum(axis=1, keepdims=True)
    hour_cdf[hour_cdf > 1 - 1e-12] = 1.0  # u < 1 never passes the last open hour
    u = rng.random(n)
    hour = np.empty(n, dtype=np.int64)
    for c in range(len(CHANNELS)):
        rows = channel == c
        hour[rows] = np.searchsorted(hour_cdf[c], u[rows], side="right")
    created = plan.day_seconds[day] + hour * 3600 + rng.integers(0, 3600, size=n)
    order = np.argsort(created, kind="stable")
    created, day, channel, hour = created[order], day[order], channel[order], hour[order]

    topic = _pick(rng, np.cumsum(_TOPIC_MIX, axis=1)[channel])
    outage = day == plan.day_index(plan.story.outage)
    topic = np.where(outage & (rng.random(n) < 0.5), _TECHNICAL, topic)
    team = _TEAM_OF_CHANNEL[channel]
    team = np.where((topic == _CANCELLATION) & (channel != _EMAIL), _RETENTION, team)

    # agent: among the team's agents working that day, by their weights
    agent = np.empty(n, dtype=np.int64)
    first = 0
    for t, names in enumerate(AGENTS):
        rows = np.flatnonzero(team == t)
        weights = np.cumsum(plan.agent_weight[:, first:first + len(names)], axis=1)
        agent[rows] = first + _pick(rng, weights[day[rows]])
        first += len(names)

    # waits: log-normal, longer at busy hours and on shocked days
    profile = _HOURLY / _HOURLY[_HOURLY > 0].reshape(-1).mean()
    busy = np.sqrt(np.maximum(profile[channel, hour], 0.05))
    z = rng.standard_normal(n)
    wait = (_WAIT_MEDIAN[channel] * np.exp(_WAIT_SIGMA[channel] * z)
            * plan.wait_factor[day, channel] * busy)

    # abandonment rises with the wait (mean-one factor per channel), lowered by the bot
    pressure = np.sqrt(wait / _WAIT_MEDIAN[channel])
    mean_pressure = np.bincount(channel, pressure, len(CHANNELS)) / np.maximum(
        np.bincount(channel, minlength=len(CHANNELS)), 1)
    after_bot = day >= plan.day_index(plan.story.bot_launch)
    base = np.where(_IS_BOT[channel] & after_bot, ABANDONMENT_AFTER_BOT, _ABANDON_BASE[channel])
    shock = plan.abandon_shock[day, channel]
    p_abandon = np.minimum(base * shock * pressure / mean_pressure[channel], 0.6)
    abandoned = rng.random(n) < p_abandon
    wait = np.where(abandoned, wait * rng.uniform(0.2, 1.0, size=n), wait)
    wait = np.maximum(np.round(wait), 1.0)

    end = int(np.datetime64(plan.story.export_time, "s").astype(np.int64))
    answered = np.where(abandoned, -1, created + wait.astype(np.int64))
    waiting = ~abandoned & (answered >= end)
    answered = np.where(waiting, -1, answered)
    handled = answered >= 0
    agent = np.where(handled, agent, -1)

    email_form = (channel == _EMAIL) & (day >= plan.day_index(plan.story.email_form))
    handle = (_HANDLE_MEDIAN[channel] * _TOPIC_HANDLE[topic] * plan.agent_speed[agent]
              * np.where(email_form, EMAIL_FORM_HANDLE_FACTOR, 1.0)
              * np.exp(_HANDLE_SIGMA[channel] * rng.standard_normal(n)))
    handle = np.where(handled, np.maximum(np.round(handle), 5.0), np.nan)

    delay = _CLOSE_DELAY_MEDIAN[channel] * np.exp(rng.standard_normal(n))
    parked = (channel != _PHONE) & (rng.random(n) < 0.06)  # waiting on the customer for days
    delay = np.where(parked, delay + 3 * 86_400 * np.exp(0.7 * rng.standard_normal(n)), delay)
    closed_at = answered + np.nan_to_num(handle).astype(np.int64) + delay.astype(np.int64)
    is_open = waiting | (handled & (closed_at >= end))
    closed = handled & ~is_open

    customer = _customers(rng, created, customer_offset)
    follow_up = _has_follow_up(customer, created)
    resolved = closed & (rng.random(n) < np.where(follow_up, 0.55, 0.92))
    resolved_at = np.where(resolved, closed_at, -1)
    fcr = np.where(closed, (resolved & ~follow_up).astype(np.int8), -1)

    transferred = handled & (rng.random(n) < _TRANSFER[channel] * _TOPIC_TRANSFER[topic])
    p_identified = np.where(_IS_BOT[channel] & after_bot, IDENTIFIED_AFTER_BOT,
                            _IDENTIFIED[channel])
    identified = rng.random(n) < p_identified
    converted = handled & (rng.random(n) < np.where(topic == _SALES, 0.30, 0.02))

    mood = (4.25 - 0.35 * np.clip(np.log(wait / _WAIT_MEDIAN[channel]), -2, 3)
            - 1.3 * ~resolved - 0.4 * transferred + plan.csat_shift[day]
            + 0.9 * rng.standard_normal(n))
    rated = closed & (rng.random(n) < _CSAT_RESPONSE[channel])
    csat = np.where(rated, np.clip(np.round(mood), 1, 5), 0).astype(np.int8)
    asked = closed & (rng.random(n) < _NPS_RESPONSE)
    nps_score = np.clip(np.round(2.3 * mood - 2.0 + 1.3 * rng.standard_normal(n)), 0, 10)
    nps = np.where(asked, nps_score, -1).astype(np.int8)

    cost = np.where(handled, _COST_FIXED[channel]
                    + _COST_PER_MINUTE[channel] * np.nan_to_num(handle) / 60,
                    np.where(abandoned, _COST_ABANDONED[channel], _COST_FIXED[channel]))
    last_from_customer = is_open & (waiting | (rng.random(n) < 0.45))
    return _Contacts(
        created=created, channel=channel, team=team, agent=agent, topic=topic,
        customer=customer, answered=answered, wait=wait, handle=handle,
        resolved_at=resolved_at, abandoned=abandoned, resolved=resolved, fcr=fcr, csat=csat,
        nps=nps, identified=identified, transferred=transferred, converted=converted,
        cost=np.round(cost, 2), is_open=is_open, last_from_customer=last_from_customer,
        waiting=waiting,
    )


def _customers(rng: np.random.Generator, created: np.ndarray, offset: int) -> np.ndarray:
    """Customer numbers: 12 % of contacts come back within the repeat window to an earlier
    contact's customer; the others are drawn from a pool (so some return later too)."""
    n = len(created)
    pool = max(n, 1)
    base = offset + rng.integers(0, pool, size=n)
    window_start = np.searchsorted(created, created - REPEAT_WINDOW_DAYS * 86_400, side="left")
    index = np.arange(n)
    repeat = (rng.random(n) < 0.12) & (window_start < index)
    earlier = window_start + (rng.random(n) * (index - window_start)).astype(np.int64)
    parent = np.where(repeat, earlier, index)
    while True:  # follow chains of repeats back to their first contact (pointer jumping)
        grand = parent[parent]
        if np.array_equal(grand, parent):
            break
        parent = grand
    return base[parent]


def _has_follow_up(customer: np.ndarray, created: np.ndarray) -> np.ndarray:
    """True where the same customer contacts again within the repeat window (t, t + N days]."""
    offset = created - created.min()  # < 2**26 s (two years) for any sensible period
    order = np.argsort(customer << 26 | offset) if offset.max() < 2**26 else np.lexsort(
        (created, customer))
    c, t = customer[order], created[order]
    again = np.zeros(len(order), dtype=bool)
    again[:-1] = (c[1:] == c[:-1]) & (t[1:] - t[:-1] <= REPEAT_WINDOW_DAYS * 86_400)
    result = np.empty_like(again)
    result[order] = again
    return result


# --- Export formatting -------------------------------------------------------------------------
def _timestamps(seconds: np.ndarray) -> pa.Array:
    return pa.array(seconds.astype("datetime64[s]"), mask=seconds < 0)


def _labels(labels: tuple[str, ...], codes: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    taken = pa.array(labels, pa.string()).take(pa.array(codes.clip(0), pa.int64()))
    if mask is None:
        return taken
    return pc.if_else(pa.array(mask), pa.scalar(None, pa.string()), taken)


def _words(words: tuple[str, str], flags: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return _labels(words, (~flags.astype(bool)).astype(np.int64), mask)


def _padded(values: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(pc.cast(pa.array(values), pa.string()), width=width, padding="0")


def _join(*parts: pa.Array | str, mask: np.ndarray | None = None) -> pa.Array:
    arrays = [p if isinstance(p, pa.Array) else pa.scalar(p) for p in parts]
    joined = pc.binary_join_element_wise(*arrays, "")
    if mask is None:
        return joined
    return pc.if_else(pa.array(mask), pa.scalar(None, pa.string()), joined)


@cache
def _digit_table(width: int) -> np.ndarray:
    """ASCII codes of every zero-padded number below 10**width, one row per number."""
    numbers = np.arange(10**width)
    powers = 10 ** np.arange(width - 1, -1, -1)
    return (numbers[:, None] // powers % 10 + 48).astype(np.uint8)


def _ascii(n: int, *parts: str | tuple[np.ndarray, int], mask: np.ndarray | None = None
           ) -> pa.Array:
    """Fixed-width text from literal pieces and zero-padded integers ``(values, width)``, built
    as one byte matrix (much faster than joining strings row by row)."""
    columns = []
    for part in parts:
        if isinstance(part, str):
            columns.append(np.broadcast_to(np.frombuffer(part.encode(), np.uint8), (n, len(part))))
        else:
            values, width = part
            if width <= 4:  # look the digits up: much faster than dividing
                columns.append(_digit_table(width)[values % 10**width])
            else:
                powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
                columns.append((values[:, None] // powers % 10 + 48).astype(np.uint8))
    matrix = np.ascontiguousarray(np.concatenate(columns, axis=1))
    width = matrix.shape[1]
    fixed = pa.array(matrix.view(f"S{width}").ravel(), pa.binary(width), mask=mask)
    return fixed.cast(pa.binary()).cast(pa.string())


def _hms(seconds: np.ndarray) -> pa.Array:
    """Durations as ``hh:mm:ss`` (hours take more digits past 99); null where NaN."""
    unknown = np.isnan(seconds)
    s = np.nan_to_num(seconds).astype(np.int64)
    hours, rest = s // 3600, s % 3600
    long = hours >= 100
    text = _ascii(len(s), (np.where(long, 0, hours), 2), ":", (rest // 60, 2), ":",
                  (rest % 60, 2), mask=unknown)
    if not long.any():
        return text
    wide = _join(pc.cast(pa.array(hours), pa.string()), ":", _padded(rest // 60, 2), ":",
                 _padded(rest % 60, 2))
    return pc.if_else(pa.array(long), wide, text)


def _decimal_comma(values: np.ndarray) -> pa.Array:
    cents = np.round(values * 100).astype(np.int64)
    return _join(pc.cast(pa.array(cents // 100), pa.string()), ",", _padded(cents % 100, 2))


def _calendar(seconds: np.ndarray) -> tuple[np.ndarray, ...]:
    """Year, month, day, hour and minute of epoch seconds, vectorised."""
    moments = np.maximum(seconds, 0).astype("datetime64[s]")
    days = moments.astype("datetime64[D]")
    months = moments.astype("datetime64[M]")
    years = moments.astype("datetime64[Y]")
    year = years.astype(np.int64) + 1970
    month = (months - years).astype(np.int64) + 1
    day = (days - months).astype(np.int64) + 1
    minute_of_day = (moments - days).astype(np.int64) // 60
    return year, month, day, minute_of_day // 60, minute_of_day % 60


def _br_datetime(seconds: np.ndarray) -> pa.Array:
    """``dd/mm/yyyy HH:MM``; null where negative."""
    year, month, day, hour, minute = _calendar(seconds)
    return _ascii(len(seconds), (day, 2), "/", (month, 2), "/", (year, 4), " ", (hour, 2), ":",
                  (minute, 2), mask=seconds < 0)


def _br_date(seconds: np.ndarray) -> pa.Array:
    """``dd/mm/yyyy``."""
    year, month, day, _, _ = _calendar(seconds)
    return _ascii(len(seconds), (day, 2), "/", (month, 2), "/", (year, 4))


def _br_customer(customer: np.ndarray) -> pa.Array:
    """CPF numbers (valid check digits) for two customers in three, mobile numbers otherwise."""
    n = len(customer)
    base = (customer * 7919 + 123_456_789) % 1_000_000_000
    first = np.zeros(n, dtype=np.int64)
    second = np.zeros(n, dtype=np.int64)
    for position in range(9):
        digit = base // 10 ** (8 - position) % 10
        first += digit * (10 - position)
        second += digit * (11 - position)
    first = first * 10 % 11 % 10
    second = (second + 2 * first) * 10 % 11 % 10
    cpf = _ascii(n, (base // 1_000_000, 3), ".", (base // 1000 % 1000, 3), ".",
                 (base % 1000, 3), "-", (first * 10 + second, 2))
    number = (customer * 104_729 + 12_345_678) % 100_000_000
    phone = _ascii(n, "+55 ", (_BR_AREA_CODES[customer % 10], 2), " 9", (number // 10_000, 4),
                   "-", (number % 10_000, 4))
    return pc.if_else(pa.array(customer % 3 == 0), phone, cpf)


def _export(c: _Contacts, first_id: int, dialect: Dialect) -> pa.Table:
    """The chunk's contacts as the tool of ``dialect`` would export them."""
    n = len(c.created)
    not_handled = c.answered < 0
    no_fcr = c.fcr < 0
    no_csat = c.csat == 0
    no_nps = c.nps < 0
    closed = ~c.is_open
    words = _BOOL_WORDS[dialect]
    if dialect == "plain":
        columns: list[pa.Array] = [
            pa.array(first_id + np.arange(n, dtype=np.int64)),
            _timestamps(c.created),
            _labels(CHANNEL_LABELS["plain"], c.channel),
            _labels(TEAM_LABELS["plain"], c.team),
            _labels(AGENT_NAMES, c.agent, c.agent < 0),
            _labels(TOPIC_LABELS["plain"], c.topic),
            _join("C", _padded(c.customer, 7)),
            _timestamps(c.answered),
            pa.array(c.wait.astype(np.int64), mask=c.waiting),
            pa.array(np.nan_to_num(c.handle).astype(np.int64), mask=not_handled),
            _timestamps(c.resolved_at),
            pa.array(c.abandoned),
            pa.array(c.resolved),
            pa.array(c.fcr == 1, mask=no_fcr),
            pa.array(c.csat.astype(np.int64), mask=no_csat),
            pa.array(c.nps.astype(np.int64), mask=no_nps),
            pa.array(c.identified),
            pa.array(c.transferred),
            pa.array(c.converted),
            pa.array(c.cost),
            _words(_STATUS_WORDS["plain"], c.is_open),
            _words(_LAST_FROM_WORDS["plain"], c.last_from_customer, closed),
        ]
    else:
        year, month, day, _, _ = _calendar(c.created)
        situation = np.where(c.waiting, 2, c.abandoned.astype(np.int64))
        columns = [
            _join(_ascii(n, (year, 4), (month, 2), (day, 2)),
                  _padded(first_id + np.arange(n, dtype=np.int64), 6)),
            _br_datetime(c.created),
            _labels(CHANNEL_LABELS["br"], c.channel),
            _labels(TEAM_LABELS["br"], c.team),
            _labels(AGENT_NAMES, c.agent, c.agent < 0),
            _labels(TOPIC_LABELS["br"], c.topic),
            _br_customer(c.customer),
            _br_datetime(c.answered),
            _hms(np.where(c.waiting, np.nan, c.wait)),
            _hms(c.handle),
            _br_datetime(c.resolved_at),
            _labels(_SITUATION_WORDS, situation),
            _words(words, c.resolved),
            _words(words, c.fcr == 1, no_fcr),
            _join(pc.cast(pa.array(c.csat), pa.string()), mask=no_csat),
            _join(pc.cast(pa.array(c.nps), pa.string()), mask=no_nps),
            _words(words, c.identified),
            _words(words, c.transferred),
            _words(words, c.converted),
            _decimal_comma(c.cost),
            _words(_STATUS_WORDS["br"], c.is_open),
            _words(_LAST_FROM_WORDS["br"], c.last_from_customer, closed),
        ]
    return pa.table(columns, names=list(INTERACTION_HEADERS[dialect]))


def _activity(c: _Contacts, plan: _Plan, rng: np.random.Generator) -> pd.DataFrame:
    """Online seconds per agent and day: handled time over an occupancy of 72–88 %."""
    handled = c.agent >= 0
    day = (c.created[handled] - plan.day_seconds[0]) // 86_400
    key = day * len(AGENT_NAMES) + c.agent[handled]
    busy = np.bincount(key, c.handle[handled], minlength=plan.days * len(AGENT_NAMES))
    keys = np.flatnonzero(busy)
    occupancy = rng.uniform(0.72, 0.88, size=len(keys))
    return pd.DataFrame({
        "day": keys // len(AGENT_NAMES),
        "agent": keys % len(AGENT_NAMES),
        "online": busy[keys] / occupancy,
    })


def _activity_export(activity: pd.DataFrame, plan: _Plan, dialect: Dialect) -> pd.DataFrame:
    activity = activity.sort_values(["day", "agent"], kind="stable")
    days = plan.day_seconds[activity["day"].to_numpy()]
    hours = np.round(activity["online"].to_numpy() / 3600, 2)
    names = _labels(AGENT_NAMES, activity["agent"].to_numpy())
    if dialect == "plain":
        columns = [names, pa.array(days.astype("datetime64[s]").astype("datetime64[D]")),
                   pa.array(hours)]
    else:
        columns = [names, _br_date(days),
                   _decimal_comma(hours)]
    return _to_pandas(pa.table(columns, names=list(ACTIVITY_HEADERS[dialect])))


def _forecast_export(plan: _Plan, dialect: Dialect) -> pd.DataFrame:
    """Forecast volume per day and channel: the actual volume within ±10 %."""
    rng = np.random.default_rng([plan.seed, 10**6])
    error = np.clip(np.exp(rng.normal(0.0, 0.05, size=plan.counts.shape)), 0.9, 1.1)
    forecast = np.round(plan.counts * error).astype(np.int64).ravel()
    day = np.repeat(plan.day_seconds, len(CHANNELS))
    channel = np.tile(np.arange(len(CHANNELS)), plan.days)
    if dialect == "plain":
        when = pa.array(day.astype("datetime64[s]").astype("datetime64[D]"))
    else:
        when = _br_date(day)
    columns = [when, _labels(CHANNEL_LABELS[dialect], channel), pa.array(forecast)]
    return _to_pandas(pa.table(columns, names=list(FORECAST_HEADERS[dialect])))


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    return table.to_pandas(types_mapper=mapping.get)


def _interaction_chunks(
    plan: _Plan, dialect: Dialect
) -> Iterator[tuple[pa.Table, pd.DataFrame]]:
    first_id = 100_001 if dialect == "plain" else 1
    customer_offset = 0
    for index, (lo, hi) in enumerate(_chunks(plan.counts)):
        contacts = _contacts(plan, lo, hi, index, customer_offset)
        n = len(contacts.created)
        activity = _activity(contacts, plan, np.random.default_rng([plan.seed, index + 1, 1]))
        yield _export(contacts, first_id, dialect), activity
        first_id += n
        customer_offset += max(n, 1)


def generate(
    rows: int,
    *,
    seed: int = 0,
    start: date = DEFAULT_START,
    days: int | None = None,
    dialect: Dialect = "plain",
) -> SampleData:
    """Synthetic interactions (exactly ``rows``), agent activity and forecast, in export form.

    Deterministic for a seed. ``days`` defaults to 182 (26 weeks from ``start``).
    """
    days = DEFAULT_DAYS if days is None else days
    _check(rows, days, dialect)
    plan = _plan(rows, seed, start, days)
    tables, activities = [], []
    for table, activity in _interaction_chunks(plan, dialect):
        tables.append(table)
        activities.append(activity)
    interactions = _to_pandas(pa.concat_tables(tables))
    activity = _activity_export(pd.concat(activities, ignore_index=True), plan, dialect)
    return SampleData(interactions, activity, _forecast_export(plan, dialect), dialect,
                      plan.story)


# --- Writing -----------------------------------------------------------------------------------
_FORMATS = (".csv.gz", ".csv", ".parquet", ".xlsx")
_CSV_SLICE = 500_000


def _suffix(path: Path) -> str:
    suffix = next((s for s in _FORMATS if path.name.lower().endswith(s)), None)
    if suffix is None:
        raise DefinitionError("sample.format_unknown", name=path.name,
                              choices=", ".join(sorted(_FORMATS)))
    return suffix


def output_paths(path: str | Path) -> tuple[Path, Path, Path]:
    """Where ``write_sample`` puts the interactions, activity and forecast tables (the last two
    are the same file as the first for Excel, one sheet each)."""
    path = Path(path)
    suffix = _suffix(path)
    if suffix == ".xlsx":
        return path, path, path
    stem, ending = path.name[: -len(suffix)], path.name[-len(suffix):]
    return (path, path.with_name(f"{stem}_activity{ending}"),
            path.with_name(f"{stem}_forecast{ending}"))


class _TableWriter:
    """Appends tables to one CSV, gzipped CSV or Parquet file (the br dialect's CSV is
    ``;``-separated and cp1252-encoded)."""

    def __init__(self, path: Path, dialect: Dialect) -> None:
        self.path, self.dialect = path, dialect
        self.suffix = _suffix(path)
        self.header = True
        self.parquet: pq.ParquetWriter | None = None
        self.sink: pa.NativeFile | None = None
        if self.suffix == ".csv.gz":
            self.sink = pa.CompressedOutputStream(str(path), "gzip")
        elif self.suffix == ".csv":
            self.sink = pa.OSFile(str(path), "wb")

    def write(self, frame: pd.DataFrame) -> None:
        table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata()
        if self.sink is None:
            if self.parquet is None:
                self.parquet = pq.ParquetWriter(str(self.path), table.schema)
            self.parquet.write_table(table)
            return
        for offset in range(0, max(table.num_rows, 1), _CSV_SLICE):
            options = pacsv.WriteOptions(
                include_header=self.header, delimiter="," if self.dialect == "plain" else ";",
                quoting_style="none", quoting_header="none",
            )
            self.header = False
            buffer = io.BytesIO()
            pacsv.write_csv(table.slice(offset, _CSV_SLICE), buffer, options)
            data = buffer.getvalue()
            if self.dialect == "br":
                data = data.decode("utf-8").encode("cp1252")
            self.sink.write(data)

    def close(self) -> None:
        if self.parquet is not None:
            self.parquet.close()
        if self.sink is not None:
            self.sink.close()


def write_sample(sample: SampleData, path: str | Path) -> list[Path]:
    """Write the sample in the format named by the extension (.csv, .csv.gz, .xlsx, .parquet);
    CSV and Parquet put the activity and forecast tables beside it. Returns the files written.
    """
    paths = output_paths(path)
    if _suffix(paths[0]) == ".xlsx":
        _write_excel(sample, paths[0])
        return [paths[0]]
    frames = (sample.interactions, sample.activity, sample.forecast)
    for frame, target in zip(frames, paths, strict=True):
        writer = _TableWriter(target, sample.dialect)
        try:
            writer.write(frame)
        finally:
            writer.close()
    return list(paths)


def write_generated(
    path: str | Path,
    rows: int,
    *,
    seed: int = 0,
    start: date = DEFAULT_START,
    days: int | None = None,
    dialect: Dialect = "plain",
) -> tuple[list[Path], Story]:
    """``write_sample(generate(...), path)`` without holding every row in memory: CSV and
    Parquet are written chunk by chunk (same CSV bytes), so 20M rows fit in a few GB.
    Returns the files written and the story's dates."""
    paths = output_paths(path)
    if _suffix(paths[0]) == ".xlsx":
        sample = generate(rows, seed=seed, start=start, days=days, dialect=dialect)
        assert sample.story is not None
        return write_sample(sample, paths[0]), sample.story
    days = DEFAULT_DAYS if days is None else days
    _check(rows, days, dialect)
    plan = _plan(rows, seed, start, days)
    writer = _TableWriter(paths[0], dialect)
    activities = []
    try:
        for table, activity in _interaction_chunks(plan, dialect):
            writer.write(_to_pandas(table))
            activities.append(activity)
    finally:
        writer.close()
    tables = (_activity_export(pd.concat(activities, ignore_index=True), plan, dialect),
              _forecast_export(plan, dialect))
    for frame, target in zip(tables, paths[1:], strict=True):
        writer = _TableWriter(target, dialect)
        try:
            writer.write(frame)
        finally:
            writer.close()
    return list(paths), plan.story


def _write_excel(sample: SampleData, path: Path) -> None:
    """One workbook, one sheet per table, through openpyxl's streaming write-only mode."""
    rows = len(sample.interactions)
    if rows > EXCEL_MAX_ROWS:
        raise DefinitionError("sample.too_many_rows_for_excel", rows=rows, limit=EXCEL_MAX_ROWS)
    workbook = Workbook(write_only=True)
    frames = (sample.interactions, sample.activity, sample.forecast)
    for frame, title in zip(frames, SHEETS[sample.dialect], strict=True):
        sheet = workbook.create_sheet(title)
        sheet.append(list(frame.columns))
        columns = [_excel_values(frame[name]) for name in frame.columns]
        for row in zip(*columns, strict=True):
            sheet.append(row)
    workbook.save(path)


def _excel_values(column: pd.Series) -> list[object]:
    """Plain Python values for openpyxl: datetimes, ints, floats, bools, str; None for blanks."""
    values = column.astype(object).tolist()
    if pd.api.types.is_datetime64_any_dtype(column):
        return [None if pd.isna(v) else v.to_pydatetime() for v in values]
    return [None if v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v
            for v in values]
