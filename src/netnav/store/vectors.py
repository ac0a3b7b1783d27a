"""Dense vectors behind one interface: exact float32 search for ordinary corpora, and above
:data:`ANN_THRESHOLD` passages an approximate HNSW index (usearch, int8 vectors) with float16
vectors kept for exact cosines of the few rows that need one.

Exact search is a single matrix-vector product (about 6 ms at 100k passages on 2 cores); it grows
linearly, so at ~1M passages it would cost ~60 ms plus 1.5 GB of float32. Above the threshold the
HNSW graph proposes candidates that are re-ranked by exact cosine: at 200k synthetic MiniLM-like
rows, recall@10 0.967 against exact search at ~4 ms per query (``benchmarks/bench_ann.py``; see
docs/performance.md; not yet measured at 1M). A kind filter (``mask``) on an approximate index is
answered exactly over the masked rows, so a filter never loses recall.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from usearch.index import Index

#: Passages from which an approximate index is built (``$NETNAV_ANN_THRESHOLD`` overrides it).
ANN_THRESHOLD = 250_000
ANN_FILE = "ann.usearch"
# HNSW parameters (usearch defaults are 16 / 128 / 64): 16 links per node, 64 candidates while
# building (halves the build time), 128 while searching. The graph proposes RERANK_POOL rows, which
# are re-ranked by their exact cosine (float16 rows), so int8 rounding never decides the order.
_CONNECTIVITY = 16
_EXPANSION_ADD = 64
_EXPANSION_SEARCH = 128
RERANK_POOL = 100


def ann_threshold() -> int:
    raw = os.environ.get("NETNAV_ANN_THRESHOLD", "")
    return int(raw) if raw.isdigit() else ANN_THRESHOLD


@dataclass(frozen=True)
class Hit:
    row: int
    score: float


def build_ann(vectors: npt.NDArray[Any], threads: int = 0) -> Index:
    """An HNSW index (cosine, int8) over ``vectors``; keys are row numbers."""
    from usearch.index import Index

    index = Index(
        ndim=vectors.shape[1],
        metric="cos",
        dtype="i8",
        connectivity=_CONNECTIVITY,
        expansion_add=_EXPANSION_ADD,
        expansion_search=_EXPANSION_SEARCH,
    )
    index.add(
        np.arange(len(vectors), dtype=np.uint64), np.asarray(vectors, dtype=np.float32), threads=threads
    )
    return index


def load_ann(path: Path) -> Index:
    """A memory-mapped view of a saved index (pages load on use)."""
    from usearch.index import Index

    index = Index.restore(str(path), view=True)
    if index is None:
        raise OSError(f"{path} is not a usearch index")
    index.expansion_search = _EXPANSION_SEARCH  # type: ignore[misc]  # settable; the stub says read-only
    return index


class Vectors:
    """Row i is the L2-normalised vector of passage i; ``ann`` is set for large corpora."""

    def __init__(self, matrix: npt.NDArray[Any], ann: Index | None = None) -> None:
        self.matrix = matrix
        self.ann = ann

    def __len__(self) -> int:
        return int(self.matrix.shape[0])

    def search(self, query: npt.NDArray[Any], k: int, mask: npt.NDArray[Any] | None = None) -> list[Hit]:
        """Top ``k`` rows by cosine (best first), among ``mask`` rows when given."""
        n = len(self)
        if not n:
            return []
        k = min(k, n)
        q = query.astype(np.float32)
        if self.ann is not None and mask is None:
            keys = np.asarray(self.ann.search(q, max(k, RERANK_POOL)).keys, dtype=np.int64)
            sims = self.cosines(keys.tolist(), q)
            order = np.argsort(-sims, kind="stable")[:k]
            return [Hit(int(keys[i]), float(sims[i])) for i in order]
        if mask is not None and self.ann is not None:
            rows = np.flatnonzero(mask)
            if not len(rows):
                return []
            sims = np.asarray(self.matrix[rows], dtype=np.float32) @ q
            k = min(k, len(rows))
            top = np.argpartition(-sims, k - 1)[:k]
            top = top[np.argsort(-sims[top], kind="stable")]
            return [Hit(int(rows[i]), float(sims[i])) for i in top]
        sims = self.matrix @ q if self.matrix.dtype == np.float32 else self.matrix.astype(np.float32) @ q
        if mask is not None:
            sims = np.where(mask, sims, -np.inf)
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top], kind="stable")]
        return [Hit(int(i), float(sims[i])) for i in top if np.isfinite(sims[i])]

    def cosines(self, rows: Sequence[int], query: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
        """Exact cosine of the query with the given rows, shape (len(rows),)."""
        if not len(rows):
            return np.zeros(0, dtype=np.float32)
        picked = np.asarray(self.matrix[np.asarray(rows, dtype=np.int64)], dtype=np.float32)
        sims: npt.NDArray[np.float32] = picked @ query.astype(np.float32)
        return sims

    @classmethod
    def build(cls, matrix: npt.NDArray[Any]) -> Vectors:
        """Exact float32 below :func:`ann_threshold` rows; float16 + HNSW at or above it."""
        if len(matrix) >= ann_threshold():
            return cls(np.asarray(matrix, dtype=np.float16), build_ann(matrix))
        return cls(np.asarray(matrix, dtype=np.float32))

    def save(self, folder: Path) -> None:
        np.save(folder / "vectors.npy", self.matrix)
        if self.ann is not None:
            self.ann.save(str(folder / ANN_FILE))

    @classmethod
    def load(cls, folder: Path) -> Vectors:
        matrix = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
        ann_path = folder / ANN_FILE
        return cls(matrix, load_ann(ann_path) if ann_path.is_file() else None)
