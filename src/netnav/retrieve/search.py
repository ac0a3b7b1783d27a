"""Hybrid retrieval: BM25 over the (synonym-)expanded query ⊕ dense cosine, fused by a convex combination
of normalised scores (the default for answers) or by reciprocal ranks.

Convex normalisation (Bruch, Gai & Ingber, "An Analysis of Fusion Functions for Hybrid Retrieval", ACM
TOIS 2023, doi:10.1145/3596512): BM25 scores are divided by the best one (BM25's minimum is 0) and
cosines are scaled between a fixed floor and the best dense hit, so a cosine difference counts in
proportion to its size (min-max over the candidate pool divided it by the pool's spread: in a flat pool
a difference of 0.005 counted as much as one of 0.2 in a sharp pool). The floor (-0.5) and the dense
weight (0.85) were chosen together on dev data only (benchmarks/choose_fusion.py): the NET dev question
set's whole-answer coverage first, then nDCG@10 on the relevance benchmark's dev split. A passage the
lexical pool does not hold scores 0 on that side; a passage only in the lexical pool gets its exact
cosine, so both sides are defined for every candidate.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy.typing as npt

from netnav.retrieve.analyze import Analysis
from netnav.retrieve.names import NumberedName, conflicts, numbered_names
from netnav.store.base import DocumentStore, RetrievalIndex
from netnav.store.index import tokenize
from netnav.store.vectors import Hit
from netnav.types.documents import Document, Passage

POOL = 40  # candidates taken from each retriever before fusion
#: Weight of the dense side and the cosine that scores 0 on it, chosen together on dev data only
#: (benchmarks/choose_fusion.py, 30 Nov 2026): among floors -1, -0.5, 0, 0.1 and weights 0.6..0.95, the
#: highest mean coverage of the NET dev question set (../shared/eval/questions.dev.jsonl) in a cards-only
#: and a cards + PDQ data home (1.000 for 21 of the 32 pairs), then the highest nDCG@10 on the relevance
#: benchmark's dev split (PubMedQA PQA-L outside its test split + BioASQ 12b batch 1; 585 questions):
#: 0.9647 at (-0.5, 0.85); neighbours 0.9630 (w 0.8) and 0.9642 (w 0.9) keep full NET dev coverage.
#: The earlier theoretical floor (-1, w 0.9: 0.9658) lost a NET dev fact in the PDQ home.
DENSE_WEIGHT = 0.85
COSINE_FLOOR = -0.5
#: Fusion used for answers. Convex since 30 Nov 2026: in one run it loses no fact on any NET answer set
#: against reciprocal-rank fusion (natural, held-out, held-out-b and dev sets, cards-only and cards + PDQ
#: homes) and ranks better on the external benchmark; see docs/performance.md. The two losses that kept
#: RRF were not about score scales: a NETTER-2 passage outranking NETTER-1's (the tokenizer drops the
#: trial number; netnav.retrieve.names) and a superseded card demoted for a question about why a scan is
#: no longer used (history cues, netnav.retrieve.analyze).
Fusion = Literal["rrf", "convex"]
FUSION: Fusion = "convex"
RRF_K = 60
#: A passage whose content words overlap a better-ranked one's this much (Jaccard) is the same text
#: (e.g. the "Latest updates to this summary" section every PDQ summary carries) and takes no slot; the
#: same threshold as the answer layer's near-duplicate removal (netnav.answer.select.NEAR_DUPLICATE).
NEAR_DUPLICATE = 0.8
FETCH_FACTOR = 2  # rows read from the store per wanted candidate, so dropped duplicates can be replaced
STALE_PENALTY = 0.6  # superseded/withdrawn evidence ranks lower unless the question asks about history


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    doc: Document
    score: float  # fused score (RRF, or convex in [0, 1]), before the stale penalty
    lexical_rank: int | None  # 1-based, None when BM25 did not return it
    dense_rank: int | None
    dense_score: float  # cosine similarity to the question
    lexical_score: float


def query_tokens(analysis: Analysis) -> list[str]:
    """Question tokens plus lexicon expansions (expansions once each, so they help without swamping)."""
    base = tokenize([analysis.question])[0]
    extra = (
        [t for t in tokenize([" ".join(analysis.expansion)])[0] if t not in base]
        if analysis.expansion
        else []
    )
    return base + extra


def convex_fusion(
    lexical: Sequence[Hit],
    dense: Sequence[Hit],
    cosine: dict[int, float],
    dense_weight: float,
    cosine_floor: float | None = None,
) -> dict[int, float]:
    """Fused score per row in [0, 1]: ``w * dense_norm + (1 - w) * lexical_norm`` (module docstring).

    ``cosine`` must hold the cosine of every row in ``lexical`` and ``dense``. Empty inputs give an
    empty result; with no lexical hits the order is the dense order.
    """
    if not lexical and not dense:
        return {}
    cosine_floor = COSINE_FLOOR if cosine_floor is None else cosine_floor
    lex_max = max((h.score for h in lexical), default=0.0)
    lex = {h.row: (h.score / lex_max if lex_max > 0 else 0.0) for h in lexical}
    pool_cos = [h.score for h in dense] or [cosine[h.row] for h in lexical]
    top, low = max(pool_cos), cosine_floor
    span = top - low
    fused: dict[int, float] = {}
    for row in {*lex, *(h.row for h in dense)}:
        d = (cosine[row] - low) / span if span > 0 else 1.0
        fused[row] = dense_weight * min(1.0, max(0.0, d)) + (1.0 - dense_weight) * lex.get(row, 0.0)
    return fused


def rrf_fusion(lexical: Sequence[Hit], dense: Sequence[Hit], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal-rank fusion: ``sum(1 / (k + rank))`` over both rankings (1-based ranks)."""
    fused: dict[int, float] = {}
    for hits in (lexical, dense):
        for rank, hit in enumerate(hits, start=1):
            fused[hit.row] = fused.get(hit.row, 0.0) + 1.0 / (k + rank)
    return fused


