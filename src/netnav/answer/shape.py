"""The "In short" summary, shaped by what was asked: per facet the chunk that answers it best, and for
yes/no questions a lead word (yes / no / it depends / not usually) read off that chunk."""

from __future__ import annotations

import re
from collections.abc import Sequence

from netnav.answer.facets import TYPE_CUES, Chunk, Facet, chunk_score
from netnav.retrieve.lexicon import load_lexicon

MAX_SUMMARY_CHUNKS = 3
MIN_ANSWER_SCORE = 2.0  # a facet counts as answered when some chunk scores at least this
RANK_WEIGHT = 3.0  # retrieval's own order still counts: the top item gets +3, the second +1.5...
SECOND_CHUNK_SHARE = 0.6  # a one-part question also gets the best chunk of another item scoring this close
LATER_CHUNK_PENALTY = 1.0  # an item's opening chunk usually states its point

_NEGATION = re.compile(
    r"\b(no|not|none|never|neither|nor|cannot|can't|isn't|aren't|doesn't|don't|wasn't|weren't|without|"
    r"off-label|unapproved|excluded)\b",
    re.I,
)
_CONDITION = re.compile(
    r"\bonly (if|when|works if|work if|for)\b|\brequires?\b|\bneeds? to\b|\bmust\b|\bdepends?\b|\bprovided\b|"
    r"\bas long as\b|\bunless\b|\bat least as\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(sometimes|in some|some people|a smaller number|a minority|most (are|happen|\w+s) by chance|"
    r"not all|may or may not)\b",
    re.I,
)
_LIMITED = re.compile(
    r"\b(low|limited|modest|few|rarely|rare|uncommon|little|small minority|minimal)\b", re.I
)


def concepts_in(text: str, wanted: frozenset[str]) -> set[str]:
    """Which of the `wanted` concept ids `text` names (only their patterns are tried)."""
    return {c.id for c, pattern in load_lexicon().patterns if c.id in wanted and pattern.search(text)}


def lead_word(chunk_text: str, facet: Facet | None = None) -> str | None:
    """The direct answer to a yes/no question, read off the chunk that answers it: "It depends." (the chunk
    states a condition), "No." (it opens with a negation), "Not usually." (it opens with a limitation),
    "Sometimes." (it hedges), "Yes." (it names everything asked, including the tumour type, with the kind
    of content the question type needs and no negation). None when the chunk does not name the facet's
    own concepts, or for comparisons (a "yes" would not say which)."""
    if facet is not None and facet.qtype == "comparison":
        return None
    named = concepts_in(chunk_text, facet.concepts) if facet is not None else set()
    wanted = facet.concepts if facet is not None else frozenset()
    if wanted and not named:
        return None
    head = " ".join(chunk_text.split()[:14])
    if _CONDITION.search(chunk_text):
        return "It depends."
    if _NEGATION.search(head):
        return "No."
    if _LIMITED.search(head):
        return "Not usually."
    if _HEDGE.search(chunk_text):
        return "Sometimes."
    everything = facet.concepts | facet.mentioned if facet is not None else frozenset()
    cue = TYPE_CUES.get(facet.qtype) if facet is not None else None
    if (
        _NEGATION.search(chunk_text)
        or _LIMITED.search(chunk_text)
        or concepts_in(chunk_text, everything) != set(everything)
        or (cue is not None and not cue.search(chunk_text))
    ):
        return None
    return "Yes."


def best_chunks(
    chunks: Sequence[Chunk], facets: Sequence[Facet], rank_weight: float = RANK_WEIGHT
) -> tuple[list[tuple[Facet, Chunk | None, float]], dict[int, float]]:
    """Per facet its best chunk (None when nothing scores), and per chunk id its best score over facets.
    Earlier evidence (higher retrieval rank) gets a small bonus."""
    wanted = frozenset().union(*(f.concepts for f in facets)) if facets else frozenset()
    hits = {id(c): concepts_in(c.text, wanted) for c in chunks}
    best_per_chunk: dict[int, float] = {}
    picks: list[tuple[Facet, Chunk | None, float]] = []
    for facet in facets:
        top: tuple[float, Chunk | None] = (0.0, None)
        runner_up: tuple[float, Chunk | None] = (0.0, None)
        for chunk in chunks:
            score = chunk_score(chunk, facet, hits[id(chunk)])
            best_per_chunk[id(chunk)] = max(best_per_chunk.get(id(chunk), 0.0), score)
            ranked = score + rank_weight / (1 + chunk.item) - (LATER_CHUNK_PENALTY if chunk.position else 0.0)
            if score > 0 and ranked > top[0]:
                if top[1] is not None and top[1].item != chunk.item:
                    runner_up = top
                top = (ranked, chunk)
            elif score > 0 and ranked > runner_up[0] and top[1] is not None and chunk.item != top[1].item:
                runner_up = (ranked, chunk)
        picks.append((facet, top[1], top[0]))
        if len(facets) == 1 and runner_up[1] is not None and runner_up[0] >= SECOND_CHUNK_SHARE * top[0]:
            picks.append((facet, runner_up[1], runner_up[0]))
    return picks, best_per_chunk
