"""One storage test-suite, run against both backends (embedded SQLite and PostgreSQL): the contract of
netnav.store.base.DocumentStore."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from netnav.ingest.api import parse_file
from netnav.settings import Settings
from netnav.store import DocumentStore, open_backend
from netnav.types.documents import Document, Passage

LABELS = Path(__file__).resolve().parents[1] / "ingest" / "fixtures" / "spl_versions"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DocumentStore]:
    url = request.getfixturevalue("pg_database") if request.param == "postgresql" else None
    backend = open_backend(Settings(home=tmp_path, database_url=url))
    try:
        yield backend
    finally:
        backend.close()


def _doc(
    doc_id: str = "d1", n: int = 2, kind: str = "document", title: str = "T"
) -> tuple[Document, list[Passage]]:
    doc = Document(
        id=doc_id, kind=kind, title=title, format="txt", identifiers={"pmid": "1"}, meta={"a": "b"}
    )
    passages = [
        Passage(
            id=f"{doc_id}-p{i}",
            doc_id=doc_id,
            ordinal=i,
            text=f"Everolimus for pancreatic tumours, part {i}.",
            start=i * 10,
            end=i * 10 + 6,
            page=i + 1 if i else None,
            section="Results" if i else None,
            plain="plain words" if i else None,
            meta={"k": str(i)},
        )
        for i in range(n)
    ]
    return doc, passages


def test_schema_is_migrated(store: DocumentStore) -> None:
    assert store.schema_version() >= 1


def test_adding_the_same_document_twice_changes_nothing(store: DocumentStore) -> None:
    doc, passages = _doc()
    first = store.add_document(doc, passages)
    assert (first.outcome, first.passages) == ("added", 2)
    before = store.fingerprint()
    assert store.add_document(doc, passages).outcome == "unchanged"
    assert store.count() == (1, 2)
    assert store.fingerprint() == before


def test_fingerprint_changes_with_every_write_of_documents(store: DocumentStore) -> None:
    seen = {store.fingerprint()}
    store.add_document(*_doc("a"))
    seen.add(store.fingerprint())
    store.add_document(*_doc("b", n=1), owner="s1")
    seen.add(store.fingerprint())
    assert store.delete_owned("b", "s1") == ""
    seen.add(store.fingerprint())
    assert len(seen) == 4
    assert store.fingerprint().startswith("2-g")  # two passages of "a" remain


def test_passages_and_documents_round_trip(store: DocumentStore) -> None:
    doc, passages = _doc(n=3)
    store.add_document(doc, passages)
    got = store.passages_by_ids([p.id for p in passages] + ["absent"])
    assert set(got) == {p.id for p in passages}
    for p in passages:
        assert got[p.id] == (p, doc)
    assert [(p, d) for p, d in store.iter_passages()] == [(p, doc) for p in passages]
    assert store.documents() == [doc]


def test_iter_passages_is_ordered_by_document_then_ordinal(store: DocumentStore) -> None:
    for name in ("c", "a", "b"):
        doc, passages = _doc(name, n=3)
        store.add_document(doc, list(reversed(passages)))
    order = [(p.doc_id, p.ordinal) for p, _ in store.iter_passages()]
    assert order == sorted(order)


def test_owners_keep_uploads_private(store: DocumentStore) -> None:
    store.add_document(*_doc("shared", title="Shared"))
    store.add_document(*_doc("mine", title="Mine"), owner="alice")
    store.add_document(*_doc("theirs", title="Theirs"), owner="bob")
    assert store.owned_documents() == {"mine": "alice", "theirs": "bob"}
    assert {r.doc.id for r in store.document_rows("alice")} == {"shared", "mine"}
    assert {r.doc.id for r in store.document_rows()} == {"shared"}
    row = next(r for r in store.document_rows("alice") if r.doc.id == "mine")
    assert row.passages == 2 and not row.builtin and row.added_at.endswith("Z")
    assert store.delete_owned("theirs", "alice") is None  # not hers
    assert store.delete_owned("mine", "alice") == ""
    assert store.count() == (2, 4)
    assert store.passages_by_ids(["mine-p0"]) == {}


def test_document_rows_list_builtin_last_then_by_kind_and_title(store: DocumentStore) -> None:
    store.add_document(*_doc("c1", kind="education", title="b card"), builtin=True)
    store.add_document(*_doc("g", kind="guideline", title="Zeta"))
    store.add_document(*_doc("j", kind="research", title="alpha"))
    store.add_document(*_doc("j2", kind="research", title="Beta"))
    assert [r.doc.id for r in store.document_rows()] == ["g", "j2", "j", "c1"]


def test_stale_builtins_are_removed(store: DocumentStore) -> None:
    store.add_document(*_doc("old", kind="education"), builtin=True)
    store.add_document(*_doc("keep", kind="education"), builtin=True)
    store.add_document(*_doc("user"))
    before = store.fingerprint()
    assert store.remove_builtin_except({"keep"}) == 1
    assert {d.id for d in store.documents()} == {"keep", "user"}
    assert store.fingerprint() != before
    assert store.remove_builtin_except({"keep"}) == 0


def test_metadata_and_ingest_log(store: DocumentStore) -> None:
    assert store.get_meta("knowledge_fingerprint") is None
    store.set_meta("knowledge_fingerprint", "x1")
    store.set_meta("knowledge_fingerprint", "x2")
    assert store.get_meta("knowledge_fingerprint") == "x2"
    store.log_ingest("/tmp/a.txt", None, "failed", "empty")  # accepted, never raises


def test_a_passage_id_given_twice_is_stored_once(store: DocumentStore) -> None:
    doc, passages = _doc(n=2)
    store.add_document(doc, [*passages, passages[0]])
    assert store.count() == (1, 2)


@pytest.mark.parametrize("order", [("label_v1.xml", "label_v2.xml"), ("label_v2.xml", "label_v1.xml")])
def test_label_versions_are_reconciled_whatever_the_order(
    store: DocumentStore, order: tuple[str, str]
) -> None:
    ids = {}
    for name in order:
        parsed = parse_file(LABELS / name)
        ids[name] = parsed.document.id
        store.add_document(parsed.document, parsed.passages)
    docs = {d.id: d for d in store.documents()}
    old, new = docs[ids["label_v1.xml"]], docs[ids["label_v2.xml"]]
    assert new.status == "current" and old.status == "withdrawn"
    assert old.meta["superseded_by"] == new.id
    assert len(json.loads(new.meta["withdrawn_indications"])) == 1
