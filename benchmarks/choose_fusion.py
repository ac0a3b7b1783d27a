"""Choose the convex fusion's cosine floor and dense weight on dev data only, and print the evidence.

    .venv/bin/python benchmarks/choose_fusion.py [--homes cards,pdq]

Dev data: the shared NET dev question set (../shared/eval/questions.dev.jsonl, whole-answer fact
coverage per `netnav.eval`, answered in each home of bench_fusion.py) and the relevance benchmark's dev
split (PubMedQA PQA-L outside its official test split + BioASQ 12b batch 1, nDCG@10; fetched once by
fetch_relevance_data.py). The natural and held-out NET sets and the held-out relevance questions are
never read here; bench_fusion.py reports them afterwards.

Rule (lexicographic): the highest mean NET dev coverage over the homes first (NET answers are what
NETNav is for), then the highest relevance dev nDCG@10. Dense side: (cosine - floor) / (best cosine -
floor), clipped to [0, 1]; lexical side: BM25 / its best (netnav.retrieve.search.convex_fusion).
The relevance grid ranks the fused pools directly (every benchmark passage is current, so the store
round trip of `hybrid_search` changes nothing there).
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SHARED, machine  # noqa: E402

FLOORS = (-1.0, -0.5, 0.0, 0.1)
WEIGHTS = tuple(round(0.6 + 0.05 * i, 2) for i in range(8))
Pair = tuple[float, float]


def net_dev(homes: list[str]) -> dict[Pair, float]:
    """Mean NET dev fact coverage over the homes per (floor, weight); RRF printed for reference."""
    from bench_fusion import _home

    import netnav.engine as engine_module
    from netnav.engine import Engine
    from netnav.eval import load_eval_set, run_eval
    from netnav.retrieve import search

    items = load_eval_set(SHARED / "eval" / "questions.dev.jsonl")
    totals: dict[Pair, list[float]] = {}
    for name in homes:
        home = _home(name)
        if home is None:
            continue
        engine = Engine(home)
        engine.ensure_index()
        engine_module.hybrid_search = functools.partial(search.hybrid_search, fusion="rrf")  # type: ignore[assignment]
        rrf = run_eval(items, engine.ask, follow_up=engine.rewrite_follow_up).fact_coverage
        print(f"[choose] {name}: RRF NET dev coverage {rrf:.4f}", flush=True)
        for floor in FLOORS:
            for weight in WEIGHTS:
                search.COSINE_FLOOR = floor
                engine_module.hybrid_search = functools.partial(  # type: ignore[assignment]
                    search.hybrid_search, fusion="convex", dense_weight=weight
                )
                report = run_eval(items, engine.ask, follow_up=engine.rewrite_follow_up)
                totals.setdefault((floor, weight), []).append(report.fact_coverage)
        engine.close()
    engine_module.hybrid_search = search.hybrid_search  # type: ignore[assignment]
    return {pair: sum(v) / len(v) for pair, v in totals.items()}


def relevance_dev() -> dict[Pair, float]:
    """nDCG@10 on the relevance benchmark's dev split per (floor, weight)."""
    from bench_relevance import POOL, build_home, load_data, ndcg

    from netnav.engine import Engine
    from netnav.errors import NetNavError
    from netnav.retrieve import analyze
    from netnav.retrieve.search import convex_fusion, query_tokens

    questions, corpus = load_data()
    dev = [q for q in questions if q.dev]
    engine = Engine(build_home(corpus, True))
    index = engine.ensure_index()
    pmid_of = [d[5:] if d.startswith("pmid-") else None for d in index.doc_ids]
    scores: dict[Pair, list[float]] = {(f, w): [] for f in FLOORS for w in WEIGHTS}
    for q in dev:
        qvec = engine.embedder.embed([q.text])[0]
        try:
            analysis = analyze(q.text, index.vocabulary())
        except NetNavError:
            for values in scores.values():
                values.append(0.0)
            continue
        lexical = index.search_lexical(query_tokens(analysis), POOL)
        dense = index.search_dense(qvec, POOL)
        cosine = {h.row: h.score for h in dense}
        extra = [h.row for h in lexical if h.row not in cosine]
        cosine.update(zip(extra, index.cosines(extra, qvec).tolist(), strict=True))
        for (floor, weight), values in scores.items():
            fused = convex_fusion(lexical, dense, cosine, weight, cosine_floor=floor)
            order = sorted(fused, key=lambda r: (-fused[r], index.ids[r]))
            values.append(ndcg([pmid_of[r] for r in order], q.relevant))
    engine.close()
    return {pair: sum(v) / len(v) for pair, v in scores.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--homes", default="cards,pdq", help="comma-separated: cards, pdq")
    args = ap.parse_args()
    print(f"Machine: {machine()}")
    t0 = time.perf_counter()
    relevance = relevance_dev()
    coverage = net_dev([h for h in args.homes.split(",") if h])
    print("\n| cosine floor | dense weight | NET dev coverage (mean over homes) | relevance dev nDCG@10 |")
    print("|---|---|---|---|")
    for pair in sorted(relevance):
        print(f"| {pair[0]} | {pair[1]} | {coverage.get(pair, float('nan')):.4f} | {relevance[pair]:.4f} |")
    best = max(relevance, key=lambda p: (round(coverage.get(p, 0.0), 6), relevance[p]))
    print(f"\nchosen: cosine floor {best[0]}, dense weight {best[1]} ({time.perf_counter() - t0:.0f} s)")
    print(f"Machine after run: {machine()}")


if __name__ == "__main__":
    main()
