"""Reciprocal-rank vs convex fusion, in one run: NETNav's own answer sets and the external benchmark.

    .venv/bin/python benchmarks/bench_fusion.py [--homes cards,pdq] [--no-external] [--boot 1000]

Answer sets (whole-answer fact coverage, abstention errors, contradictions, per `netnav.eval`):
tests/data/eval/questions.natural.jsonl, questions.heldout-b.jsonl, questions.heldout.jsonl and the
shared dev set (../shared/eval/questions.dev.jsonl, skipped when absent), answered with each fusion in
  - `cards`: a data home with only the built-in cards (vectors seeded from the PDQ home's cache when
    bench_ask.py has built it, else embedded once);
  - `pdq`: a copy of the cards + NCI PDQ home that bench_ask.py builds (skipped when absent), where
    ingested documents compete with the cards.
Items whose covered facts differ between the two fusions are listed with what each one missed.

External: nDCG@10 of `hybrid_search(fusion=...)` (analysis, expansion, status handling and
near-duplicate removal included) and of each retriever alone (BM25 over the raw question, dense cosine)
on the BioASQ + PubMedQA corpus of bench_relevance.py (fetched once by fetch_relevance_data.py; skipped
when absent), per subset, with paired bootstrap CIs of convex - RRF and convex - the best single one.

The engine's dense weight for the convex fusion is `netnav.retrieve.search.DENSE_WEIGHT`.
Numbers depend on the corpus and cards at the time of the run; this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE_DIR, ROOT, SHARED, machine  # noqa: E402

SETS = [
    ROOT / "tests" / "data" / "eval" / "questions.natural.jsonl",
    ROOT / "tests" / "data" / "eval" / "questions.heldout-b.jsonl",
    ROOT / "tests" / "data" / "eval" / "questions.heldout.jsonl",
    SHARED / "eval" / "questions.dev.jsonl",
]
FUSIONS = ("rrf", "convex")
SINGLE = ("bm25", "dense")  # each retriever alone


def _home(name: str) -> Path | None:
    pdq = CACHE_DIR / "pdq"
    target = CACHE_DIR / f"fusion-{name}"
    if name == "pdq":
        if not (pdq / "netnav.sqlite3").is_file():
            print("[fusion] no PDQ home (run benchmarks/bench_ask.py first); skipping it")
            return None
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(pdq, target, ignore=shutil.ignore_patterns("*.lock"))
        return target
    target.mkdir(parents=True, exist_ok=True)
    cache = pdq / "embeddings.sqlite3"
    if cache.is_file() and not (target / "embeddings.sqlite3").is_file():
        shutil.copy(cache, target / "embeddings.sqlite3")
    return target


def answer_sets(homes: list[str]) -> None:
    import netnav.engine as engine_module
    from netnav.engine import Engine
    from netnav.eval import EvalReport, load_eval_set, run_eval
    from netnav.retrieve import search

    print("\n| home | set | n | " + " | ".join(f"{f} coverage" for f in FUSIONS) + " | abstention errors |")
    print("|---|---|---|" + "---|" * (len(FUSIONS) + 1))
    diffs: list[str] = []
    for name in homes:
        home = _home(name)
        if home is None:
            continue
        engine = Engine(home)
        engine.ensure_index()
        for path in SETS:
            if not path.is_file():
                print(f"[fusion] {path} absent; skipped")
                continue
            items = load_eval_set(path)
            reports: dict[str, EvalReport] = {}
            for fusion in FUSIONS:
                engine_module.hybrid_search = functools.partial(search.hybrid_search, fusion=fusion)  # type: ignore[assignment]
                reports[fusion] = run_eval(items, engine.ask, follow_up=engine.rewrite_follow_up)
            engine_module.hybrid_search = search.hybrid_search  # type: ignore[assignment]
            cells = " | ".join(f"{reports[f].fact_coverage:.4f}" for f in FUSIONS)
            errors = " / ".join(str(reports[f].abstention_errors) for f in FUSIONS)
            print(f"| {name} | {path.name} | {len(items)} | {cells} | {errors} |", flush=True)
            by_id = {f: {r.id: r for r in reports[f].items} for f in FUSIONS}
            for item in items:
                a, b = by_id["rrf"][item.id], by_id["convex"][item.id]
                if set(a.covered) != set(b.covered) or a.abstained != b.abstained:
                    diffs.append(
                        f"{name} {item.id}: rrf missed {a.missed}{' (abstained)' if a.abstained else ''}; "
                        f"convex missed {b.missed}{' (abstained)' if b.abstained else ''}"
                    )
        engine.close()
    print("\nItems where the fusions differ:")
    for line in diffs or ["(none)"]:
        print(f"  {line}")


def external(boot: int) -> None:
    from bench_relevance import bootstrap, build_home, load_data, ndcg

    try:
        questions, corpus = load_data()
    except (OSError, SystemExit) as exc:
        print(f"[fusion] external benchmark data absent ({exc}); run fetch_relevance_data.py")
        return
    import numpy as np

    from netnav.engine import Engine
    from netnav.errors import NetNavError
    from netnav.retrieve import analyze, hybrid_search
    from netnav.store.index import tokenize

    home = build_home(corpus, True)
    engine = Engine(home)
    index = engine.ensure_index()
    pmid_of = [d[5:] if d.startswith("pmid-") else None for d in index.doc_ids]
    runs: dict[str, list[float]] = {f: [] for f in (*FUSIONS, *SINGLE)}
    t0 = time.perf_counter()
    for q in questions:
        qvec = engine.embedder.embed([q.text])[0]
        # each retriever alone, on the same index: BM25 over the raw question, dense cosine
        runs["bm25"].append(
            ndcg([pmid_of[h.row] for h in index.search_lexical(tokenize([q.text])[0], 40)], q.relevant)
        )
        runs["dense"].append(ndcg([pmid_of[h.row] for h in index.search_dense(qvec, 40)], q.relevant))
        try:
            analysis = analyze(q.text, index.vocabulary())
        except NetNavError:
            for f in FUSIONS:
                runs[f].append(0.0)
            continue
        for f in FUSIONS:
            found = hybrid_search(index, engine.store, analysis, qvec, k=40, fusion=f)  # type: ignore[arg-type]
            runs[f].append(ndcg([c.doc.identifiers.get("pmid") for c in found], q.relevant))
    print(f"\nExternal benchmark: {len(questions)} questions in {time.perf_counter() - t0:.0f} s")
    subsets: dict[str, Any] = {
        "dev (weight chosen here)": lambda q: q.dev,
        "BioASQ (all)": lambda q: q.source == "bioasq",
        "BioASQ held-out": lambda q: q.source == "bioasq" and not q.dev,
        "PubMedQA (all)": lambda q: q.source == "pubmedqa",
        "PubMedQA held-out": lambda q: q.source == "pubmedqa" and not q.dev,
        "NET subset": lambda q: q.net,
    }
    print(
        "\n| subset | n | nDCG@10 bm25 | nDCG@10 dense | nDCG@10 rrf | nDCG@10 convex | convex - rrf [95% CI] "
        "| convex - best single [95% CI] |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, pred in subsets.items():
        idx = [i for i, q in enumerate(questions) if pred(q)]
        if not idx:
            continue
        mean = {name: float(np.mean([runs[name][i] for i in idx])) for name in runs}
        single = max(SINGLE, key=mean.__getitem__)
        cis = []
        for other in ("rrf", single):
            lo, hi = bootstrap([runs["convex"][i] - runs[other][i] for i in idx], boot)
            cis.append(f"{mean['convex'] - mean[other]:+.4f} [{lo:+.4f}, {hi:+.4f}]")
        print(
            f"| {label} | {len(idx)} | {mean['bm25']:.4f} | {mean['dense']:.4f} | {mean['rrf']:.4f} | "
            f"{mean['convex']:.4f} | {cis[0]} | {cis[1]} ({single}) |"
        )
    engine.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--homes", default="cards,pdq", help="comma-separated: cards, pdq")
    ap.add_argument("--no-external", action="store_true", help="skip the BioASQ/PubMedQA part")
    ap.add_argument("--boot", type=int, default=1000)
    args = ap.parse_args()
    from netnav.retrieve.search import DENSE_WEIGHT, FUSION

    print(f"Machine: {machine()}")
    print(f"default fusion for answers: {FUSION}; convex dense weight {DENSE_WEIGHT}")
    answer_sets([h for h in args.homes.split(",") if h])
    if not args.no_external:
        external(args.boot)
    print(f"\nMachine after run: {machine()}")


if __name__ == "__main__":
    main()
