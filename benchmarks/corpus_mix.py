"""A large synthetic corpus (up to 1M passages and beyond) with the geometry of real passages.

What it is, exactly:

* **Real passages (about 10.7k)**: the NCI PDQ summaries (``<cache>/pdq``, built by bench_ask.py) and
  the PubMed abstracts of the external relevance benchmark (BioASQ + PubMedQA, ``<cache>/relevance``,
  built by bench_relevance.py), each with its real all-MiniLM-L6-v2 vector as saved in those homes'
  indexes. They go into the home unchanged (their own documents, kinds and vectors), with the
  built-in cards (real vectors too).
* **Mixed passages (the rest)**: passage *i* draws three real passages A, B, C and Dirichlet(1, 1, 1)
  weights w (seeded by *i*). Its **text** is w_A, w_B, w_C shares of each source's sentences (at least
  one sentence of the heaviest source; sentences kept in their order within each source, sources
  concatenated heaviest first), so BM25 sees real medical sentences recombined, with real term
  statistics; its **vector** is normalise(w_A·v(A) + w_B·v(B) + w_C·v(C) + Gaussian noise of norm
  ~0.2): it lies where real embeddings lie, between its sources, without the tight near-duplicate
  clusters that a "0.85·v(P) + small noise" variant scheme makes (100 copies of each source at 1M).
  Mixed passages sit in generated documents of :data:`PER_DOC` passages, kind and title taken from
  the heaviest source of their first passage ("<title> (mix n)").
* Running the real encoder over 1M texts would take days on two cores, so mixed vectors are not the
  model's vectors of the mixed texts: dense *relevance* on them is an approximation; dense search
  cost, graph build and recall against exact search are what they would be on real vectors of the
  same spread (bench_ann.py uses the same vector recipe).

The index is built in phases so each is timed: store (SQLite, one transaction per document), BM25 +
exact vectors (``SearchIndex.build`` with the approximate index held back), then the HNSW graph
(usearch, NETNav's parameters, :func:`netnav.store.vectors.build_ann`) added in chunks with progress,
and written into the saved index with a new manifest. ``<home>/bench-corpus.json`` records the
recipe and the phase times; the home is reused while the recipe and the card files are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

GENERATOR = "mix-1"
PER_DOC = 50
NOISE = 0.2
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(])")

Log = Callable[[str], None]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def real_sources(homes: list[Path]) -> tuple[list[tuple[Any, Any]], np.ndarray]:
    """(passage, document) pairs of every non-card passage of ``homes`` and their saved vectors."""
    from _homes import kept_vectors

    from netnav.store.db import Store

    pairs: list[tuple[Any, Any]] = []
    vecs: list[np.ndarray] = []
    seen: set[str] = set()
    for home in homes:
        kept = kept_vectors(home / "index")
        store = Store(home / "netnav.sqlite3")
        try:
            for p, d in store.iter_passages():
                if d.format == "card" or p.id in seen or p.id not in kept:
                    continue
                seen.add(p.id)
                pairs.append((p, d))
                vecs.append(np.asarray(kept[p.id], dtype=np.float32))
        finally:
            store.close()
    return pairs, np.stack(vecs)


def mixed(i: int, sents: list[list[str]], vecs: np.ndarray, dim: int) -> tuple[str, np.ndarray, int]:
    """Text, vector and heaviest source of mixed passage ``i`` (deterministic in ``i``)."""
    rng = np.random.default_rng(1_000_003 + i)
    src = rng.choice(len(sents), 3, replace=False)
    w = rng.dirichlet((1.0, 1.0, 1.0))
    order = np.argsort(-w)
    parts: list[str] = []
    for rank, j in enumerate(order):
        s = sents[src[j]]
        take = int(round(w[j] * len(s)))
        if rank == 0:
            take = max(1, take)
        parts += s[:take]
    v = (w[:, None] * vecs[src]).sum(axis=0) + rng.standard_normal(dim) * (NOISE / np.sqrt(dim))
    return " ".join(parts), (v / np.linalg.norm(v)).astype(np.float32), int(src[order[0]])


def _store_phase(engine: Any, target: int, log: Log) -> tuple[dict[str, np.ndarray], int, int]:
    """Cards, real passages and mixed passages into the store; (vector per passage id, rows, reals)."""
    from netnav.types.documents import Document, Passage

    cache = engine.settings.home.parent
    relevance = sorted((cache / "relevance").glob("home-*"))
    real, real_vecs = real_sources([cache / "pdq", *relevance])
    dim = real_vecs.shape[1]
    sents = [_sentences(p.text) or [p.text] for p, _ in real]
    log(f"[mix] {len(real):,} real passages from {1 + len(relevance)} homes")
    t0 = time.perf_counter()
    engine.sync_knowledge()
    vec_of: dict[str, np.ndarray] = {}
    by_doc: dict[str, tuple[Any, list[Any]]] = {}
    for (p, d), v in zip(real, real_vecs, strict=True):
        by_doc.setdefault(d.id, (d, []))[1].append(p)
        vec_of[p.id] = v
    for d, passages in by_doc.values():
        engine.store.add_document(d, passages)
    from _homes import kept_vectors

    for pid, v in kept_vectors(cache / "pdq" / "index").items():  # the cards' real vectors
        vec_of.setdefault(pid, np.asarray(v, dtype=np.float32))
    total = engine.store.count()[1]
    i, set_no = 0, 0
    while total < target:
        set_no += 1
        doc_id = hashlib.sha256(f"mix-{target}-{set_no}".encode()).hexdigest()[:32]
        batch: list[Passage] = []
        heads: list[int] = []
        offset = 0
        for ordinal in range(min(PER_DOC, target - total)):
            text, vec, head = mixed(i, sents, real_vecs, dim)
            heads.append(head)
            pid = hashlib.sha256(f"{doc_id}:{ordinal}".encode()).hexdigest()[:32]
            section = real[head][0].section
            batch.append(
                Passage(
                    id=pid,
                    doc_id=doc_id,
                    ordinal=ordinal,
                    text=text,
                    start=offset,
                    end=offset + len(text),
                    section=section,
                )
            )
            vec_of[pid] = vec
            offset += len(text) + 2
            i += 1
        src_doc = real[heads[0]][1]
        doc = Document(
            id=doc_id,
            kind=src_doc.kind,
            title=f"{src_doc.title} (mix {set_no})",
            source_path=f"generated:mix-{set_no}",
            format="md",
            publisher=src_doc.publisher,
            year=src_doc.year,
        )
        engine.store.add_document(doc, batch)
        total += len(batch)
        if set_no % 2000 == 0:
            log(f"[mix] stored {total:,} passages ({time.perf_counter() - t0:.0f} s)")
    return vec_of, total, len(real)


def _index_phase(
    engine: Any, vec_of: dict[str, np.ndarray], phases: dict[str, float], log: Log
) -> np.ndarray:
    """BM25 + exact vectors (no graph), saved; returns the matrix in index row order."""
    from netnav.store import SearchIndex
    from netnav.store.index import embed_text

    t0 = time.perf_counter()
    rows = list(engine.store.iter_passages())
    missing = [(p, d) for p, d in rows if p.id not in vec_of]
    if missing:  # cards added since the source homes were built: their real vectors
        fresh = engine.embed_texts([embed_text(p, d) for p, d in missing])
        vec_of.update({p.id: fresh[k] for k, (p, _) in enumerate(missing)})
    matrix = np.stack([vec_of[p.id] for p, _ in rows])
    phases["read_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    before = os.environ.get("NETNAV_ANN_THRESHOLD")
    os.environ["NETNAV_ANN_THRESHOLD"] = str(10**12)  # the graph is built afterwards, in timed chunks
    try:
        fingerprint = engine.store.fingerprint()
        index = SearchIndex.build(rows, lambda texts: matrix, fingerprint, engine.embedder.model_id)
    finally:
        os.environ.pop("NETNAV_ANN_THRESHOLD")
        if before is not None:
            os.environ["NETNAV_ANN_THRESHOLD"] = before
    phases["bm25_and_vectors_s"] = time.perf_counter() - t0
    del rows
    t0 = time.perf_counter()
    index.save(engine.settings.index_dir)
    phases["save_s"] = time.perf_counter() - t0
    log(f"[mix] BM25 + vectors {phases['bm25_and_vectors_s']:.0f} s, saved in {phases['save_s']:.0f} s")
    return matrix


def _graph_phase(folder: Path, matrix: np.ndarray, chunk: int, phases: dict[str, float], log: Log) -> None:
    """The HNSW graph NETNav builds above its threshold, added ``chunk`` rows at a time (progress is
    logged, so an unfinished build still tells its rate), then written into the index folder."""
    from netnav.store.index import _folder_lock
    from netnav.store.manifest import record_verified, write_manifest
    from netnav.store.vectors import ANN_FILE, empty_ann

    t0 = time.perf_counter()
    graph = empty_ann(int(matrix.shape[1]))
    for start in range(0, len(matrix), chunk):
        part = np.ascontiguousarray(matrix[start : start + chunk], dtype=np.float32)
        graph.add(np.arange(start, start + len(part), dtype=np.uint64), part, threads=0)
        log(f"[mix] graph: {start + len(part):,} rows in {time.perf_counter() - t0:.0f} s")
    phases["graph_s"] = time.perf_counter() - t0
    with _folder_lock(folder, exclusive=True):
        body = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        graph.save(str(folder / ANN_FILE))
        write_manifest(folder, body["fingerprint"], body["model_id"], body["rows"], body["dim"])
        record_verified(folder)


def build_mix_home(cache: Path, target: int, log: Log, chunk: int = 100_000) -> Path:
    """``<cache>/mix-<target>``: cards + real passages + mixed passages, ``target`` rows in all. A build
    stopped during the graph phase resumes there (the saved index holds the rows already)."""
    from netnav.engine import Engine, knowledge_fingerprint
    from netnav.store.vectors import ann_threshold

    home = cache / f"mix-{target}"
    want = {"generator": GENERATOR, "target": target, "knowledge": knowledge_fingerprint()}
    marker_path = home / "bench-corpus.json"
    marker: dict[str, Any] = {}
    if marker_path.is_file():
        marker = json.loads(marker_path.read_text(encoding="utf-8"))
        if not all(marker.get(k) == v for k, v in want.items()):
            marker = {}
        elif marker.get("complete"):
            log(f"[mix] reusing {home}")
            return home
    engine = Engine(home) if marker else None
    folder = home / "index"
    if marker and (folder / "manifest.json").is_file():
        log(f"[mix] resuming {home} at the graph phase")
        matrix = np.load(folder / "vectors.npy", mmap_mode="r")
        phases: dict[str, float] = marker["phases"]
    else:
        shutil.rmtree(home, ignore_errors=True)
        engine = Engine(home)
        t0 = time.perf_counter()
        vec_of, total, n_real = _store_phase(engine, target, log)
        phases = {"store_s": time.perf_counter() - t0}
        log(f"[mix] store: {total:,} passages in {phases['store_s']:.0f} s")
        matrix = _index_phase(engine, vec_of, phases, log)
        del vec_of
        marker = {**want, "passages": int(total), "real": n_real, "phases": phases, "complete": False}
        marker_path.write_text(json.dumps(marker), encoding="utf-8")
    assert engine is not None
    engine.close()
    if len(matrix) >= ann_threshold():
        _graph_phase(folder, matrix, chunk, phases, log)
    marker.update(phases=phases, complete=True)
    marker_path.write_text(json.dumps(marker), encoding="utf-8")
    log(f"[mix] {home} ready: {json.dumps(phases)}")
    return home
