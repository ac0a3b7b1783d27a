"""Rows of a saved 2-D ``.npy`` matrix, read with ``pread`` instead of memory-mapping.

Exact re-scoring needs a few dozen float32 rows per query. Reading them through a memory map would
make every touched page part of the process's resident memory, and over many queries most of the
file; ``pread`` copies just the rows into a fresh array and leaves the file in the operating system's
page cache (shared, reclaimable).
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt


class RowFile:
    """Read-only access to the rows of one ``.npy`` file (C order, 2-D).

    The descriptor stays valid when the index folder is swapped by a rename (POSIX), so a loaded
    index keeps reading the file it was loaded from; it is closed when this object is collected."""

    def __init__(self, fd: int, offset: int, shape: tuple[int, int], dtype: np.dtype[Any]) -> None:
        self._fd = fd
        self._offset = offset
        self.shape = shape
        self.dtype = dtype
        self._row_bytes = shape[1] * dtype.itemsize
        weakref.finalize(self, os.close, fd)

    @classmethod
    def open(cls, path: Path) -> RowFile:
        """Parse the ``.npy`` header. Raises OSError (unreadable) or ValueError (not a C-order 2-D array)."""
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            with os.fdopen(os.dup(fd), "rb") as handle:
                version = np.lib.format.read_magic(handle)  # type: ignore[no-untyped-call]
                header = (
                    np.lib.format.read_array_header_1_0
                    if version == (1, 0)
                    else np.lib.format.read_array_header_2_0
                )
                shape, fortran, dtype = header(handle)  # type: ignore[no-untyped-call]
                offset = handle.tell()
            if fortran or len(shape) != 2 or dtype.hasobject:
                raise ValueError(f"{path}: not a C-order 2-D numeric array")
            expected = offset + int(shape[0]) * int(shape[1]) * dtype.itemsize
            if os.fstat(fd).st_size < expected:
                raise ValueError(f"{path}: shorter than its header says")
        except BaseException:
            os.close(fd)
            raise
        return cls(fd, offset, (int(shape[0]), int(shape[1])), dtype)

    def read(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
        """Rows ``rows`` (any order, repeats allowed) as an array of shape (len(rows), dim).
        Raises IndexError for a row outside the file."""
        n, dim = self.shape
        out = np.empty((len(rows), dim), dtype=self.dtype)
        if not len(rows):
            return out
        if int(rows.min()) < 0 or int(rows.max()) >= n:
            raise IndexError(f"row outside 0..{n - 1}")
        size = self._row_bytes
        view = out.data.cast("B")
        for j, row in enumerate(rows.tolist()):
            got = os.preadv(self._fd, [view[j * size : (j + 1) * size]], self._offset + row * size)
            if got != size:
                raise OSError(f"short read of row {row}")
        return out
