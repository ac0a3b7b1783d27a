"""Question analysis: spelling, intent, entities (drugs, biomarkers, sites...), query expansion, domain."""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import Field

from netnav.errors import InvalidQuestionError
from netnav.retrieve.lexicon import CompiledLexicon, ConceptType, Intent, load_lexicon
from netnav.settings import MAX_QUESTION_CHARS
from netnav.store.variants import american
from netnav.types.base import Frozen

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]+")
#: A question about what was done before or has been replaced: superseded and withdrawn evidence then
#: ranks like current evidence (netnav.retrieve.search.STALE_PENALTY). Everyday phrasings included:
#: "isn't used anymore", "any longer", "out of date", "why was it replaced", "taken off the market".
_HISTORY_CUES = re.compile(
    r"\b(still|withdraw|withdrawn|history|historically|previously|used to|no longer|superseded|old|"
    r"older|2010|any ?more|any longer|outdated|out[- ]of[- ]date|obsolete|old[- ]fashioned|replaced|"
    r"retired|discontinued|pulled|taken off|went away|gone out|not used|(?:stop|stopp)(?:ed|s)? using|"
    r"in the past|back then|formerly|earlier version)\b",
    re.IGNORECASE,
)


_NET_WORDS = re.compile(r"\b(neuroendocrine|carcinoid|merkel|small[- ]cell)\b", re.IGNORECASE)


class Entity(Frozen):
    concept_id: str
    type: ConceptType
    canonical: str
    matched: str


class Analysis(Frozen):
    question: str
    intent: Intent
    entities: list[Entity] = Field(default_factory=list)
    expansion: list[str] = Field(default_factory=list)
    in_domain: bool
    asks_history: bool = False
    original: str | None = None  # the question as typed, when spelling corrections changed it
    corrections: dict[str, str] = Field(default_factory=dict)  # typed word -> corrected word
    rewritten_from: str | None = None  # a follow-up made whole: the message as typed

    def has(self, concept_id: str) -> bool:
        return any(e.concept_id == concept_id for e in self.entities)

    def of_type(self, kind: ConceptType) -> list[Entity]:
        return [e for e in self.entities if e.type == kind]


def clean_question(question: str) -> str:
    text = " ".join(question.replace("\x00", " ").split())
    if not text:
        raise InvalidQuestionError("the question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidQuestionError(
            f"the question is too long ({len(text)} characters; limit {MAX_QUESTION_CHARS})"
        )
    if not _WORD.search(text):
        raise InvalidQuestionError("the question has no words in it")
    return text


def detect_intent(text: str) -> Intent:
    for intent, cues in load_lexicon().intents:
        if any(c.search(text) for c in cues):
            return intent
    return "definition"


def _find(text: str) -> tuple[list[Entity], set[str]]:
    """Entities in ``text`` and the ids of those found only through a `related` word (fresh containers:
    callers may extend them)."""
    entities, via_related = _find_memo(load_lexicon(), text)
    return list(entities), set(via_related)


@lru_cache(maxsize=1024)
def _find_memo(lex: CompiledLexicon, text: str) -> tuple[tuple[Entity, ...], frozenset[str]]:
    """`_find` memoised per lexicon and text: one ask looks for entities in the same question several
    times (analysis, answer assembly, ranking), each a pass over every lexicon pattern."""
    found: dict[str, Entity] = {}
    via_related: set[str] = set()
    for at, (concept, pattern) in enumerate(lex.patterns):
        if concept.id in found:
            continue
        match = pattern.search(text)
        if match:
            found[concept.id] = Entity(
                concept_id=concept.id, type=concept.type, canonical=concept.canonical, matched=match.group(0)
            )
            if at in lex.related_at:
                via_related.add(concept.id)
    return tuple(found.values()), frozenset(via_related)


def _find_any_spelling(text: str) -> tuple[list[Entity], set[str]]:
    """`_find` over the text as typed and, when it has British spellings, over its American form too
    (the lexicon need not list "oesophageal" beside "esophageal")."""
    entities, via_related = _find(text)
    us_text = american(text)
    if us_text == text:
        return entities, via_related
    seen = {e.concept_id for e in entities}
    more, more_related = _find(us_text)
    for entity in more:
        if entity.concept_id not in seen:
            entities.append(entity)
            if entity.concept_id in more_related:
                via_related.add(entity.concept_id)
    return entities, via_related


def find_entities(text: str) -> list[Entity]:
    return _find_any_spelling(text)[0]


def analyze(question: str, known_stems: frozenset[str] = frozenset()) -> Analysis:
    """Understand a question. `known_stems`: the search index's vocabulary, so that words found in the
    evidence are never taken for misspellings (see `netnav.retrieve.spelling`)."""
    from netnav.retrieve.spelling import speller

    typed = clean_question(question)
    text, fixes = speller().correct(typed, known_stems)
    entities, via_related = _find_any_spelling(text)
    lex = load_lexicon()
    expansion: list[str] = []
    for entity in entities:
        if entity.concept_id in via_related:  # a class member or sign is not a name: no expansion
            continue
        for term in lex.concepts[entity.concept_id].expand:
            if term.lower() not in expansion:
                expansion.append(term.lower())
    words = {w.lower() for w in _WORD.findall(text)}
    other_cancer = bool(lex.out_of_scope and lex.out_of_scope.search(text)) and not _NET_WORDS.search(text)
    in_domain = bool(entities) or (bool(words & lex.domain_words) and not other_cancer)
    return Analysis(
        question=text,
        intent=detect_intent(text),
        entities=entities,
        expansion=expansion,
        in_domain=in_domain,
        asks_history=bool(_HISTORY_CUES.search(text)),
        original=typed if fixes else None,
        corrections=fixes,
    )


def informative_terms(question: str) -> set[str]:
    """Stemmed content words of a question that are neither lexicon concepts nor question scaffolding
    ("what", "when", "show"...): what the asker specifically wants to know about."""
    return set(_informative_memo(load_lexicon(), question))


@lru_cache(maxsize=1024)
def _informative_memo(lex: CompiledLexicon, question: str) -> frozenset[str]:
    """`informative_terms` memoised per lexicon and question (asked several times per answer)."""
    from netnav.store.index import tokenize

    text = american(question)  # "oesophageal" is removed as the concept "esophageal" would be
    for _, pattern in lex.patterns:
        text = pattern.sub(" ", text)
    return frozenset(t for t in tokenize([text])[0] if t not in lex.question_words and not t.isdigit())
