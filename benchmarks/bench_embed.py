"""Embedding benchmark: load time, batch throughput, single-query latency, cache speed.

    .venv/bin/python benchmarks/bench_embed.py [--passages 256] [--queries 50]

Query latency and batch throughput are also measured for the removed NumPy forward pass (read from
git, see _baseline.py), interleaved query by query with the onnxruntime encoder, with the ratio
and the largest difference between the two vectors.

Numbers depend on the machine and its load; this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from _baseline import BASELINE_REV, NumpyEncoder
from _common import machine

from netnav.embed import Embedder, EmbeddingCache, embed_cached

_SENTENCES = (
    "Neuroendocrine tumours arise from cells that release hormones into the blood.",
    "Most tumours of this kind grow slowly, and many people live with them for years.",
    "The grade is based on how quickly the cells are dividing, measured by the Ki-67 index.",
    "Surgery to remove the tumour is the main treatment when the disease has not spread.",
    "Somatostatin analogues such as octreotide or lanreotide can slow tumour growth.",
    "They also help control symptoms like flushing and diarrhoea caused by hormone release.",
    "Scans that detect somatostatin receptors show where the tumour cells are in the body.",
    "When the tumour has spread to the liver, several local treatments may be considered.",
    "Radioligand therapy delivers radiation directly to cells that carry the receptor.",
    "Poorly differentiated carcinomas grow quickly and are usually treated with chemotherapy.",
    "Your care team may test the tumour for changes that predict a response to immunotherapy.",
    "Clinical trials offer access to new treatments and help answer open questions.",
    "Regular follow-up visits include blood tests, imaging and a review of symptoms.",
    "Everolimus and sunitinib are targeted drugs approved for some pancreatic tumours.",
    "Ask your doctor how the stage and grade of the tumour affect your treatment options.",
    "Patients often describe fatigue, and it helps to plan rest and gentle exercise.",
)


def _passages(n: int, words: int, seed: int = 7) -> list[str]:
    """Natural-language passages of about ``words`` words, built from realistic sentences."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        parts: list[str] = []
        while sum(len(p.split()) for p in parts) < words - 6:
            parts.append(rng.choice(_SENTENCES))
        out.append(f"Passage {i}. " + " ".join(parts))
    return out


def _queries(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    topics = ["Ki-67", "lanreotide", "liver metastases", "PRRT", "pembrolizumab", "carcinoid syndrome"]
    forms = ["What is {}?", "Is {} right for a grade 2 pancreatic NET?", "How does {} work?"]
    return [rng.choice(forms).format(rng.choice(topics)) + f" ({i})" for i in range(n)]


_DENSE_PARAMS = 6 * (384 * 1152 + 384 * 384 + 2 * 384 * 1536)  # weights touched per token


def _sgemm_gflops() -> float:
    rng = np.random.default_rng(0)
    x = rng.random((2048, 384), dtype=np.float32)
    w1 = rng.random((384, 1536), dtype=np.float32)
    w2 = rng.random((1536, 384), dtype=np.float32)
    (x @ w1) @ w2
    t0 = time.perf_counter()
    for _ in range(5):
        (x @ w1) @ w2
    return 5 * 2 * 2 * 2048 * 384 * 1536 / (time.perf_counter() - t0) / 1e9


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--passages", type=int, default=256)
    ap.add_argument("--words", type=int, default=60)
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()

    rows: list[tuple[str, str]] = []
    t0 = time.perf_counter()
    emb = Embedder()
    emb.load()  # SHA-256 check + tokenizer + weights
    rows.append(("load (hash + weights), s", f"{time.perf_counter() - t0:.3f}"))

    passages = _passages(args.passages, args.words)
    tokens = emb.token_counts(passages)
    emb.embed(passages[:8])  # warm-up
    t0 = time.perf_counter()
    emb.embed(passages, batch_size=args.batch_size)
    dt = time.perf_counter() - t0
    words = statistics.mean(len(p.split()) for p in passages)
    rows.append(
        (
            f"batch of {len(passages)} passages, {words:.0f} words / "
            f"{statistics.mean(tokens):.0f} tokens avg",
            "",
        )
    )
    rows.append(("  throughput, sentences/s", f"{len(passages) / dt:.1f}"))
    flops = 2.0 * _DENSE_PARAMS * sum(tokens)  # dense layers only; attention adds a few %
    rows.append(("  effective dense GFLOP/s", f"{flops / dt / 1e9:.0f}"))
    rows.append(("  raw sgemm GFLOP/s on this machine (ceiling)", f"{_sgemm_gflops():.0f}"))
    rows.append(("  wall time, s", f"{dt:.2f}"))

    old = NumpyEncoder(emb.model_dir, emb._get_model().tokenizer)
    old.embed(passages[:8])
    t0 = time.perf_counter()
    for start in range(0, len(passages), args.batch_size):
        old.embed(passages[start : start + args.batch_size])
    dt_old = time.perf_counter() - t0
    rows.append((f"  baseline NumPy pass ({BASELINE_REV}) sentences/s", f"{len(passages) / dt_old:.1f}"))
    rows.append(("  throughput ratio onnxruntime / NumPy", f"{dt_old / dt:.2f}"))

    latencies: list[float] = []
    old_latencies: list[float] = []
    diff = 0.0
    for q in _queries(args.queries):
        t0 = time.perf_counter()
        new_vec = emb.embed([q])
        latencies.append((time.perf_counter() - t0) * 1000.0)
        t0 = time.perf_counter()
        old_vec = old.embed([q])
        old_latencies.append((time.perf_counter() - t0) * 1000.0)
        diff = max(diff, float(np.abs(new_vec - old_vec).max()))
    rows.append((f"single query x {len(latencies)}: p50, ms", f"{_pct(latencies, 0.50):.2f}"))
    rows.append(("single query: p95, ms", f"{_pct(latencies, 0.95):.2f}"))
    rows.append(("  baseline NumPy pass: p50, ms", f"{_pct(old_latencies, 0.50):.2f}"))
    ratios = [o / n for o, n in zip(old_latencies, latencies, strict=True)]
    rows.append(("  per-query ratio NumPy / onnxruntime, median", f"{statistics.median(ratios):.2f}"))
    rows.append(("  max |onnxruntime - NumPy| over query vectors", f"{diff:.2e}"))

    with (
        tempfile.TemporaryDirectory() as tmp,
        EmbeddingCache(Path(tmp) / "cache.sqlite", emb.model_id) as cache,
    ):
        embed_cached(emb, cache, passages)
        t0 = time.perf_counter()
        embed_cached(emb, cache, passages)
        dt = time.perf_counter() - t0
        rows.append((f"cached re-embed of {len(passages)} (all hits), ms", f"{dt * 1000:.1f}"))
        rows.append(("  cache hits / misses", f"{cache.cache_stats.hits} / {cache.cache_stats.misses}"))

    width = max(len(k) for k, _ in rows)
    print(machine())
    print(f"model_id: {emb.model_id}")
    for key, value in rows:
        print(f"{key:<{width}}  {value:>10}")


if __name__ == "__main__":
    main()
