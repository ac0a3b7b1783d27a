"""Retrieval inside PostgreSQL: BM25 from the postings tables and pgvector cosine search.

Lexical ranking: BM25 computed in SQL with exactly the embedded index's analyzer and parameters, so
both backends rank alike. Tokens come from netnav.store.index.tokenize (bm25s' pattern, English
stopwords, Snowball stems) over index_text; the score is bm25s' "lucene" variant with its defaults
(k1 = 1.5, b = 0.75): ``idf = ln(1 + (N - df + 0.5) / (df + 0.5))`` times
``tf / (tf + k1 * (1 - b + b * len / avglen))``, summed over the query tokens (a repeated token
counts again, as in bm25s), over the whole corpus (N, df and avglen include every passage; a filter
only removes rows, as bm25s' weight mask does). Equal scores are ordered by document id then ordinal,
both descending (bm25s orders ties by its partition, not reproducibly; this choice matches it most
often). PostgreSQL full-text search (ts_rank) was not used: its ranking is not BM25 and its
analyzer is not ours, so answers would change. Measured on the dev questions: the same passages at
the same scores (relative difference < 1e-5: float64 here, float32 in bm25s), order differing only
within exact ties; dev answers identical (benchmarks/bench_backends.py).

Dense search: ``ORDER BY embedding <#> q`` (negative inner product of L2-normalised vectors = cosine).
Exact (a scan) below :func:`hnsw_threshold` passages; at or above it an HNSW index (vector_ip_ops,
m 16, ef_construction 64) answers, with ef_search 100 and pgvector's iterative scan (strict order)
so filtered queries still fill k (both set per connection, netnav.store.postgres.pool).

A :class:`PgSearchIndex` is a view of the database at one generation: its vocabulary (for query
spelling) is cached per generation; its searches always read the live tables.
"""

from __future__ import annotations

import logging
import os
import weakref
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg

from netnav.errors import StoreError, StoreUnavailable
from netnav.store.index import embed_text
from netnav.store.postgres.lcache import LexicalCache, bm25_top_cached
from netnav.store.postgres.lexical import bm25_top
from netnav.store.postgres.rows import DOC_COLUMNS, PASSAGE_COLUMNS, document_of, passage_of
from netnav.store.postgres.store import PostgresStore
from netnav.store.postgres.vcache import VectorCache, as_float32, cache_enabled, prune_log, top, usable
from netnav.store.vectors import Hit

log = logging.getLogger("netnav.store.postgres")

K1 = 1.5  # bm25s defaults (BM25(k1=1.5, b=0.75, method="lucene")), as the embedded index uses
B = 0.75
#: Passages from which the HNSW index is built: the embedded backend's ANN threshold, so both search
#: exactly up to there and give the same answers (at 100k synthetic near-duplicate passages HNSW with
#: m 16 / ef_search 100 changed 19 of 31 dev answers); ``$NETNAV_PG_HNSW_THRESHOLD`` overrides it.
HNSW_THRESHOLD = 250_000
HNSW_INDEX = "passage_vectors_hnsw"
HNSW_LOCK = 0x6E65746E61766876  # pg_try_advisory_lock key of the index build ("netnavhv")
EMBED_BATCH = 256


def hnsw_threshold() -> int:
    raw = os.environ.get("NETNAV_PG_HNSW_THRESHOLD", "")
    return int(raw) if raw.isdigit() else HNSW_THRESHOLD


@dataclass(frozen=True)
class Filter:
    """Rows to search: of these evidence kinds (None = all), not of these documents."""

    kinds: tuple[str, ...] | None
    hidden_docs: tuple[str, ...]

    def where(self, alias: str = "p") -> tuple[str, dict[str, Any]]:
        """A WHERE clause on a table with a ``row_id`` column (alias `alias`), and its parameters."""
        parts, params = [], {}
        if self.kinds is not None:
            parts.append(f"{alias}.row_id IN (SELECT row_id FROM passages WHERE kind = ANY(%(kinds)s))")
            params["kinds"] = list(self.kinds)
        if self.hidden_docs:
            parts.append(
                f"{alias}.row_id NOT IN (SELECT row_id FROM passages WHERE doc_id = ANY(%(hidden)s))"
            )
            params["hidden"] = list(self.hidden_docs)
        return ("WHERE " + " AND ".join(parts) if parts else ""), params


