"""netnav export / import: a home into PostgreSQL and back without loss, checked; damaged dumps write
nothing; a repeated (resumed) import completes without duplicating anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netnav.casebook import open_casebook
from netnav.cases import CaseStore, new_session_id
from netnav.settings import get_settings
from netnav.store.db import Store
from netnav.transfer.dumpfile import DumpError
from netnav.transfer.run import export_home, import_dump
from netnav.types.case import CaseProfile, FieldValue, UserValue
from netnav.types.casebook import NewReport
from netnav.types.documents import Document, Passage
from tests.api.helpers import copy_home

OWNER = "f" * 32


def _private_document(home: Path) -> str:
    """A session's own upload (owner set), with passages in unusual scripts and an empty section."""
    doc = Document(id="d-private-1", kind="research", title="Privé: Überblick über NET", format="txt")
    texts = ["Lanreotide résumé — 120 mg every 28 days.", "Zweiter Absatz: Ki-67 ≥ 20 % → G3 ✓"]
    passages = [
        Passage(id=f"p-private-{i}", doc_id=doc.id, ordinal=i, text=t, start=i * 50, end=i * 50 + len(t))
        for i, t in enumerate(texts)
    ]
    store = Store(home / "netnav.sqlite3")
    store.add_document(doc, passages, owner=OWNER)
    store.close()
    return doc.id


def _cases(home: Path) -> tuple[str, str]:
    book = open_casebook(home, owner="t-someone", settings=get_settings(home, database_url=None))
    fv = FieldValue(value=12.0, unit="%", text="Ki-67 12%", source="path.txt", line=4)
    report = NewReport(
        name="path.txt",
        report_date="2025-01-02",
        profile=CaseProfile(case_id="x", fields={"ki67_percent": fv}),
    )
    made = book.create("Dad – pancreatic NET", [report])
    book.repo.set_correction(
        book.owner,
        made.id,
        "grade",
        UserValue(value="G2", action="corrected", at="2026-11-29T20:00:00Z", by="t-someone"),
    )
    session = new_session_id()
    CaseStore(home / "cases").save(session, CaseProfile(case_id="case-abc", warnings=["naïve"]))
    return made.id, session


@pytest.fixture
def source_home(built_home: Path, tmp_path: Path) -> Path:
    home = copy_home(built_home, tmp_path / "source")
    return home


def test_home_to_postgres_and_back(source_home: Path, tmp_path: Path, migrated_database: str) -> None:
    from netnav.store.postgres.shared import close_pools

    doc_id = _private_document(source_home)
    case_id, session = _cases(source_home)
    sqlite = get_settings(source_home, database_url=None)
    first = export_home(sqlite, tmp_path / "dump1")
    assert first.counts["saved_cases"] == 1 and first.counts["case_reports"] == 1
    assert first.counts["case_corrections"] == 1 and first.counts["session_cases"] == 1
    assert first.counts["vectors"] == first.counts["passages"] > 2

    pg = get_settings(tmp_path / "pg-home", database_url=migrated_database)
    try:
        report = import_dump(pg, tmp_path / "dump1")
        checked = report["verified"]
        assert checked["documents"]["target"] == first.counts["documents"]
        assert checked["passages"]["target"] == first.counts["passages"]
        assert checked["vectors_compared"] > 0 and checked["vector_max_abs_diff"] < 1e-6
        assert report["written"]["saved_cases"] == 1 and report["written"]["session_cases"] == 1
        again = import_dump(pg, tmp_path / "dump1")  # a resumed import adds nothing twice
        assert again["written"]["documents"] == 0 and again["written"]["saved_cases"] == 0
        assert again["skipped"]["documents"] == first.counts["documents"]
        book = open_casebook(owner="t-someone", settings=pg)
        view = book.view(case_id)
        assert view.profile.fields["grade"].value == "G2" and view.summary.reports == 1
        second = export_home(pg, tmp_path / "dump2")
    finally:
        close_pools()
    assert second.counts == first.counts

    back = get_settings(tmp_path / "back", database_url=None)
    import_dump(back, tmp_path / "dump2")
    a = _library(tmp_path / "dump1")
    b = _library(tmp_path / "dump2")
    assert a == b, "documents, passages, owners and times came back unchanged"
    assert a[doc_id]["owner"] == OWNER
    store = Store(back.db_path)
    assert store.owned_documents() == {doc_id: OWNER}
    store.close()
    assert CaseStore(back.cases_dir).load(session, "case-abc").warnings == ["naïve"]
    returned = open_casebook(owner="t-someone", settings=back).view(case_id)
    assert returned.profile.fields["ki67_percent"].value == 12.0


