"""Dense vectors behind one interface: exact search for ordinary corpora, and above
:data:`ANN_THRESHOLD` passages an approximate HNSW index (usearch) whose candidates are re-ranked
by their exact cosine.

On disk (``save``): ``vectors.npy`` (float32, the exact values), ``vectors.f16.npy`` (a float16
copy that exact search scans) and, above the threshold, ``ann.usearch``. A loaded index keeps the
float32 file memory-mapped but never scans it: searching reads the float16 copy (half the bytes
resident, scanned by usearch's SIMD kernel) and then reads the few float32 rows it needs with
``pread`` (:mod:`netnav.store.rowfile`), so resident memory holds 2 bytes per dimension and row.

Exact search stays exact: float16 scores differ from float32 ones by at most :data:`SCAN_ERROR`
(unit vectors; see :func:`scan_error_bound`), so every row whose float16 score is within
``2 * SCAN_ERROR`` of the k-th best is re-scored in float32 and the top k are taken from those.
The result is the float32 top k (rows equal; scores equal to float32 rounding, ≤ 1e-6).

Approximate search (HNSW, int8 graph, see :func:`build_ann`): the graph proposes
:data:`RERANK_POOL` rows which are re-ranked by exact cosine; recall@10 against exact search is
measured in ``benchmarks/bench_ann.py`` (0.9905 at 200k synthetic rows; docs/performance.md). A kind
filter (``mask``) on an approximate index is answered exactly over the masked rows (float16 scan as
above), so a filter never loses recall.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from netnav.store.rowfile import RowFile

if TYPE_CHECKING:
    from usearch.index import Index

#: Passages from which an approximate index is built (``$NETNAV_ANN_THRESHOLD`` overrides it).
ANN_THRESHOLD = 250_000
ANN_FILE = "ann.usearch"
MATRIX_FILE = "vectors.npy"
SCAN_FILE = "vectors.f16.npy"
# HNSW parameters (usearch defaults are 16 / 128 / 64): 32 links per node, 128 candidates while
# building, 256 while searching. The graph proposes RERANK_POOL rows, which are re-ranked by their
# exact cosine, so int8 rounding never decides the order. Measured at 200k synthetic rows
# (benchmarks/bench_ann.py corpus, 200 real questions, load ~17): recall@10 0.9905 (build 615 s with
# 2 threads); with 16 links and build expansion 64 it was 0.9545-0.975 whatever the search expansion
# (512 at most) or graph precision (float16 no better): the graph's build quality limited recall.
_CONNECTIVITY = 32
_EXPANSION_ADD = 128
_EXPANSION_SEARCH = 256
RERANK_POOL = 200
#: Largest difference between a float16 scan score and the float32 cosine of unit vectors: the
#: analytic bound of :func:`scan_error_bound` (1.0e-3 at 384 dimensions) with a margin.
SCAN_ERROR = 2e-3
_NORM_SLACK = 1e-3  # rows must be unit vectors to within this for the bound to hold
_DIRECT_ROWS = 1024  # a filter keeping at most this many rows is scored row by row in float32


@lru_cache(maxsize=1)
def _after_onnxruntime() -> None:
    """Import onnxruntime (the encoder's runtime) before usearch: with usearch 2.26.6 and onnxruntime
    1.31.1, importing usearch's compiled module first makes a later ``import onnxruntime`` crash the
    process (segmentation fault in libstdc++); the other order works. Call before importing usearch
    (the work is done once per process)."""
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # as netnav.embed does: no usage telemetry
    import onnxruntime  # noqa: F401


def ann_threshold() -> int:
    raw = os.environ.get("NETNAV_ANN_THRESHOLD", "")
    return int(raw) if raw.isdigit() else ANN_THRESHOLD


@lru_cache(maxsize=1)
def scan_threads() -> int:
    """Most threads for the exact float16 scan: ``$NETNAV_SCAN_THREADS``, else the usable cores (at
    most 4). Each thread scans its share of the rows; the rows found do not depend on the count."""
    raw = os.environ.get("NETNAV_SCAN_THREADS", "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return max(1, min(4, _cores()))


@lru_cache(maxsize=1)
def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def threads_now() -> int:
    """Threads for one scan: :func:`scan_threads` while the machine has idle cores (1-minute load
    average below the usable cores), else 1: a split scan finishes only when every part has been
    scheduled. At 100k rows on 2 cores, scan alone (load ~13, 30 scans each): 2 threads 75 ms wall /
    7.9 ms CPU against 148 / 10.7 ms with one; inside whole asks at load ~24 no gain showed (dense
    top-40 p50 ×1.08, within noise), so a busy machine keeps the single-thread scan. Answers are equal
    either way (docs/performance.md, benchmarks/bench_vectors.py)."""
    most = scan_threads()
    if most == 1 or "NETNAV_SCAN_THREADS" in os.environ:
        return most
    try:
        busy = os.getloadavg()[0] >= _cores()
    except OSError:
        return 1
    return 1 if busy else most


@dataclass(frozen=True)
class Hit:
    row: int
    score: float


def scan_error_bound(dim: int) -> float:
    """Bound on |float16 dot - float32 dot| for unit vectors of ``dim`` dimensions when both sides are
    rounded to float16 (relative error ≤ 2^-11 each, plus ≤ 2^-25 absolute below float16's normal
    range) and the products are summed in float32 (≤ dim · 2^-24 relative)."""
    u = 2.0**-11
    return 2 * u + u * u + dim * 2.0**-25 + dim * 2.0**-24


@lru_cache(maxsize=4)
def scan_kernel_ok(dim: int) -> bool:
    """True when this machine's usearch float16 kernel stays within :data:`SCAN_ERROR` on a probe of
    random unit vectors (a kernel that summed in float16 would not); else exact search scans float32."""
    rng = np.random.default_rng(0)
    probe = rng.standard_normal((257, dim)).astype(np.float32)
    probe /= np.linalg.norm(probe, axis=1, keepdims=True)
    probe[1:65] = probe[0] + 0.05 * probe[1:65]  # near neighbours, like real top hits
    probe /= np.linalg.norm(probe, axis=1, keepdims=True)
    try:
        keys, approx = _scan(probe.astype(np.float16), probe[0], len(probe))
    except (ImportError, RuntimeError, ValueError):
        return False
    exact = probe[keys] @ probe[0]
    return bool(np.max(np.abs(approx - exact)) <= min(SCAN_ERROR, 4 * scan_error_bound(dim)))


def _scan(
    scan: npt.NDArray[np.float16], query: npt.NDArray[Any], count: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """The ``count`` best rows of ``scan`` by float16 inner product: (rows int64, scores float32)."""
    _after_onnxruntime()
    from usearch.compiled import MetricKind
    from usearch.index import search as exact_search

    found = exact_search(
        scan, query.astype(np.float16), count, MetricKind.IP, exact=True, threads=threads_now()
    )
    keys = np.asarray(found.keys, dtype=np.int64)
    scores = (1.0 - np.asarray(found.distances, dtype=np.float64)).astype(np.float32)
    return keys, scores


def _top(rows: npt.NDArray[np.int64], sims: npt.NDArray[np.float32], k: int) -> list[Hit]:
    """The ``k`` best (row, score) pairs, best first; equal scores in row order."""
    order = np.lexsort((rows, -sims))[:k]
    return [Hit(int(rows[i]), float(sims[i])) for i in order]


def _candidates(
    scan: npt.NDArray[np.float16], q: npt.NDArray[np.float32], k: int, mask: npt.NDArray[Any] | None
) -> npt.NDArray[np.int64]:
    """Rows of ``scan`` (among ``mask`` rows) that can be in the exact float32 top ``k``: every row whose
    float16 score is within ``2 * SCAN_ERROR * |q|`` of the k-th best float16 score. The scan is
    widened (×4) until its last score lies below that margin or it covers every row."""
    n = len(scan)
    margin = 2 * SCAN_ERROR * float(np.linalg.norm(q))
    count = min(n, 2 * k + 32)
    while True:
        keys, approx = _scan(scan, q, count)
        last = approx[-1] if len(approx) else -np.inf
        if mask is not None:
            keep = mask[keys].astype(bool)
            keys, approx = keys[keep], approx[keep]
        if count >= n or (len(keys) >= k and last < approx[k - 1] - margin):
            break
        count = min(n, count * 4)
    near: npt.NDArray[np.int64] = keys if len(keys) < k else keys[approx >= approx[k - 1] - margin]
    return near


def empty_ann(dim: int) -> Index:
    """An empty HNSW index (cosine, int8) with NETNAV's graph parameters, for ``dim``-dimensional rows
    added later (``index.add(keys, rows)``; keys are row numbers)."""
    _after_onnxruntime()
    from usearch.index import Index

    return Index(
        ndim=dim,
        metric="cos",
        dtype="i8",
        connectivity=_CONNECTIVITY,
        expansion_add=_EXPANSION_ADD,
        expansion_search=_EXPANSION_SEARCH,
    )


def build_ann(vectors: npt.NDArray[Any], threads: int = 0) -> Index:
    """An HNSW index (cosine, int8) over ``vectors``; keys are row numbers."""
    index = empty_ann(int(vectors.shape[1]))
    index.add(
        np.arange(len(vectors), dtype=np.uint64), np.asarray(vectors, dtype=np.float32), threads=threads
    )
    return index


def load_ann(path: Path) -> Index:
    """A memory-mapped view of a saved index (pages load on use)."""
    _after_onnxruntime()
    from usearch.index import Index

    index = Index.restore(str(path), view=True)
    if index is None:
        raise OSError(f"{path} is not a usearch index")
    index.expansion_search = _EXPANSION_SEARCH  # type: ignore[misc]  # settable; the stub says read-only
    return index


class Vectors:
    """Row i is the L2-normalised vector of passage i.

    ``matrix`` holds the exact rows (float32; float16 in indexes written before the float16 scan
    copy existed); ``ann`` is set for large corpora; ``scan`` is the float16 copy exact search scans
    (None: the float32 product, as for an index just built in memory); ``rows`` reads float32 rows
    from the saved file without mapping them into this process."""

    def __init__(
        self,
        matrix: npt.NDArray[Any],
        ann: Index | None = None,
        scan: npt.NDArray[np.float16] | None = None,
        rows: RowFile | None = None,
    ) -> None:
        self.matrix = matrix
        self.ann = ann
        self.scan = scan
        self._rows = rows

    def __len__(self) -> int:
        return int(self.matrix.shape[0])

    def search(self, query: npt.NDArray[Any], k: int, mask: npt.NDArray[Any] | None = None) -> list[Hit]:
        """Top ``k`` rows by cosine (best first), among ``mask`` rows when given."""
        n = len(self)
        if not n or k <= 0:
            return []
        k = min(k, n)
        q = np.asarray(query, dtype=np.float32)
        if self.ann is not None and mask is None:
            keys = np.asarray(self.ann.search(q, max(k, RERANK_POOL)).keys, dtype=np.int64)
            return _top(keys, self.cosines(keys, q), k)
        if mask is not None and self.scan is not None:
            rows = np.flatnonzero(mask)
            if len(rows) <= _DIRECT_ROWS:  # a narrow filter: score its rows directly
                return _top(rows, self.cosines(rows, q), k)
            if len(rows) * 4 < len(mask):  # scan a copy of the filtered rows only
                keys = _candidates(np.ascontiguousarray(self.scan[rows]), q, k, None)
                return _top(rows[keys], self.cosines(rows[keys], q), k)
        if self.scan is not None:
            keys = _candidates(self.scan, q, k, mask)
            return _top(keys, self.cosines(keys, q), k)
        sims = self.matrix @ q if self.matrix.dtype == np.float32 else self.matrix.astype(np.float32) @ q
        if mask is not None:
            sims = np.where(mask, sims, -np.inf)
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.isfinite(sims[top])]
        return _top(top.astype(np.int64), sims[top], k)

    def cosines(
        self, rows: Sequence[int] | npt.NDArray[Any], query: npt.NDArray[Any]
    ) -> npt.NDArray[np.float32]:
        """Exact cosine of the query with the given rows, shape (len(rows),)."""
        if not len(rows):
            return np.zeros(0, dtype=np.float32)
        index = np.asarray(rows, dtype=np.int64)
        picked = self._rows.read(index) if self._rows is not None else self.matrix[index]
        sims: npt.NDArray[np.float32] = np.asarray(picked, dtype=np.float32) @ query.astype(np.float32)
        return sims

    @classmethod
    def build(cls, matrix: npt.NDArray[Any]) -> Vectors:
        """Float32 rows, plus an HNSW graph from :func:`ann_threshold` rows on."""
        exact = np.ascontiguousarray(matrix, dtype=np.float32)
        return cls(exact, build_ann(exact) if len(exact) >= ann_threshold() else None)

    def save(self, folder: Path) -> None:
        matrix = np.asarray(self.matrix, dtype=np.float32)
        np.save(folder / MATRIX_FILE, matrix)
        np.save(folder / SCAN_FILE, matrix.astype(np.float16))
        if self.ann is not None:
            self.ann.save(str(folder / ANN_FILE))

    @classmethod
    def load(cls, folder: Path) -> Vectors:
        """Memory-mapped rows; the float16 scan copy is used when present, its rows are unit vectors
        and this machine's kernel passes :func:`scan_kernel_ok`."""
        matrix = np.load(folder / MATRIX_FILE, mmap_mode="r", allow_pickle=False)
        ann_path = folder / ANN_FILE
        ann = load_ann(ann_path) if ann_path.is_file() else None
        scan_path = folder / SCAN_FILE
        if matrix.dtype != np.float32 or matrix.ndim != 2 or not scan_path.is_file():
            return cls(matrix, ann)  # written before the scan copy: search as before
        # a plain ndarray view of the mapping: slicing a np.memmap builds a memmap object per slice
        scan = np.asarray(np.load(scan_path, mmap_mode="r", allow_pickle=False))
        if scan.shape != matrix.shape or scan.dtype != np.float16:
            raise ValueError(f"{scan_path} does not match {MATRIX_FILE}")
        rows = RowFile.open(folder / MATRIX_FILE)
        usable = len(matrix) > 0 and scan_kernel_ok(int(matrix.shape[1])) and _unit_rows(rows, len(matrix))
        return cls(matrix, ann, scan if usable else None, rows)


def _unit_rows(rows: RowFile, n: int) -> bool:
    """Spot check (up to 256 evenly spaced rows) that the rows are unit vectors."""
    sample = rows.read(np.unique(np.linspace(0, n - 1, min(n, 256)).astype(np.int64)))
    norms = np.linalg.norm(sample, axis=1)
    return bool(np.all(np.abs(norms - 1.0) <= _NORM_SLACK))