class PgSearchIndex:
    """netnav.store.base.RetrievalIndex over one PostgreSQL database; rows are ``passages.row_id``."""

    def __init__(self, store: PostgresStore, fingerprint: str, model_id: str) -> None:
        self.store = store
        self.fingerprint = fingerprint
        self.model_id = model_id
        self._vocabulary: frozenset[str] | None = None
        self._visible_vocab: dict[frozenset[str], frozenset[str]] = {}
        self._size: int | None = None

    def _run(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        try:
            with self.store.pool.connection() as conn:
                return list(conn.execute(sql.encode(), params))
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"lost the connection to {self.store.name}: {exc}") from exc
        except psycopg.Error as exc:
            raise StoreError(f"search failed in {self.store.name}: {exc}") from exc

    def __len__(self) -> int:
        if self._size is None:
            self._size = int(self._run("SELECT passages FROM lexical_stats", {})[0][0])
        return self._size

    def vocabulary(self, hidden_docs: Collection[str] = ()) -> frozenset[str]:
        """The lexical index's terms at this generation (read once); with `hidden_docs`, without the
        terms that occur only in those documents (found from their postings; cached per hidden set)."""
        if self._vocabulary is None:
            self._vocabulary = frozenset(str(r[0]) for r in self._run("SELECT term FROM terms", {}))
        if not hidden_docs:
            return self._vocabulary
        key = frozenset(hidden_docs)
        cached = self._visible_vocab.get(key)
        if cached is None:
            only_hidden = self._run(
                "SELECT DISTINCT po.term FROM postings po JOIN passages p ON p.row_id = po.row_id "
                "WHERE p.doc_id = ANY(%(hidden)s) AND NOT EXISTS (SELECT 1 FROM postings q JOIN passages r "
                "ON r.row_id = q.row_id WHERE q.term = po.term AND r.doc_id <> ALL(%(hidden)s))",
                {"hidden": sorted(key)},
            )
            cached = self._vocabulary - {str(r[0]) for r in only_hidden}
            if len(self._visible_vocab) >= 16:
                self._visible_vocab.pop(next(iter(self._visible_vocab)))
            self._visible_vocab[key] = cached
        return cached

    def visible_mask(self, kinds: Sequence[str] | None, hidden_docs: Collection[str] = ()) -> Filter | None:
        if not kinds and not hidden_docs:
            return None
        return Filter(tuple(kinds) if kinds else None, tuple(sorted(hidden_docs)))

    def search_lexical(self, tokens: list[str], k: int, mask: Filter | None = None) -> list[Hit]:
        """Top ``k`` rows by BM25 (module docstring), best first; ties by row."""
        counts = Counter(tokens)
        if not counts or k <= 0:
            return []
        cache = self._lexical_cache()
        if cache is not None:
            wanted = mask or Filter(None, ())
            try:
                state = cache.refresh(self.store.pool.connection)
            except psycopg.OperationalError as exc:
                raise StoreUnavailable(f"lost the connection to {self.store.name}: {exc}") from exc
            except psycopg.Error as exc:
                raise StoreError(f"search failed in {self.store.name}: {exc}") from exc
            visible = cache.mask(state, wanted.kinds, wanted.hidden_docs)
            return [Hit(r, s) for r, s in bm25_top_cached(state, counts, k, visible, K1, B) if s > 0]
        where, params = (mask or Filter(None, ())).where("po")
        rows = bm25_top(self._run, counts, k, where, params, K1, B)
        return [Hit(row, score) for row, score in rows if score > 0]

    def _lexical_cache(self) -> LexicalCache | None:
        """This process's postings copy of the database, under the same conditions as the vectors'."""
        if len(self) >= hnsw_threshold() or not cache_enabled():
            return None
        cache = _LEXICAL.get(self.store)
        if cache is None:
            cache = _LEXICAL.setdefault(self.store, LexicalCache())
        return cache

    def search_dense(self, query: npt.NDArray[Any], k: int, mask: Filter | None = None) -> list[Hit]:
        """Top ``k`` rows by cosine, best first: exact below the HNSW threshold (this process's vector
        copy, netnav.store.postgres.vcache, or the SQL scan when it is off), HNSW above."""
        if k <= 0:
            return []
        q = np.asarray(query, dtype=np.float32)
        cache = self._vector_cache()
        if cache is not None:
            wanted = mask or Filter(None, ())
            try:
                state = cache.refresh(self.store.pool.connection)
                rows = cache.candidates(state, q, k, cache.mask(state, wanted.kinds, wanted.hidden_docs))
                with self.store.pool.connection() as conn:
                    return top(rows, _vectors_of(conn, rows), q, k)
            except psycopg.OperationalError as exc:
                raise StoreUnavailable(f"lost the connection to {self.store.name}: {exc}") from exc
            except psycopg.Error as exc:
                raise StoreError(f"search failed in {self.store.name}: {exc}") from exc
        where, params = (mask or Filter(None, ())).where("v")
        params.update(q=q, k=k)
        rows_found = self._run(
            f"SELECT v.row_id, -(v.embedding <#> %(q)s) FROM passage_vectors v {where}"
            " ORDER BY v.embedding <#> %(q)s LIMIT %(k)s",
            params,
        )
        return [Hit(int(r[0]), float(r[1])) for r in rows_found]

    def _vector_cache(self) -> VectorCache | None:
        """This process's vector copy of the database, when searches are exact and the copy is on."""
        if len(self) >= hnsw_threshold() or not usable():
            return None
        cache = _CACHES.get(self.store)
        if cache is None:
            cache = _CACHES.setdefault(self.store, VectorCache())
        return cache

    def cosines(self, rows: Sequence[int], query: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
        """Exact cosine of the query with the given rows (0 for a row without a vector yet), computed
        here in float32 as the embedded backend does."""
        if not len(rows):
            return np.zeros(0, dtype=np.float32)
        wanted = [int(r) for r in rows]
        try:
            with self.store.pool.connection() as conn:
                found = _vectors_of(conn, wanted)
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"lost the connection to {self.store.name}: {exc}") from exc
        except psycopg.Error as exc:
            raise StoreError(f"search failed in {self.store.name}: {exc}") from exc
        q = np.asarray(query, dtype=np.float32)
        zero = np.zeros_like(q)
        matrix = np.stack([as_float32(found[r]) if r in found else zero for r in wanted])
        sims: npt.NDArray[np.float32] = matrix @ q
        return sims

    def row_info(self, rows: Collection[int]) -> dict[int, tuple[str, str]]:
        """row -> (passage id, document status); rows deleted meanwhile are absent."""
        if not rows:
            return {}
        found = self._run(
            "SELECT p.row_id, p.id, d.status FROM passages p JOIN documents d ON d.id = p.doc_id"
            " WHERE p.row_id = ANY(%(rows)s)",
            {"rows": [int(r) for r in rows]},
        )
        return {int(r[0]): (str(r[1]), str(r[2])) for r in found}


