"""PostgreSQL backend under several writers, a lost connection, and the HNSW index."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest

from netnav.errors import StoreUnavailable
from netnav.store.index import tokenize
from netnav.store.postgres.search import PgSearchIndex, ensure_hnsw, sync_vectors
from netnav.store.postgres.store import PostgresStore
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
    "ki67",
    "grade",
]


def _doc(name: str, n: int, kind: str = "research") -> tuple[Document, list[Passage]]:
    doc = Document(id=name, kind=kind, title=f"Paper {name}", format="txt")
    passages = []
    for i in range(n):
        words = " ".join(WORDS[(i + j + len(name)) % len(WORDS)] for j in range(3 + i % 4))
        text = f"{name} passage {i}: {words} in neuroendocrine tumours."
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


def _lexical_totals_agree(store: PostgresStore) -> None:
    """Document frequencies and corpus totals kept by the writes equal a recount from the tables."""
    stats = store.query("SELECT passages, tokens FROM lexical_stats")[0]
    recount = store.query("SELECT COUNT(*), COALESCE(SUM(length), 0) FROM passages")[0]
    assert tuple(int(str(x)) for x in stats) == tuple(int(str(x)) for x in recount)
    wrong = store.query(
        "SELECT t.term FROM terms t FULL JOIN (SELECT term, COUNT(*) AS n FROM postings GROUP BY term) c"
        " ON c.term = t.term WHERE t.df IS DISTINCT FROM c.n"
    )
    assert wrong == []
    assert store.fingerprint().startswith(f"{recount[0]}-g")


def test_concurrent_writers_keep_the_lexical_index_exact(stores: tuple[PostgresStore, PostgresStore]) -> None:
    a, b = stores
    errors: list[BaseException] = []

    def write(store: PostgresStore, prefix: str) -> None:
        try:
            for i in range(12):
                store.add_document(*_doc(f"{prefix}{i}", 3 + i % 3), owner="s1" if i % 4 == 0 else None)
                if i % 5 == 4:
                    store.delete_owned(f"{prefix}{i - 4}", "s1")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s, p)) for s, p in ((a, "a"), (b, "b"), (a, "c"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert a.count() == b.count()
    assert a.fingerprint() == b.fingerprint()
    _lexical_totals_agree(a)
    # the same document written by two writers at once is stored once
    twice = [threading.Thread(target=s.add_document, args=_doc("same", 4)) for s in (a, b)]
    for t in twice:
        t.start()
    for t in twice:
        t.join()
    assert a.query("SELECT COUNT(*) FROM passages WHERE doc_id = 'same'")[0][0] == 4
    _lexical_totals_agree(b)


def test_a_lost_connection_is_unavailable_then_recovers(stores: tuple[PostgresStore, PostgresStore]) -> None:
    a, b = stores
    a.add_document(*_doc("x", 2))
    with b.pool.connection() as conn:  # the server drops every other connection (restart, failover)
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        # pg_terminate_backend only signals: wait until the other backends are really gone
        deadline = time.monotonic() + 20
        while conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone() != (0,):
            assert time.monotonic() < deadline, "the server did not drop the connections"
            time.sleep(0.05)
    failures = 0
    for _ in range(a.pool.max_size + 1):  # each dead pooled connection fails once, typed, and is replaced
        try:
            counted = a.count()
            break
        except StoreUnavailable:
            failures += 1
    else:
        pytest.fail("the store never recovered from the dropped connections")
    assert counted == (1, 2)
    assert 1 <= failures <= a.pool.max_size


def test_search_with_the_hnsw_index_matches_exact_search(
    pg_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = PostgresStore(pg_database)
    try:
        for i in range(8):
            store.add_document(*_doc(f"d{i}", 6, kind="research" if i % 2 else "guideline"))
        embedder = HashEmbedder()
        assert sync_vectors(store, embedder.embed, embedder.model_id) == 48
        index = PgSearchIndex(store, store.fingerprint(), embedder.model_id)
        query = embedder.embed(["everolimus grade in neuroendocrine tumours"])[0]
        exact = index.search_dense(query, 10)
        mask = index.visible_mask(["guideline"], {"d0"})
        exact_filtered = index.search_dense(query, 10, mask)
        monkeypatch.setenv("NETNAV_PG_HNSW_THRESHOLD", "10")
        assert ensure_hnsw(store)
        with store.pool.connection() as conn:  # 48 rows: make the planner use the index as at scale
            conn.execute(f'ALTER DATABASE "{conn.info.dbname}" SET enable_seqscan = off')
        store.pool.drain()
        plan = store.query(
            "EXPLAIN SELECT row_id FROM passage_vectors ORDER BY embedding <#> %s LIMIT 10", (query,)
        )
        assert "passage_vectors_hnsw" in " ".join(str(r[0]) for r in plan)
        approx = index.search_dense(query, 10)
        assert np.allclose([h.score for h in approx], [h.score for h in exact], atol=1e-5)  # ties may swap
        filtered = index.search_dense(query, 10, mask)
        assert np.allclose([h.score for h in filtered], [h.score for h in exact_filtered], atol=1e-5)
        assert len(filtered) == 10  # 3 visible guideline documents x 6 passages: the filter still fills k
        info = index.row_info([h.row for h in filtered])
        assert all(not pid.startswith("d0-") for pid, _ in info.values())
        assert sync_vectors(store, embedder.embed, embedder.model_id) == 0  # nothing left to embed
        with store.pool.connection() as conn:  # as an interrupted CREATE INDEX CONCURRENTLY leaves it
            conn.execute(
                "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'passage_vectors_hnsw'::regclass"
            )
        assert ensure_hnsw(store)  # rebuilt
        assert store.query(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'passage_vectors_hnsw'::regclass"
        ) == [(True,)]
    finally:
        store.close()


def test_vectors_of_another_model_are_replaced(pg_database: str) -> None:
    store = PostgresStore(pg_database)
    try:
        store.add_document(*_doc("m", 3))
        embedder = HashEmbedder()
        assert sync_vectors(store, embedder.embed, "model-a") == 3
        assert sync_vectors(store, embedder.embed, "model-a") == 0
        assert sync_vectors(store, embedder.embed, "model-b") == 3
        assert store.get_meta("vector_model") == "model-b"
    finally:
        store.close()


def test_lexical_scores_follow_bm25(pg_database: str) -> None:
    """A hand-computed BM25 (lucene variant, k1 1.5, b 0.75) for a tiny corpus."""
    import math

    store = PostgresStore(pg_database)
    try:
        texts = ["gastrinoma gastrinoma duodenum", "gastrinoma pancreas", "insulinoma pancreas tail"]
        for i, text in enumerate(texts):
            doc = Document(id=f"t{i}", kind="research", title="", format="txt")
            store.add_document(
                doc, [Passage(id=f"t{i}-0", doc_id=f"t{i}", ordinal=0, text=text, start=0, end=1)]
            )
        index = PgSearchIndex(store, store.fingerprint(), "m")
        tokens = tokenize(["gastrinoma"])[0]
        hits = index.search_lexical(tokens, 10)
        lengths = [len(tokenize([t])[0]) for t in texts]
        avg = sum(lengths) / 3
        idf = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))

        def score(tf: int, length: int) -> float:
            return idf * tf / (tf + 1.5 * (1 - 0.75 + 0.75 * length / avg))

        expected = sorted([score(2, lengths[0]), score(1, lengths[1])], reverse=True)
        assert [h.score for h in hits] == pytest.approx(expected)
        info = index.row_info([h.row for h in hits])
        assert [info[h.row][0] for h in hits] == ["t0-0", "t1-0"]
        assert index.search_lexical(tokens, 10, index.visible_mask(None, {"t0"}))[0].row == hits[1].row
        assert index.search_lexical(["absentterm"], 10) == []
    finally:
        store.close()
