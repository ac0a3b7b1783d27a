"""`ask` latency (warm and cold), growth with corpus size, and a plain rank_bm25 baseline.

    .venv/bin/python benchmarks/bench_ask.py [--sizes 1000,10000,100000] [--rounds 3] [--cold 5]

(a) built-in cards + the ingested NCI PDQ corpus (issue 2 targets: warm p50 <= 50 ms, p95 <= 150 ms,
    cold `netnav ask` <= 3 s, RSS <= 600 MB);
(b) scaled corpora of about 1k / 10k / 100k passages (see benchmarks/corpus.py for how they are made).

Each home is measured in a fresh worker process, so its peak RSS is its own. Warm latency is
`Engine.ask` over every dev question, `--rounds` times, after one warm-up pass. Cold is a fresh
`netnav ask --json` process per question (wall time, including interpreter start and index load).

Recall@5 on the dev questions (questions expected to abstain are left out):
  * a passage is relevant when it matches at least one of the question's `must` regexes
    (case-insensitive, on its text plus patient wording);
  * hit@5 = share of questions with >= 1 relevant passage in the top 5;
  * must-coverage@5 = mean share of a question's `must` patterns matched by the union of the top 5.
Ours = the engine's hybrid retrieval (BM25 over the expanded query + dense, RRF), top 5 candidates.
Baseline = rank_bm25.BM25Okapi over the same passages' index text, lowercase \\w+ tokens, the raw question.
Latency ratio compares retrieval with retrieval (ours includes question analysis and embedding).

Numbers depend on the machine and its load; this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    CACHE_DIR,
    NETNAV_BIN,
    PDQ_DIR,
    dev_questions,
    machine,
    peak_rss_mb,
    percentile,
    print_table,
    run_child_rss,
)

_TOKEN = re.compile(r"\w+")
COLD_TIMEOUT_S = 120.0
STALE = 3  # worker exit code: the corpus index is older than the card files


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _relevant(text: str, patterns: list[re.Pattern[str]]) -> set[int]:
    return {k for k, p in enumerate(patterns) if p.search(text)}


def _score(top_texts: list[str], patterns: list[re.Pattern[str]]) -> tuple[bool, float]:
    covered: set[int] = set()
    hit = False
    for text in top_texts:
        found = _relevant(text, patterns)
        hit = hit or bool(found)
        covered |= found
    return hit, len(covered) / len(patterns)


def worker(home: Path, rounds: int) -> dict[str, object]:
    """Measure one home in this process; returns figures as a dict (printed as JSON)."""
    import numpy as np
    from _homes import ensure_current
    from rank_bm25 import BM25Okapi

    from netnav.engine import Engine
    from netnav.retrieve import analyze, hybrid_search
    from netnav.store.index import index_text

    questions = dev_questions()
    # The card files, the analyzer or the store changed since the corpus was built: ensure_index would
    # re-embed every passage with the real model (hours at 100k). Say so and re-index with the kept
    # vectors instead (or exit so the parent rebuilds the corpus when too many passages lack one).
    try:
        status = ensure_current(home)
    except SystemExit:
        raise SystemExit(STALE) from None
    engine = Engine(home)
    t0 = time.perf_counter()
    index = engine.ensure_index()
    load_s = time.perf_counter() - t0
    for q in questions:  # warm-up pass
        engine.ask(str(q["question"]), str(q.get("audience", "patient")))
    warm: list[float] = []
    abstained = 0
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            answer = engine.ask(str(q["question"]), str(q.get("audience", "patient")))
            warm.append((time.perf_counter() - t) * 1000)
            abstained += answer.abstained
    ask_rss = peak_rss_mb()

    scored = [q for q in questions if q.get("must") and not q.get("expect_abstain")]
    ours_hits, ours_cov, ours_ms = [], [], []
    for q in scored:
        patterns = [re.compile(str(p), re.IGNORECASE) for p in _list(q["must"])]
        t = time.perf_counter()
        analysis = analyze(str(q["question"]))
        qvec = engine.embedder.embed([analysis.question])[0]
        cands = hybrid_search(index, engine.store, analysis, qvec, k=5)
        ours_ms.append((time.perf_counter() - t) * 1000)
        hit, cov = _score([f"{c.passage.text} {c.passage.plain or ''}" for c in cands[:5]], patterns)
        ours_hits.append(hit)
        ours_cov.append(cov)

    rows = list(engine.store.iter_passages())
    texts = [f"{p.text} {p.plain or ''}" for p, _ in rows]
    t = time.perf_counter()
    baseline = BM25Okapi([_TOKEN.findall(index_text(p, d).lower()) for p, d in rows])
    base_build_s = time.perf_counter() - t
    base_hits, base_cov, base_ms = [], [], []
    for q in scored:
        patterns = [re.compile(str(p), re.IGNORECASE) for p in _list(q["must"])]
        t = time.perf_counter()
        scores = baseline.get_scores(_TOKEN.findall(str(q["question"]).lower()))
        top = np.argpartition(-scores, 5)[:5]
        top = top[np.argsort(-scores[top])]
        base_ms.append((time.perf_counter() - t) * 1000)
        hit, cov = _score([texts[i] for i in top], patterns)
        base_hits.append(hit)
        base_cov.append(cov)

    def mean(xs: list[float] | list[bool]) -> float:
        return sum(xs) / len(xs) if xs else float("nan")

    return {
        "home": str(home),
        "index_status": status,
        "passages": len(index),
        "load_s": load_s,
        "samples": len(warm),
        "abstained": abstained,
        "p50": percentile(warm, 50),
        "p95": percentile(warm, 95),
        "p99": percentile(warm, 99),
        "rss_mb": ask_rss,
        "scored": len(scored),
        "ours_hit5": mean(ours_hits),
        "ours_cov5": mean(ours_cov),
        "ours_retrieve_p50": percentile(ours_ms, 50),
        "base_hit5": mean(base_hits),
        "base_cov5": mean(base_cov),
        "base_retrieve_p50": percentile(base_ms, 50),
        "base_build_s": base_build_s,
    }


def cold(home: Path, n: int) -> tuple[list[float], float, int]:
    """Wall seconds of fresh `netnav ask --json` processes, their max peak RSS, and failures."""
    times: list[float] = []
    rss = 0.0
    failures = 0
    for q in dev_questions()[:n]:
        try:
            run = run_child_rss(
                [str(NETNAV_BIN), "ask", str(q["question"]), "--json", "--home", str(home)],
                timeout=COLD_TIMEOUT_S,
            )
        except RuntimeError as exc:  # e.g. card files changed mid-run and the CLI started re-embedding
            failures += 1
            print(f"cold ask failed: {exc}", file=sys.stderr)
            continue
        if run.returncode != 0 or "citations" not in run.stdout:
            failures += 1
            print(f"cold ask failed ({run.returncode}): {run.stderr[-300:]}", file=sys.stderr)
        times.append(run.seconds)
        rss = max(rss, run.rss_mb)
    return times, rss, failures


def build(cache: Path, what: str) -> Path:
    from corpus import build_pdq_home, build_scaled_home

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    pdq = build_pdq_home(cache, PDQ_DIR, log)
    return pdq if what == "pdq" else build_scaled_home(cache, int(what), pdq, log)


def built_home(cache: Path, what: str) -> Path:
    run = run_child_rss([sys.executable, __file__, "--build", what, "--cache", str(cache)], timeout=7200)
    sys.stderr.write(run.stderr)
    if run.returncode != 0:
        raise SystemExit(f"building corpus {what} failed")
    print(
        f"[bench] corpus {what} ready in {run.seconds:.0f} s (peak RSS {run.rss_mb:.0f} MB)", file=sys.stderr
    )
    return Path(run.stdout.strip().splitlines()[-1])


def measure(home: Path, label: str, rounds: int, n_cold: int, cache: Path, what: str) -> dict[str, object]:
    argv = [sys.executable, __file__, "--worker", str(home), "--rounds", str(rounds)]
    run = run_child_rss(argv, timeout=3600)
    if run.returncode == STALE:
        print(f"[bench] {what}: cards changed since the corpus was built; rebuilding", file=sys.stderr)
        built_home(cache, what)
        run = run_child_rss(argv, timeout=3600)
    if run.returncode != 0:
        raise SystemExit(f"worker for {home} failed:\n{run.stderr[-2000:]}")
    figures: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    times, rss, failures = cold(home, n_cold)
    figures.update(
        label=label,
        worker_rss_mb=run.rss_mb,
        cold_p50=percentile(times, 50),
        cold_max=max(times) if times else float("nan"),
        cold_rss_mb=rss,
        cold_n=len(times),
        cold_failures=failures,
    )
    print(f"[bench] {label}: {json.dumps(figures)}", file=sys.stderr)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cold", type=int, default=5, help="fresh processes per corpus")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--build", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.rounds)))
        return
    if args.build:
        print(build(args.cache, args.build))
        return
    # This process stays small (no netnav/numpy import): on Linux a child's peak RSS starts from its
    # parent's at fork, so corpora are built and measured in children and cold runs start from here.
    print(f"Machine: {machine()}")
    pdq = built_home(args.cache, "pdq")
    results = [measure(pdq, "cards + PDQ (a)", args.rounds, args.cold, args.cache, "pdq")]
    for size in [int(s) for s in args.sizes.split(",") if s]:
        home = built_home(args.cache, str(size))
        results.append(
            measure(
                home,
                f"scaled ~{size:,}",
                max(1, args.rounds - 1),
                max(2, args.cold - 2),
                args.cache,
                str(size),
            )
        )

    print_table(
        "ask latency (warm = Engine.ask in a loaded process; cold = fresh `netnav ask --json`)",
        [
            "corpus",
            "passages",
            "warm n",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "cold p50 s",
            "cold max s",
            "warm RSS MB",
            "cold RSS MB",
            "index load s",
            "abstained",
            "cold failures",
        ],
        [
            [
                r["label"],
                r["passages"],
                r["samples"],
                r["p50"],
                r["p95"],
                r["p99"],
                r["cold_p50"],
                r["cold_max"],
                r["rss_mb"],
                r["cold_rss_mb"],
                r["load_s"],
                r["abstained"],
                r["cold_failures"],
            ]
            for r in results
        ],
    )
    print_table(
        "retrieval quality and speed vs plain rank_bm25 (BM25Okapi) top-5",
        [
            "corpus",
            "questions",
            "ours hit@5",
            "BM25Okapi hit@5",
            "ours must-cov@5",
            "BM25Okapi must-cov@5",
            "ours retrieve p50 ms",
            "BM25Okapi p50 ms",
            "ours/BM25Okapi",
        ],
        [
            [
                r["label"],
                r["scored"],
                r["ours_hit5"],
                r["base_hit5"],
                r["ours_cov5"],
                r["base_cov5"],
                r["ours_retrieve_p50"],
                r["base_retrieve_p50"],
                float(r["ours_retrieve_p50"]) / float(r["base_retrieve_p50"]),
            ]
            for r in results
        ],
    )  # type: ignore[arg-type]
    scaled = [r for r in results[1:]]
    if len(scaled) >= 2:
        first, last = scaled[0], scaled[-1]
        size_x = int(last["passages"]) / int(first["passages"])  # type: ignore[call-overload]
        p50_x = float(last["p50"]) / float(first["p50"])  # type: ignore[arg-type]
        print(
            f"\nGrowth {first['label']} -> {last['label']}: passages x{size_x:.1f}, warm p50 x{p50_x:.2f} "
            f"({'sublinear' if p50_x < size_x else 'NOT sublinear'})"
        )
    for r in results:
        print(f"{r['label']}: {r['index_status']}")
    print(f"Machine after run: {machine()}")


if __name__ == "__main__":
    main()
