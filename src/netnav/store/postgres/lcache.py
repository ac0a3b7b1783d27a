"""A per-process copy of the BM25 postings for lexical search on PostgreSQL.

Why: BM25 summed in SQL over the postings table reads every posting of the question's terms through
the executor (~110 ms per question at 100k passages on the benchmark machine even with MaxScore
pruning, against a few milliseconds for the same sums over arrays). So each server process keeps the
postings (7.4M at 100k passages: a row position and a term frequency each, 6 bytes, ~45 MB per worker
process, plus the passage lengths) and sums BM25 with NumPy: exactly the formula, parameters, corpus
statistics and tie order of netnav.store.postgres.lexical (module docstring of
netnav.store.postgres.search).

Why it stays correct with several processes on one database: every change to ``passages`` (insert,
delete, update, truncate) is numbered and logged by triggers (migration 0004: ``lexical_state.seq``,
``passage_log``), and a passage's postings are written in the same transaction as the passage and never
change on their own (an analyzer change rewrites every passage's length, logging every row). Before
every search the copy reads ``lexical_state`` (one indexed row, O(1)); when the number moved it reads
the changed rows and their postings in one REPEATABLE READ snapshot (O(changes)), or loads everything
again when the log no longer reaches back, or the changes or deleted rows exceed a quarter of the rows.
N, document frequencies and the average length are counted over the copy's live rows, which are the
table's rows at the copy's snapshot, so they equal the statistics the write transactions keep.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg

Conn = psycopg.Connection[Any]
Connect = Callable[[], AbstractContextManager[Conn]]  # ConnectionPool.connection

#: Incremental refresh up to this share of the cached rows; more changes (or deleted rows) load again.
REFRESH_SHARE = 0.25


@dataclass
class _Postings:
    """One term's postings: positions (into the row arrays) and term frequencies, in two parts: the
    arrays of the last full load, and rows added since (appended lists)."""

    pos: npt.NDArray[np.int32]
    tf: npt.NDArray[Any]  # uint16 (int32 for a term with a frequency above 65535)
    new_pos: list[int] = field(default_factory=list)
    new_tf: list[int] = field(default_factory=list)

    def arrays(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[Any]]:
        if not self.new_pos:
            return self.pos, self.tf
        return (
            np.concatenate([self.pos, np.asarray(self.new_pos, dtype=np.int32)]),
            np.concatenate([self.tf.astype(np.int64), np.asarray(self.new_tf, dtype=np.int64)]),
        )


@dataclass(frozen=True)
class _State:
    """One consistent view: row positions [0, n) with their length, document, ordinal and kind; alive
    rows; postings by term. Searches read a state without a lock; a refresh publishes a new one."""

    seq: int
    n: int
    rows: npt.NDArray[np.int64]
    lengths: npt.NDArray[np.int32]
    docs: list[str]
    doc_codes: npt.NDArray[np.int32]
    ordinals: npt.NDArray[np.int32]
    kinds: npt.NDArray[np.int16]
    alive: npt.NDArray[np.bool_]
    live: int
    tokens: int
    postings: dict[str, _Postings]
    #: OID of the ``lexical_state`` table the numbers count in: a recreated table (schema reset,
    #: ``pg_restore --clean``) restarts or repeats the numbers, so the copy must load everything again
    epoch: int = 0


class LexicalCache:
    """The postings of one database in this process, current as of the last :meth:`refresh`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: _State | None = None
        self._pos: dict[int, int] = {}
        self._doc_codes: dict[str, int] = {}
        self._kind_codes: dict[str, int] = {}
        self.loads = 0

    @property
    def nbytes(self) -> int:
        st = self._state
        if st is None:
            return 0
        postings = sum(p.pos.nbytes + p.tf.nbytes + 16 * len(p.new_pos) for p in st.postings.values())
        codes = st.doc_codes.nbytes + st.kinds.nbytes
        return int(
            postings + codes + st.rows.nbytes + st.lengths.nbytes + st.ordinals.nbytes + st.alive.nbytes
        )

    def refresh(self, connect: Connect) -> _State:
        """The state current with the database: one O(1) read; changes applied when it moved. No
        connection is held while waiting for another thread's refresh (see VectorCache.refresh)."""
        with connect() as conn:
            row = conn.execute("SELECT seq, tableoid::bigint FROM lexical_state").fetchone()
        seq, epoch = (int(row[0]), int(row[1])) if row is not None else (0, 0)
        st = self._state
        if st is not None and st.seq >= seq and st.epoch == epoch:
            return st
        with self._lock:
            st = self._state
            if st is not None and st.seq >= seq and st.epoch == epoch:
                return st
            with connect() as conn, conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                new = self._catch_up(conn, st)
            self._state = new
            return new

    def _catch_up(self, conn: Conn, st: _State | None) -> _State:
        row = conn.execute("SELECT seq, floor, tableoid::bigint FROM lexical_state").fetchone()
        assert row is not None
        seq, floor, epoch = int(row[0]), int(row[1]), int(row[2])
        if st is None or st.seq < floor or st.epoch != epoch or st.seq > seq:
            return self._load(conn, seq, epoch)
        pending = conn.execute("SELECT COUNT(*) FROM passage_log WHERE seq > %s", (st.seq,)).fetchone()
        limit = REFRESH_SHARE * max(st.live, 1000)
        if pending is None or int(pending[0]) > limit:
            return self._load(conn, seq, epoch)
        changed = {
            int(r[0])
            for r in conn.execute("SELECT DISTINCT row_id FROM passage_log WHERE seq > %s", (st.seq,))
        }
        fresh = conn.execute(
            "SELECT row_id, length, doc_id, ordinal, kind FROM passages WHERE row_id = ANY(%s) ORDER BY row_id",
            (sorted(changed),),
        ).fetchall()
        terms = conn.execute(
            "SELECT row_id, term, tf FROM postings WHERE row_id = ANY(%s)", ([int(r[0]) for r in fresh],)
        ).fetchall()
        new = self._apply(replace(st, seq=seq), changed, fresh, terms)
        if new.n - new.live > limit:
            return self._load(conn, seq, epoch)
        return new

    def _apply(
        self, st: _State, changed: set[int], fresh: list[tuple[Any, ...]], terms: list[tuple[Any, ...]]
    ) -> _State:
        alive = st.alive.copy()
        live, tokens = st.live, st.tokens
        for row_id in changed:  # whatever a changed row was is gone; what it is now comes in `fresh`
            at = self._pos.pop(row_id, None)
            if at is not None and alive[at]:
                alive[at] = False
                live -= 1
                tokens -= int(st.lengths[at])
        n = st.n
        rows = np.concatenate([st.rows[:n], np.asarray([int(r[0]) for r in fresh], dtype=np.int64)])
        lengths = np.concatenate([st.lengths[:n], np.asarray([int(r[1]) for r in fresh], dtype=np.int32)])
        ordinals = np.concatenate([st.ordinals[:n], np.asarray([int(r[3]) for r in fresh], dtype=np.int32)])
        alive = np.concatenate([alive[:n], np.ones(len(fresh), dtype=bool)])
        docs = [*st.docs[:n], *(str(r[2]) for r in fresh)]
        doc_codes = np.concatenate(
            [st.doc_codes[:n], np.asarray([_code(self._doc_codes, str(r[2])) for r in fresh], dtype=np.int32)]
        )
        kinds = np.concatenate(
            [st.kinds[:n], np.asarray([_code(self._kind_codes, str(r[4])) for r in fresh], dtype=np.int16)]
        )
        for i, r in enumerate(fresh):
            self._pos[int(r[0])] = n + i
        live += len(fresh)
        tokens += sum(int(r[1]) for r in fresh)
        added: dict[str, tuple[list[int], list[int]]] = {}
        for row_id, term, tf in terms:
            pos_list, tf_list = added.setdefault(str(term), ([], []))
            pos_list.append(self._pos[int(row_id)])
            tf_list.append(int(tf))
        postings = dict(st.postings)
        for term, (pos_list, tf_list) in added.items():
            old = postings.get(term) or _Postings(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint16))
            postings[term] = _Postings(old.pos, old.tf, [*old.new_pos, *pos_list], [*old.new_tf, *tf_list])
        return _State(
            seq=st.seq,
            n=n + len(fresh),
            rows=rows,
            lengths=lengths,
            docs=docs,
            doc_codes=doc_codes,
            ordinals=ordinals,
            kinds=kinds,
            alive=alive,
            live=live,
            tokens=tokens,
            postings=postings,
            epoch=st.epoch,
        )

    def mask(self, st: _State, kinds: tuple[str, ...] | None, hidden_docs: tuple[str, ...]) -> Any:
        """Boolean mask over positions [0, n) of the rows a filter keeps (None: every row)."""
        keep: npt.NDArray[np.bool_] | None = None
        if kinds is not None:
            keep = np.isin(st.kinds[: st.n], [self._kind_codes[k] for k in kinds if k in self._kind_codes])
        hidden = [self._doc_codes[d] for d in hidden_docs if d in self._doc_codes]
        if hidden:
            shown = ~np.isin(st.doc_codes[: st.n], hidden)
            keep = shown if keep is None else keep & shown
        return keep

    def _load(self, conn: Conn, seq: int, epoch: int) -> _State:
        """Every passage and posting (inside the caller's snapshot). Postings arrive packed per term
        (row ids and frequencies as big-endian integers), so the transfer is a few bytes per posting."""
        meta = conn.execute(
            "SELECT row_id, length, doc_id, ordinal, kind FROM passages ORDER BY row_id"
        ).fetchall()
        rows = np.asarray([int(r[0]) for r in meta], dtype=np.int64)
        self._pos = {int(r): i for i, r in enumerate(rows.tolist())}
        lengths = np.asarray([int(r[1]) for r in meta], dtype=np.int32)
        postings: dict[str, _Postings] = {}
        cur = conn.execute(
            "SELECT term, string_agg(int8send(row_id), ''::bytea ORDER BY row_id),"
            " string_agg(int4send(tf), ''::bytea ORDER BY row_id) FROM postings GROUP BY term"
        )
        for term, packed_rows, packed_tf in cur:
            ids = np.frombuffer(packed_rows, dtype=">i8").astype(np.int64)
            tfs = np.frombuffer(packed_tf, dtype=">i4")
            small = len(tfs) == 0 or int(tfs.max()) <= 65535
            postings[str(term)] = _Postings(
                np.searchsorted(rows, ids).astype(np.int32), tfs.astype(np.uint16 if small else np.int32)
            )
        self._doc_codes, self._kind_codes = {}, {}
        self.loads += 1
        return _State(
            epoch=epoch,
            seq=seq,
            n=len(rows),
            rows=rows,
            lengths=lengths,
            docs=[str(r[2]) for r in meta],
            doc_codes=np.asarray([_code(self._doc_codes, str(r[2])) for r in meta], dtype=np.int32),
            ordinals=np.asarray([int(r[3]) for r in meta], dtype=np.int32),
            kinds=np.asarray([_code(self._kind_codes, str(r[4])) for r in meta], dtype=np.int16),
            alive=np.ones(len(rows), dtype=bool),
            live=len(rows),
            tokens=int(lengths.sum()),
            postings=postings,
        )


