"""EmbeddingCache (SQLite) and embed_cached: hits, misses, persistence, atomicity, concurrency."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from netnav.embed import Embedder, EmbeddingCache, embed_cached, text_hash


class CountingEmbedder:
    """Deterministic fake embedder that records which texts it was asked to embed."""

    def __init__(self, model_id: str = "fake-model@sha256:0000", dim: int = 8) -> None:
        self._model_id = model_id
        self._dim = dim
        self.seen: list[str] = []

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> npt.NDArray[np.float32]:
        self.seen.extend(texts)
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for i, t in enumerate(texts):
            rng = np.random.default_rng(int(text_hash(t)[:8], 16))
            v = rng.standard_normal(self._dim)
            out[i] = v / np.linalg.norm(v)
        return out


def test_put_get_roundtrip_and_stats(tmp_path: Path) -> None:
    with EmbeddingCache(tmp_path / "c.sqlite", "m1") as cache:
        vecs = np.arange(6, dtype=np.float32).reshape(2, 3)
        cache.put_many(["a", "b"], vecs)
        got = cache.get_many(["b", "zzz", "a", "b"])
        assert sorted(got) == [0, 2, 3]
        np.testing.assert_array_equal(got[0], vecs[1])
        np.testing.assert_array_equal(got[2], vecs[0])
        assert got[0].dtype == np.float32
        assert (cache.cache_stats.hits, cache.cache_stats.misses) == (3, 1)
        assert len(cache) == 2


def test_persists_across_instances_and_is_keyed_by_model(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with EmbeddingCache(path, "m1") as cache:
        cache.put_many(["x"], np.ones((1, 4), dtype=np.float32))
    with EmbeddingCache(path, "m1") as again:
        np.testing.assert_array_equal(again.get_many(["x"])[0], np.ones(4, dtype=np.float32))
    with EmbeddingCache(path, "m2") as other_model:
        assert other_model.get_many(["x"]) == {}
        assert other_model.cache_stats.misses == 1


def test_put_many_is_atomic(tmp_path: Path) -> None:
    with EmbeddingCache(tmp_path / "c.sqlite", "m") as cache:
        bad_texts = ["ok-1", "ok-2", None]  # hashing the third row fails mid-transaction
        with pytest.raises(AttributeError):
            cache.put_many(bad_texts, np.zeros((3, 2), dtype=np.float32))  # type: ignore[arg-type]
        assert len(cache) == 0
        with pytest.raises(ValueError):
            cache.put_many(["a", "b"], np.zeros((3, 2), dtype=np.float32))
        assert len(cache) == 0
        cache.put_many(["a"], np.zeros((1, 2), dtype=np.float32))  # still usable afterwards
        assert len(cache) == 1


def test_table_stores_float32_blobs(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with EmbeddingCache(path, "m") as cache:
        cache.put_many(["t"], np.array([[1.5, -2.0]], dtype=np.float32))
    row = sqlite3.connect(path).execute("SELECT model_id, text_hash, dim, vector FROM embeddings").fetchone()
    assert row[0] == "m" and row[1] == text_hash("t") and row[2] == 2
    assert np.frombuffer(row[3], dtype="<f4").tolist() == [1.5, -2.0]


def test_embed_cached_computes_only_misses(tmp_path: Path) -> None:
    fake = CountingEmbedder()
    path = tmp_path / "c.sqlite"
    with EmbeddingCache(path, fake.model_id) as cache:
        first = embed_cached(fake, cache, ["a", "b", "a"])
        assert fake.seen == ["a", "b"]  # the duplicate is embedded once
        second = embed_cached(fake, cache, ["b", "c", "a"])
        assert fake.seen == ["a", "b", "c"]
        np.testing.assert_array_equal(second[0], first[1])
        np.testing.assert_array_equal(second[2], first[0])
        assert cache.cache_stats.hits == 2 and cache.cache_stats.misses == 4
    fake2 = CountingEmbedder()
    with EmbeddingCache(path, fake2.model_id) as cache2:
        embed_cached(fake2, cache2, ["a", "b", "c"])
        assert fake2.seen == []  # all from disk, in a new instance


def test_embed_cached_empty_and_model_mismatch(tmp_path: Path) -> None:
    fake = CountingEmbedder()
    with (
        EmbeddingCache(tmp_path / "c.sqlite", "another-model") as cache,
        pytest.raises(ValueError, match="another-model"),
    ):
        embed_cached(fake, cache, ["a"])
    with EmbeddingCache(tmp_path / "c.sqlite", fake.model_id) as cache:
        assert embed_cached(fake, cache, []).shape == (0, 8)


def test_embed_cached_with_real_model(tmp_path: Path, embedder: Embedder) -> None:
    texts = ["Neuroendocrine carcinoma", "Octreotide LAR", "Neuroendocrine carcinoma"]
    with EmbeddingCache(tmp_path / "c.sqlite", embedder.model_id) as cache:
        cold = embed_cached(embedder, cache, texts)
        warm = embed_cached(embedder, cache, texts)
    np.testing.assert_array_equal(cold, warm)
    np.testing.assert_allclose(cold, embedder.embed(texts), atol=2e-6)


def test_concurrent_readers_and_writer(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with EmbeddingCache(path, "m") as seed:
        seed.put_many([f"t{i}" for i in range(50)], np.ones((50, 4), dtype=np.float32))
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            with EmbeddingCache(path, "m") as cache:
                for _ in range(30):
                    got = cache.get_many([f"t{i}" for i in range(50)])
                    assert len(got) == 50
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    def writer() -> None:
        try:
            with EmbeddingCache(path, "m") as cache:
                for k in range(30):
                    cache.put_many([f"w{k}-{j}" for j in range(20)], np.zeros((20, 4), dtype=np.float32))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)] + [threading.Thread(target=writer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with EmbeddingCache(path, "m") as check:
        assert len(check) == 50 + 30 * 20
