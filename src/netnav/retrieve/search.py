"""Hybrid retrieval: BM25 over expanded query ⊕ dense cosine, fused by reciprocal-rank fusion."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from netnav.retrieve.analyze import Analysis
from netnav.store.db import Store
from netnav.store.index import SearchIndex, tokenize
from netnav.types.documents import Document, Passage

RRF_K = 60
POOL = 40
STALE_PENALTY = 0.6  # superseded/withdrawn evidence ranks lower unless the question asks about history


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    doc: Document
    score: float  # fused RRF score
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


def hybrid_search(
    index: SearchIndex,
    store: Store,
    analysis: Analysis,
    query_vec: npt.NDArray[Any],
    k: int = 12,
    kinds: Sequence[str] | None = None,
    hidden_docs: Collection[str] = (),
) -> list[Candidate]:
    """`hidden_docs`: documents that must never be returned (other sessions' private uploads)."""
    mask = index.visible_mask(kinds, hidden_docs)
    lexical = index.search_lexical(query_tokens(analysis), POOL, mask)
    dense = index.search_dense(query_vec, POOL, mask)
    fused: dict[int, float] = {}
    lex_rank: dict[int, int] = {}
    lex_score: dict[int, float] = {}
    dense_rank: dict[int, int] = {}
    for rank, hit in enumerate(lexical, start=1):
        fused[hit.row] = fused.get(hit.row, 0.0) + 1.0 / (RRF_K + rank)
        lex_rank[hit.row] = rank
        lex_score[hit.row] = hit.score
    for rank, hit in enumerate(dense, start=1):
        fused[hit.row] = fused.get(hit.row, 0.0) + 1.0 / (RRF_K + rank)
        dense_rank[hit.row] = rank
    for row in [r for r in fused if index.statuses[r] == "retracted"]:
        del fused[row]  # retracted publications are never used as support
    if not analysis.asks_history:
        for row in fused:
            if index.statuses[row] != "current":
                fused[row] *= STALE_PENALTY
    order = sorted(fused, key=lambda r: (-fused[r], index.ids[r]))[:k]
    rows = store.passages_by_ids([index.ids[r] for r in order])
    sims = index.vectors[order] @ query_vec if order else np.zeros(0)
    out: list[Candidate] = []
    for i, row in enumerate(order):
        found = rows.get(index.ids[row])
        if (
            found is None or found[1].id in hidden_docs
        ):  # index older than the store: skip quietly, the engine rebuilds on change
            continue
        passage, doc = found
        out.append(
            Candidate(
                passage,
                doc,
                fused[row],
                lex_rank.get(row),
                dense_rank.get(row),
                float(sims[i]),
                lex_score.get(row, 0.0),
            )
        )
    return out
