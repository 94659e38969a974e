"""Cached loaders keyed on content (hash of the bytes + the mapping JSON), never on frames.

Streamlit's caches skip arguments whose name starts with ``_``: the bytes travel in ``_files``
and the cache key is the explicit ``key`` (their SHA-256), so a 200 MB upload is hashed once
by us, not sampled by Streamlit. The pseudonymisation salt travels the same way (``_salt``);
the key holds only its digest, so a toggle reloads and two workspaces never share a
pseudonymised frame.

Datasets are kept with ``st.cache_resource``: no pickling on every hit (seconds for millions of
rows) and the :class:`~kpi.errors.KpiError` in a report keeps its code and parameters. The
cached frames are shared between sessions, so callers treat them as read-only (copy before
adding a column).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from kpi.io.budget import MB, FileTooLargeError, ReadBudget
from kpi.ui import state
from kpi.ui.mapping_form import observed_values
from kpi.ui.state import DataSource, ParquetSelection, content_key

if TYPE_CHECKING:
    from kpi.load import Dataset
    from kpi.mapping import MappingProposal
    from kpi.parquet_dataset import ParquetInfo

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "sample_data"
SAMPLE_MAIN = "contacts.csv"
#: Suffixes of the companion tables loaded with a main file (``contacts_activity.csv``...).
COMPANION_SUFFIXES: tuple[str, ...] = ("_activity", "_forecast")
TTL_SECONDS = 3600


@st.cache_resource(max_entries=8, ttl=TTL_SECONDS, show_spinner=False)
def _load(key: str, mapping_json: str | None, _files: tuple[tuple[str, bytes], ...],
          _salt: bytes | None = None) -> Dataset:
    """``key`` is the source's ``load_key``: content hash + the salt's digest."""
    from kpi.load import load_dataset
    from kpi.mapping import Mapping

    mapping = None if mapping_json is None else Mapping.from_dict(json.loads(mapping_json))
    return load_dataset(list(_files), mapping, pseudonymise_salt=_salt, budget=upload_budget())


def upload_limit_mb() -> int:
    """Streamlit's per-file upload limit (``server.maxUploadSize``, in MB)."""
    return int(st.get_option("server.maxUploadSize"))


def upload_budget() -> ReadBudget:
    """The loader's budget in the app: Streamlit's upload limit per file (so the browser and
    the loader never disagree), and the memory available now."""
    return ReadBudget(max_file_bytes=upload_limit_mb() * MB)


@st.cache_resource(max_entries=4, ttl=TTL_SECONDS, show_spinner=False)
def _load_parquet(key: str, location: str, months: tuple[str, ...],
                  _salt: bytes | None = None) -> Dataset:
    from kpi.parquet_dataset import inspect_parquet, load_parquet

    return load_parquet(inspect_parquet(location), months, salt=_salt)


def load(source: DataSource) -> Dataset:
    """The dataset of ``source`` (loaded once per content + mapping + pseudonymisation, then
    from the cache).

    Raises the report's fatal error when nothing usable was loaded, and the refusal of a
    Parquet selection (missing, not canonical, above the memory budget).
    """
    if source.parquet is not None:
        selection = source.parquet
        return _load_parquet(source.load_key, selection.location, selection.months, source.salt)
    arguments = (source.load_key, source.mapping_json, source.files, source.salt)
    dataset = _load(*arguments)
    if any(isinstance(read.error, FileTooLargeError) for read in dataset.reads):
        _load.clear(*arguments)  # memory is freed later, the limit may be raised: try again then
    fatal = dataset.report.fatal
    if fatal is not None:
        if fatal.code == "mapping.fatal.no_file":
            _raise_read_error(dataset)
        raise type(fatal)(fatal.code, **fatal.params)
    return dataset


def _raise_read_error(dataset: Dataset) -> None:
    """Raise the reader's own error for the first unreadable file (it says what to do, and
    the load keeps its code and parameters, so the UI translates it without re-reading)."""
    for read in dataset.reads:
        if read.error is not None:  # a fresh copy: the cached one keeps no traceback
            raise type(read.error)(read.error.code, **read.error.params)


