"""Exact top-k selection over a long score array without a selection pass over every row.

bm25s ranks a question by ``argpartition`` over one score per passage; at a million passages that
pass, not the scoring, is most of the lexical search (7.8 of 9.2 ms CPU per dev question,
docs/performance.md). :func:`top_rows` first takes the maximum of each block of rows (one fast
vectorised read), keeps only the blocks whose maximum reaches the k-th largest block maximum, and
selects among their rows. Exact: the k best rows all lie in kept blocks, because the k-th largest
block maximum is never above the k-th largest score (k block maxima are k distinct rows).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

BLOCK = 1024


def top_rows(scores: npt.NDArray[Any], k: int, block: int = BLOCK) -> npt.NDArray[np.int64]:
    """Rows of the ``k`` highest ``scores``, best first, equal scores in row order (shape (min(k, n),))."""
    n = len(scores)
    k = min(k, n)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    whole = n - n % block
    if whole // block <= k:  # too few blocks to skip any: order every row
        rows = np.arange(n, dtype=np.int64)
    else:
        maxima = scores[:whole].reshape(-1, block).max(axis=1)
        kth = np.partition(maxima, len(maxima) - k)[len(maxima) - k]
        kept = np.flatnonzero(maxima >= kth)
        rows = (kept[:, None] * block + np.arange(block)).ravel().astype(np.int64)
        if whole < n:
            rows = np.concatenate([rows, np.arange(whole, n, dtype=np.int64)])
    picked = scores[rows]
    order = np.lexsort((rows, -picked.astype(np.float64)))[:k]
    best: npt.NDArray[np.int64] = rows[order]
    return best
