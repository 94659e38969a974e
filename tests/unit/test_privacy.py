"""Pseudonymisation: keyed tokens per distinct customer id, FCR unchanged, nothing raw kept."""

from __future__ import annotations

import hashlib
import threading
import time
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.compute import kpi_values
from kpi.errors import DefinitionError
from kpi.load import load_dataset
from kpi.mapping import Mapping
from kpi.privacy import (
    SALT_SETTING,
    TOKEN_LENGTH,
    WORKSPACE_SALT_BYTES,
    is_pseudonymising,
    new_salt,
    pseudonymise,
    salt_digest,
    set_pseudonymisation,
    workspace_salt,
)
from kpi.store import Workspace

SALT = b"0123456789abcdef"
PHONES = ["+55 21 92765-2307", "155.045.680-64", "+55 11 98888-1234", "042.117.903-20"]


def _contacts_csv(rows: int = 120, seed: int = 3) -> bytes:
    """Contacts of four customers (phones and CPFs) with repeats inside the FCR window."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2026-01-05")
    created = start + pd.to_timedelta(np.sort(rng.integers(0, 40 * 24 * 60, rows)), unit="min")
    customers = [PHONES[i] for i in rng.integers(0, len(PHONES), rows)]
    customers[5] = ""  # one contact without a customer
    frame = pd.DataFrame({
        "Ticket ID": np.arange(1, rows + 1),
        "Created At": created.strftime("%Y-%m-%d %H:%M:%S"),
        "Customer ID": customers,
        "Resolved": rng.choice(["true", "false"], rows, p=[0.8, 0.2]),
        "Agent": rng.choice(["Ana", "Bruno"], rows),
    })
    return frame.to_csv(index=False).encode()


def test_same_value_same_token_and_hex_length() -> None:
    tokens = pseudonymise(pd.Series(["+55 21 92765-2307", "x", "+55 21 92765-2307"]), SALT)
    assert tokens[0] == tokens[2] != tokens[1]
    assert all(len(t) == TOKEN_LENGTH and int(t, 16) >= 0 for t in tokens)


def test_token_is_keyed_blake2b_of_the_stripped_value() -> None:
    expected = hashlib.blake2b(b"155.045.680-64", key=SALT, digest_size=8,
                               person=b"kpi-customer-id").hexdigest()
    assert pseudonymise(pd.Series(["  155.045.680-64 "]), SALT).iloc[0] == expected


def test_different_salt_different_token() -> None:
    values = pd.Series(PHONES)
    first, second = pseudonymise(values, SALT), pseudonymise(values, b"another salt....")
    assert not (first == second).any()
    assert first.nunique() == len(PHONES)


def test_missing_stays_missing_and_index_kept() -> None:
    values = pd.Series(["a", None, "b", np.nan, "a"], index=[10, 11, 12, 13, 14], dtype="str")
    tokens = pseudonymise(values, SALT)
    assert tokens.isna().tolist() == [False, True, False, True, False]
    assert tokens.index.tolist() == [10, 11, 12, 13, 14]
    assert str(tokens.dtype) == "str"
    assert pseudonymise(pd.Series([], dtype="str"), SALT).empty


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=6)), max_size=30))
def test_tokens_partition_rows_like_the_normalised_values(values: list[str | None]) -> None:
    series = pd.Series(values, dtype="str")
    normalised = series.str.strip().map(
        lambda v: unicodedata.normalize("NFC", v), na_action="ignore")
    tokens = pseudonymise(series, SALT)
    assert (tokens.isna() == series.isna()).all()
    # equal (normalised) values ↔ equal tokens: FCR's "same customer" is unchanged
    assert (pd.factorize(tokens)[0] == pd.factorize(normalised)[0]).all()


def test_load_with_a_bad_salt_says_so() -> None:
    with pytest.raises(DefinitionError):
        load_dataset([("contacts.csv", _contacts_csv())], pseudonymise_salt=b"")


def test_new_salt_is_random_16_bytes() -> None:
    salts = {new_salt() for _ in range(5)}
    assert len(salts) == 5
    assert all(isinstance(s, bytes) and len(s) == 16 for s in salts)


@pytest.mark.parametrize("salt", [b"", "text", None, b"x" * 65])
def test_bad_salt_is_a_kpi_error(salt: object) -> None:
    with pytest.raises(DefinitionError) as caught:
        pseudonymise(pd.Series(["a"]), salt)  # type: ignore[arg-type]
    assert "64" in caught.value.message("pt")
    assert "sal" in caught.value.message("pt")


def test_million_rows_hash_distinct_values_only() -> None:
    rng = np.random.default_rng(0)
    values = pd.Series(rng.integers(0, 50_000, 1_000_000).astype(str), dtype="str")
    began = time.process_time()
    tokens = pseudonymise(values, SALT)
    spent = time.process_time() - began
    assert tokens.nunique() == values.nunique()
    # same partition of rows: equal ids ↔ equal tokens
    assert (pd.factorize(tokens)[0] == pd.factorize(values)[0]).all()
    assert spent < 1.5, spent  # CPU seconds; ~0.2 s on an idle 2-core box


def test_load_pseudonymises_and_keeps_fcr() -> None:
    data = _contacts_csv()
    plain = load_dataset([("contacts.csv", data)])
    hidden = load_dataset([("contacts.csv", data)], pseudonymise_salt=SALT)
    assert plain.usable
    assert hidden.usable
    assert "customer_id" in hidden.interactions

    expected = pseudonymise(plain.interactions["customer_id"], SALT)
    pd.testing.assert_series_equal(hidden.interactions["customer_id"], expected)
    assert hidden.interactions["customer_id"].isna().sum() == 1

    before = kpi_values(plain.interactions, ["fcr_rate"], freq="week")
    after = kpi_values(hidden.interactions, ["fcr_rate"], freq="week")
    assert before["value"].notna().sum() >= 4
    assert before["value"].between(0, 1).all()
    assert before["value"].lt(0.8).any()
    pd.testing.assert_frame_equal(before, after)


def test_no_raw_identifier_anywhere_in_the_output() -> None:
    data = _contacts_csv()
    # the customer column is also kept as a dimension: it must be tokenised there too
    mapping = Mapping.from_dict({"columns": {"created_at": "Created At",
                                             "customer_id": "Customer ID",
                                             "interaction_id": "Ticket ID",
                                             "resolved": "Resolved"},
                                 "dimensions": ["Customer ID"]})
    for chosen in (None, mapping):
        dataset = load_dataset([("contacts.csv", data)], chosen, pseudonymise_salt=SALT)
        frame = dataset.interactions
        text = frame.astype("str").to_csv(index=False)
        if chosen is not None:
            assert frame["Customer ID"].equals(
                frame["customer_id"].rename("Customer ID"))
        for raw in PHONES:
            assert raw not in text
            digits = raw.replace(" ", "").replace("-", "").replace(".", "")
            assert digits not in text.replace(" ", "")
        examples = " ".join(" ".join(i.examples) for i in dataset.report.issues)
        assert not any(raw in examples for raw in PHONES)


# --- per-workspace salt ------------------------------------------------------------------------

def _customer_tokens(workspace: Workspace) -> pd.Series:
    salt = workspace_salt(workspace)
    loaded = load_dataset([("contacts.csv", _contacts_csv())], pseudonymise_salt=salt)
    return loaded.interactions["customer_id"]


def test_a_new_workspace_pseudonymises(tmp_path: Path) -> None:
    workspace = Workspace.open(tmp_path / "a")
    assert is_pseudonymising(workspace)
    salt = workspace_salt(workspace)
    assert isinstance(salt, bytes)
    assert len(salt) == WORKSPACE_SALT_BYTES
    assert workspace.get_setting(SALT_SETTING) == salt.hex()  # stored, as hex
    tokens = _customer_tokens(workspace)
    assert tokens.dropna().str.fullmatch(r"[0-9a-f]{16}").all()
    assert not tokens.isin(PHONES).any()


def test_two_workspaces_give_different_tokens(tmp_path: Path) -> None:
    first = workspace_salt(Workspace.open(tmp_path / "a"))
    second = workspace_salt(Workspace.open(tmp_path / "b"))
    assert first != second
    phone = pd.Series([PHONES[0]])
    assert pseudonymise(phone, first).iloc[0] != pseudonymise(phone, second).iloc[0]


def test_reopened_workspace_gives_the_same_tokens(tmp_path: Path) -> None:
    before = _customer_tokens(Workspace.open(tmp_path / "a"))
    after = _customer_tokens(Workspace.open(tmp_path / "a"))
    pd.testing.assert_series_equal(before, after)


def test_off_gives_raw_ids_and_on_again_the_same_tokens(tmp_path: Path) -> None:
    workspace = Workspace.open(tmp_path / "a")
    before = _customer_tokens(workspace)
    set_pseudonymisation(workspace, False)
    assert not is_pseudonymising(workspace)
    assert workspace_salt(workspace) is None
    raw = _customer_tokens(workspace)
    assert set(raw.dropna()) <= set(PHONES)
    assert raw.isin(PHONES).sum() == len(raw) - 1  # one contact without a customer
    set_pseudonymisation(Workspace.open(tmp_path / "a"), True)
    pd.testing.assert_series_equal(_customer_tokens(workspace), before)


def test_switching_off_first_still_keeps_one_salt(tmp_path: Path) -> None:
    workspace = Workspace.open(tmp_path / "a")
    set_pseudonymisation(workspace, False)  # before any salt was asked for
    assert workspace.get_setting(SALT_SETTING) is None
    set_pseudonymisation(workspace, True)
    salt = workspace_salt(workspace)
    assert salt is not None
    assert workspace_salt(workspace) == salt


def test_concurrent_first_requests_agree_on_one_salt(tmp_path: Path) -> None:
    Workspace.open(tmp_path / "a")
    salts: list[bytes | None] = []
    barrier = threading.Barrier(4)

    def ask() -> None:
        barrier.wait()
        salts.append(workspace_salt(Workspace.open(tmp_path / "a")))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(salts) == 4
    assert len(set(salts)) == 1


def test_salt_digest_is_short_stable_and_not_the_salt() -> None:
    assert salt_digest(None) == ""
    digest = salt_digest(SALT)
    assert digest == salt_digest(SALT) != salt_digest(b"another salt....")
    assert len(digest) == 16
    assert SALT.hex() not in digest
    expected = hashlib.blake2b(SALT, digest_size=8, person=b"kpi-salt-digest").hexdigest()
    assert digest == expected
