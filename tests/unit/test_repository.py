"""Checks on the repository itself that keep `make test` working on a fresh clone."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_test_modules_have_unique_basenames():
    # pytest's default import mode puts each test folder on sys.path: two test files with the
    # same name in different folders collide on a fresh clone (no __pycache__ to hide it).
    names = Counter(p.name for p in (ROOT / "tests").rglob("*.py") if p.name != "conftest.py")
    assert [name for name, count in names.items() if count > 1] == []
