"""The per-process vector copy (netnav.store.postgres.vcache): the same exact top k as pgvector's scan,
and current with another process's writes, deletions and model changes before every search."""

from __future__ import annotations

import random
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pytest

from netnav.store.postgres import vcache
from netnav.store.postgres.search import _CACHES, PgSearchIndex, sync_vectors
from netnav.store.postgres.store import PostgresStore, _bump_generation, _delete_documents
from netnav.store.vectors import Hit
from netnav.testing import HashEmbedder
from netnav.types.documents import Document, Passage

WORDS = [
    "somatostatin",
    "everolimus",
    "sunitinib",
    "lutetium",
    "dotatate",
    "chromogranin",
    "gastrinoma",
    "insulinoma",
    "grade",
]
EMBEDDER = HashEmbedder()


def _doc(name: str, n: int, kind: str = "research") -> tuple[Document, list[Passage]]:
    rng = random.Random(name)
    doc = Document(id=name, kind=kind, title=f"Paper {name}", format="txt")
    passages = []
    for i in range(n):
        text = f"{name} {i} " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 7)))
        passages.append(Passage(id=f"{name}-{i}", doc_id=name, ordinal=i, text=text, start=0, end=len(text)))
    return doc, passages


@pytest.fixture
def stores(pg_database: str) -> Iterator[tuple[PostgresStore, PostgresStore]]:
    """Two stores with their own pools: two server processes on one database."""
    a, b = PostgresStore(pg_database), PostgresStore(pg_database)
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def _queries(n: int = 6) -> list[npt.NDArray[np.float32]]:
    rng = random.Random(7)
    texts = [" ".join(rng.sample(WORDS, 3)) for _ in range(n)]
    return [np.asarray(v, dtype=np.float32) for v in EMBEDDER.embed(texts)]


def _sql(
    index: PgSearchIndex, q: npt.NDArray[np.float32], k: int, mask: object, mp: pytest.MonkeyPatch
) -> list[Hit]:
    mp.setenv("NETNAV_PG_SEARCH_CACHE", "0")
    try:
        return index.search_dense(q, k, mask)  # type: ignore[arg-type]
    finally:
        mp.delenv("NETNAV_PG_SEARCH_CACHE")


def _same(cached: list[Hit], sql: list[Hit]) -> None:
    """The same scores in order, and the same rows at each score (equal scores may come in any order;
    at the lowest score a tie may be cut at a different row)."""
    assert [h.score for h in cached] == pytest.approx([h.score for h in sql], abs=1e-6)
    assert _by_score(cached) == _by_score(sql)


def _by_score(hits: list[Hit]) -> dict[float, set[int]]:
    groups: dict[float, set[int]] = {}
    for hit in hits:
        groups.setdefault(round(hit.score, 5), set()).add(hit.row)
    if groups:
        del groups[min(groups)]
    return groups


def _index(store: PostgresStore) -> PgSearchIndex:
    return PgSearchIndex(store, store.fingerprint(), EMBEDDER.model_id)


