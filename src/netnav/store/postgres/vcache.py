"""A per-process copy of the passage vectors for exact dense search on PostgreSQL.

Why: pgvector's exact search reads every row's 384 floats in one backend process per question
(~270 ms at 100k passages on the benchmark machine, against ~56 ms for the same product in NumPy),
and an HNSW index changes answers (docs/performance.md, Issue 15). So each server process keeps a
float16 copy of the vectors (2 bytes x 384 dimensions = 768 bytes per passage: 77 MB at 100k
passages, per worker process) and searches it exactly as the embedded backend does
(netnav.store.vectors: float16 scan, every row that can still be in the float32 top k re-scored with
its float32 vector, here read from the database by primary key). Results are the exact float32 top k.

Why it stays correct with several processes on one database: every change to ``passage_vectors``
(insert, update, delete, cascade, COPY, TRUNCATE) is numbered and logged by triggers (migration 0003:
``vector_state.seq``, ``vector_log``), and writers commit in number order (the counter's row lock).
Before every search the copy reads ``vector_state`` (one indexed row, O(1)); when the number moved it
applies the logged changes since its own number in one REPEATABLE READ snapshot (O(changes)), or
loads everything again when the log no longer reaches back that far, the vector model changed, or
the changes outnumber a quarter of the rows. A search therefore never uses a vector another process
has deleted, and sees every vector committed before the search started, as the SQL scan did.
The float32 re-scoring reads the live table, so a row deleted between the check and the re-score is
dropped there.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg

from netnav.store.vectors import Hit, _candidates, _top, scan_kernel_ok

Conn = psycopg.Connection[Any]
Connect = Callable[[], AbstractContextManager[Conn]]  # ConnectionPool.connection

DIM = 384
#: Incremental refresh up to this share of the cached rows; more changes load everything again.
REFRESH_SHARE = 0.25
_GROW = 1.25
#: The vector log keeps at least this many entries (netnav.store.postgres.vcache.prune_log).
LOG_MIN = 10_000


def cache_enabled() -> bool:
    """False when ``$NETNAV_PG_SEARCH_CACHE`` is 0/false/no/off: dense and lexical search then run in
    SQL (pgvector's scan, BM25 from the postings tables) and the process holds no copy."""
    return os.environ.get("NETNAV_PG_SEARCH_CACHE", "1").strip().lower() not in {"0", "false", "no", "off"}


@dataclass(frozen=True)
class _State:
    """One consistent view: positions [0, n) of the buffers; buffers may be longer (capacity).

    Appends write beyond ``n`` and publish a new state, so a search holding an older state never sees
    a half-written row; ``alive`` is copied before a deletion changes it."""

    seq: int
    model: str | None
    n: int
    scan: npt.NDArray[np.float16]
    rows: npt.NDArray[np.int64]
    docs: npt.NDArray[np.int32]
    kinds: npt.NDArray[np.int16]
    alive: npt.NDArray[np.bool_]
    dead: int
    norm: float = 1.0  # largest row norm seen (1 for the unit vectors stored; scales the scan's error)
    #: which ``vector_state`` table the numbers count in (its OID): a recreated table (schema reset,
    #: ``pg_restore --clean``) restarts or repeats the numbers, so the copy must load everything again
    epoch: int = 0


def _empty(seq: int, model: str | None, capacity: int = 0) -> _State:
    """No rows yet, with room for `capacity` rows."""
    return _State(
        seq,
        model,
        0,
        np.zeros((capacity, DIM), dtype=np.float16),
        np.zeros(capacity, dtype=np.int64),
        np.zeros(capacity, dtype=np.int32),
        np.zeros(capacity, dtype=np.int16),
        np.zeros(capacity, dtype=bool),
        0,
    )


class VectorCache:
    """The float16 vectors of one database in this process, current as of the last :meth:`refresh`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: _State | None = None
        self._pos: dict[int, int] = {}
        self._doc_codes: dict[str, int] = {}
        self._kind_codes: dict[str, int] = {}
        self.loads = 0  # full loads so far (tests, diagnostics)

    @property
    def nbytes(self) -> int:
        """Bytes held by the copy (buffers including spare capacity)."""
        st = self._state
        if st is None:
            return 0
        return int(st.scan.nbytes + st.rows.nbytes + st.docs.nbytes + st.kinds.nbytes + st.alive.nbytes)

    def refresh(self, connect: Connect) -> _State:
        """The state current with the database: one O(1) read; changes applied when it moved.

        `connect()`: a context manager giving a connection (the pool's). No connection is held while
        waiting for another thread's refresh, so a long first load cannot drain the pool."""
        with connect() as conn:
            row = conn.execute(
                "SELECT s.seq, (SELECT value FROM metadata WHERE key = 'vector_model'), s.tableoid::bigint"
                " FROM vector_state s"
            ).fetchone()
        seq, model, epoch = (int(row[0]), row[1], int(row[2])) if row is not None else (0, None, 0)
        st = self._state
        if _current(st, seq, model, epoch):
            return st  # type: ignore[return-value]  # _current is False for None
        with self._lock:
            st = self._state
            if _current(st, seq, model, epoch):
                return st  # type: ignore[return-value]  # another thread caught up meanwhile
            with connect() as conn, conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                new = self._catch_up(conn, st)
            self._state = new
            return new

    def _catch_up(self, conn: Conn, st: _State | None) -> _State:
        row = conn.execute(
            "SELECT s.seq, s.floor, (SELECT value FROM metadata WHERE key = 'vector_model'),"
            " s.tableoid::bigint FROM vector_state s"
        ).fetchone()
        assert row is not None
        seq, floor, model, epoch = int(row[0]), int(row[1]), row[2], int(row[3])
        if st is None or st.model != model or st.seq < floor or st.epoch != epoch or st.seq > seq:
            return replace(self._load(conn, seq, model), epoch=epoch)
        pending = conn.execute("SELECT COUNT(*) FROM vector_log WHERE seq > %s", (st.seq,)).fetchone()
        if pending is not None and int(pending[0]) > REFRESH_SHARE * max(st.n - st.dead, 1000):
            return replace(self._load(conn, seq, model), epoch=epoch)
        changes = conn.cursor(binary=True).execute(
            "SELECT l.row_id, l.added, v.embedding, p.doc_id, p.kind FROM vector_log l"
            " LEFT JOIN passage_vectors v ON l.added AND v.row_id = l.row_id"
            " LEFT JOIN passages p ON l.added AND p.row_id = l.row_id"
            " WHERE l.seq > %s ORDER BY l.seq",
            (st.seq,),
        )
        latest: dict[int, tuple[int, Any, str, str] | None] = {}
        for row_id, is_add, vector, doc_id, kind in changes:
            # the last change of a row wins; an add whose vector is gone again (deleted later) is no add
            found = is_add and vector is not None and doc_id is not None
            latest[int(row_id)] = (int(row_id), vector, str(doc_id), str(kind)) if found else None
        removed = list(latest)  # whatever a changed row had is replaced
        added = [a for a in latest.values() if a is not None]
        new = self._apply(replace(st, seq=seq), removed, added)
        return self._compact(new) if new.dead > REFRESH_SHARE * max(new.n, 1) else new

    def _compact(self, st: _State) -> _State:
        """The live rows only (after many deletions), in new buffers."""
        keep = np.flatnonzero(st.alive[: st.n])
        rows = st.rows[keep]
        self._pos = {int(r): i for i, r in enumerate(rows)}
        return replace(
            st,
            n=len(keep),
            scan=st.scan[keep],
            rows=rows,
            docs=st.docs[keep],
            kinds=st.kinds[keep],
            alive=np.ones(len(keep), dtype=bool),
            dead=0,
        )

    def _apply(self, st: _State, removed: list[int], added: list[tuple[int, Any, str, str]]) -> _State:
        alive, dead = st.alive, st.dead
        gone = [self._pos.pop(r) for r in set(removed) if r in self._pos]
        if gone:
            alive = alive.copy()
            alive[gone] = False
            dead += len(gone)
        if not added:
            return replace(st, alive=alive, dead=dead)
        n, need = st.n, st.n + len(added)
        scan, rows, docs, kinds = st.scan, st.rows, st.docs, st.kinds
        if need > len(rows):
            cap = max(need, int(len(rows) * _GROW))
            scan, rows, docs, kinds, alive = (
                _grown(scan, cap),
                _grown(rows, cap),
                _grown(docs, cap),
                _grown(kinds, cap),
                _grown(alive, cap),
            )
        elif alive is st.alive:
            alive = alive.copy()
        block = np.stack([as_float32(a[1]) for a in added])
        norm = max(st.norm, float(np.max(np.linalg.norm(block, axis=1))))
        scan[n:need] = block.astype(np.float16)
        rows[n:need] = [a[0] for a in added]
        docs[n:need] = [self._code(self._doc_codes, a[2]) for a in added]
        kinds[n:need] = [self._code(self._kind_codes, a[3]) for a in added]
        alive[n:need] = True
        for i, a in enumerate(added):
            self._pos[a[0]] = n + i
        return replace(
            st, n=need, scan=scan, rows=rows, docs=docs, kinds=kinds, alive=alive, dead=dead, norm=norm
        )

    def _load(self, conn: Conn, seq: int, model: str | None) -> _State:
        """Every vector (inside the caller's snapshot), read with a server-side binary cursor."""
        self._pos, self._doc_codes, self._kind_codes = {}, {}, {}
        count = conn.execute("SELECT COUNT(*) FROM passage_vectors").fetchone()
        st = _empty(seq, model, int(count[0]) if count is not None else 0)
        with conn.cursor(name="netnav_vector_cache", binary=True) as cur:
            cur.itersize = 5000
            cur.execute(
                "SELECT v.row_id, v.embedding, p.doc_id, p.kind FROM passage_vectors v"
                " JOIN passages p ON p.row_id = v.row_id ORDER BY v.row_id"
            )
            while batch := cur.fetchmany(5000):
                st = self._apply(st, [], [(int(r[0]), r[1], str(r[2]), str(r[3])) for r in batch])
        self.loads += 1
        return st

    @staticmethod
    def _code(codes: dict[str, int], value: str) -> int:
        code = codes.get(value)
        if code is None:
            code = codes[value] = len(codes)
        return code

    def mask(self, st: _State, kinds: tuple[str, ...] | None, hidden_docs: tuple[str, ...]) -> Any:
        """Boolean mask over positions [0, n) (None: every position is searchable)."""
        keep: npt.NDArray[np.bool_] | None = None if st.dead == 0 else st.alive[: st.n]
        if kinds is not None:
            codes = [self._kind_codes[k] for k in kinds if k in self._kind_codes]
            by_kind = np.isin(st.kinds[: st.n], codes)
            keep = by_kind if keep is None else keep & by_kind
        hidden = [self._doc_codes[d] for d in hidden_docs if d in self._doc_codes]
        if hidden:
            shown = ~np.isin(st.docs[: st.n], hidden)
            keep = shown if keep is None else keep & shown
        return keep

    def candidates(self, st: _State, query: npt.NDArray[np.float32], k: int, mask: Any) -> list[int]:
        """Row ids that can be in the float32 top `k` (netnav.store.vectors._candidates)."""
        if st.n == 0 or k <= 0:
            return []
        if mask is not None and not mask.any():
            return []
        # the float16 error bound is for unit rows: a query scaled by the largest row norm widens the
        # margin to match rows that are longer (the order of scores is unchanged)
        scaled = np.asarray(query, dtype=np.float32) * np.float32(max(st.norm, 1.0))
        positions = _candidates(st.scan[: st.n], scaled, k, mask)
        return [int(r) for r in st.rows[positions]]


def _current(st: _State | None, seq: int, model: str | None, epoch: int) -> bool:
    """`st` is current with a read of the database: same counting table and model, nothing newer
    committed. (A counter read below the copy's is an older read; a reset table has another epoch.)"""
    return st is not None and st.seq >= seq and st.model == model and st.epoch == epoch


def prune_log(conn: Conn, passages: int) -> int:
    """Drop the oldest log entries beyond ``max(LOG_MIN, REFRESH_SHARE * passages)`` (a cache that far
    behind loads everything anyway) and raise the floor to the last one dropped; returns entries
    dropped. Takes the counter's lock, inside its own transaction."""
    keep = max(LOG_MIN, int(REFRESH_SHARE * passages))
    with conn.transaction():
        conn.execute("SELECT 1 FROM vector_state FOR UPDATE")
        row = conn.execute(
            "SELECT seq FROM vector_log ORDER BY seq DESC OFFSET %s LIMIT 1", (keep,)
        ).fetchone()
        if row is None:
            return 0
        cut = int(row[0])
        conn.execute("UPDATE vector_state SET floor = GREATEST(floor, %s)", (cut,))
        return conn.execute("DELETE FROM vector_log WHERE seq <= %s", (cut,)).rowcount


def usable() -> bool:
    """The cache is on and this machine's float16 kernel is within the error bound of the scan."""
    return cache_enabled() and scan_kernel_ok(DIM)


def top(rows: list[int], vectors: dict[int, npt.NDArray[Any]], query: npt.NDArray[Any], k: int) -> list[Hit]:
    """The `k` best of `rows` by exact float32 cosine (rows without a vector any more are dropped)."""
    present = [r for r in rows if r in vectors]
    if not present:
        return []
    matrix = np.stack([as_float32(vectors[r]) for r in present])
    sims: npt.NDArray[np.float32] = matrix @ np.asarray(query, dtype=np.float32)
    return _top(np.asarray(present, dtype=np.int64), sims, k)


def as_float32(value: Any) -> npt.NDArray[np.float32]:
    """A stored vector (pgvector's Vector, a NumPy array or a list) as a float32 array."""
    to_numpy = getattr(value, "to_numpy", None)
    return np.asarray(to_numpy() if to_numpy is not None else value, dtype=np.float32)


def _grown(array: npt.NDArray[Any], cap: int) -> npt.NDArray[Any]:
    out = np.zeros((cap, *array.shape[1:]), dtype=array.dtype)
    out[: len(array)] = array
    return out
