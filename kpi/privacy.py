"""Pseudonymisation of customer identifiers: a keyed hash per distinct value.

A phone number or CPF becomes a 16-hex-character token (keyed BLAKE2b, 64-bit digest) that is
the same for the same value and salt, so repeat-contact KPIs (FCR) still work while the raw
identifier is gone. Without the salt the token cannot be reversed by hashing guesses; with it,
anyone can confirm a guess, so the salt is kept like a password (per workspace).
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata

import pandas as pd
import pyarrow as pa

from kpi.errors import DefinitionError

#: Length of a token in hex characters (64 bits: collisions are negligible below ~10^8 ids).
TOKEN_LENGTH = 16
SALT_BYTES = 16
_MAX_SALT_BYTES = 64  # BLAKE2b's key limit


def new_salt() -> bytes:
    """A fresh random salt (16 bytes) for one workspace."""
    return secrets.token_bytes(SALT_BYTES)


def _check_salt(salt: object) -> bytes:
    if not isinstance(salt, bytes | bytearray) or not 1 <= len(salt) <= _MAX_SALT_BYTES:
        raise DefinitionError("privacy.error.bad_salt", limit=_MAX_SALT_BYTES)
    return bytes(salt)


def _hasher(salt: bytes) -> hashlib.blake2b:
    """The keyed hasher every token starts from (copied: cheaper than keying each time)."""
    return hashlib.blake2b(key=salt, digest_size=TOKEN_LENGTH // 2, person=b"kpi-customer-id")


def _token(value: object, base: hashlib.blake2b) -> str:
    hasher = base.copy()
    hasher.update(unicodedata.normalize("NFC", str(value).strip()).encode("utf-8"))
    return hasher.hexdigest()


def pseudonymise(values: pd.Series, salt: bytes) -> pd.Series:
    """``values`` with every present value replaced by its keyed token; missing stays missing.

    Values are read as text (stripped, Unicode NFC) and hashed once per distinct value, so a
    million rows with many repeats take a fraction of a second. The result has the ``str``
    dtype and ``values``' index.
    """
    base = _hasher(_check_salt(salt))
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    tokens = pa.array([_token(value, base) for value in uniques.tolist()], type=pa.string())
    positions = pa.array(codes, mask=codes < 0)  # the sentinel -1 (missing) → null
    taken = tokens.take(positions).to_pandas()
    return pd.Series(taken.array, index=values.index, name=values.name, dtype="str")
