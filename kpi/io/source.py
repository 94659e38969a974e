"""A file on disk that reads like ``bytes`` (length and slices), without holding it in memory.

The CSV reader only looks at a few slices of a file (its head, a few probes further on) before
pyarrow streams it block by block, so a large export never needs to be in memory whole.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import overload

import pyarrow as pa


class FileBytes:
    """The bytes of ``path``: ``len()`` and slices (read on demand), and a stream from any offset.

    The file is assumed not to change while it is read.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._size = path.stat().st_size

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, key: slice) -> bytes: ...
    @overload
    def __getitem__(self, key: int) -> int: ...

    def __getitem__(self, key: slice | int) -> bytes | int:
        if isinstance(key, int):
            return self[key:key + 1][0] if key >= 0 else self[self._size + key]
        start, stop, step = key.indices(self._size)
        if step != 1:
            raise ValueError("FileBytes slices have no step")
        if stop <= start:
            return b""
        with self.path.open("rb") as file:
            return os.pread(file.fileno(), stop - start, start)

    def stream(self, start: int = 0) -> pa.NativeFile:
        """The file opened for reading from byte ``start``."""
        file = pa.OSFile(str(self.path))
        file.seek(start)
        return file


def byte_chunks(data: bytes | FileBytes, size: int = 1 << 22) -> list[tuple[int, int]]:
    """``(start, stop)`` of consecutive slices of at most ``size`` bytes covering ``data``."""
    return [(start, min(start + size, len(data))) for start in range(0, len(data), size)]