def hybrid_search(
    index: RetrievalIndex,
    store: DocumentStore,
    analysis: Analysis,
    query_vec: npt.NDArray[Any],
    k: int = 12,
    kinds: Sequence[str] | None = None,
    hidden_docs: Collection[str] = (),
    dense_weight: float = DENSE_WEIGHT,
    fusion: Fusion = FUSION,
) -> list[Candidate]:
    """The top ``k`` passages for the question, best first, as :class:`Candidate` rows.

    ``kinds`` keeps only those evidence kinds; `hidden_docs`: documents that must never be returned
    (other sessions' private uploads). Passages the store no longer holds are skipped.
    """
    mask = index.visible_mask(kinds, hidden_docs)
    lexical = index.search_lexical(query_tokens(analysis), POOL, mask)
    dense = index.search_dense(query_vec, POOL, mask)
    cosine = {h.row: h.score for h in dense}
    lex_only = [h.row for h in lexical if h.row not in cosine]
    if lex_only:
        cosine.update(zip(lex_only, index.cosines(lex_only, query_vec).tolist(), strict=True))
    fused = (
        convex_fusion(lexical, dense, cosine, dense_weight)
        if fusion == "convex"
        else rrf_fusion(lexical, dense)
    )
    lex_rank = {h.row: rank for rank, h in enumerate(lexical, start=1)}
    lex_score = {h.row: h.score for h in lexical}
    dense_rank = {h.row: rank for rank, h in enumerate(dense, start=1)}
    info = index.row_info(fused)  # row -> (passage id, status); rows deleted meanwhile are absent
    for row in [r for r in fused if r not in info or info[r][1] == "retracted"]:
        del fused[row]  # retracted publications are never used as support
    ranked = dict(fused)
    if not analysis.asks_history:
        for row in ranked:
            if info[row][1] != "current":
                ranked[row] *= STALE_PENALTY
    order = sorted(ranked, key=lambda r: (-ranked[r], info[r][0]))
    asked = numbered_names(analysis.question)
    if asked:  # the whole pool (at most 2 x POOL rows) is read, so a sibling's passages can move down
        rows = store.passages_by_ids([info[r][0] for r in order])
        order.sort(key=lambda r: r in info and _names_sibling(asked, rows.get(info[r][0])))
        order = order[: k * FETCH_FACTOR]
    else:
        order = order[: k * FETCH_FACTOR]
        rows = store.passages_by_ids([info[r][0] for r in order])
    out: list[Candidate] = []
    kept_words: list[set[str]] = []
    for row in order:
        if len(out) >= k:
            break
        found = rows.get(info[row][0])
        if (
            found is None or found[1].id in hidden_docs
        ):  # index older than the store: skip quietly, the engine rebuilds on change
            continue
        passage, doc = found
        words = set(tokenize([passage.text])[0])
        if any(_jaccard(words, other) >= NEAR_DUPLICATE for other in kept_words):
            continue  # boilerplate repeated across documents takes one slot, not several
        kept_words.append(words)
        out.append(
            Candidate(
                passage,
                doc,
                fused[row],
                lex_rank.get(row),
                dense_rank.get(row),
                float(cosine[row]),
                lex_score.get(row, 0.0),
            )
        )
    return out


def _names_sibling(asked: set[NumberedName], found: tuple[Passage, Document] | None) -> bool:
    """True when the passage names a sibling of a numbered name the question asks about (NETTER-2 for
    NETTER-1) and never the asked one: it then ranks after every other candidate (stable order)."""
    if found is None:
        return False
    passage = found[0]
    return conflicts(asked, " ".join(x for x in (passage.section, passage.text, passage.plain) if x))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
