"""Cached loaders keyed on content (hash of the bytes + the mapping JSON), never on frames.

``st.cache_data`` skips arguments whose name starts with ``_``: the bytes travel in ``_files``
and the cache key is the explicit ``key`` (their SHA-256), so a 200 MB upload is hashed once
by us, not sampled by Streamlit.
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
    from kpi.mapping import Mapping

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "sample_data"
SAMPLE_MAIN = "contacts.csv"
#: Suffixes of the companion tables loaded with a main file (``contacts_activity.csv``...).
COMPANION_SUFFIXES: tuple[str, ...] = ("_activity", "_forecast")
TTL_SECONDS = 3600


@st.cache_data(max_entries=8, ttl=TTL_SECONDS, show_spinner=False)
def _load(key: str, mapping_json: str | None, _files: tuple[tuple[str, bytes], ...]) -> Dataset:
    from kpi.load import load_dataset
    from kpi.mapping import Mapping

    mapping = None if mapping_json is None else Mapping.from_dict(json.loads(mapping_json))
    return load_dataset(list(_files), mapping)


def load(source: DataSource) -> Dataset:
    """The dataset of ``source`` (loaded once per content + mapping, then from the cache)."""
    return _load(source.content_key, source.mapping_json, source.files)


@st.cache_data(max_entries=16, ttl=TTL_SECONDS, show_spinner=False)
def _sheets(key: str, _data: bytes) -> list[str]:
    from kpi.io import list_sheets

    return list(list_sheets(_data))


def sheets(data: bytes) -> list[str]:
    """The sheet names of an Excel workbook."""
    return _sheets(content_key([("", data)]), data)


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


@st.cache_data(max_entries=4, ttl=TTL_SECONDS, show_spinner=False)
def _raw_frame(
    key: str, read_json: str, _files: tuple[tuple[str, bytes], ...]
) -> pd.DataFrame:
    from kpi.io import ReadOptions, read_file

    options = ReadOptions.from_dict(json.loads(read_json))
    frames = [read_file(name, data, options).frame for name, data in _files]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def interaction_files(source: DataSource) -> tuple[tuple[str, bytes], ...]:
    """The files of ``source`` that hold contacts (not ``*_activity`` / ``*_forecast``)."""
    return tuple(
        (name, data)
        for name, data in source.files
        if not Path(name).stem.endswith(COMPANION_SUFFIXES)
    ) or source.files


def raw_frame(source: DataSource, mapping: Mapping) -> pd.DataFrame:
    """The contact files as read, with their own headers (for the mapping widgets)."""
    files = interaction_files(source)
    read_json = json.dumps(mapping.read, sort_keys=True)
    return _raw_frame(content_key(files), read_json, files)


@st.cache_data(max_entries=64, ttl=TTL_SECONDS, show_spinner=False)
def _observed(key: str, column: str, _values: pd.Series) -> list[str]:
    return observed_values(_values)


def observed_values_of(dataset_key: str, column: str, values: pd.Series) -> list[str]:
    """The most frequent values of a raw column, cached per dataset and column."""
    return list(_observed(dataset_key, column, values))
