"""Exact and approximate dense search behind one interface."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from netnav.store.rowfile import RowFile
from netnav.store.vectors import SCAN_ERROR, SCAN_FILE, Vectors, scan_error_bound, scan_kernel_ok


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
    assert approx.ann is not None and approx.matrix.dtype == np.float32
    approx.save(tmp_path)
    loaded = Vectors.load(tmp_path)
    assert loaded.ann is not None and loaded.scan is not None
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


def _clustered(
    rng: np.random.Generator, n: int, dim: int, spread: float
) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Unit rows around 30 centres; a small ``spread`` gives many near-equal scores (hard for the scan)."""
    centres = rng.standard_normal((30, dim))
    x = centres[rng.integers(0, 30, n)] + spread * rng.standard_normal((n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _same(got: list[Any], want: list[Any]) -> None:
    assert [h.row for h in got] == [h.row for h in want]
    np.testing.assert_allclose([h.score for h in got], [h.score for h in want], rtol=0, atol=1e-6)


@pytest.mark.parametrize("spread", [0.02, 0.3, 1.0])
def test_saved_vectors_search_exactly_like_float32(tmp_path: Path, spread: float) -> None:
    """The float16 scan + float32 re-scoring of a loaded index gives the float32 top k: same rows in
    the same order, scores within 1e-6, with and without kind filters of every width."""
    rng = np.random.default_rng(int(spread * 100))
    data = _clustered(rng, 6000, 384, spread)
    Vectors.build(data).save(tmp_path)
    loaded = Vectors.load(tmp_path)
    assert loaded.scan is not None and loaded.scan.dtype == np.float16
    exact = Vectors(data)
    masks = [None, rng.random(6000) < 0.9, rng.random(6000) < 0.2, rng.random(6000) < 0.01]
    for i in range(25):
        q = data[i * 7] + spread * rng.standard_normal(384).astype(np.float32)
        q /= np.linalg.norm(q)
        for k in (1, 10, 40):
            for mask in masks:
                _same(loaded.search(q, k, mask), exact.search(q, k, mask))


def test_search_returns_every_row_when_k_exceeds_them(tmp_path: Path) -> None:
    data = _unit(np.random.default_rng(5), 30, 384)
    Vectors.build(data).save(tmp_path)
    loaded = Vectors.load(tmp_path)
    q = data[0]
    _same(loaded.search(q, 100), Vectors(data).search(q, 100))
    mask = np.zeros(30, dtype=bool)
    mask[[3, 9]] = True
    assert [h.row for h in loaded.search(q, 5, mask)] == [h.row for h in Vectors(data).search(q, 5, mask)]
    assert loaded.search(q, 5, np.zeros(30, dtype=bool)) == []


def test_an_index_without_the_float16_copy_still_searches(tmp_path: Path) -> None:
    """Indexes written before the scan copy existed load and answer as before."""
    data = _unit(np.random.default_rng(6), 500, 384)
    Vectors.build(data).save(tmp_path)
    (tmp_path / SCAN_FILE).unlink()
    loaded = Vectors.load(tmp_path)
    assert loaded.scan is None
    _same(loaded.search(data[1], 10), Vectors(data).search(data[1], 10))


def test_rows_that_are_not_unit_vectors_are_scanned_in_float32(tmp_path: Path) -> None:
    data = _unit(np.random.default_rng(7), 300, 384) * 3.0
    Vectors.build(data).save(tmp_path)
    loaded = Vectors.load(tmp_path)
    assert loaded.scan is None
    _same(loaded.search(data[2], 10), Vectors(data).search(data[2], 10))


def test_the_float16_error_bound_covers_this_kernel() -> None:
    assert scan_error_bound(384) < SCAN_ERROR
    assert scan_kernel_ok(384)


def test_row_file_reads_rows_and_rejects_bad_files(tmp_path: Path) -> None:
    data = _unit(np.random.default_rng(8), 50, 16)
    np.save(tmp_path / "m.npy", data)
    rows = RowFile.open(tmp_path / "m.npy")
    picked = np.array([7, 0, 49, 7], dtype=np.int64)
    np.testing.assert_array_equal(rows.read(picked), data[picked])
    assert rows.read(np.zeros(0, dtype=np.int64)).shape == (0, 16)
    with pytest.raises(IndexError):
        rows.read(np.array([50], dtype=np.int64))
    raw = (tmp_path / "m.npy").read_bytes()
    (tmp_path / "short.npy").write_bytes(raw[: len(raw) - 10])
    with pytest.raises(ValueError):
        RowFile.open(tmp_path / "short.npy")
    np.save(tmp_path / "v.npy", data[0])
    with pytest.raises(ValueError):
        RowFile.open(tmp_path / "v.npy")


def test_searching_before_the_encoder_loads_does_not_crash_it(tmp_path: Path) -> None:
    """usearch imported before onnxruntime made the later onnxruntime import kill the process
    (segfault): a fresh process searches a saved index, then loads onnxruntime."""
    import subprocess
    import sys

    data = _unit(np.random.default_rng(9), 200, 384)
    Vectors.build(data).save(tmp_path)
    code = (
        "import sys, numpy as np\n"
        "from pathlib import Path\n"
        "from netnav.store.vectors import Vectors\n"
        "v = Vectors.load(Path(sys.argv[1]))\n"
        "assert v.scan is not None and v.search(np.asarray(v.matrix[0]), 3)[0].row == 0\n"
        "import onnxruntime\n"
        "print('ok')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-500:]


@pytest.mark.parametrize("threads", ["1", "2", "3"])
def test_exact_scan_finds_the_same_rows_with_any_thread_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: str
) -> None:
    """The float16 scan splits its rows between threads; the top k (rows, order, scores) must not
    depend on how many, also with near-ties (clustered rows) and a filter."""
    from netnav.store import vectors as vectors_module

    rng = np.random.default_rng(11)
    data = _unit(rng, 4000, dim=384)
    Vectors(data).save(tmp_path)
    queries = _unit(rng, 12, dim=384)
    mask = np.zeros(4000, dtype=bool)
    mask[::3] = True
    want = [Vectors(data).search(q, 40, m) for q in queries for m in (None, mask)]
    monkeypatch.setenv("NETNAV_SCAN_THREADS", threads)
    vectors_module.scan_threads.cache_clear()
    try:
        assert vectors_module.scan_threads() == int(threads)
        loaded = Vectors.load(tmp_path)
        assert loaded.scan is not None
        got = [loaded.search(q, 40, m) for q in queries for m in (None, mask)]
    finally:
        vectors_module.scan_threads.cache_clear()
    for g, w in zip(got, want, strict=True):
        assert [h.row for h in g] == [h.row for h in w]
        np.testing.assert_allclose([h.score for h in g], [h.score for h in w], atol=1e-6)


def test_the_scan_uses_one_thread_on_a_busy_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from netnav.store import vectors as vectors_module

    monkeypatch.delenv("NETNAV_SCAN_THREADS", raising=False)
    vectors_module.scan_threads.cache_clear()
    monkeypatch.setattr(vectors_module, "_cores", lambda: 2)
    try:
        monkeypatch.setattr(os, "getloadavg", lambda: (5.0, 5.0, 5.0))
        assert vectors_module.threads_now() == 1
        monkeypatch.setattr(os, "getloadavg", lambda: (0.3, 0.5, 0.5))
        assert vectors_module.threads_now() == 2
    finally:
        vectors_module.scan_threads.cache_clear()
