"""Many documents in one transaction with binary COPY (netnav.store.postgres.bulk): the same rows as
adding them one by one, skips what is there, vectors only for the database's model, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from netnav.errors import StoreError
from netnav.knowledge import card_documents
from netnav.store.postgres.bulk import NewDocument, add_documents
from netnav.store.postgres.store import PostgresStore
from netnav.transfer.library import as_array
from netnav.types.documents import Document, Passage

_STATE = [
    "SELECT id, kind, title, source_path, format, year, identifiers, status, meta, builtin, owner FROM documents"
    " ORDER BY id",
    'SELECT p.id, doc_id, ordinal, text, start, "end", page, section, plain, meta, kind, length'
    " FROM passages p ORDER BY id",
    "SELECT p.id, po.term, po.tf, po.length FROM postings po JOIN passages p USING (row_id) ORDER BY 1, 2",
    "SELECT term, df FROM terms ORDER BY term",
    "SELECT passages, tokens FROM lexical_stats",
    "SELECT value FROM metadata WHERE key = 'passages'",
]


def _state(store: PostgresStore) -> list[list[tuple[object, ...]]]:
    return [store.query(sql) for sql in _STATE]


def _doc(n: int, parts: int, shared: str | None = None) -> tuple[Document, list[Passage]]:
    doc = Document(id=f"doc{n}", kind="research", title=f"Study {n}", format="txt", year=2020 + n % 5)
    passages = [
        Passage(
            id=shared if (shared and i == 0) else f"doc{n}-p{i}",
            doc_id=doc.id,
            ordinal=i,
            text=f"Lutetium dotatate in midgut tumours, cohort {n} part {i}; tumour size {i} cm.",
            start=0,
            end=10,
            section="Results" if i % 2 else None,
            meta={"n": str(i)},
        )
        for i in range(parts)
    ]
    return doc, passages


@pytest.fixture
def two_stores(pg_url: str) -> Iterator[tuple[PostgresStore, PostgresStore]]:
    import uuid

    import psycopg

    from tests.postgres.conftest import _with_dbname

    names = [f"netnav_test_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    stores = [PostgresStore(_with_dbname(pg_url, n)) for n in names]
    try:
        yield stores[0], stores[1]
    finally:
        for store in stores:
            store.close()
        with psycopg.connect(pg_url, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_bulk_rows_equal_one_by_one_adds(two_stores: tuple[PostgresStore, PostgresStore]) -> None:
    one, bulk = two_stores
    docs = [_doc(n, parts=1 + n % 4, shared="dup" if n in (3, 7) else None) for n in range(12)]
    docs += [docs[2]]  # the same document twice: stored once
    for doc, passages in docs:
        one.add_document(doc, passages, owner="abc123abc123" if doc.id == "doc5" else None)
    outcome = add_documents(
        bulk,
        (NewDocument(d, p, owner="abc123abc123" if d.id == "doc5" else None) for d, p in docs),
    )
    assert _state(bulk) == _state(one)
    assert (outcome.added, outcome.unchanged) == (12, 1)
    assert bulk.fingerprint().split("-")[0] == one.fingerprint().split("-")[0]


def test_bulk_skips_documents_already_stored_and_keeps_added_at(pg_database: str) -> None:
    store = PostgresStore(pg_database)
    try:
        first, second = _doc(1, 2), _doc(2, 3)
        store.add_document(*first)
        before = store.fingerprint()
        outcome = add_documents(
            store,
            [NewDocument(*first), NewDocument(*second, added_at="2025-01-02T03:04:05Z")],
        )
        assert (outcome.added, outcome.unchanged, outcome.passages) == (1, 1, 3)
        assert store.count() == (2, 5)
        assert store.fingerprint() != before
        assert store.query("SELECT added_at FROM documents WHERE id = 'doc2'") == [("2025-01-02T03:04:05Z",)]
        again = add_documents(store, [NewDocument(*second)])
        assert (again.added, again.unchanged) == (0, 1)
    finally:
        store.close()


def _vectors(n: int, seed: int) -> Any:
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((n, 384)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_vectors_are_written_for_the_database_model_only(pg_database: str) -> None:
    store = PostgresStore(pg_database)
    try:
        doc, passages = _doc(1, 3)
        given = _vectors(3, 1)
        outcome = add_documents(store, [NewDocument(doc, passages, vectors=given)], model_id="model-a")
        assert outcome.vectors == 3
        rows = store.query(
            "SELECT p.ordinal, v.embedding FROM passages p JOIN passage_vectors v USING (row_id) ORDER BY 1"
        )
        got = np.array([as_array(r[1]) for r in rows])
        assert np.array_equal(got, given)
        assert store.get_meta("vector_model") == "model-a"
        other, parts = _doc(2, 2)
        later = add_documents(store, [NewDocument(other, parts, vectors=_vectors(2, 2))], model_id="model-b")
        assert (later.added, later.vectors) == (1, 0)  # another model's vectors would be dropped anyway
    finally:
        store.close()


def test_a_refused_load_writes_nothing(pg_database: str) -> None:
    store = PostgresStore(pg_database)
    try:
        good = _doc(1, 2)
        bad_doc, bad_parts = _doc(2, 1)
        bad = (bad_doc.model_copy(update={"title": "bad\x00title"}), bad_parts)  # PostgreSQL refuses NUL
        with pytest.raises(StoreError):
            add_documents(store, [NewDocument(*good), NewDocument(*bad)])
        assert store.count() == (0, 0)
        assert store.query("SELECT passages, tokens FROM lexical_stats") == [(0, 0)]
    finally:
        store.close()


def test_cards_load_as_one_transaction_equal_to_one_by_one(
    two_stores: tuple[PostgresStore, PostgresStore],
) -> None:
    one, bulk = two_stores
    pairs = card_documents()
    for doc, passage in pairs:
        one.add_document(doc, [passage], builtin=True)
    outcome = add_documents(bulk, (NewDocument(d, [p], builtin=True) for d, p in pairs), durable=False)
    assert outcome.added == len({d.id for d, _ in pairs})
    assert _state(bulk) == _state(one)
    generation = int(str(bulk.query("SELECT value FROM metadata WHERE key = 'generation'")[0][0]))
    assert generation == 1  # one write, one generation


def test_a_load_into_an_empty_database_is_not_tokenised_again(pg_database: str) -> None:
    from netnav.store.postgres.relex import ensure_analyzer

    store = PostgresStore(pg_database)
    try:
        add_documents(store, [NewDocument(*_doc(1, 3))])
        assert ensure_analyzer(store) is None  # the postings are already today's
    finally:
        store.close()


def test_a_load_beside_older_postings_leaves_their_check_to_the_engine(pg_database: str) -> None:
    from netnav.store.postgres.relex import ANALYZER_KEY, ensure_analyzer

    store = PostgresStore(pg_database)
    try:
        store.add_document(*_doc(1, 2))  # no analyzer recorded: made by unknown code
        add_documents(store, [NewDocument(*_doc(2, 2))])
        assert store.get_meta(ANALYZER_KEY) is None
        assert ensure_analyzer(store) == 4
    finally:
        store.close()


_CATALOG = (
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
    " WHERE conrelid::regclass::text IN ('postings', 'passage_vectors', 'passages') ORDER BY 1, 2"
)
_INDEXES = (
    "SELECT tablename, indexname, indexdef FROM pg_indexes"
    " WHERE tablename IN ('postings', 'passage_vectors', 'passages') ORDER BY 1, 2"
)


def test_indexes_set_aside_for_an_empty_library_come_back_the_same(pg_database: str) -> None:
    store = PostgresStore(pg_database)
    try:
        before = (store.query(_CATALOG), store.query(_INDEXES))
        assert any("postings_pkey" in str(r) for r in before[1])
        add_documents(store, [NewDocument(*_doc(n, 3)) for n in range(4)])
        assert (store.query(_CATALOG), store.query(_INDEXES)) == before
        bad_doc, bad_parts = _doc(9, 1)
        bad = NewDocument(bad_doc.model_copy(update={"title": "x\x00"}), bad_parts)
        with pytest.raises(StoreError):  # not empty now: nothing is set aside; refused all the same
            add_documents(store, [bad])
        assert (store.query(_CATALOG), store.query(_INDEXES)) == before
    finally:
        store.close()


def test_a_refused_load_into_an_empty_library_keeps_its_indexes(pg_database: str) -> None:
    store = PostgresStore(pg_database)
    try:
        before = (store.query(_CATALOG), store.query(_INDEXES))
        bad_doc, bad_parts = _doc(9, 1)
        bad = NewDocument(bad_doc.model_copy(update={"title": "x\x00"}), bad_parts)
        with pytest.raises(StoreError):
            add_documents(store, [NewDocument(*_doc(1, 2)), bad])
        assert (store.query(_CATALOG), store.query(_INDEXES)) == before
        assert store.count() == (0, 0)
    finally:
        store.close()
