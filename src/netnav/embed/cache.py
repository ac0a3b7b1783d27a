"""Persistent embedding cache: (model_id, sha256(text)) -> float32 vector, in one SQLite file.

The database runs in WAL mode, so any number of readers (threads or processes) can read while a
writer commits; each :meth:`EmbeddingCache.put_many` is a single transaction (all rows or none).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Self

import numpy as np
import numpy.typing as npt

from netnav.errors import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model_id  TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    dim       INTEGER NOT NULL,
    vector    BLOB NOT NULL,
    PRIMARY KEY (model_id, text_hash)
) WITHOUT ROWID
"""
log = logging.getLogger("netnav.embed")
_SQL_CHUNK = 500  # keys per SELECT ... IN (...), well under SQLite's variable limit


def text_hash(text: str) -> str:
    """SHA-256 hex digest of the UTF-8 text (what the cache is keyed on, together with model_id)."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


@dataclass
class CacheStats:
    """Counters since this cache object was opened (or since :meth:`reset`)."""

    hits: int = 0
    misses: int = 0
    writes: int = 0

    @property
    def hit_rate(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0

    def reset(self) -> None:
        self.hits = self.misses = self.writes = 0


class EmbeddingCache:
    """Vectors for one ``model_id`` stored in the SQLite file at ``path`` (created if absent)."""

    def __init__(self, path: str | Path, model_id: str, *, timeout_s: float = 30.0) -> None:
        if not model_id:
            raise ValueError("model_id must not be empty")
        self.path = Path(path)
        self.model_id = model_id
        self.cache_stats = CacheStats()
        self._lock = threading.Lock()
        self._timeout_s = timeout_s
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = self._connect()
        except sqlite3.OperationalError as exc:  # locked, read-only, cannot create: not damage
            raise StoreError(f"cannot open embedding cache {self.path}: {exc}") from exc
        except sqlite3.DatabaseError:  # not a database / malformed: quarantine and start afresh
            self._conn = self._heal()
        except OSError as exc:
            raise StoreError(f"cannot open embedding cache {self.path}: {exc.strerror}") from exc

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            str(self.path), timeout=self._timeout_s, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            columns = {row[1] for row in conn.execute("PRAGMA table_info(embeddings)")}
            if "seal" not in columns:  # caches written before seals: their rows are read unchecked
                conn.execute("ALTER TABLE embeddings ADD COLUMN seal BLOB")
            conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()
        except BaseException:
            conn.close()
            raise
        return conn

    def _heal(self) -> sqlite3.Connection:
        """Move a damaged cache file aside (<name>.corrupt-<time>, kept for inspection) and open a new one;
        its vectors are recomputed on demand. One warning names the file."""
        stamp = time.strftime("%Y%m%dT%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(self.path) + suffix)
            if part.exists():
                os.replace(part, part.with_name(f"{part.name}.corrupt-{stamp}"))
        log.warning("embedding cache %s was damaged; moved aside, vectors will be recomputed", self.path)
        try:
            return self._connect()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot recreate embedding cache {self.path}: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        with self._lock:
            row = self._conn.execute(
                "SELECT COUNT(*) FROM embeddings WHERE model_id = ?", (self.model_id,)
            ).fetchone()
        return int(row[0])

    def get_many(self, texts: Sequence[str]) -> dict[int, npt.NDArray[np.float32]]:
        """Cached vectors keyed by position in ``texts``; misses are absent. Updates ``cache_stats``."""
        hashes = [text_hash(t) for t in texts]
        found: dict[str, npt.NDArray[np.float32]] = {}
        damaged = 0
        unique = list(dict.fromkeys(hashes))
        try:
            with self._lock:
                for start in range(0, len(unique), _SQL_CHUNK):
                    chunk = unique[start : start + _SQL_CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = self._conn.execute(
                        f"SELECT text_hash, dim, vector, seal FROM embeddings "
                        f"WHERE model_id = ? AND text_hash IN ({marks})",
                        (self.model_id, *chunk),
                    ).fetchall()
                    for h, dim, blob, sealed in rows:
                        vec = _vector(blob, dim, sealed, self.model_id, str(h))
                        if vec is not None:
                            found[str(h)] = vec
                        else:  # a damaged row counts as a miss (and is overwritten)
                            damaged += 1
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot read embedding cache {self.path}: {exc}") from exc
        except sqlite3.DatabaseError:
            with self._lock:
                self._conn.close()
                self._conn = self._heal()
            found = {}
        if damaged:
            log.warning(
                "embedding cache %s: %d damaged vector(s) ignored, recomputing them", self.path, damaged
            )
        result = {i: found[h] for i, h in enumerate(hashes) if h in found}
        self.cache_stats.hits += len(result)
        self.cache_stats.misses += len(hashes) - len(result)
        return result

    def put_many(self, texts: Sequence[str], vectors: npt.ArrayLike) -> None:
        """Store one vector per text, atomically (one transaction). Existing entries are replaced."""
        arr = np.asarray(vectors, dtype=np.float32)
        if arr.ndim != 2 or arr.shape[0] != len(texts):
            raise ValueError(f"expected {len(texts)} vectors as a 2-D array, got shape {arr.shape}")
        if not len(texts):
            return
        dim = int(arr.shape[1])
        rows: Iterable[tuple[str, str, int, bytes, bytes]] = (
            _row(self.model_id, text_hash(t), dim, np.ascontiguousarray(v, dtype="<f4").tobytes())
            for t, v in zip(texts, arr, strict=True)
        )
        try:
            with self._lock:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    self._conn.executemany(
                        "INSERT OR REPLACE INTO embeddings (model_id, text_hash, dim, vector, seal) "
                        "VALUES (?, ?, ?, ?, ?)",
                        rows,
                    )
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write embedding cache {self.path}: {exc}") from exc
        self.cache_stats.writes += len(texts)


def seal(model_id: str, key: str, blob: bytes) -> bytes:
    """8 bytes binding a vector to its (model, text hash): a vector moved to another row fails it."""
    return hashlib.blake2b(b"%s\0%s\0%s" % (model_id.encode(), key.encode(), blob), digest_size=8).digest()


def _row(model_id: str, key: str, dim: int, blob: bytes) -> tuple[str, str, int, bytes, bytes]:
    return model_id, key, dim, blob, seal(model_id, key, blob)


def _vector(
    blob: object, dim: object, sealed: object, model_id: str, key: str
) -> npt.NDArray[np.float32] | None:
    """The stored vector, or None when the row is damaged (wrong size, not finite, seal mismatch)."""
    if not isinstance(blob, bytes) or len(blob) % 4:
        return None
    if sealed is not None and sealed != seal(model_id, key, blob):
        return None
    vec = np.frombuffer(blob, dtype="<f4")
    if vec.size != dim or not np.isfinite(vec).all():
        return None
    return vec.astype(np.float32)


class SupportsEmbed(Protocol):
    @property
    def model_id(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> npt.NDArray[np.float32]: ...


def embed_cached(
    embedder: SupportsEmbed, cache: EmbeddingCache, texts: Sequence[str], batch_size: int = 32
) -> npt.NDArray[np.float32]:
    """Embeddings for ``texts`` (like ``embedder.embed``), computing and storing only cache misses."""
    if isinstance(texts, str):
        raise TypeError("embed_cached() takes a sequence of strings, not a single string")
    if cache.model_id != embedder.model_id:
        raise ValueError(f"cache is for model {cache.model_id!r} but the embedder is {embedder.model_id!r}")
    items = list(texts)
    out = np.zeros((len(items), embedder.dim), dtype=np.float32)
    if not items:
        return out
    hits = cache.get_many(items)
    for i, vec in hits.items():
        if vec.shape != (embedder.dim,):
            continue
        out[i] = vec
    missing = [i for i in range(len(items)) if i not in hits or hits[i].shape != (embedder.dim,)]
    if missing:
        # Identical texts among the misses are embedded once.
        first: dict[str, int] = {}
        for i in missing:
            first.setdefault(items[i], len(first))
        unique_texts = list(first)
        vecs = embedder.embed(unique_texts, batch_size=batch_size)
        for i in missing:
            out[i] = vecs[first[items[i]]]
        cache.put_many(unique_texts, vecs)
    return out
