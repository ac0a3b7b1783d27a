from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from netnav.errors import StoreError
from netnav.store import Store
from netnav.types.documents import Document, Passage


def _doc(doc_id: str = "d1", n: int = 2) -> tuple[Document, list[Passage]]:
    doc = Document(id=doc_id, kind="document", title="T", format="txt")
    passages = [
        Passage(id=f"{doc_id}-p{i}", doc_id=doc_id, ordinal=i, text=f"text {i}", start=i * 10, end=i * 10 + 6)
        for i in range(n)
    ]
    return doc, passages


def test_migrations_are_numbered_and_applied_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    version = store.schema_version()
    assert version >= 2
    store.close()
    again = Store(tmp_path / "s.db")
    assert again.schema_version() == version


def test_adding_the_same_document_twice_changes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    doc, passages = _doc()
    assert store.add_document(doc, passages).outcome == "added"
    before = store.fingerprint()
    assert store.add_document(doc, passages).outcome == "unchanged"
    assert store.count() == (1, 2)
    assert store.fingerprint() == before


def test_a_failing_document_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The document row is written before its passages; a failure while writing passages rolls both back."""

    store = Store(tmp_path / "s.db")
    doc, passages = _doc(n=3)
    calls = {"n": 0}
    real_dumps = json.dumps

    def flaky_dumps(obj: object, **kw: object) -> str:
        calls["n"] += 1
        if calls["n"] > 3:  # identifiers, meta, first passage ... then fail
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        return real_dumps(obj)

    monkeypatch.setattr(json, "dumps", flaky_dumps)
    with pytest.raises(StoreError, match="cannot write to the document store"):  # typed, one message
        store.add_document(doc, passages)
    monkeypatch.setattr(json, "dumps", real_dumps)
    assert store.count() == (0, 0)
    assert store.add_document(doc, passages).outcome == "added"


def test_fingerprint_tracks_content(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    empty = store.fingerprint()
    store.add_document(*_doc("a"))
    assert store.fingerprint() != empty


def test_passages_round_trip(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    doc, passages = _doc()
    store.add_document(doc, passages)
    found = store.passages_by_ids([passages[1].id])
    passage, document = found[passages[1].id]
    assert passage == passages[1]
    assert document.id == doc.id


def test_fingerprint_changes_when_stale_builtins_are_removed(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    doc, passages = _doc("b")
    store.add_document(doc, passages, builtin=True)
    before = store.fingerprint()
    assert store.remove_builtin_except({"b"}) == 0 and store.fingerprint() == before
    assert store.remove_builtin_except(set()) == 1 and store.fingerprint() != before


def test_fingerprint_reads_no_table_that_grows_with_the_corpus(tmp_path: Path) -> None:
    """The per-ask fingerprint comes from metadata kept by each write, not from COUNT(*) over passages."""
    store = Store(tmp_path / "db.sqlite3")
    doc = Document(id="d", kind="research", title="t", format="md")
    passages = [
        Passage(id=f"p{i}", doc_id="d", ordinal=i, text=f"text {i}", start=0, end=1) for i in range(3)
    ]
    store.add_document(doc, passages)
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    fp = store.fingerprint()
    store._conn.set_trace_callback(None)
    assert fp.startswith("3-g")
    assert not [s for s in statements if "passages" in s.lower() and "metadata" not in s.lower()]
    store._conn.execute("DELETE FROM metadata WHERE key='passages'")  # a store written by older code
    assert store.fingerprint() == fp  # count recorded once, generation unchanged: no index rebuild


def test_passages_by_ids_never_serves_a_changed_or_deleted_row_from_memory(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    doc, passages = _doc("mine")
    store.add_document(doc, passages, owner="o1")
    first = store.passages_by_ids([passages[0].id])[passages[0].id][1]
    assert first.status == "current"
    with sqlite3.connect(tmp_path / "s.db") as conn:  # a later write changes the stored row
        conn.execute("UPDATE documents SET status='superseded', title='T2' WHERE id='mine'")
    again = store.passages_by_ids([passages[0].id])[passages[0].id][1]
    assert (again.status, again.title) == ("superseded", "T2")
    assert store.delete_owned("mine", "o1") == ""
    assert store.passages_by_ids([passages[0].id]) == {}
