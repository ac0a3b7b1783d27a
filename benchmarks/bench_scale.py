"""Warm ask at 1M passages (approximate dense index) against a 100k baseline built the same way.

    .venv/bin/python benchmarks/bench_scale.py [--n 1000000] [--baseline 100000] [--rounds 2]

Corpus: benchmarks/corpus_mix.py (cards + ~10.7k real PDQ/PubMed passages with their real vectors +
mixed passages: real sentences of three real passages recombined, vector = the Dirichlet-weighted
mix of their real vectors + noise). Both homes use the same recipe, so the ratio shows what size
alone costs. Homes live in ``$NETNAV_BENCH_CACHE/mix-<n>``; later runs reuse them. Building 1M at
load ~20 on 2 cores (niced) took 41 min for the store, 3 min to read it back, 11 min for BM25 + exact
vectors and 40 s to save (the builder got ~20 % of a core); the HNSW graph (30-40 min
estimated on a quiet machine with 2 threads) was not finished there. On a quiet machine expect
about 15 + 5 + 35 min; 100k takes ~2 min. Phase times are printed and kept in ``bench-corpus.json``;
a build stopped in the graph phase resumes there.

Per home, in a fresh worker process (peak RSS its own): the home is checked first (a stale index is
reported and re-indexed from its kept vectors, never silently re-embedded: benchmarks/_homes.py);
index load; one warm-up pass over the dev questions, then ``--rounds`` timed passes of
``Engine.ask``; then per question the query embedding, BM25 top 40 and dense top 40 alone; then
recall@10 of the engine's dense search (approximate at >= 250k rows) against exact float32 search
over the same rows, for the dev questions plus 200 BioASQ/PubMedQA questions. RSS is read before
the exact ground truth is computed (which reads every float32 row).
Numbers depend on the machine and its load (printed); this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE_DIR, dev_questions, machine, percentile, print_table, run_child_rss  # noqa: E402


def _rss_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB."""
    fields = dict(
        line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line
    )
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def _exact_top(matrix: Any, queries: Any, k: int) -> list[set[int]]:
    """Exact float32 top ``k`` rows per query, scanning ``matrix`` in blocks."""
    import numpy as np

    best_rows = np.zeros((len(queries), 0), dtype=np.int64)
    best = np.zeros((len(queries), 0), dtype=np.float32)
    step = 100_000
    for start in range(0, len(matrix), step):
        sims = np.asarray(matrix[start : start + step], dtype=np.float32) @ queries.T  # (rows, q)
        top = np.argpartition(-sims, min(k, len(sims) - 1), axis=0)[:k].T  # (q, k)
        rows = np.concatenate([best_rows, top + start], axis=1)
        vals = np.concatenate([best, np.take_along_axis(sims.T, top, axis=1)], axis=1)
        keep = np.argsort(-vals, axis=1)[:, :k]
        best_rows, best = np.take_along_axis(rows, keep, axis=1), np.take_along_axis(vals, keep, axis=1)
    return [set(r.tolist()) for r in best_rows]


def worker(home: Path, rounds: int) -> dict[str, object]:
    import numpy as np
    from _homes import ensure_current

    from netnav.engine import Engine
    from netnav.retrieve import analyze
    from netnav.retrieve.search import POOL, query_tokens

    status = ensure_current(home, max_new=2000)
    questions = [(str(q["question"]), str(q.get("audience", "patient"))) for q in dev_questions()]
    engine = Engine(home)
    t0 = time.perf_counter()
    index = engine.ensure_index()
    load_s = time.perf_counter() - t0
    for q, audience in questions:
        engine.ask(q, audience)
    warm: list[float] = []
    warm_cpu: list[float] = []
    for _ in range(rounds):
        for q, audience in questions:
            t, c = time.perf_counter(), time.process_time()
            engine.ask(q, audience)
            warm.append((time.perf_counter() - t) * 1000)
            warm_cpu.append((time.process_time() - c) * 1000)
    rss, hwm = _rss_mb()
    embed_ms, lex_ms, dense_ms = [], [], []
    for q, _ in questions:
        for _ in range(2):
            t = time.perf_counter()
            vec = engine.embedder.embed([q])[0]
            embed_ms.append((time.perf_counter() - t) * 1000)
            tokens = query_tokens(analyze(q, index.vocabulary()))
            t = time.perf_counter()
            index.search_lexical(tokens, POOL)
            lex_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            index.search_dense(vec, POOL)
            dense_ms.append((time.perf_counter() - t) * 1000)
    recall = [float("nan")]  # exact search: recall 1 by construction (tests/core/test_vectors.py)
    if index.dense.ann is not None:
        from bench_ann import question_vectors

        qvecs = np.vstack([engine.embedder.embed([q for q, _ in questions]), question_vectors(200)])
        got = [{h.row for h in index.search_dense(v, 10)} for v in qvecs]
        truth = _exact_top(index.dense.matrix, qvecs.astype(np.float32), 10)
        recall = [len(g & t) / 10 for g, t in zip(got, truth, strict=True)]
    files = sum(f.stat().st_size for f in (home / "index").rglob("*") if f.is_file()) / 2**20
    bm25_mb = sum(f.stat().st_size for f in (home / "index" / "bm25").rglob("*") if f.is_file()) / 2**20
    marker = json.loads((home / "bench-corpus.json").read_text(encoding="utf-8"))
    return {
        "home": str(home),
        "status": status,
        "passages": len(index),
        "approximate": index.dense.ann is not None,
        "load_s": load_s,
        "warm_p50": percentile(warm, 50),
        "warm_p95": percentile(warm, 95),
        "warm_cpu_p50": percentile(warm_cpu, 50),
        "embed_p50": percentile(embed_ms, 50),
        "lexical_p50": percentile(lex_ms, 50),
        "dense_p50": percentile(dense_ms, 50),
        "recall10": float(np.mean(recall)),
        "recall10_min": float(np.min(recall)),
        "recall_queries": len(recall),
        "rss_mb": rss,
        "hwm_mb": hwm,
        "files_mb": files,
        "bm25_mb": bm25_mb,
        "phases": marker.get("phases", {}),
    }


