"""Benchmark corpora: the real PDQ home, and scaled homes of ~1k / 10k / 100k passages.

How the scaled corpora are made (documented in docs/performance.md):

* Every home holds the built-in knowledge cards (synced by the engine as usual).
* Real text first: the NCI PDQ summaries in ../shared/data/nci_pdq/ are ingested once, with the real
  embedding model, into ``<cache>/pdq`` (that home is also benchmark (a)).
* A size below cards + PDQ takes whole PDQ documents until the target is reached.
* Above that, *variant* passages are generated from real PDQ passages: passage i takes a real passage P,
  shuffles its sentences (seeded), and appends one or two sentences of another real passage Q from a
  different part of the corpus. Every variant has its own content-hash id and sits in a generated
  document of 25 variants (title "<original title> (variant set n)"). BM25 indexes this real
  generated text.
* Vectors: real passages and cards keep their real MiniLM vectors (copied from the PDQ index). Running
  the model over 100k passages on 2 shared cores would take hours, so a variant's vector is the
  normalised mix 0.85·v(P) + 0.15·v(Q) + Gaussian noise (norm ≈ 0.1). Dense search costs the same
  per row whatever the values, so latency is representative; dense *relevance* on variants is an
  approximation.

Homes are cached under ``$NETNAV_BENCH_CACHE`` (default /tmp/netnav-bench) and reused while the card
files and this generator's version are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from netnav.engine import Engine, knowledge_fingerprint
from netnav.errors import NetNavError
from netnav.store import SearchIndex
from netnav.store.index import CODES_FILE
from netnav.store.vectors import SCAN_FILE
from netnav.types.documents import Document, Passage

GENERATOR_VERSION = 1
VARIANTS_PER_DOC = 25
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(])")

Log = Callable[[str], None]


def build_pdq_home(cache: Path, pdq_dir: Path, log: Log = print) -> Path:
    """Built-in cards + the real PDQ corpus, embedded with the real model (idempotent, cached)."""
    home = cache / "pdq"
    engine = Engine(home)
    try:
        log(
            f"[corpus] PDQ home {home}: syncing cards and ingesting {pdq_dir} "
            "(real embeddings; slow first time)"
        )
        report = engine.ingest([pdq_dir])
        if report.failed:
            raise SystemExit(f"PDQ ingest failed for {[i.path for i in report.failed]}")
        engine.ensure_index()
        docs, passages = engine.store.count()
        log(f"[corpus] PDQ home ready: {docs} documents, {passages} passages")
    finally:
        engine.close()
    return home


def _marker(home: Path) -> dict[str, object] | None:
    try:
        return json.loads((home / "bench-corpus.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


def _index_current(home: Path) -> bool:
    """True when the saved index matches the store, re-labelling it (same vectors) if only the store's
    fingerprint scheme changed; False when passages are missing from it and the corpus must be rebuilt."""
    engine = Engine(home)
    try:
        engine.sync_knowledge()
        try:
            saved = SearchIndex.load(engine.settings.index_dir)
        except NetNavError:
            return False
        fingerprint = engine.store.fingerprint()
        if saved.fingerprint == fingerprint:
            if not all((engine.settings.index_dir / f).is_file() for f in (SCAN_FILE, CODES_FILE)):
                saved.save(engine.settings.index_dir)  # written by older code: same rows, current layout
            return True
        rows = list(engine.store.iter_passages())
        position = {pid: i for i, pid in enumerate(saved.ids)}
        if len(rows) != len(saved.ids) or any(p.id not in position for p, _ in rows):
            return False
        vectors = saved.vectors[[position[p.id] for p, _ in rows]]
        SearchIndex.build(rows, lambda texts: vectors, fingerprint, saved.model_id).save(
            engine.settings.index_dir
        )
        return True
    finally:
        engine.close()


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _variant(i: int, real: list[tuple[Passage, Document]]) -> tuple[str, int, int]:
    """Text of variant i and the indexes of its two source passages."""
    rng = random.Random(i)
    n = len(real)
    a = i % n
    b = (a + n // 3 + rng.randrange(max(1, n // 3))) % n
    sents = _sentences(real[a][0].text)
    rng.shuffle(sents)
    extra = _sentences(real[b][0].text)
    take = extra[: 1 + rng.randrange(2)]
    return " ".join(sents + take), a, b


def build_scaled_home(cache: Path, target: int, pdq_home: Path, log: Log = print) -> Path:
    """A home with about `target` passages (cards + real PDQ + generated variants), index included."""
    home = cache / f"scale-{target}"
    want = {"target": target, "generator": GENERATOR_VERSION, "knowledge": knowledge_fingerprint()}
    marker = _marker(home)
    if marker is not None and all(marker.get(k) == v for k, v in want.items()) and _index_current(home):
        log(f"[corpus] reusing {home} ({marker['passages']} passages)")
        return home
    shutil.rmtree(home, ignore_errors=True)
    src = Engine(pdq_home)
    src_index = src.ensure_index()
    vec_of = {pid: src_index.vectors[i] for i, pid in enumerate(src_index.ids)}
    real = [(p, d) for p, d in src.store.iter_passages() if d.format != "card"]
    real_docs: dict[str, list[Passage]] = {}
    for p, d in real:
        real_docs.setdefault(d.id, []).append(p)
    doc_by_id = {d.id: d for _, d in real}

    engine = Engine(home)
    engine.sync_knowledge()
    n_cards = engine.store.count()[1]
    total = n_cards
    for doc_id, passages in real_docs.items():
        if total >= target:
            break
        engine.store.add_document(doc_by_id[doc_id], passages)
        total += len(passages)
    variant_vecs: dict[str, npt.NDArray[np.float32]] = {}
    rng = np.random.default_rng(target)
    i = 0
    set_no = 0
    while total < target:
        set_no += 1
        batch: list[Passage] = []
        first_doc = real[i % len(real)][1]
        doc_id = hashlib.sha256(f"variant-set-{target}-{set_no}".encode()).hexdigest()[:32]
        offset = 0
        for ordinal in range(min(VARIANTS_PER_DOC, target - total)):
            text, a, b = _variant(i, real)
            pid = hashlib.sha256(f"{doc_id}:{ordinal}:{text}".encode()).hexdigest()[:32]
            batch.append(
                Passage(
                    id=pid,
                    doc_id=doc_id,
                    ordinal=ordinal,
                    text=text,
                    start=offset,
                    end=offset + len(text),
                    section=real[a][0].section,
                )
            )
            offset += len(text) + 2
            noise = rng.normal(0.0, 0.1 / np.sqrt(384), 384)
            vec = 0.85 * vec_of[real[a][0].id] + 0.15 * vec_of[real[b][0].id] + noise
            variant_vecs[pid] = (vec / np.linalg.norm(vec)).astype(np.float32)
            i += 1
        doc = Document(
            id=doc_id,
            kind=first_doc.kind,
            title=f"{first_doc.title} (variant set {set_no})",
            source_path=f"generated:variant-set-{set_no}",
            format="md",
            publisher=first_doc.publisher,
            year=first_doc.year,
        )
        engine.store.add_document(doc, batch)
        total += len(batch)
    log(
        f"[corpus] {home}: {n_cards} cards + real PDQ + {len(variant_vecs)} variants = {total} "
        "passages; indexing"
    )
    rows = list(engine.store.iter_passages())
    missing = [p for p, _ in rows if p.id not in vec_of and p.id not in variant_vecs]
    if missing:  # cards added since the PDQ home was built: embed them for real
        fresh = engine.embed_texts([p.text for p in missing])
        vec_of.update({p.id: fresh[k] for k, p in enumerate(missing)})
    ordered: npt.NDArray[np.float32] = np.stack(
        [variant_vecs[p.id] if p.id in variant_vecs else vec_of[p.id] for p, _ in rows]
    )

    def embed(texts: list[str]) -> npt.NDArray[np.float32]:
        assert len(texts) == len(ordered)
        return ordered

    index = SearchIndex.build(rows, embed, engine.store.fingerprint(), engine.embedder.model_id)
    index.save(engine.settings.index_dir)
    (home / "bench-corpus.json").write_text(json.dumps({**want, "passages": len(rows)}), encoding="utf-8")
    engine.close()
    src.close()
    return home
