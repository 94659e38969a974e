"""Pseudonymisation: keyed tokens per distinct customer id, FCR unchanged, nothing raw kept."""

from __future__ import annotations

import hashlib
import time
import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.compute import kpi_values
from kpi.errors import DefinitionError
from kpi.load import load_dataset
from kpi.mapping import Mapping
from kpi.privacy import TOKEN_LENGTH, new_salt, pseudonymise

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