def _build(cache: Path, n: int) -> None:
    from corpus_mix import build_mix_home

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    build_mix_home(cache, n, log)


def _build_child(args: list[str]) -> float:
    """Run a corpus build in a child whose progress lines go straight to this terminal; its peak RSS."""
    proc = subprocess.Popen([sys.executable, __file__, *args])
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{args[:2]} failed ({os.waitstatus_to_exitcode(status)})")
    return float(usage.ru_maxrss / 1024)


def _child(args: list[str], timeout: float) -> tuple[str, float]:
    run = run_child_rss([sys.executable, __file__, *args], timeout=timeout)
    sys.stderr.write(run.stderr[-4000:])
    if run.returncode != 0:
        raise SystemExit(f"{args[:2]} failed ({run.returncode})")
    return run.stdout, run.rss_mb


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--baseline", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--pairs", type=int, default=2, help="runs per home, interleaved (medians reported)")
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument(
        "--no-build",
        action="store_true",
        help="measure the homes as they are (e.g. before the graph is built)",
    )
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--build", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.rounds)))
        return
    if args.build:
        _build(args.cache, args.build)
        return
    print(f"Machine at start: {machine()}")
    sizes = [args.baseline, args.n]
    for n in sizes if not args.no_build else []:  # the parent imports neither numpy nor netnav
        t0 = time.perf_counter()
        rss = _build_child(["--build", str(n), "--cache", str(args.cache)])
        print(
            f"[bench] home mix-{n} ready in {time.perf_counter() - t0:.0f} s (builder peak RSS {rss:.0f} MB)"
        )
    if args.build_only:
        return
    runs: dict[int, list[dict[str, Any]]] = {n: [] for n in sizes}
    for _ in range(args.pairs):  # interleaved, so the machine's load hits both sizes alike
        for n in sizes:
            out, peak = _child(["--worker", str(args.cache / f"mix-{n}"), "--rounds", str(args.rounds)], 3600)
            figures = json.loads(out.strip().splitlines()[-1])
            figures["peak_mb"] = peak
            print(f"[bench] {json.dumps(figures)}", file=sys.stderr)
            runs[n].append(figures)
    results = []
    for n in sizes:
        merged = dict(runs[n][0])
        for key in ("warm_p50", "warm_p95", "warm_cpu_p50", "embed_p50", "lexical_p50", "dense_p50"):
            merged[key] = percentile([float(f[key]) for f in runs[n]], 50)
        for key in ("load_s", "hwm_mb"):
            merged[key] = percentile([float(f[key]) for f in runs[n]], 50)
        results.append(merged)
    header = [
        "passages",
        "dense",
        "warm p50 ms",
        "p95 ms",
        "CPU ms/ask p50",
        "embed p50 ms",
        "BM25 top-40 p50 ms",
    ]
    header += [
        "dense top-40 p50 ms",
        "recall@10 (min)",
        "RSS after asks MB",
        "index load s",
        "index files MB",
    ]
    rows: list[list[Any]] = []
    for r in results:
        rows.append(
            [
                f"{r['passages']:,}",
                "approximate" if r["approximate"] else "exact",
                r["warm_p50"],
                r["warm_p95"],
                r["warm_cpu_p50"],
                r["embed_p50"],
                r["lexical_p50"],
                r["dense_p50"],
                f"{r['recall10']:.4f} ({r['recall10_min']:.1f}, n={r['recall_queries']})"
                if r["approximate"]
                else "exact search",
                r["hwm_mb"],
                r["load_s"],
                r["files_mb"],
            ]
        )
    base, big = results
    rows.append(
        [
            "ratio",
            "",
            *[
                big[k] / base[k]
                for k in ("warm_p50", "warm_p95", "warm_cpu_p50", "embed_p50", "lexical_p50", "dense_p50")
            ],
        ]
        + [
            "",
            big["hwm_mb"] / base["hwm_mb"],
            big["load_s"] / base["load_s"],
            big["files_mb"] / base["files_mb"],
        ]
    )
    print_table(f"warm ask, mix corpus, {args.rounds} rounds x {args.pairs} runs (medians)", header, rows)
    for r in results:
        phases = json.dumps({k: round(v) for k, v in r["phases"].items()})
        print(
            f"mix-{r['passages']}: {r['status']}; build phases (s): {phases}; BM25 files {r['bm25_mb']:.0f} MB"
        )
    print(f"Machine at end: {machine()}")


if __name__ == "__main__":
    main()
