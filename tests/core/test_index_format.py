"""The saved search index: per-row columns as codes, older layouts still load, search unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from netnav.store.index import CODES_FILE, SearchIndex
from netnav.store.manifest import write_manifest
from netnav.types.documents import DocStatus, Document, EvidenceKind, Passage

_KINDS: list[EvidenceKind] = ["guideline", "label", "research"]
_STATUSES: list[DocStatus] = ["current", "superseded", "retracted"]


def _rows(n_docs: int = 12, per_doc: int = 5) -> list[tuple[Passage, Document]]:
    rows = []
    for d in range(n_docs):
        doc = Document(
            id=f"doc{d:03d}",
            kind=_KINDS[d % 3],
            title=f"Document {d}",
            format="md",
            status=_STATUSES[(d // 3) % 3],
        )
        for i in range(per_doc):
            text = f"passage {i} of document {d} about somatostatin analogues and grade {d % 3 + 1} tumours"
            rows.append(
                (
                    Passage(id=f"p{d:03d}-{i}", doc_id=doc.id, ordinal=i, text=text, start=0, end=len(text)),
                    doc,
                )
            )
    return rows


def _embed(texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
    rng = np.random.default_rng(len(texts))
    v = rng.standard_normal((len(texts), 384)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_saved_index_keeps_every_row_column(tmp_path: Path) -> None:
    rows = _rows()
    built = SearchIndex.build(rows, _embed, "60-g1", "model@test")
    built.save(tmp_path / "index")
    meta = json.loads((tmp_path / "index" / "meta.json").read_text(encoding="utf-8"))
    assert meta["kinds_values"] == _KINDS and "kinds" not in meta  # one string per distinct value
    assert len(meta["doc_ids_values"]) == 12
    loaded = SearchIndex.load(tmp_path / "index")
    assert loaded.ids == built.ids and loaded.doc_ids == built.doc_ids
    assert loaded.kinds.tolist() == [d.kind for _, d in rows]
    assert loaded.statuses.tolist() == [d.status for _, d in rows]
    q = built.vectors[4]
    mask = loaded.visible_mask(["label"], {"doc001"})
    assert mask is not None and not mask[5:10].any()
    for m in (None, mask):
        got, want = loaded.search_dense(q, 7, m), built.search_dense(q, 7, m)
        assert [h.row for h in got] == [h.row for h in want]
        np.testing.assert_allclose([h.score for h in got], [h.score for h in want], atol=1e-6)
    assert loaded.search_lexical(["somatostatin"], 5) == built.search_lexical(["somatostatin"], 5)


def test_index_with_per_row_lists_still_loads(tmp_path: Path) -> None:
    """Indexes written before the code columns (meta.json lists every row's kind, status, document)."""
    rows = _rows(4, 3)
    folder = tmp_path / "index"
    SearchIndex.build(rows, _embed, "12-g1", "model@test").save(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    old = {
        "ids": meta["ids"],
        "kinds": [d.kind for _, d in rows],
        "statuses": [d.status for _, d in rows],
        "doc_ids": [d.id for _, d in rows],
        "fingerprint": meta["fingerprint"],
        "model_id": meta["model_id"],
        "analyzer": meta["analyzer"],
    }
    (folder / "meta.json").write_text(json.dumps(old), encoding="utf-8")
    (folder / CODES_FILE).unlink()
    write_manifest(folder, "12-g1", "model@test", 12, 384)
    loaded = SearchIndex.load(folder)
    assert loaded.doc_ids == old["doc_ids"] and loaded.kinds.tolist() == old["kinds"]


@pytest.mark.parametrize("codes", [np.full((12, 3), 99, dtype=np.int32), np.zeros((11, 3), dtype=np.int32)])
def test_damaged_codes_are_a_store_error(tmp_path: Path, codes: np.ndarray[Any, Any]) -> None:
    from netnav.errors import StoreError

    folder = tmp_path / "index"
    SearchIndex.build(_rows(4, 3), _embed, "12-g1", "model@test").save(folder)
    np.save(folder / CODES_FILE, codes)
    write_manifest(folder, "12-g1", "model@test", 12, 384)
    with pytest.raises(StoreError):
        SearchIndex.load(folder)


def test_index_built_with_another_analyzer_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index whose terms came from another text analyzer (e.g. before British spellings were made
    American) is not searched with today's query terms: loading it raises, and the engine rebuilds."""
    from netnav.store import index as index_module
    from netnav.store.manifest import IndexIntegrityError

    folder = tmp_path / "index"
    SearchIndex.build(_rows(4, 3), _embed, "12-g1", "model@test").save(folder)
    assert SearchIndex.load(folder).search_lexical(["tumor"], 3)  # "tumours" was indexed as "tumor"
    monkeypatch.setattr(index_module, "analyzer_id", lambda: "another-analyzer")
    with pytest.raises(IndexIntegrityError, match="another text analyzer"):
        SearchIndex.load(folder)


def test_visibility_masks_match_a_plain_comparison_and_are_reused(tmp_path: Path) -> None:
    """Kind and hidden-document masks are cached per index (no pass over every row per ask) and equal
    the straightforward comparison, for any mix of kinds and hidden documents, known or not."""
    built = SearchIndex.build(_rows(), _embed, "60-g1", "model@test")
    built.save(tmp_path / "index")
    index = SearchIndex.load(tmp_path / "index")
    kinds_all, docs_all = np.asarray(index.kinds), np.asarray(index.doc_ids)
    cases: list[tuple[list[str] | None, set[str]]] = [
        (["label"], set()),
        (["guideline", "label"], {"doc001", "doc007"}),
        (None, {"doc003"}),
        (None, {"not-in-the-index"}),
        (["research"], {"doc002", "not-in-the-index"}),
        (None, set()),
    ]
    for kinds, hidden in cases:
        want = np.ones(len(index), dtype=bool)
        if kinds:
            want &= np.isin(kinds_all, kinds)
        want &= ~np.isin(docs_all, list(hidden))
        got = index.visible_mask(kinds, hidden)
        if got is None:
            assert want.all()
        else:
            assert got.tolist() == want.tolist()
    assert index.kind_mask(["label", "guideline"]) is index.kind_mask(["guideline", "label"])