def _library(folder: Path) -> dict[str, dict[str, object]]:
    rows = [
        json.loads(line) for line in (folder / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    return {r["document"]["id"]: r for r in rows}


def test_damaged_dump_writes_nothing(source_home: Path, tmp_path: Path) -> None:
    export_home(get_settings(source_home, database_url=None), tmp_path / "dump")
    lines = (tmp_path / "dump" / "documents.jsonl").read_text(encoding="utf-8")
    (tmp_path / "dump" / "documents.jsonl").write_text(lines.replace("a", "b", 1), encoding="utf-8")
    target = get_settings(tmp_path / "target", database_url=None)
    with pytest.raises(DumpError):
        import_dump(target, tmp_path / "dump")
    assert not target.db_path.exists(), "nothing was created"


def test_export_refuses_a_non_empty_folder(source_home: Path, tmp_path: Path) -> None:
    (tmp_path / "dump").mkdir()
    (tmp_path / "dump" / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(DumpError):
        export_home(get_settings(source_home, database_url=None), tmp_path / "dump")
    assert (tmp_path / "dump" / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_import_into_a_home_keeps_each_passages_own_vector(source_home: Path, tmp_path: Path) -> None:
    """Two passages with the same text but different vectors in the dump (a vector is the dump's, not
    recomputed) keep their own: the home's embedding cache, keyed by text, holds one per text."""
    import numpy as np

    from netnav.engine import Engine
    from netnav.store.index import SearchIndex
    from netnav.transfer.dumpfile import sha256_of

    text = "Somatostatin receptor imaging before PRRT, shared wording."
    store = Store(source_home / "netnav.sqlite3")
    for n in (1, 2):
        doc = Document(id=f"d-same-{n}", kind="research", title="Same words", format="txt")
        store.add_document(
            doc, [Passage(id=f"p-same-{n}", doc_id=doc.id, ordinal=0, text=text, start=0, end=9)]
        )
    store.close()
    dump = tmp_path / "dump"
    export_home(get_settings(source_home, database_url=None), dump)
    keys = [
        json.loads(line)[0] for line in (dump / "vector_keys.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    matrix = np.load(dump / "vectors.npy")
    other = np.roll(matrix[keys.index("p-same-2")], 7)
    matrix[keys.index("p-same-2")] = other
    np.save(dump / "vectors.npy", matrix, allow_pickle=False)
    manifest = json.loads((dump / "manifest.json").read_text(encoding="utf-8"))
    manifest["sha256"]["vectors.npy"] = sha256_of(dump / "vectors.npy")
    (dump / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    target = get_settings(tmp_path / "back", database_url=None)
    report = import_dump(target, dump)
    assert report["verified"]["vector_max_abs_diff"] == 0.0
    engine = Engine(settings=target)
    try:
        index = engine.ensure_index()
        assert isinstance(index, SearchIndex)
        position = {pid: n for n, pid in enumerate(index.ids)}
        vectors = np.asarray(index.vectors, dtype=np.float32)
        assert np.array_equal(vectors[position["p-same-2"]], other)
        assert np.array_equal(vectors[position["p-same-1"]], matrix[keys.index("p-same-1")])
    finally:
        engine.close()
