"""Exact top-k over long score arrays (netnav.store.topk), and BM25 above the size threshold using it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from netnav.store.topk import top_rows


def _reference(scores: np.ndarray[Any, Any], k: int) -> list[int]:
    rows = np.arange(len(scores))
    return rows[np.lexsort((rows, -scores.astype(np.float64)))][:k].tolist()


@pytest.mark.parametrize("n", [0, 1, 5, 1023, 1024, 5000, 20_000, 70_001])
@pytest.mark.parametrize("k", [1, 10, 40, 100])
def test_top_rows_equals_a_full_sort(n: int, k: int) -> None:
    rng = np.random.default_rng(n * 7 + k)
    dense = rng.gamma(2.0, 2.0, n).astype(np.float32)
    sparse = np.where(rng.random(n) < 0.9, 0.0, dense).astype(np.float32)  # mostly zero, like BM25
    ties = np.round(dense, 0).astype(np.float32)  # many equal scores across blocks
    one_block = np.zeros(n, dtype=np.float32)
    if n:
        one_block[n // 2 : n // 2 + 50] = 3.0  # every best row in one or two blocks
    for scores in (dense, sparse, ties, one_block):
        assert top_rows(scores, k).tolist() == _reference(scores, k)
        assert top_rows(scores, k, block=64).tolist() == _reference(scores, k)


def test_bm25_above_the_threshold_ranks_like_bm25s(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Same scores as bm25s' own retrieve; equal scores in row order (bm25s leaves their order open)."""
    import bm25s

    from netnav.store.index import SearchIndex, tokenize
    from tests.core.test_index_format import _embed, _rows

    rows = _rows(40, 5)
    index = SearchIndex.build(rows, _embed, "200-g1", "model@test")
    queries = [["somatostatin"], ["octreotid", "tumor"], tokenize(["liver metastases grade"])[0]]
    mask = np.zeros(len(index), dtype=bool)
    mask[::3] = True
    for tokens in queries:
        for m in (None, mask):
            below = index.search_lexical(tokens, 12, m)
            monkeypatch.setenv("NETNAV_ANN_THRESHOLD", "10")
            above = index.search_lexical(tokens, 12, m)
            monkeypatch.delenv("NETNAV_ANN_THRESHOLD")
            known = [t for t in tokens if t in index._vocab]
            if not known:
                assert below == above == []
                continue
            weight = None if m is None else m.astype(np.float32)
            scores = index.bm25.get_scores(known, weight_mask=weight)
            want = [r for r in _reference(scores, 12) if scores[r] > 0]
            assert [h.row for h in above] == want
            assert sorted(h.score for h in below) == pytest.approx(sorted(h.score for h in above))
            assert isinstance(index.bm25, bm25s.BM25)
