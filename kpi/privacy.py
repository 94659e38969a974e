"""Pseudonymisation of customer identifiers: a keyed hash per distinct value.

A phone number or CPF becomes a 16-hex-character token (keyed BLAKE2b, 64-bit digest) that is
the same for the same value and salt, so repeat-contact KPIs (FCR) still work while the raw
identifier is gone. Without the salt the token cannot be reversed by hashing guesses; with it,
anyone can confirm a guess, so the salt is kept like a password (per workspace).

Every workspace pseudonymises by default: :func:`workspace_salt` creates its salt (32 random
bytes, stored hex in the workspace's settings) the first time it is asked for, and returns None
only once the workspace switched pseudonymisation off (:func:`set_pseudonymisation`). Switching
off keeps the salt, so switching on again gives the same tokens as before.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import unicodedata
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from kpi.errors import DefinitionError

if TYPE_CHECKING:
    from kpi.store import Workspace

#: Length of a token in hex characters (64 bits: collisions are negligible below ~10^8 ids).
TOKEN_LENGTH = 16
SALT_BYTES = 16
_MAX_SALT_BYTES = 64  # BLAKE2b's key limit
#: Bytes of a workspace's salt (created once, kept when pseudonymisation is switched off).
WORKSPACE_SALT_BYTES = 32
#: Workspace settings: the salt (hex) and the switch (``"off"`` disables; anything else is on).
SALT_SETTING = "privacy.salt"
SWITCH_SETTING = "privacy.pseudonymise"


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


def _stored_salt(workspace: Workspace) -> bytes:
    """The workspace's salt, created in the same transaction when it has none yet (so two
    sessions asking at once agree on one salt)."""
    from kpi.store import write_setting

    def change(conn: sqlite3.Connection) -> str:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (SALT_SETTING,)).fetchone()
        if row is not None:
            return str(row[0])
        value = secrets.token_bytes(WORKSPACE_SALT_BYTES).hex()
        write_setting(conn, SALT_SETTING, value)
        return value

    stored = workspace.get_setting(SALT_SETTING) or workspace.transact(change)
    try:
        return _check_salt(bytes.fromhex(stored))
    except ValueError as error:
        raise DefinitionError("privacy.error.bad_salt", limit=_MAX_SALT_BYTES) from error


def is_pseudonymising(workspace: Workspace) -> bool:
    """Whether ``workspace`` pseudonymises customer ids (on unless switched off)."""
    return workspace.get_setting(SWITCH_SETTING) != "off"


def workspace_salt(workspace: Workspace) -> bytes | None:
    """The salt ``workspace`` pseudonymises customer ids with, None when switched off.

    Created on first use, so every workspace is on by default. Raises the workspace's
    :class:`~kpi.store.WorkspaceError` when it cannot be read or written.
    """
    if not is_pseudonymising(workspace):
        return None
    return _stored_salt(workspace)


def set_pseudonymisation(workspace: Workspace, on: bool) -> None:
    """Switch pseudonymisation of ``workspace`` on or off (saved at once; the salt is kept)."""
    if on:
        _stored_salt(workspace)
    workspace.set_setting(SWITCH_SETTING, None if on else "off")


def salt_digest(salt: bytes | None) -> str:
    """A short public fingerprint of ``salt`` for cache keys ("" without one); the salt
    cannot be recovered from it."""
    if salt is None:
        return ""
    return hashlib.blake2b(salt, digest_size=8, person=b"kpi-salt-digest").hexdigest()