#: One vector copy per store object (so per process and database), kept across index generations.
_CACHES: weakref.WeakKeyDictionary[PostgresStore, VectorCache] = weakref.WeakKeyDictionary()
_LEXICAL: weakref.WeakKeyDictionary[PostgresStore, LexicalCache] = weakref.WeakKeyDictionary()


def _vectors_of(conn: psycopg.Connection[Any], rows: Sequence[int]) -> dict[int, npt.NDArray[Any]]:
    """row -> float32 vector of those rows that still have one (one primary-key read, binary)."""
    if not rows:
        return {}
    cur = conn.cursor(binary=True).execute(
        "SELECT row_id, embedding FROM passage_vectors WHERE row_id = ANY(%s)", ([int(r) for r in rows],)
    )
    return {int(r[0]): r[1] for r in cur}


Embed = Callable[[list[str]], npt.NDArray[Any]]
Progress = Callable[[int, int], None]


def _noop(done: int, total: int) -> None:
    return None


def sync_vectors(store: PostgresStore, embed: Embed, model_id: str, progress: Progress = _noop) -> int:
    """Embed every passage without a vector (for `model_id`; vectors of another model are dropped
    first) and store them, in batches of EMBED_BATCH, each its own transaction. Safe to run in several
    processes at once (a vector already written is kept). Builds the HNSW index once the corpus
    reaches :func:`hnsw_threshold`. Returns how many vectors were written."""
    if store.get_meta("vector_model") != model_id:
        with store.transaction() as conn:
            conn.execute("DELETE FROM passage_vectors")
            conn.execute(
                "INSERT INTO metadata(key, value) VALUES ('vector_model', %s) ON CONFLICT (key)"
                " DO UPDATE SET value = EXCLUDED.value",
                (model_id,),
            )
    total = _missing_count(store)
    written = 0
    last = 0
    while True:
        batch = _missing(store, last)
        if not batch:
            break
        last = batch[-1][0]
        vectors = embed([text for _, text in batch])
        written += _put_vectors(store, [row for row, _ in batch], vectors)
        progress(min(written, total), total)
    if written:
        try:
            with store.pool.connection() as conn:
                prune_log(conn, len_passages(store))
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"lost the connection to {store.name}: {exc}") from exc
    ensure_hnsw(store)
    return written