def test_cache_gives_the_exact_top_k_and_follows_other_writers(
    stores: tuple[PostgresStore, PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, writer = stores
    for i in range(6):
        writer.add_document(*_doc(f"d{i}", 15, kind="guideline" if i % 3 == 0 else "research"))
    assert sync_vectors(writer, EMBEDDER.embed, EMBEDDER.model_id) == 90
    index = _index(reader)
    masks = [None, index.visible_mask(["guideline"]), index.visible_mask(None, {"d1", "d4"})]
    for q in _queries():
        for mask in masks:
            for k in (1, 10, 40):
                _same(index.search_dense(q, k, mask), _sql(index, q, k, mask, monkeypatch))
    cache = _CACHES[reader]
    assert cache.loads == 1 and cache.nbytes > 90 * 384 * 2

    # another process adds a document: the next search has its vectors, without loading everything again
    writer.add_document(*_doc("late", 10))
    sync_vectors(writer, EMBEDDER.embed, EMBEDDER.model_id)
    late_rows = {int(str(r[0])) for r in writer.query("SELECT row_id FROM passages WHERE doc_id = 'late'")}
    stored = writer.query("SELECT embedding FROM passage_vectors WHERE row_id = %s", (min(late_rows) + 3,))
    target = vcache.as_float32(stored[0][0])
    hits = index.search_dense(target, 5)
    assert hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert min(late_rows) + 3 in {h.row for h in hits if h.score > 1 - 1e-5}
    _same(hits, _sql(index, target, 5, None, monkeypatch))
    assert cache.loads == 1

    # ... and deletes it: its rows are never returned again
    with writer.transaction() as conn:
        _delete_documents(conn, ["late", "d2"])
        _bump_generation(conn)
    for q in [target, *_queries()]:
        hits = index.search_dense(q, 40)
        assert not late_rows & {h.row for h in hits}
        _same(hits, _sql(index, q, 40, None, monkeypatch))
    assert cache.loads == 1

    # vectors of another model replace them all: loaded again
    sync_vectors(writer, lambda texts: EMBEDDER.embed([t[::-1] for t in texts]), "model-b")
    for q in _queries(3):
        _same(index.search_dense(q, 10), _sql(index, q, 10, None, monkeypatch))
    assert cache.loads == 2


def test_a_cache_older_than_the_pruned_log_loads_again(
    stores: tuple[PostgresStore, PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, writer = stores
    writer.add_document(*_doc("a", 20))
    sync_vectors(writer, EMBEDDER.embed, EMBEDDER.model_id)
    index = _index(reader)
    q = _queries(1)[0]
    index.search_dense(q, 5)
    cache = _CACHES[reader]
    monkeypatch.setattr(vcache, "LOG_MIN", 3)
    monkeypatch.setattr(vcache, "REFRESH_SHARE", 0.0)
    for name in ("b", "c"):  # two more batches; pruning keeps 3 log entries, so the reader's gap is lost
        writer.add_document(*_doc(name, 4))
        sync_vectors(writer, EMBEDDER.embed, EMBEDDER.model_id)
    floor = int(str(writer.query("SELECT floor FROM vector_state")[0][0]))
    assert floor > 1 and int(str(writer.query("SELECT COUNT(*) FROM vector_log")[0][0])) <= 3
    _same(index.search_dense(q, 28), _sql(index, q, 28, None, monkeypatch))
    assert cache.loads == 2


def test_every_kind_of_vector_write_is_logged(pg_database: str) -> None:
    """Insert, update, delete (also by cascade) and truncate each move the counter; truncate raises the
    floor so every cache loads again."""
    store = PostgresStore(pg_database)
    try:
        store.add_document(*_doc("x", 3))
        sync_vectors(store, EMBEDDER.embed, EMBEDDER.model_id)

        def state() -> tuple[int, int]:
            row = store.query("SELECT seq, floor FROM vector_state")[0]
            return int(str(row[0])), int(str(row[1]))

        seq0, _ = state()
        assert seq0 >= 1
        with store.pool.connection() as conn:
            conn.execute("UPDATE passage_vectors SET embedding = embedding")
            conn.execute("UPDATE passage_vectors SET embedding = embedding WHERE false")  # no rows: no entry
        assert state()[0] == seq0 + 1
        with store.transaction() as conn:
            _delete_documents(conn, ["x"])  # ON DELETE CASCADE from passages
        seq2, _ = state()
        assert seq2 > seq0 + 1
        assert store.query("SELECT added FROM vector_log WHERE seq = %s LIMIT 1", (seq2,)) == [(False,)]
        with store.pool.connection() as conn:
            conn.execute("TRUNCATE passage_vectors")
        assert state() == (seq2 + 1, seq2 + 1)
    finally:
        store.close()


def test_cosines_are_float32_products_and_zero_without_a_vector(pg_database: str) -> None:
    store = PostgresStore(pg_database)
    try:
        store.add_document(*_doc("c", 5))
        sync_vectors(store, EMBEDDER.embed, EMBEDDER.model_id)
        index = _index(store)
        rows = [int(str(r[0])) for r in store.query("SELECT row_id FROM passages ORDER BY row_id")]
        q = _queries(1)[0]
        found = store.query(
            "SELECT row_id, -(embedding <#> %s) FROM passage_vectors WHERE row_id = ANY(%s)", (q, rows)
        )
        sql = {int(str(r[0])): float(str(r[1])) for r in found}
        got = index.cosines([*rows, 10**9], q)
        assert got[-1] == 0.0
        assert got[:-1].tolist() == pytest.approx([sql[r] for r in rows], abs=1e-6)
    finally:
        store.close()


def test_searches_in_threads_while_another_process_writes(
    stores: tuple[PostgresStore, PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four threads search through the copies while another store adds, embeds and deletes documents:
    no search fails or returns a row deleted before it began, and afterwards both copies equal SQL."""
    import threading

    from netnav.store.index import tokenize

    reader, writer = stores
    for i in range(4):
        writer.add_document(*_doc(f"base{i}", 10))
    sync_vectors(writer, EMBEDDER.embed, EMBEDDER.model_id)
    index = _index(reader)
    queries = _queries(4)
    tokens = tokenize([" ".join(WORDS)])[0]
    errors: list[BaseException] = []
    stop = threading.Event()

    def search(q: npt.NDArray[np.float32]) -> None:
        try:
            while not stop.is_set():
                index.search_dense(q, 10)
                index.search_lexical(tokens, 10)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=search, args=(q,)) for q in queries]
    for t in threads:
        t.start()
    try:
        for i in range(6):
            writer.add_document(*_doc(f"w{i}", 6))
            sync_vectors(writer, EMBEDDER.embed, EMBEDDER.model_id)
            if i % 2:
                gone = {
                    int(str(r[0]))
                    for r in writer.query("SELECT row_id FROM passages WHERE doc_id = %s", (f"w{i - 1}",))
                }
                with writer.transaction() as conn:
                    _delete_documents(conn, [f"w{i - 1}"])
                    _bump_generation(conn)
                assert not gone & {h.row for h in index.search_dense(queries[0], 60)}
                assert not gone & {h.row for h in index.search_lexical(tokens, 60)}
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert not errors
    for q in queries:
        _same(index.search_dense(q, 20), _sql(index, q, 20, None, monkeypatch))


def test_a_library_replaced_under_the_copies_loads_again(
    stores: tuple[PostgresStore, PostgresStore], pg_database: str
) -> None:
    """A schema reset or a restore of an older dump (pg_restore --clean) recreates the tables with
    their counters back at a lower or equal number: the copy must load the new library, never keep
    answering from the old one (regression: it compared the counter only, so it kept the old rows)."""
    import psycopg

    reader, writer = stores
    for i in range(4):
        writer.add_document(*_doc(f"old{i}", 6))
        sync_vectors(writer, EMBEDDER.embed, EMBEDDER.model_id)
    index = _index(reader)
    q = _queries(1)[0]
    assert len(index.search_dense(q, 40)) == 24
    assert len(index.search_lexical(["old0"], 40)) == 6  # the lexical copy is loaded too
    old_seq = int(str(writer.query("SELECT seq FROM vector_state")[0][0]))
    writer.close()
    with psycopg.connect(pg_database, autocommit=True) as conn:
        # NETNav's tables and functions go (the vector extension stays, as with pg_restore --clean of
        # NETNav's tables alone)
        for (table,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall():
            conn.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')
        for (fn,) in conn.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'netnav%'").fetchall():
            conn.execute(f'DROP FUNCTION IF EXISTS "{fn}" CASCADE')
    fresh = PostgresStore(pg_database)  # migrates the empty schema again
    try:
        fresh.add_document(*_doc("new", 30))
        sync_vectors(fresh, EMBEDDER.embed, EMBEDDER.model_id)
        assert int(str(fresh.query("SELECT seq FROM vector_state")[0][0])) <= old_seq
        new_rows = {int(str(r[0])) for r in fresh.query("SELECT row_id FROM passages")}
        assert {h.row for h in index.search_dense(q, 40)} == new_rows
        assert index.search_lexical(["old0"], 40) == []
        assert {h.row for h in index.search_lexical(["new"], 40)} == new_rows
    finally:
        fresh.close()
