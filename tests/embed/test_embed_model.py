"""Behaviour of Embedder.embed: shapes, normalisation, batching, truncation, odd inputs."""

from __future__ import annotations

import numpy as np
import pytest

from netnav.embed import DIM, MODEL_SHA256, Embedder
from netnav.embed.embedder import _MAX_BATCH_TOKENS, _length_batches, embed_workers

TEXTS = [
    "What is a well-differentiated neuroendocrine tumour?",
    "Ki-67",
    "Lutathera (177Lu-DOTATATE) is a peptide receptor radionuclide therapy for SSTR-positive GEP-NETs.",
    "",
    "MSI-H / dMMR tumours may respond to pembrolizumab.",
    "carcinoid syndrome " * 30,
]


def test_shape_dtype_and_unit_norm(embedder: Embedder) -> None:
    vecs = embedder.embed(TEXTS)
    assert vecs.shape == (len(TEXTS), DIM) == (6, 384)
    assert vecs.dtype == np.float32
    assert np.isfinite(vecs).all()
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_properties(embedder: Embedder) -> None:
    assert embedder.dim == 384
    assert MODEL_SHA256[:16] in embedder.model_id
    assert "all-MiniLM-L6-v2" in embedder.model_id
    assert embedder.max_seq_length == 256


def test_batch_equals_single(embedder: Embedder) -> None:
    batched = embedder.embed(TEXTS, batch_size=4)
    single = np.stack([embedder.embed([t])[0] for t in TEXTS])
    np.testing.assert_allclose(batched, single, atol=2e-6, rtol=0)
    assert (batched @ single.T).diagonal().min() > 0.999999


@pytest.mark.slow  # embeds many texts with the real model
@pytest.mark.parametrize("batch_size", [1, 3, 64])
def test_order_preserved_whatever_the_batch_size(embedder: Embedder, batch_size: int) -> None:
    reference = embedder.embed(TEXTS, batch_size=32)
    shuffled = [TEXTS[i] for i in (5, 0, 3, 1, 4, 2)]
    out = embedder.embed(shuffled, batch_size=batch_size)
    np.testing.assert_allclose(out, reference[[5, 0, 3, 1, 4, 2]], atol=2e-6, rtol=0)


def test_progress_callback_counts_every_text(embedder: Embedder) -> None:
    done: list[int] = []
    embedder.embed(TEXTS, batch_size=4, progress=done.append)
    assert sum(done) == len(TEXTS) and len(done) == 2


def test_duplicates_get_identical_vectors(embedder: Embedder) -> None:
    out = embedder.embed(["same text", "other", "same text"])
    np.testing.assert_array_equal(out[0], out[2])


def test_empty_list_and_tuple() -> None:
    emb = Embedder(model_dir="/nonexistent/never-loaded")  # nothing to load for no input
    empty = emb.embed([])
    assert empty.shape == (0, 384) and empty.dtype == np.float32
    assert emb.embed(()).shape == (0, 384)


def test_very_long_text_is_truncated(embedder: Embedder) -> None:
    long_text = "somatostatin receptor positive neuroendocrine tumour " * 2000  # ~10k words
    assert embedder.token_counts([long_text]) == [256]
    vec = embedder.embed([long_text])
    assert vec.shape == (1, 384) and np.isfinite(vec).all()
    # Only the first 256 tokens count: the text cut at ~250 words embeds almost identically.
    head = " ".join(long_text.split()[:400])
    np.testing.assert_allclose(vec, embedder.embed([head]), atol=1e-5)


def test_non_ascii_text(embedder: Embedder) -> None:
    texts = ["Tumeur neuroendocrine différenciée", "膵神経内分泌腫瘍", "Ki‑67 ≥ 20 % — G3 🧬", "\u200b\u00a0"]
    vecs = embedder.embed(texts)
    assert vecs.shape == (4, 384) and np.isfinite(vecs).all()
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_lone_surrogates_do_not_crash(embedder: Embedder) -> None:
    vec = embedder.embed(["Ki-67 \udcff index"])  # as produced by errors="surrogateescape" decoding
    assert vec.shape == (1, 384) and np.isfinite(vec).all()


def test_rejects_bad_arguments(embedder: Embedder) -> None:
    with pytest.raises(TypeError):
        embedder.embed("a single string")
    with pytest.raises(TypeError):
        embedder.embed(["ok", 3])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        embedder.embed(["ok"], batch_size=0)


def test_construction_is_lazy() -> None:
    emb = Embedder(model_dir="/nonexistent/model")
    assert emb.dim == 384  # no file access needed


@pytest.mark.parametrize("workers", ["1", "2", "3"])
def test_parallel_batches_give_the_same_vectors_in_order(
    embedder: Embedder, workers: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [f"{t} (variant {i})" for i in range(4) for t in TEXTS]
    monkeypatch.setenv("NETNAV_EMBED_WORKERS", "1")
    serial = embedder.embed(texts, batch_size=2)
    monkeypatch.setenv("NETNAV_EMBED_WORKERS", workers)
    done: list[int] = []
    parallel = embedder.embed(texts, batch_size=2, progress=done.append)
    np.testing.assert_array_equal(parallel, serial)
    assert sum(done) == len(texts)


def test_embed_workers_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETNAV_EMBED_WORKERS", "3")
    assert embed_workers() == 3
    for bad in ("0", "-2", "many", ""):
        monkeypatch.setenv("NETNAV_EMBED_WORKERS", bad)
        assert 1 <= embed_workers() <= 4


def test_length_batches_cover_every_row_once_within_the_caps() -> None:
    rng = np.random.default_rng(3)
    lengths = rng.integers(2, 257, size=500).astype(np.int64)
    batches = _length_batches(lengths, batch_size=32, heads=12)
    rows = np.concatenate(batches)
    assert sorted(rows.tolist()) == list(range(500))
    for idx in batches:
        longest = int(lengths[idx].max())
        assert len(idx) <= 32
        assert len(idx) == 1 or len(idx) * longest <= _MAX_BATCH_TOKENS
    longest_first = [int(lengths[idx].max()) for idx in batches]
    assert longest_first == sorted(longest_first, reverse=True)
