"""Documents, passages and their vectors: out of one backend into a dump, and from a dump into one.

Ids are content hashes, so importing a document that is already there changes nothing (a resumed or
repeated import is safe). A document keeps its owner (private uploads stay private), its built-in flag
and the time it was added. Vectors travel as the embedding model produced them: on import they go into
the data home's embedding cache keyed by the text embedded, so building the index (either backend) takes
them from there instead of embedding again.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from netnav.embed.cache import EmbeddingCache, text_hash
from netnav.engine import Engine
from netnav.store.index import embed_text
from netnav.transfer.dumpfile import read_lines, write_lines
from netnav.types.documents import Document, Passage

Progress = Callable[[str, int, int], None]
BATCH = 512  # passages per vector batch (memory stays flat at 100k passages)


def _doc_facts(engine: Engine) -> dict[str, tuple[bool, str | None, str]]:
    """doc id -> (builtin, owner, added_at), read with SQL both backends understand."""
    rows = engine.store.query("SELECT id, builtin, owner, added_at FROM documents")  # type: ignore[attr-defined]
    return {str(r[0]): (bool(r[1]), None if r[2] is None else str(r[2]), str(r[3])) for r in rows}


def _grouped(engine: Engine) -> Iterator[tuple[Document, list[Passage]]]:
    for _doc_id, group in itertools.groupby(engine.store.iter_passages(), key=lambda pd: pd[1].id):
        items = list(group)
        yield items[0][1], [p for p, _ in items]


def export_library(engine: Engine, folder: Path, progress: Progress) -> dict[str, int]:
    """Write documents.jsonl, vectors.npy and vector_keys.jsonl; returns counts."""
    facts = _doc_facts(engine)
    docs = passages = 0
    keys: list[tuple[str, str]] = []
    texts: list[str] = []

    def lines() -> Iterator[dict[str, Any]]:
        nonlocal docs, passages
        for doc, parts in _grouped(engine):
            builtin, owner, added_at = facts.get(doc.id, (False, None, ""))
            docs += 1
            passages += len(parts)
            for p in parts:
                text = embed_text(p, doc)
                keys.append((p.id, text_hash(text)))
                texts.append(text)
            progress("documents", docs, len(facts))
            yield {
                "document": doc.model_dump(mode="json"),
                "builtin": builtin,
                "owner": owner,
                "added_at": added_at,
                "passages": [p.model_dump(mode="json") for p in parts],
            }

    write_lines(folder / "documents.jsonl", lines())
    matrix = _vectors(engine, [k for k, _ in keys], texts, progress)
    np.save(folder / "vectors.npy", matrix, allow_pickle=False)
    write_lines(folder / "vector_keys.jsonl", [list(k) for k in keys])
    return {"documents": docs, "passages": passages, "vectors": int(matrix.shape[0])}


def _vectors(engine: Engine, ids: list[str], texts: list[str], progress: Progress) -> npt.NDArray[np.float32]:
    """One vector per passage, never recomputed when it exists: PostgreSQL's stored vectors; on the
    embedded backend the home's embedding cache (exact float32), else the index's own vectors (which may
    be float16 above the ANN threshold, or not come from the model at all in a benchmark corpus). Only a
    passage with neither is embedded."""
    out = np.zeros((len(ids), engine.embedder.dim), dtype=np.float32)
    found = (
        _stored_vectors(engine, ids) if engine.settings.database_url else _home_vectors(engine, ids, texts)
    )
    missing = [i for i, pid in enumerate(ids) if pid not in found]
    for i, pid in enumerate(ids):
        if pid in found:
            out[i] = found[pid]
    for start in range(0, len(missing), BATCH):
        chunk = missing[start : start + BATCH]
        out[chunk] = engine.embed_texts([texts[i] for i in chunk])
        progress("embedding", min(start + BATCH, len(missing)), len(missing))
    return out


def _home_vectors(engine: Engine, ids: list[str], texts: list[str]) -> dict[str, npt.NDArray[np.float32]]:
    found: dict[str, npt.NDArray[np.float32]] = {}
    cache = EmbeddingCache(engine.settings.home / "embeddings.sqlite3", engine.embedder.model_id)
    with cache:
        for start in range(0, len(texts), BATCH):
            for i, vec in cache.get_many(texts[start : start + BATCH]).items():
                found[ids[start + i]] = vec
    if len(found) < len(ids):
        index = engine.ensure_index()
        position = {pid: n for n, pid in enumerate(getattr(index, "ids", []))}
        matrix = getattr(index, "vectors", None)
        for pid in ids:
            if pid not in found and pid in position and matrix is not None:
                found[pid] = np.asarray(matrix[position[pid]], dtype=np.float32)
    return found


def _stored_vectors(engine: Engine, ids: list[str]) -> dict[str, npt.NDArray[np.float32]]:
    """PostgreSQL's vectors of these passages, read in batches in binary (pgvector's text form costs
    ~2 ms of parsing per vector: 20 of 37 s of a 10k export)."""
    from netnav.store.postgres.store import PostgresStore

    store = engine.store
    assert isinstance(store, PostgresStore)
    found: dict[str, npt.NDArray[np.float32]] = {}
    with store.pool.connection() as conn, conn.cursor(binary=True) as cur:
        for start in range(0, len(ids), BATCH):
            cur.execute(
                "SELECT p.id, v.embedding FROM passages p JOIN passage_vectors v ON v.row_id = p.row_id"
                " WHERE p.id = ANY(%s)",
                (ids[start : start + BATCH],),
            )
            found.update((str(r[0]), as_array(r[1])) for r in cur.fetchall())
    return found


def as_array(value: Any) -> npt.NDArray[np.float32]:
    """A stored vector (pgvector's Vector, a numpy array or a list) as float32."""
    raw = value.to_numpy() if hasattr(value, "to_numpy") else value
    return np.asarray(raw, dtype=np.float32)


def import_library(engine: Engine, folder: Path, model_id: str | None, progress: Progress) -> dict[str, int]:
    """Add every document of the dump (unchanged when present) and put its vectors into the home's
    embedding cache for `model_id` (vectors.npy rows follow the passages of documents.jsonl in order);
    returns {"added", "unchanged", "vectors"}."""
    matrix = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
    if engine.settings.database_url:
        return _import_into_database(engine, folder, model_id, matrix, progress)
    added = unchanged = 0
    store = engine.store
    sink = _VectorSink(engine, model_id, matrix)
    for n, row in enumerate(read_lines(folder / "documents.jsonl"), start=1):
        doc = Document.model_validate(row["document"])
        parts = [Passage.model_validate(p) for p in row["passages"]]
        for p in parts:  # keys were checked against the passages before the import began
            sink.add(embed_text(p, doc))
        outcome = store.add_document(doc, parts, builtin=bool(row["builtin"]), owner=row["owner"])
        if outcome.outcome == "added":
            added += 1
            _keep_added_at(engine, doc.id, str(row["added_at"]))
        else:
            unchanged += 1
        progress("documents", n, 0)
    sink.flush()
    engine.preset_vectors = _by_passage(folder, matrix)
    return {"added": added, "unchanged": unchanged, "vectors": sink.done}


def _by_passage(folder: Path, matrix: npt.NDArray[Any]) -> dict[str, npt.NDArray[Any]]:
    """passage id -> its row of the dump's vectors (views of the memory-mapped file), so the embedded
    index is built from exactly these vectors, one per passage, even where two passages share a text
    (the embedding cache, keyed by text, holds one vector per text)."""
    return {str(key[0]): matrix[i] for i, key in enumerate(read_lines(folder / "vector_keys.jsonl"))}


def _import_into_database(
    engine: Engine, folder: Path, model_id: str | None, matrix: npt.NDArray[Any], progress: Progress
) -> dict[str, int]:
    """PostgreSQL: every document, passage, posting and vector of the dump in one transaction with binary
    COPY (netnav.store.postgres.bulk); the vectors go straight into the database, not through the cache."""
    from netnav.store.postgres.bulk import NewDocument, add_documents
    from netnav.store.postgres.store import PostgresStore

    store = engine.store
    assert isinstance(store, PostgresStore)

    def items() -> Iterator[NewDocument]:
        row = 0
        for line in read_lines(folder / "documents.jsonl"):
            parts = [Passage.model_validate(p) for p in line["passages"]]
            vectors = np.asarray(matrix[row : row + len(parts)], dtype=np.float32)
            row += len(parts)
            yield NewDocument(
                Document.model_validate(line["document"]),
                parts,
                builtin=bool(line["builtin"]),
                owner=line["owner"],
                added_at=str(line["added_at"]) or None,
                vectors=vectors,
            )

    outcome = add_documents(store, items(), model_id, lambda done, _: progress("documents", done, 0))
    return {"added": outcome.added, "unchanged": outcome.unchanged, "vectors": outcome.vectors}


def _keep_added_at(engine: Engine, doc_id: str, added_at: str) -> None:
    if not added_at:
        return
    mark = "%s" if engine.settings.database_url else "?"
    with engine.store.transaction() as conn:  # type: ignore[attr-defined]
        conn.execute(f"UPDATE documents SET added_at={mark} WHERE id={mark}", (added_at, doc_id))


class _VectorSink:
    """Puts the dump's vectors into the home's embedding cache in batches, keyed by the text embedded."""

    def __init__(self, engine: Engine, model_id: str | None, matrix: npt.NDArray[Any]) -> None:
        self.cache = (
            EmbeddingCache(engine.settings.home / "embeddings.sqlite3", model_id) if model_id else None
        )
        self.matrix = matrix
        self.texts: list[str] = []
        self.done = 0

    def add(self, text: str) -> None:
        self.texts.append(text)
        if len(self.texts) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.cache is not None and self.texts:
            rows = np.asarray(self.matrix[self.done : self.done + len(self.texts)], dtype=np.float32)
            self.cache.put_many(self.texts, rows)
        self.done += len(self.texts)
        self.texts = []
