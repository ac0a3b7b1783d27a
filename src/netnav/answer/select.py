"""Evidence selection: relevance gate, near-duplicate removal, per-source caps."""

from __future__ import annotations

import re
from dataclasses import dataclass

from netnav.answer.sentences import content_tokens
from netnav.retrieve.analyze import Analysis, informative_terms
from netnav.retrieve.lexicon import GENERIC_CONCEPTS, load_lexicon
from netnav.retrieve.search import Candidate

MAX_EVIDENCE = 7
PER_SOURCE_CAP = 2  # passages from one ingested document
NEAR_DUPLICATE = 0.8  # Jaccard of content words
MIN_DENSE = 0.30  # cosine below which a passage is not about the question...
MIN_DENSE_ALONE = 0.45  # ...unless BM25 also found it; dense alone needs more


@dataclass(frozen=True)
class Evidence:
    candidate: Candidate
    rank: int


def relevant(c: Candidate) -> bool:
    if c.lexical_rank is not None and c.dense_score >= MIN_DENSE:
        return True
    return c.dense_score >= MIN_DENSE_ALONE


FOCUS_TYPES = frozenset({"drug", "syndrome", "biomarker", "test", "disease", "procedure", "concept"})


def focus_concepts(analysis: Analysis) -> set[str]:
    """The specific things a question names (a drug, a syndrome, a biomarker...)."""
    return {
        e.concept_id
        for e in analysis.entities
        if e.type in FOCUS_TYPES and e.concept_id not in GENERIC_CONCEPTS
    }


def mentions_focus(cand: Candidate, focus: set[str]) -> bool:
    text = _candidate_text(cand)
    return any(pattern.search(text) for concept, pattern in load_lexicon().patterns if concept.id in focus)


TOP_LEXICAL = 3  # BM25 ranks that, on the question's own focus, need less dense similarity...
MIN_DENSE_TOP_LEXICAL = (
    0.20  # ...(casual wording such as "afinitor giving me mouth sores" embeds far from cards)
)


def lexical_top(c: Candidate) -> bool:
    return (
        c.lexical_rank is not None
        and c.lexical_rank <= TOP_LEXICAL
        and c.dense_score >= MIN_DENSE_TOP_LEXICAL
    )


def is_question_card(cand: Candidate) -> bool:
    """Cards of discussion points for the care team: they feed "questions to ask", not the answer body."""
    card = cand.doc.card
    return card is not None and "questions" in card.topics


def card_questions(candidates: list[Candidate], limit: int = 3) -> list[str]:
    out: list[str] = []
    for cand in candidates:
        if is_question_card(cand) and relevant(cand):
            card = cand.doc.card
            out.extend(q for q in (card.questions if card else []) if q not in out)
    return out[:limit]


def _candidate_text(cand: Candidate) -> str:
    return " ".join(
        x
        for x in (
            cand.passage.section,
            cand.passage.text,
            cand.passage.plain,
            cand.doc.title if cand.doc.is_card else None,
        )
        if x
    )


def diseases_in(text: str) -> set[str]:
    return {c.id for c, pattern in load_lexicon().patterns if c.type == "disease" and pattern.search(text)}


def about_other_disease(cand: Candidate, case_diseases: set[str]) -> bool:
    """True when a passage names tumour types, none of which is the case's (or the umbrella 'NEN')."""
    named = diseases_in(_candidate_text(cand))
    return bool(named) and not (named & (case_diseases | {"nen"}))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def select_evidence(
    candidates: list[Candidate],
    analysis: Analysis,
    max_items: int | None = None,
    case_diseases: set[str] | None = None,
) -> list[Evidence]:
    """Relevant, on-focus, non-duplicate evidence. When the question names something specific, passages that
    never mention it are left out (unless none do, then the best few are kept). With a case, passages about
    a different tumour type only are left out."""
    candidates = [c for c in candidates if not is_question_card(c)]
    if case_diseases:
        candidates = [c for c in candidates if not about_other_disease(c, case_diseases)]
    focus = focus_concepts(analysis)
    if focus:
        on_focus = [c for c in candidates if mentions_focus(c, focus)]
        candidates = on_focus if on_focus else candidates[:3]
    on_focus_ids = {id(c) for c in candidates if focus and mentions_focus(c, focus)}
    chosen: list[Evidence] = []
    seen_words: list[set[str]] = []
    per_doc: dict[str, int] = {}
    for cand in candidates:
        if len(chosen) >= (max_items or MAX_EVIDENCE):
            break
        if not relevant(cand) and not (id(cand) in on_focus_ids and lexical_top(cand)):
            continue
        cap = 1 if cand.doc.is_card else PER_SOURCE_CAP
        if per_doc.get(cand.doc.id, 0) >= cap:
            continue
        words = content_tokens(cand.passage.text)
        if any(_jaccard(words, other) >= NEAR_DUPLICATE for other in seen_words):
            continue
        seen_words.append(words)
        per_doc[cand.doc.id] = per_doc.get(cand.doc.id, 0) + 1
        chosen.append(Evidence(cand, len(chosen) + 1))
    return chosen


def answered_in_kind(analysis: Analysis, evidence: list[Evidence]) -> bool:
    """True when every part of the question asks for a kind of content (a date, a schedule, side effects,
    conditions, results...) that the evidence contains: the question is answered in kind even if the
    asker's own words ("sessions", "next steps") do not appear."""
    from netnav.answer.facets import TYPE_CUES, split_facets

    facets = split_facets(analysis)
    texts = [_candidate_text(ev.candidate) for ev in evidence]
    return all(f.qtype in TYPE_CUES and any(TYPE_CUES[f.qtype].search(t) for t in texts) for f in facets)


MIN_ADDRESSED = 0.34  # share of a question's informative terms the evidence must mention


def unaddressed_terms(analysis: Analysis, evidence: list[Evidence]) -> list[str]:
    """The question's own words that no chosen evidence mentions, when they are most of what it asks
    about (e.g. "alcohol", "drink" in "Can I drink alcohol while on lanreotide?"), or the drugs it names
    when the evidence mentions none of them; empty when the ask is addressed."""
    drugs = unmentioned_drugs(analysis, evidence)
    if drugs:
        return drugs
    terms = informative_terms(analysis.question)
    if len(terms) < 2 or answered_in_kind(analysis, evidence):
        return []
    seen: set[str] = set()
    for ev in evidence:
        seen |= content_tokens(_candidate_text(ev.candidate))
    if len(terms & seen) / len(terms) >= MIN_ADDRESSED:
        return []
    missing = terms - seen
    words = re.findall(r"[A-Za-z][A-Za-z-]+", analysis.question)
    return [w for w in dict.fromkeys(words) if content_tokens(w) & missing]


def unmentioned_drugs(analysis: Analysis, evidence: list[Evidence]) -> list[str]:
    """The drugs the question names, when the chosen evidence mentions none of them by any of its names
    (e.g. "selpercatinib" answered with an everolimus card); empty otherwise."""
    named = analysis.of_type("drug")
    if not named or not evidence:
        return []
    lex = load_lexicon()
    text = " ".join(_candidate_text(ev.candidate) for ev in evidence).lower()
    for entity in named:
        concept = lex.concepts[entity.concept_id]
        names = {entity.matched.lower(), concept.canonical.lower(), *(n.lower() for n in concept.synonyms)}
        if any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w])", text) for n in names if n):
            return []
    return [e.matched for e in named]
