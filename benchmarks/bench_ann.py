"""Approximate vs exact dense search at up to 1M passages: recall@10, latency, build time, memory.

    .venv/bin/python benchmarks/bench_ann.py [--n 1000000] [--queries 200]

Vectors: real MiniLM vectors from the relevance benchmark's embedding cache (run bench_relevance.py
first) and, to reach --n rows, synthetic ones: normalised Dirichlet-weighted mixes of three real
vectors plus Gaussian noise of norm ~0.2 (no near-duplicate clusters, which HNSW handles badly and
real corpora do not have at that scale). Queries: real question embeddings
(BioASQ/PubMedQA questions). Ground truth: exact float32 search over the same rows. The approximate
index is the one NETNav builds above its size threshold (netnav.store.vectors: usearch HNSW, int8),
saved and loaded as NETNav does; its candidates are re-ranked by exact float32 cosines.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, percentile  # noqa: E402
from fetch_relevance_data import relevance_dir  # noqa: E402


def real_vectors() -> np.ndarray:
    rows: list[np.ndarray] = []
    for db in sorted(relevance_dir().glob("home-*/embeddings.sqlite3")):
        with sqlite3.connect(db) as conn:
            rows += [np.frombuffer(b, dtype="<f4") for (b,) in conn.execute("SELECT vector FROM embeddings")]
    if len(rows) < 1000:
        sys.exit("too few real vectors: run benchmarks/bench_relevance.py first")
    return np.unique(np.stack(rows), axis=0).astype(np.float32)


def variants(real: np.ndarray, n: int, seed: int = 3) -> np.ndarray:
    """Real rows first, then normalised Dirichlet-weighted mixes of three real rows plus noise of
    norm ~0.2: spread over the space real embeddings occupy, without near-duplicate clusters."""
    rng = np.random.default_rng(seed)
    dim = real.shape[1]
    out = np.empty((n, dim), dtype=np.float32)
    out[: min(n, len(real))] = real[:n]
    step = 100_000
    for start in range(len(real), n, step):
        m = min(step, n - start)
        w = rng.dirichlet((1.0, 1.0, 1.0), m).astype(np.float32)
        v = sum(w[:, j : j + 1] * real[rng.integers(0, len(real), m)] for j in range(3))
        v = v + rng.standard_normal((m, dim)).astype(np.float32) * np.float32(0.2 / np.sqrt(dim))
        out[start : start + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def question_vectors(k: int) -> np.ndarray:
    from netnav.embed import Embedder

    base = relevance_dir()
    texts = [q["body"] for q in json.loads((base / "12B2_golden.json").read_text())["questions"]]
    texts += [v["QUESTION"] for v in json.loads((base / "ori_pqal.json").read_text()).values()]
    return Embedder().embed(texts[:k])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    print(machine())
    from netnav.store.vectors import Vectors, build_ann

    real = real_vectors()
    data = variants(real, args.n)
    queries = question_vectors(args.queries)
    print(f"{len(data):,} vectors ({len(real):,} real), {len(queries)} real question vectors")

    exact = Vectors(data)
    truth, exact_ms = [], []
    for q in queries:
        t0 = time.perf_counter()
        hits = exact.search(q, 10)
        exact_ms.append((time.perf_counter() - t0) * 1000)
        truth.append({h.row for h in hits})

    t0 = time.perf_counter()
    ann = build_ann(data, threads=2)
    build_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        approx = Vectors(data, ann)  # saved as NETNav saves it: float32 + float16 copy + graph
        approx.save(Path(tmp))
        size_mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
        loaded = Vectors.load(Path(tmp))
        loaded.search(queries[0], 10)  # first touch of the mapped pages
        ann_ms, recall = [], []
        for q, want in zip(queries, truth, strict=True):
            t0 = time.perf_counter()
            got = loaded.search(q, 10)
            ann_ms.append((time.perf_counter() - t0) * 1000)
            recall.append(len(want & {h.row for h in got}) / 10)
        ann_ms40 = []
        for q in queries:  # the pool size hybrid_search asks for
            t0 = time.perf_counter()
            loaded.search(q, 40)
            ann_ms40.append((time.perf_counter() - t0) * 1000)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "| n | recall@10 | exact p50 ms | approx p50 ms (k=10) | approx p50 ms (k=40) | ratio exact/approx"
        " | build s | files MB | peak RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {len(data):,} | {np.mean(recall):.4f} (min {min(recall):.1f}) | {percentile(exact_ms, 50):.1f} | "
        f"{percentile(ann_ms, 50):.2f} | {percentile(ann_ms40, 50):.2f} | "
        f"{percentile(exact_ms, 50) / percentile(ann_ms, 50):.0f} | {build_s:.0f} | {size_mb:.0f} | {rss:.0f} |"
    )
    print(f"load average at the end: {machine().rsplit('load average ', 1)[-1]}")


if __name__ == "__main__":
    main()
