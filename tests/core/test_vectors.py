"""Exact and approximate dense search behind one interface."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from netnav.store.vectors import Vectors


def _unit(rng: np.random.Generator, n: int, dim: int = 32) -> np.ndarray[Any, np.dtype[np.float32]]:
    centres = rng.standard_normal((20, dim))
    x = centres[rng.integers(0, 20, n)] + 0.3 * rng.standard_normal((n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_exact_below_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETNAV_ANN_THRESHOLD", "1000")
    vecs = Vectors.build(_unit(np.random.default_rng(0), 999))
    assert vecs.ann is None and vecs.matrix.dtype == np.float32


def test_approximate_above_the_threshold_agrees_with_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETNAV_ANN_THRESHOLD", "1000")
    rng = np.random.default_rng(1)
    data = _unit(rng, 3000)
    approx = Vectors.build(data)
    assert approx.ann is not None and approx.matrix.dtype == np.float16
    approx.save(tmp_path)
    loaded = Vectors.load(tmp_path)
    assert loaded.ann is not None
    exact = Vectors(data)
    recall = []
    for q in _unit(rng, 50):
        truth = {h.row for h in exact.search(q, 10)}
        got = loaded.search(q, 10)
        recall.append(len(truth & {h.row for h in got}) / 10)
        assert [h.score for h in got] == sorted((h.score for h in got), reverse=True)
        np.testing.assert_allclose([h.score for h in got], loaded.cosines([h.row for h in got], q), atol=0.02)
    assert np.mean(recall) >= 0.9  # 32-dim toy data; bench_ann.py measures the real case


def test_mask_is_exact_over_the_masked_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETNAV_ANN_THRESHOLD", "100")
    rng = np.random.default_rng(2)
    data = _unit(rng, 500)
    mask = np.zeros(500, dtype=bool)
    mask[::7] = True
    q = data[3]
    got = Vectors.build(data).search(q, 5, mask)
    want = Vectors(data).search(q, 5, mask)
    assert [h.row for h in got] == [h.row for h in want]
    assert all(mask[h.row] for h in got)
    assert Vectors.build(data).search(q, 5, np.zeros(500, dtype=bool)) == []
