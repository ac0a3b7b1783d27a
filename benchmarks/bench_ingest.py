"""Ingest throughput with a cold and a warm embedding cache, and peak RSS of ask and ingest.

    .venv/bin/python benchmarks/bench_ingest.py [--corpus ../shared/data/nci_pdq]

Cold cache: a fresh home whose embedding cache holds only the built-in cards' vectors (copied from the
benchmark PDQ home, so the cards are not what is timed) ingests the corpus: parsing, one transaction per
document, real MiniLM embeddings of every passage, BM25 + vector index build and atomic save.
Warm cache: a second fresh home gets a copy of that cache file (now holding the corpus's vectors too)
and ingests the same corpus: the model is not run for any passage that is already cached.

Each ingest runs in its own child process (peak RSS read with wait4); this parent never imports
netnav, because on Linux a child's peak RSS starts from its parent's at fork.
Ask RSS is a fresh `netnav ask --json` process on the ingested home. Serve RSS is in bench_api.py.
Numbers depend on the machine and its load; this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE_DIR, NETNAV_BIN, PDQ_DIR, machine, print_table, run_child_rss


def seed_card_vectors(home: Path, source_home: Path) -> int:
    """Copy the cards' vectors from `source_home`'s cache into `home`'s (fresh) cache."""
    from netnav.embed import EmbeddingCache
    from netnav.engine import Engine
    from netnav.knowledge.loader import card_documents
    from netnav.store.index import embed_text

    model_id = Engine(source_home).embedder.model_id
    texts = [embed_text(p, d) for d, p in card_documents()]
    with EmbeddingCache(source_home / "embeddings.sqlite3", model_id) as src:
        found = src.get_many(texts)
    keep = sorted(found)
    with EmbeddingCache(home / "embeddings.sqlite3", model_id) as dst:
        if keep:
            import numpy as np

            dst.put_many([texts[i] for i in keep], np.stack([found[i] for i in keep]))
    return len(keep)


def worker(home: Path, corpus: Path, seed_from: Path | None, workers: int) -> dict[str, object]:
    import os

    if workers:
        os.environ["NETNAV_EMBED_WORKERS"] = str(workers)
    from netnav.embed.embedder import embed_workers
    from netnav.engine import Engine

    if seed_from is not None:
        seed_card_vectors(home, seed_from)
    engine = Engine(home)
    t = time.perf_counter()
    engine.ensure_index()  # cards (not timed: they are the same in both runs)
    cards_s = time.perf_counter() - t
    before = engine.store.count()[1]
    t, cpu = time.perf_counter(), time.process_time()
    report = engine.ingest([corpus])
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    after = engine.store.count()[1]
    return {
        "cards_s": cards_s,
        "seconds": seconds,
        "cpu_s": cpu,
        "workers": embed_workers(),
        "passages": after - before,
        "docs": report.added,
        "failed": len(report.failed),
    }


def run_worker(
    home: Path, corpus: Path, seed_from: Path | None, workers: int = 0
) -> tuple[dict[str, object], float]:
    argv = [sys.executable, __file__, "--worker", str(home), "--corpus", str(corpus)]
    argv += ["--workers", str(workers)]
    if seed_from is not None:
        argv += ["--seed-from", str(seed_from)]
    run = run_child_rss(argv, timeout=3600)
    if run.returncode != 0:
        raise SystemExit(f"ingest worker failed:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1]), run.rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=PDQ_DIR)
    parser.add_argument(
        "--cache", type=Path, default=CACHE_DIR, help="holds the PDQ home built by bench_ask.py"
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--seed-from", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--workers", type=int, default=0, help="embedding workers of the worker (0: NETNAV's default)"
    )
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.corpus, args.seed_from, args.workers)))
        return
    source_home = args.cache / "pdq"
    if not (source_home / "embeddings.sqlite3").is_file():
        raise SystemExit(
            f"run benchmarks/bench_ask.py first: it builds {source_home} (card vectors come from it)"
        )
    print(f"Machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="netnav-bench-ingest-") as tmp:
        one_home, cold_home, warm_home = Path(tmp) / "one", Path(tmp) / "cold", Path(tmp) / "warm"
        one, one_rss = run_worker(one_home, args.corpus, source_home, workers=1)
        cold, cold_rss = run_worker(cold_home, args.corpus, source_home)
        warm_home.mkdir()
        shutil.copy(cold_home / "embeddings.sqlite3", warm_home / "embeddings.sqlite3")
        warm, warm_rss = run_worker(warm_home, args.corpus, None)
        ask = run_child_rss(
            [str(NETNAV_BIN), "ask", "What is a carcinoid tumor?", "--json", "--home", str(warm_home)]
        )
        if ask.returncode != 0:
            raise SystemExit(f"ask failed: {ask.stderr[-500:]}")
    rows = []
    runs = (
        ("cold embedding cache, 1 embedding worker", one, one_rss),
        ("cold embedding cache, default workers", cold, cold_rss),
        ("warm embedding cache", warm, warm_rss),
    )
    for label, r, rss in runs:
        secs, cpu, n = float(r["seconds"]), float(r["cpu_s"]), int(r["passages"])  # type: ignore[arg-type,call-overload]
        rows.append([label, r["workers"], r["docs"], n, secs, n / secs, cpu, n / cpu, rss, r["failed"]])
    print_table(
        f"ingest of {args.corpus.name} (parse + store + embed + index; cards already indexed)",
        ["run", "workers", "documents", "passages", "wall s", "passages/s", "CPU s", "passages/CPU-s"]
        + ["peak RSS MB", "failed"],
        rows,
    )
    print(f"\nDefault workers vs one: wall x{float(one['seconds']) / float(cold['seconds']):.2f}")  # type: ignore[arg-type]
    speedup = float(cold["seconds"]) / float(warm["seconds"])  # type: ignore[arg-type]
    print(f"\nWarm cache speed-up: x{speedup:.1f}")
    print_table(
        "peak RSS (own process, wait4)",
        ["process", "peak RSS MB", "wall s"],
        [
            ["netnav ask --json (fresh process, cards + corpus)", ask.rss_mb, ask.seconds],
            ["ingest worker, cold cache", cold_rss, float(cold["seconds"])],  # type: ignore[arg-type]
            ["ingest worker, warm cache", warm_rss, float(warm["seconds"])],
        ],
    )  # type: ignore[arg-type]
    print(f"Machine after run: {machine()}")


if __name__ == "__main__":
    main()