def _missing_count(store: PostgresStore) -> int:
    rows = store.query(
        "SELECT COUNT(*) FROM passages p WHERE NOT EXISTS"
        " (SELECT 1 FROM passage_vectors v WHERE v.row_id = p.row_id)"
    )
    return int(str(rows[0][0]))


def _missing(store: PostgresStore, after: int) -> list[tuple[int, str]]:
    """(row, text to embed) of the next passages without a vector, by row."""
    pcols = ", ".join(f"p.{c.strip()}" for c in PASSAGE_COLUMNS.split(","))
    dcols = ", ".join(f"d.{c.strip()}" for c in DOC_COLUMNS.split(","))
    rows = store.query(
        f"SELECT p.row_id, {pcols}, {dcols} FROM passages p JOIN documents d ON d.id = p.doc_id"
        " WHERE p.row_id > %s AND NOT EXISTS (SELECT 1 FROM passage_vectors v WHERE v.row_id = p.row_id)"
        " ORDER BY p.row_id LIMIT %s",
        (after, EMBED_BATCH),
    )
    return [(int(str(r[0])), embed_text(passage_of(r[1:11]), document_of(r[11:]))) for r in rows]


def _put_vectors(store: PostgresStore, rows: list[int], vectors: npt.NDArray[Any]) -> int:
    """Write one batch in one statement; rows deleted meanwhile are skipped (their passage is gone).

    The vector log's counter is locked first (as a library deletion does), so a batch and a deletion
    of the same passages queue instead of deadlocking (migration 0003)."""
    matrix = np.asarray(vectors, dtype=np.float32)
    try:
        with store.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT 1 FROM vector_state FOR UPDATE")
            conn.execute(
                "INSERT INTO passage_vectors(row_id, embedding) SELECT t.r, t.e"
                " FROM unnest(%s::bigint[], %s::vector[]) AS t(r, e)"
                " WHERE EXISTS (SELECT 1 FROM passages p WHERE p.row_id = t.r) ON CONFLICT (row_id) DO NOTHING",
                ([int(r) for r in rows], [matrix[i] for i in range(len(rows))]),
            )
    except psycopg.errors.ForeignKeyViolation:
        return 0  # a passage was deleted between the check and the insert: the next sync retries
    except psycopg.OperationalError as exc:
        raise StoreUnavailable(f"lost the connection to {store.name}: {exc}") from exc
    return len(rows)


def len_passages(store: PostgresStore) -> int:
    """Passages in the library (kept by every write transaction)."""
    return int(str(store.query("SELECT passages FROM lexical_stats")[0][0]))


def ensure_hnsw(store: PostgresStore) -> bool:
    """Build the HNSW index (CONCURRENTLY: searches and writes go on) once the corpus reaches the
    threshold; True when a valid one exists afterwards. One process builds (advisory lock; the others
    go on with exact search meanwhile); an invalid index left by an interrupted build is replaced."""
    size = len_passages(store)
    if _hnsw_valid(store) or size < hnsw_threshold():
        return _hnsw_valid(store)
    try:
        with store.pool.connection() as conn:
            locked = conn.execute("SELECT pg_try_advisory_lock(%s)", (HNSW_LOCK,)).fetchone()
            if not locked or not locked[0]:
                return False  # another process is building it
            try:
                if not _hnsw_valid(store):
                    log.info("building the HNSW vector index over %d passages", size)
                    conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {HNSW_INDEX}")
                    conn.execute(
                        f"CREATE INDEX CONCURRENTLY {HNSW_INDEX} ON passage_vectors"
                        " USING hnsw (embedding vector_ip_ops) WITH (m = 16, ef_construction = 64)"
                    )
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (HNSW_LOCK,))
    except psycopg.OperationalError as exc:
        raise StoreUnavailable(f"lost the connection to {store.name}: {exc}") from exc
    except psycopg.Error as exc:
        raise StoreError(f"cannot build the vector index in {store.name}: {exc}") from exc
    return _hnsw_valid(store)


def _hnsw_valid(store: PostgresStore) -> bool:
    rows = store.query(
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = %s",
        (HNSW_INDEX,),
    )
    return bool(rows and rows[0][0])
