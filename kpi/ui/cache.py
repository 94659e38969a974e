"""Cached loaders keyed on content (hash of the bytes + the mapping JSON), never on frames.

Streamlit's caches skip arguments whose name starts with ``_``: the bytes travel in ``_files``
and the cache key is the explicit ``key`` (their SHA-256), so a 200 MB upload is hashed once
by us, not sampled by Streamlit.

Datasets are kept with ``st.cache_resource``: no pickling on every hit (seconds for millions of
rows) and the :class:`~kpi.errors.KpiError` in a report keeps its code and parameters. The
cached frames are shared between sessions, so callers treat them as read-only (copy before
adding a column).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from kpi.ui.mapping_form import observed_values
from kpi.ui.state import DataSource, content_key

if TYPE_CHECKING:
    from kpi.load import Dataset
    from kpi.mapping import MappingProposal

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "sample_data"
SAMPLE_MAIN = "contacts.csv"
#: Suffixes of the companion tables loaded with a main file (``contacts_activity.csv``...).
COMPANION_SUFFIXES: tuple[str, ...] = ("_activity", "_forecast")
TTL_SECONDS = 3600


@st.cache_resource(max_entries=8, ttl=TTL_SECONDS, show_spinner=False)
def _load(key: str, mapping_json: str | None, _files: tuple[tuple[str, bytes], ...]) -> Dataset:
    from kpi.load import load_dataset
    from kpi.mapping import Mapping

    mapping = None if mapping_json is None else Mapping.from_dict(json.loads(mapping_json))
    return load_dataset(list(_files), mapping)


def load(source: DataSource) -> Dataset:
    """The dataset of ``source`` (loaded once per content + mapping, then from the cache).

    Raises the report's fatal error when nothing usable was loaded.
    """
    dataset = _load(source.content_key, source.mapping_json, source.files)
    fatal = dataset.report.fatal
    if fatal is not None:
        if fatal.code == "mapping.fatal.no_file":
            _raise_read_error(source)
        raise type(fatal)(fatal.code, **fatal.params)
    return dataset


def _raise_read_error(source: DataSource) -> None:
    """Raise the reader's own error for the first unreadable file (it says what to do).

    The load report keeps that error only as English text, so read the file again to get the
    code and parameters the UI translates.
    """
    from kpi.io import read_file

    for name, data in source.files:
        read_file(name, data)


def with_companions(path: Path) -> tuple[tuple[str, bytes], ...]:
    """``path`` and, when present, its ``_activity`` / ``_forecast`` siblings, as (name, bytes)."""
    paths = [path] + [
        sibling
        for suffix in COMPANION_SUFFIXES
        if (sibling := path.with_name(f"{path.stem}{suffix}{path.suffix}")).is_file()
    ]
    return tuple((p.name, p.read_bytes()) for p in paths)


def sample_source() -> DataSource:
    """The bundled sample data (contacts plus agent activity and forecast)."""
    return DataSource(files=with_companions(SAMPLE_DIR / SAMPLE_MAIN), is_sample=True)


def files_source(files: Sequence[tuple[str, bytes]], mapping_json: str | None = None) -> DataSource:
    """A source made of uploaded files, loaded with ``mapping_json`` (None: detect)."""
    return DataSource(files=tuple(files), mapping_json=mapping_json)


@st.cache_resource(max_entries=4, ttl=TTL_SECONDS, show_spinner=False)
def _raw_frame(key: str, _parts: tuple[tuple[str, bytes, str], ...]) -> pd.DataFrame:
    from kpi.io import ReadOptions, read_file

    frames = [
        read_file(name, data, ReadOptions.from_dict(json.loads(options))).frame
        for name, data, options in _parts
    ]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def raw_frame(source: DataSource, dataset: Dataset) -> pd.DataFrame | None:
    """The contact tables as read, with their own headers (shared and read-only).

    Re-reads the files (or sheets) the load classified as interactions, with the options it
    used; None when there is none.
    """
    data_by_name = dict(source.files)
    parts = tuple(
        (read.name, data_by_name[read.name], json.dumps(read.options, sort_keys=True))
        for read in dataset.reads
        if read.table == "interactions" and read.name in data_by_name
    )
    if not parts:
        return None
    key = content_key([(f"{name}|{options}", data) for name, data, options in parts])
    return _raw_frame(key, parts)


@st.cache_resource(max_entries=8, ttl=TTL_SECONDS, show_spinner=False)
def _proposal(key: str, _frame: pd.DataFrame) -> MappingProposal:
    from kpi.mapping import detect_mapping

    return detect_mapping(_frame)


def proposal(source: DataSource, dataset: Dataset) -> MappingProposal | None:
    """What detection proposes for the contacts: the load's own, else detected on the raw
    table (when a saved or corrected mapping was given, the load skips detection)."""
    if dataset.proposal is not None:
        return dataset.proposal
    raw = raw_frame(source, dataset)
    if raw is None:
        return None
    return _proposal(source.content_key, raw)


@st.cache_data(max_entries=64, ttl=TTL_SECONDS, show_spinner=False)
def _observed(key: str, column: str, _values: pd.Series) -> list[str]:
    return observed_values(_values)


def observed_values_of(dataset_key: str, column: str, values: pd.Series) -> list[str]:
    """The most frequent values of a raw column, cached per dataset and column."""
    return list(_observed(dataset_key, column, values))
