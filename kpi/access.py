"""Access codes of shared workspaces: salted scrypt hashes, constant-time checks, slow-down.

A workspace may have an access code; only its hash is stored (``settings`` key
``access.code``), as ``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`` so the cost can be raised
later without breaking stored codes. :func:`unlock` checks a code inside one transaction and
counts wrong codes per workspace (``access.failures``): after :data:`FREE_ATTEMPTS` wrong codes
in a row, every further attempt must wait ``2 ** (failures - FREE_ATTEMPTS)`` seconds (at most
:data:`MAX_WAIT_SECONDS`) after the last wrong one, and is refused without even being checked
until then. The right code resets the count. Everything is stored in the workspace itself, so
the slow-down holds across sessions, threads and processes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import time
from collections.abc import Callable

from kpi.store import Workspace, WorkspaceError, write_setting

CODE_KEY = "access.code"
FAILURES_KEY = "access.failures"
#: Wrong codes allowed in a row before the slow-down starts.
FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 300.0
MIN_CODE_LENGTH = 4
#: scrypt cost: 16 MiB and ~50 ms per check on a laptop (OWASP's minimum is n=2**17 with r=8
#: for passwords; a workspace code is short-lived and the slow-down caps the guessing rate).
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_HASH_BYTES = 32


class AccessDeniedError(WorkspaceError):
    """The access code is missing or wrong, or attempts are being slowed down."""


def hash_code(code: str, *, salt: bytes | None = None) -> str:
    """The storable hash of ``code`` (a fresh random salt unless one is given)."""
    salt = secrets.token_bytes(_SALT_BYTES) if salt is None else salt
    digest = _scrypt(code, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, _HASH_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_code(code: str, stored: str) -> bool:
    """Whether ``code`` matches the stored hash (compared in constant time)."""
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        expected = bytes.fromhex(digest_hex)
        if scheme != "scrypt":
            return False
        actual = _scrypt(code, bytes.fromhex(salt_hex), int(n), int(r), int(p), len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(code: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(code.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=256 * n * r + 1024 * 1024)


def has_code(workspace: Workspace) -> bool:
    """Whether the workspace is protected by an access code."""
    return workspace.get_setting(CODE_KEY) is not None


def set_code(workspace: Workspace, code: str | None) -> None:
    """Protect the workspace with ``code`` (None or blank removes the protection).

    A code shorter than :data:`MIN_CODE_LENGTH` characters raises :class:`AccessDeniedError`.
    """
    code = (code or "").strip() or None
    if code is not None and len(code) < MIN_CODE_LENGTH:
        raise AccessDeniedError("workshop.access.too_short", length=MIN_CODE_LENGTH)
    stored = None if code is None else hash_code(code)

    def change(conn: sqlite3.Connection) -> None:
        write_setting(conn, CODE_KEY, stored)
        write_setting(conn, FAILURES_KEY, None)

    workspace.transact(change)


def wait_seconds(failures: int, last_failure: float, now: float) -> float:
    """Seconds still to wait before the next attempt after ``failures`` wrong codes in a row,
    the last at ``last_failure`` (0 when an attempt is allowed now)."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    delay = min(2.0 ** (failures - FREE_ATTEMPTS), MAX_WAIT_SECONDS)
    return max(0.0, last_failure + delay - now)


def unlock(workspace: Workspace, code: str, *, clock: Callable[[], float] = time.time) -> None:
    """Check ``code`` against the workspace's access code; returns when it may be opened.

    Raises :class:`AccessDeniedError` (``workshop.access.wrong``) for a wrong code and
    (``workshop.access.wait``, with ``seconds``) while attempts are slowed down. A workspace
    without a code opens with any code.
    """

    def change(conn: sqlite3.Connection) -> tuple[str, dict[str, object]] | None:
        rows = dict(conn.execute(
            "SELECT key, value FROM settings WHERE key IN (?, ?)", (CODE_KEY, FAILURES_KEY)
        ).fetchall())
        stored = rows.get(CODE_KEY)
        if stored is None:
            return None
        record = json.loads(rows.get(FAILURES_KEY) or '{"count": 0, "last": 0}')
        now = clock()
        wait = wait_seconds(int(record["count"]), float(record["last"]), now)
        if wait > 0:
            return ("workshop.access.wait", {"seconds": int(wait) + 1})
        if verify_code(code or "", stored):
            write_setting(conn, FAILURES_KEY, None)
            return None
        count = int(record["count"]) + 1
        write_setting(conn, FAILURES_KEY, json.dumps({"count": count, "last": now}))
        return ("workshop.access.wrong", {})

    refusal = workspace.transact(change)
    if refusal is not None:
        code_key, params = refusal
        raise AccessDeniedError(code_key, **params)
