"""Access codes: scrypt hashes checked against hashlib, the slow-down, per-workspace isolation."""

from __future__ import annotations

import hashlib
import json

import pytest

from kpi import access
from kpi.access import AccessDeniedError, has_code, hash_code, set_code, unlock, verify_code
from kpi.store import open_named


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_hash_is_salted_scrypt_checked_against_hashlib():
    salt = bytes(range(16))
    stored = hash_code("sésamo-42", salt=salt)
    scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
    assert (scheme, int(n), int(r), int(p), salt_hex) == ("scrypt", 2**14, 8, 1, salt.hex())
    expected = hashlib.scrypt("sésamo-42".encode(), salt=salt, n=2**14, r=8, p=1, dklen=32,
                              maxmem=64 * 1024 * 1024)
    assert bytes.fromhex(digest_hex) == expected
    assert verify_code("sésamo-42", stored)
    assert not verify_code("sésamo-43", stored)
    assert not verify_code("sésamo-42", stored.replace("scrypt", "md5", 1))
    assert not verify_code("x", "garbage")
    # a fresh salt each time: the same code never hashes the same twice
    assert hash_code("sésamo-42") != hash_code("sésamo-42")


def test_code_is_stored_hashed_never_in_clear(tmp_path):
    workspace = open_named("ops-brazil", tmp_path)
    assert not has_code(workspace)
    set_code(workspace, "tangerine")
    assert has_code(workspace)
    raw = (workspace.db_path).read_bytes() + b"".join(
        p.read_bytes() for p in workspace.path.glob("*-wal"))
    assert b"tangerine" not in raw
    stored = workspace.get_setting(access.CODE_KEY)
    assert stored is not None
    assert verify_code("tangerine", stored)
    with pytest.raises(AccessDeniedError) as short:
        set_code(workspace, "abc")
    assert short.value.code == "workshop.access.too_short"
    set_code(workspace, "  ")  # blank removes the protection
    assert not has_code(workspace)
    unlock(workspace, "anything")  # an open workspace opens with any code


def test_wrong_code_is_refused_then_slowed_down_right_code_resets(tmp_path):
    workspace = open_named("ops-brazil", tmp_path)
    set_code(workspace, "tangerine")
    clock = Clock()
    for _ in range(access.FREE_ATTEMPTS):
        with pytest.raises(AccessDeniedError) as wrong:
            unlock(workspace, "lemon", clock=clock)
        assert wrong.value.code == "workshop.access.wrong"
    # three wrong in a row: the next attempt waits 2 ** 0 = 1 s after the last wrong one,
    # and is refused unchecked even with the right code
    with pytest.raises(AccessDeniedError) as slowed:
        unlock(workspace, "tangerine", clock=clock)
    assert slowed.value.code == "workshop.access.wait"
    assert slowed.value.params == {"seconds": 2}  # 1 s left, rounded up
    clock.now += 1.0
    with pytest.raises(AccessDeniedError):
        unlock(workspace, "lemon", clock=clock)  # fourth wrong: next wait 2 s
    record = json.loads(workspace.get_setting(access.FAILURES_KEY) or "{}")
    assert record == {"count": 4, "last": clock.now}
    clock.now += 1.5
    with pytest.raises(AccessDeniedError) as again:
        unlock(workspace, "tangerine", clock=clock)
    assert again.value.code == "workshop.access.wait"
    clock.now += 0.5
    unlock(workspace, "tangerine", clock=clock)
    assert workspace.get_setting(access.FAILURES_KEY) is None
    with pytest.raises(AccessDeniedError) as fresh:
        unlock(workspace, "lemon", clock=clock)
    assert fresh.value.code == "workshop.access.wrong"


def test_wait_grows_exponentially_and_is_capped():
    assert access.wait_seconds(2, 0.0, 0.0) == 0.0
    assert access.wait_seconds(3, 10.0, 10.0) == 1.0
    assert access.wait_seconds(6, 10.0, 12.0) == 2.0**3 - 2.0
    assert access.wait_seconds(60, 0.0, 0.0) == access.MAX_WAIT_SECONDS


def test_slow_down_is_per_workspace(tmp_path):
    first, second = open_named("ops-brazil", tmp_path), open_named("ops-chile", tmp_path)
    set_code(first, "tangerine")
    set_code(second, "grapefruit")
    clock = Clock()
    for _ in range(access.FREE_ATTEMPTS + 1):
        with pytest.raises(AccessDeniedError):
            unlock(first, "lemon", clock=clock)
    unlock(second, "grapefruit", clock=clock)
    with pytest.raises(AccessDeniedError) as other:
        unlock(second, "tangerine", clock=clock)  # one workspace's code does not open another
    assert other.value.code == "workshop.access.wrong"


def test_messages_are_translated():
    error = AccessDeniedError("workshop.access.wait", seconds=4)
    assert error.message("en") == "Too many wrong codes: wait 4 s before trying again."
    assert error.message("pt") == "Códigos errados demais: aguarde 4 s antes de tentar de novo."
