"""Warm ask, query embedding, dense search and peak RSS at scale: this code against a baseline
checkout, in the same run (interleaved A B A B), and whether the answers are the same.

    git worktree add --detach /tmp/netnav-base <baseline commit>
    .venv/bin/python benchmarks/bench_ask.py --sizes 100000 --cold 0   # builds the 100k home once
    .venv/bin/python benchmarks/bench_vectors.py --baseline-src /tmp/netnav-base/src [--size 100000]
        [--same-home]   # baseline that reads the current index layout (float16 scan copy, rows.npy)

The 100k home is the one bench_ask.py builds (benchmarks/corpus.py: cards + PDQ + generated
variants). The baseline runs on a copy of it whose index is rewritten in the layout the baseline
reads (per-row meta.json lists, float32 vectors only), with the same rows and vectors, and with its
own encoder cache (``<cache>/model-cache-baseline``), so it loads the encoder the way it would. Each worker
is a fresh process: engine start, one warm-up pass over the dev questions, then ``--rounds`` timed
passes of ``Engine.ask``; then the query embedding alone and the dense search alone per question.
Peak RSS is the worker's own (``wait4``). Answers are compared as JSON without timings.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE_DIR, dev_questions, machine, percentile, print_table, run_child_rss  # noqa: E402
from _homes import ensure_current_in_child  # noqa: E402


def worker(home: Path, rounds: int) -> dict[str, object]:
    from netnav.engine import Engine

    questions = [(str(q["question"]), str(q.get("audience", "patient"))) for q in dev_questions()]
    engine = Engine(home)
    index = engine.ensure_index()
    answers = {}
    for q, audience in questions:  # warm-up, and the answers compared between code paths
        answer = engine.ask(q, audience).model_dump(mode="json", exclude={"timings_ms"})
        answers[f"{audience}:{q}"] = answer
    warm, warm_cpu = [], []
    for _ in range(rounds):
        for q, audience in questions:
            t, c = time.perf_counter(), time.process_time()
            engine.ask(q, audience)
            warm.append((time.perf_counter() - t) * 1000)
            warm_cpu.append((time.process_time() - c) * 1000)
    embed_ms, dense_ms, dense_rows = [], [], {}
    for q, _ in questions:
        for _ in range(3):
            t = time.perf_counter()
            vec = engine.embedder.embed([q])[0]
            embed_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            hits = index.search_dense(vec, 40)
            dense_ms.append((time.perf_counter() - t) * 1000)
        dense_rows[q] = [[index.ids[h.row], h.score] for h in hits]
    import resource

    return {
        "warm_p50": percentile(warm, 50),
        "warm_p95": percentile(warm, 95),
        "warm_cpu_p50": percentile(warm_cpu, 50),
        "embed_p50": percentile(embed_ms, 50),
        "dense_p50": percentile(dense_ms, 50),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "answers": answers,
        "dense": dense_rows,
    }


def baseline_home(home: Path) -> Path:
    """A copy of ``home`` whose index uses the layout older code reads (same rows and vectors)."""
    import numpy as np

    from netnav.store.index import SearchIndex
    from netnav.store.manifest import write_manifest

    copy = home.with_name(home.name + "-baseline")
    marker = copy / "baseline-of.json"
    stamp = (home / "index" / "manifest.json").read_text(encoding="utf-8")
    if marker.is_file() and marker.read_text(encoding="utf-8") == stamp:
        return copy
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(home, copy)
    folder = copy / "index"
    index = SearchIndex.load(folder)
    old = {
        "ids": index.ids,
        "kinds": index.kinds.tolist(),
        "statuses": index.statuses.tolist(),
        "doc_ids": index.doc_ids,
        "fingerprint": index.fingerprint,
        "model_id": index.model_id,
    }
    matrix = np.array(index.vectors, dtype=np.float32)  # a copy: the file is rewritten below
    del index
    for name in ("rows.npy", "vectors.f16.npy", "verified.json"):
        (folder / name).unlink(missing_ok=True)
    np.save(folder / "vectors.npy", matrix)
    (folder / "meta.json").write_text(json.dumps(old), encoding="utf-8")
    write_manifest(folder, old["fingerprint"], old["model_id"], len(old["ids"]), int(matrix.shape[1]))
    marker.write_text(stamp, encoding="utf-8")
    return copy


def _run(src: Path, home: Path, rounds: int, model_cache: Path | None = None) -> dict[str, object]:
    """One worker process on ``src``'s code; ``model_cache``: its own encoder cache (the baseline must
    not load a graph cached in a newer layout)."""
    code = (
        "import sys, json; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import bench_vectors as b; "
        "print(json.dumps(b.worker(__import__('pathlib').Path(sys.argv[3]), int(sys.argv[4]))))"
    )
    argv = [sys.executable, "-c", code, str(src), str(Path(__file__).parent), str(home), str(rounds)]
    saved = os.environ.get("NETNAV_MODEL_CACHE")
    if model_cache is not None:
        os.environ["NETNAV_MODEL_CACHE"] = str(model_cache)
    try:
        run = run_child_rss(argv, timeout=3600)
    finally:
        if model_cache is not None:
            os.environ.pop("NETNAV_MODEL_CACHE", None)
            if saved is not None:
                os.environ["NETNAV_MODEL_CACHE"] = saved
    if run.returncode != 0:
        raise SystemExit(f"worker ({src}) failed:\n{run.stderr[-2000:]}")
    figures: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    figures["peak_rss_mb"] = run.rss_mb
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline-src", type=Path, required=True, help="src/ folder of the baseline checkout")
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--pairs", type=int, default=2, help="A B runs per code path")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument(
        "--same-home",
        action="store_true",
        help="the baseline reads this index layout: run it on the same home and encoder cache",
    )
    ap.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.prepare:
        print(baseline_home(args.prepare))
        return
    src = Path(__file__).resolve().parents[1] / "src"
    home = args.cache / f"scale-{args.size}"
    if not (home / "bench-corpus.json").is_file():
        raise SystemExit(f"{home} is missing: run benchmarks/bench_ask.py --sizes {args.size} first")
    print(f"Machine at start: {machine()}")
    print(f"Home {home}: {ensure_current_in_child(home, src)}")
    # This process imports neither numpy nor netnav: on Linux a child's peak RSS starts from its
    # parent's at fork, so the baseline copy is prepared in a child too.
    base_home, base_models = home, None
    if not args.same_home:
        prep = run_child_rss(
            [sys.executable, __file__, "--baseline-src", "-", "--prepare", str(home)], timeout=3600
        )
        if prep.returncode != 0:
            raise SystemExit(f"preparing the baseline home failed:\n{prep.stderr[-2000:]}")
        base_home = Path(prep.stdout.strip().splitlines()[-1])
        base_models = args.cache / "model-cache-baseline"
    runs: dict[str, list[dict[str, object]]] = {"baseline": [], "this code": []}
    for _ in range(args.pairs):
        runs["baseline"].append(_run(args.baseline_src.resolve(), base_home, args.rounds, base_models))
        runs["this code"].append(_run(src, home, args.rounds))
    rows: list[list[Any]] = []
    for name, figs in runs.items():

        def med(key: str, figs: list[dict[str, object]] = figs) -> float:
            return float(percentile([float(cast(float, f[key])) for f in figs], 50))

        rows.append(
            [
                name,
                med("warm_p50"),
                med("warm_p95"),
                med("warm_cpu_p50"),
                med("embed_p50"),
                med("dense_p50"),
                med("peak_rss_mb"),
            ]
        )
    rows.append(["ratio (this / baseline)", *[b / a for a, b in zip(rows[0][1:], rows[1][1:], strict=True)]])
    header = [
        "code",
        "warm ask p50 ms",
        "p95 ms",
        "CPU ms per ask p50 (all threads)",
        "query embedding p50 ms",
        "dense top-40 p50 ms",
        "peak RSS MB",
    ]
    print_table(f"{args.size:,} passages, median of {args.pairs} runs each", header, rows)
    a, b = runs["baseline"][0], runs["this code"][0]
    answers_a = cast(dict[str, object], a["answers"])
    answers_b = cast(dict[str, object], b["answers"])
    same_answers = sum(answers_a[k] == answers_b.get(k) for k in answers_a)
    dense_a = cast(dict[str, list[list[Any]]], a["dense"])
    dense_b = cast(dict[str, list[list[Any]]], b["dense"])
    same_rows = sum([r[0] for r in dense_a[q]] == [r[0] for r in dense_b[q]] for q in dense_a)
    diff = max(
        (abs(x[1] - y[1]) for q in dense_a for x, y in zip(dense_a[q], dense_b[q], strict=False)), default=0.0
    )
    print(
        f"\nanswers identical (JSON without timings): {same_answers} of {len(answers_a)}; "
        f"dense top-40 identical: {same_rows} of {len(dense_a)} questions, max |score difference| {diff:.2e}"
    )
    print(f"Machine at end: {machine()}")


if __name__ == "__main__":
    main()