def with_companions(path: Path) -> tuple[tuple[str, bytes], ...]:
    """``path`` and, when present, its ``_activity`` / ``_forecast`` siblings, as (name, bytes)."""
    paths = [path] + [
        sibling
        for suffix in COMPANION_SUFFIXES
        if (sibling := path.with_name(f"{path.stem}{suffix}{path.suffix}")).is_file()
    ]
    return tuple((p.name, p.read_bytes()) for p in paths)


def sample_source() -> DataSource:
    """The bundled sample data (contacts plus agent activity and forecast), pseudonymised as
    the current workspace says."""
    return DataSource(files=with_companions(SAMPLE_DIR / SAMPLE_MAIN), is_sample=True,
                      salt=state.pseudonymisation_salt())


def files_source(files: Sequence[tuple[str, bytes]], mapping_json: str | None = None) -> DataSource:
    """A source made of uploaded files, loaded with ``mapping_json`` (None: detect) and
    pseudonymised as the current workspace says."""
    return DataSource(files=tuple(files), mapping_json=mapping_json,
                      salt=state.pseudonymisation_salt())


def parquet_source(info: ParquetInfo, months: Sequence[str]) -> DataSource:
    """The chosen ``months`` of an inspected Parquet dataset, pseudonymised as the current
    workspace says."""
    selection = ParquetSelection(info.location, tuple(months), info.fingerprint)
    return DataSource(parquet=selection, salt=state.pseudonymisation_salt())


def default_source(value: str, root: Path = ROOT) -> DataSource:
    """The source ``KPI_DEFAULT_DATA`` names: a data file (with its companions; the bundled
    sample is recognised), or a converted Parquet dataset (a folder, a glob or a URI) with
    its last months. Raises the Parquet refusal, or ``UnreadableFileError`` for a missing
    file."""
    from kpi.errors import UnreadableFileError
    from kpi.parquet_dataset import inspect_parquet

    path = Path(value).expanduser()
    if not path.is_absolute() and "://" not in value:
        path = root / path
    if path.is_file():
        sample = sample_source()
        files = with_companions(path)
        return sample if files == sample.files else files_source(files)
    if "://" in value or path.is_dir() or any(c in value for c in "*?["):
        info = inspect_parquet(value if "://" in value else str(path))
        return parquet_source(info, info.default_months())
    raise UnreadableFileError("parquet.error.not_found", path=value)


def reload_source(source: DataSource) -> DataSource:
    """``source`` pseudonymised as the current workspace says now (itself when unchanged)."""
    salt = state.pseudonymisation_salt()
    return source if salt == source.salt else replace(source, salt=salt)


@st.cache_resource(max_entries=4, ttl=TTL_SECONDS, show_spinner=False)
def _raw_frame(key: str, _parts: tuple[tuple[str, bytes, str], ...], customer_column: str | None,
               _salt: bytes | None = None) -> pd.DataFrame:
    """``key``: the files, options and the salt's digest."""
    from kpi.io import ReadOptions, read_file
    from kpi.privacy import pseudonymise

    frames = [
        read_file(name, data, ReadOptions.from_dict(json.loads(options))).frame
        for name, data, options in _parts
    ]
    raw = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if _salt is not None and customer_column is not None and customer_column in raw:
        raw = raw.copy(deep=False)
        raw[customer_column] = pseudonymise(raw[customer_column], _salt)
    return raw


def raw_frame(source: DataSource, dataset: Dataset) -> pd.DataFrame | None:
    """The contact tables as read, with their own headers (shared and read-only).

    Re-reads the files (or sheets) the load classified as interactions, with the options it
    used; None when there is none. When ``source`` pseudonymises, the column mapped to
    ``customer_id`` holds tokens, so no preview or value list shows a phone number or CPF.
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
    customer = dataset.mapping.columns.get("customer_id")
    return _raw_frame(f"{key}:{source.privacy_key}", parts, customer, source.salt)


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
    return _proposal(source.load_key, raw)


@st.cache_data(max_entries=64, ttl=TTL_SECONDS, show_spinner=False)
def _observed(key: str, column: str, _values: pd.Series) -> list[str]:
    return observed_values(_values)


def observed_values_of(dataset_key: str, column: str, values: pd.Series) -> list[str]:
    """The most frequent values of a raw column, cached per dataset and column."""
    return list(_observed(dataset_key, column, values))