def _code(codes: dict[str, int], value: str) -> int:
    code = codes.get(value)
    if code is None:
        code = codes[value] = len(codes)
    return code


def bm25_top_cached(
    st: _State,
    counts: Counter[str],
    k: int,
    visible: npt.NDArray[np.bool_] | None,
    k1: float,
    b: float,
) -> list[tuple[int, float]]:
    """(row id, score) of the top `k` rows, best first, ties by document id then ordinal descending
    (as netnav.store.postgres.lexical.bm25_top). `visible`: rows that may be returned (None: all);
    statistics always count every live row, as a filter only removes rows."""
    if st.live == 0 or k <= 0:
        return []
    n = float(st.live)
    avglen = st.tokens / max(n, 1.0)
    norm = k1 * (1 - b + b * st.lengths[: st.n].astype(np.float64) / avglen)
    scores = np.zeros(st.n, dtype=np.float64)
    any_term = False
    for term in sorted(counts):
        entry = st.postings.get(term)
        if entry is None:
            continue
        pos, tf = entry.arrays()
        keep = st.alive[pos]
        pos, tfs = pos[keep], tf[keep].astype(np.float64)
        if not len(pos):
            continue
        any_term = True
        df = float(len(pos))
        idf = counts[term] * math.log(1 + (n - df + 0.5) / (df + 0.5))
        scores[pos] += idf * (tfs / (tfs + norm[pos]))
    if not any_term:
        return []
    if visible is not None:
        scores[~visible[: st.n]] = 0.0
    scores[~st.alive[: st.n]] = 0.0
    positive = int(np.count_nonzero(scores > 0))
    if positive == 0:
        return []
    take = min(k, positive)
    kth = np.partition(scores, len(scores) - take)[len(scores) - take]
    cand = np.flatnonzero(scores >= kth)
    cand = cand[scores[cand] > 0]
    order = sorted(cand.tolist(), key=lambda i: (-scores[i], _neg(st.docs[i]), -int(st.ordinals[i])))
    return [(int(st.rows[i]), float(scores[i])) for i in order[:k]]


def _neg(text: str) -> tuple[int, ...]:
    """A key that sorts strings in descending order (code point by code point, longer first on a tie)."""
    return (*(-ord(c) for c in text), 1)
