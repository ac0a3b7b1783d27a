"""External relevance benchmark: BioASQ 12b golden + PubMedQA PQA-L, nDCG@10 with bootstrap CIs.

    .venv/bin/python benchmarks/fetch_relevance_data.py    # once: data into the benchmark cache
    .venv/bin/python benchmarks/bench_relevance.py [--boot 1000] [--no-cards]

Corpus (built once into ``$NETNAV_BENCH_CACHE/relevance/home``, a normal NETNav data home with the
built-in cards): one document per PubMed article; BioASQ articles hold their gold snippets as
passages, PubMedQA articles hold their abstract (contexts without the conclusion) as one passage.
Relevance is per article: a BioASQ question's gold articles, a PubMedQA question's own article.
Rankings are reduced to articles (first passage of each counts, cards count as non-relevant), then
nDCG@10 with binary gain. The NET subset is the 15 questions in
``../shared/data/pubmed_qa`` (the NET-related PubMedQA and BioASQ items).

Retrievers, all on the same index: BM25 alone (bm25s, raw question), dense alone (MiniLM cosine),
the old hybrid (rank fusion + the old lexicon expansion, from git: see _baseline.py), the convex
baseline (raw-question BM25 + dense, score fusion with its weight chosen on dev), and NETNav today
(``hybrid_search`` with its default fusion, ``netnav.retrieve.search.FUSION``: analysis + expansion +
fusion + status handling + near-duplicate removal; bench_fusion.py compares RRF and convex directly).
Dev = PQA-L outside its official test split + BioASQ batch 1; the weights are chosen there, and held-out figures are
reported separately.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _baseline import BASELINE_REV, old_module  # noqa: E402
from _common import SHARED, machine  # noqa: E402
from fetch_relevance_data import relevance_dir  # noqa: E402

K = 10
POOL = 40
GRID = [round(0.05 * i, 2) for i in range(1, 20)]


@dataclass(frozen=True)
class Question:
    qid: str
    text: str
    relevant: frozenset[str]  # PMIDs
    source: str  # bioasq | pubmedqa
    dev: bool
    net: bool


def _pmid(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def load_data() -> tuple[list[Question], dict[str, list[str]]]:
    """Questions and the corpus as {pmid: [passage texts]}."""
    base = relevance_dir()
    if not (base / "ori_pqal.json").is_file():
        sys.exit(f"no data in {base}: run benchmarks/fetch_relevance_data.py first")
    net_bioasq, net_pqa = set(), set()
    shared = SHARED / "data" / "pubmed_qa"
    if shared.is_dir():
        for line in (shared / "bioasq12b_golden_net_related.jsonl").read_text().splitlines():
            net_bioasq.add(json.loads(line)["id"])
        for line in (shared / "pubmedqa_pqal_net_related.jsonl").read_text().splitlines():
            net_pqa.add(str(json.loads(line)["pmid"]))
    corpus: dict[str, list[str]] = {}
    questions: list[Question] = []
    for batch in range(1, 5):
        for q in json.loads((base / f"12B{batch}_golden.json").read_text())["questions"]:
            for snip in q.get("snippets", []):
                texts = corpus.setdefault(_pmid(snip["document"]), [])
                text = " ".join(snip["text"].split())
                if text and text not in texts:
                    texts.append(text)
            rel = frozenset(_pmid(d) for d in q["documents"])
            questions.append(Question(q["id"], q["body"], rel, "bioasq", batch == 1, q["id"] in net_bioasq))
    test_ids = set(json.loads((base / "test_ground_truth.json").read_text()))
    for pmid, item in json.loads((base / "ori_pqal.json").read_text()).items():
        corpus.setdefault(pmid, []).append(" ".join(" ".join(item["CONTEXTS"]).split()))
        questions.append(
            Question(
                pmid, item["QUESTION"], frozenset([pmid]), "pubmedqa", pmid not in test_ids, pmid in net_pqa
            )
        )
    questions = [
        Question(q.qid, q.text, q.relevant & corpus.keys(), q.source, q.dev, q.net) for q in questions
    ]
    return [q for q in questions if q.relevant], corpus


def build_home(corpus: dict[str, list[str]], with_cards: bool) -> Path:
    from netnav.engine import Engine
    from netnav.types.documents import Document, Passage

    digest = hashlib.sha256(json.dumps(corpus, sort_keys=True).encode()).hexdigest()[:12]
    home = relevance_dir() / f"home-{digest}{'' if with_cards else '-nocards'}"
    done = home / "built.ok"
    engine = Engine(home)
    if not done.is_file():
        t0 = time.perf_counter()
        for pmid, texts in corpus.items():
            doc = Document(
                id=f"pmid-{pmid}",
                kind="research",
                title=f"PubMed {pmid}",
                format="pubmed",
                identifiers={"pmid": pmid},
            )
            passages, offset = [], 0
            for i, text in enumerate(texts):
                pid = hashlib.sha256(f"{doc.id}|{i}|{text}".encode()).hexdigest()[:32]
                passages.append(
                    Passage(id=pid, doc_id=doc.id, ordinal=i, text=text, start=offset, end=offset + len(text))
                )
                offset += len(text) + 2
            engine.store.add_document(doc, passages)
        if not with_cards:
            engine.store.set_meta("knowledge_fingerprint", "none")
        print(
            f"[relevance] stored {len(corpus)} articles in {time.perf_counter() - t0:.1f} s; embedding",
            flush=True,
        )
    if not with_cards:
        from netnav import engine as engine_module

        engine_module.knowledge_fingerprint = lambda: "none"  # type: ignore[assignment]
    t0 = time.perf_counter()
    engine.ensure_index(
        lambda stage, i, n: print(f"  {stage} {i}/{n}", flush=True) if i % 2048 < 256 else None
    )
    print(f"[relevance] index ready in {time.perf_counter() - t0:.1f} s", flush=True)
    done.write_text("ok")
    engine.close()
    return home


def ndcg(ranked_pmids: Sequence[str | None], relevant: frozenset[str]) -> float:
    seen: list[str | None] = []
    for p in ranked_pmids:
        if p is None or p not in seen:
            seen.append(p)
        if len(seen) == K:
            break
    dcg = sum(1.0 / math.log2(i + 2) for i, p in enumerate(seen) if p in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(K, len(relevant))))
    return dcg / ideal


def bootstrap(values: Sequence[float], boot: int, seed: int = 1) -> tuple[float, float]:
    rng = random.Random(seed)
    n = len(values)
    means = sorted(sum(values[rng.randrange(n)] for _ in range(n)) / n for _ in range(boot))
    return means[int(0.025 * boot)], means[int(0.975 * boot) - 1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--no-cards", action="store_true", help="corpus without the built-in cards")
    ap.add_argument("--limit", type=int, default=0, help="first N questions only (smoke run)")
    args = ap.parse_args()
    print(machine())
    questions, corpus = load_data()
    if args.limit:
        questions = questions[: args.limit]
    print(
        f"{len(questions)} questions, {len(corpus)} articles, {sum(len(v) for v in corpus.values())} passages"
    )
    home = build_home(corpus, not args.no_cards)

    import numpy as np
    import yaml

    from netnav.engine import Engine
    from netnav.errors import NetNavError
    from netnav.retrieve import analyze, hybrid_search
    from netnav.retrieve.lexicon import Lexicon
    from netnav.retrieve.search import convex_fusion, query_tokens
    from netnav.store.index import tokenize

    engine = Engine(home)
    index = engine.ensure_index()
    store = engine.store
    pmid_of = [None if not d.startswith("pmid-") else d[5:] for d in index.doc_ids]
    old_search = old_module("src/netnav/retrieve/search.py", "netnav_old_search")
    import subprocess

    from _common import ROOT

    old_yaml = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{BASELINE_REV}:src/netnav/retrieve/data/lexicon.yaml"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    old_lex = {c.id: c for c in Lexicon.model_validate(yaml.safe_load(old_yaml)).concepts}

    def doc_pmids(cands: Sequence[Any]) -> list[str | None]:
        return [c.doc.identifiers.get("pmid") for c in cands]

    runs: dict[str, list[float]] = {}
    grid_lex: dict[float, list[float]] = {w: [] for w in GRID}
    grid_new: dict[float, list[float]] = {w: [] for w in GRID}
    cards_in_top = 0
    t_start = time.perf_counter()
    for n, q in enumerate(questions, start=1):
        qvec = engine.embedder.embed([q.text])[0]
        plain = index.search_lexical(tokenize([q.text])[0], POOL)
        dense = index.search_dense(qvec, POOL)
        runs.setdefault("bm25", []).append(ndcg([pmid_of[h.row] for h in plain], q.relevant))
        runs.setdefault("dense", []).append(ndcg([pmid_of[h.row] for h in dense], q.relevant))
        cos = {h.row: h.score for h in dense}
        extra = [h.row for h in plain if h.row not in cos]
        cos.update(zip(extra, index.cosines(extra, qvec).tolist(), strict=True))
        for w in GRID:
            fused = convex_fusion(plain, dense, cos, w)
            order = sorted(fused, key=lambda r: -fused[r])
            grid_lex[w].append(ndcg([pmid_of[r] for r in order], q.relevant))
        try:
            analysis = analyze(q.text, index.vocabulary())
        except NetNavError:
            for key in ("rrf_old", "netnav"):
                runs.setdefault(key, []).append(0.0)
            for w in GRID:
                grid_new[w].append(0.0)
            continue
        old_exp: list[str] = []
        for e in analysis.entities:
            for term in old_lex[e.concept_id].expand if e.concept_id in old_lex else []:
                if term.lower() not in old_exp:
                    old_exp.append(term.lower())
        old_analysis = analysis.model_copy(update={"expansion": old_exp})
        rrf = old_search.hybrid_search(index, store, old_analysis, qvec, k=POOL)
        runs.setdefault("rrf_old", []).append(ndcg(doc_pmids(rrf), q.relevant))
        expanded = index.search_lexical(query_tokens(analysis), POOL)
        cos_x = dict(cos)
        extra = [h.row for h in expanded if h.row not in cos_x]
        cos_x.update(zip(extra, index.cosines(extra, qvec).tolist(), strict=True))
        for w in GRID:  # hybrid_search's fusion without the store round trip (every passage is current)
            fused = convex_fusion(expanded, dense, cos_x, w)
            order = sorted(fused, key=lambda r: (-fused[r], index.ids[r]))
            grid_new[w].append(ndcg([pmid_of[r] for r in order], q.relevant))
        new = hybrid_search(index, store, analysis, qvec, k=POOL)
        runs.setdefault("netnav", []).append(ndcg(doc_pmids(new), q.relevant))
        without_cards = [c for c in new if c.doc.format != "card"]  # what cards cost the articles
        runs.setdefault("netnav_no_cards", []).append(ndcg(doc_pmids(without_cards), q.relevant))
        cards_in_top += any(c.doc.format == "card" for c in new[:K])
        if n % 200 == 0:
            print(f"  {n}/{len(questions)} questions, {time.perf_counter() - t_start:.0f} s", flush=True)
    dev = [i for i, q in enumerate(questions) if q.dev]
    best_lex = max(GRID, key=lambda w: float(np.mean([grid_lex[w][i] for i in dev])))
    best_new = max(GRID, key=lambda w: float(np.mean([grid_new[w][i] for i in dev])))
    runs["convex_base"] = grid_lex[best_lex]
    print(
        f"dense weight chosen on dev: convex baseline {best_lex}, NETNav {best_new} (in use: see search.py)"
    )
    print(
        "dev nDCG@10 by NETNav dense weight: "
        + ", ".join(f"{w}: {np.mean([grid_new[w][i] for i in dev]):.4f}" for w in GRID)
    )
    print(f"questions with a built-in card in NETNav's top {K}: {cards_in_top}")
    subsets: dict[str, Callable[[Question], bool]] = {
        "BioASQ (all 340)": lambda q: q.source == "bioasq",
        "BioASQ held-out (12B2-4)": lambda q: q.source == "bioasq" and not q.dev,
        "PubMedQA (all 1000)": lambda q: q.source == "pubmedqa",
        "PubMedQA held-out (test 500)": lambda q: q.source == "pubmedqa" and not q.dev,
        "NET subset (15)": lambda q: q.net,
    }
    names = ["bm25", "dense", "rrf_old", "convex_base", "netnav", "netnav_no_cards"]
    print()
    print(
        "| subset | n | "
        + " | ".join(names)
        + " | netnav - best single [95% CI] | netnav - convex_base [95% CI] |"
    )
    print("|---|---|" + "---|" * (len(names) + 2))
    for label, pred in subsets.items():
        idx = [i for i, q in enumerate(questions) if pred(q)]
        if not idx:
            continue
        cells = []
        for name in names:
            vals = [runs[name][i] for i in idx]
            lo, hi = bootstrap(vals, args.boot)
            cells.append(f"{np.mean(vals):.3f} [{lo:.3f}, {hi:.3f}]")
        single = max(("bm25", "dense"), key=lambda s: float(np.mean([runs[s][i] for i in idx])))
        diffs = []
        for other in (single, "convex_base"):
            d = [runs["netnav"][i] - runs[other][i] for i in idx]
            lo, hi = bootstrap(d, args.boot)
            diffs.append(
                f"{np.mean(d):+.3f} [{lo:+.3f}, {hi:+.3f}] ({other})"
                if other == single
                else f"{np.mean(d):+.3f} [{lo:+.3f}, {hi:+.3f}]"
            )
        print(f"| {label} | {len(idx)} | " + " | ".join(cells) + " | " + " | ".join(diffs) + " |")
    print(f"\nload average at the end: {machine().rsplit('load average ', 1)[-1]}")


if __name__ == "__main__":
    main()
