"""The curated NET synonym/abbreviation lexicon (data file `data/lexicon.yaml`), validated at load."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from netnav.datafiles import load_yaml
from netnav.errors import KnowledgeError
from netnav.types.base import Frozen

ConceptType = Literal[
    "disease", "syndrome", "drug", "biomarker", "test", "grade", "site", "procedure", "trial", "concept"
]
Intent = Literal["definition", "eligibility", "risk", "treatment", "trial", "prognosis", "comparison"]


# Umbrella concepts that almost every passage shares; they do not narrow what a question is about.
GENERIC_CONCEPTS = frozenset(
    {
        "nen",
        "net",
        "nec",
        "gep-net",
        "grade",
        "differentiation",
        "trial-names",
        "immunotherapy",
        "metastasis",
        "prognosis",
        "response",
        "staging",
        "who-classification",
        "platinum-etoposide",
        "functioning",
        "imaging",
    }
)


class Concept(Frozen):
    id: str
    type: ConceptType
    canonical: str
    synonyms: list[str] = Field(default_factory=list)
    acronyms: list[str] = Field(default_factory=list)
    expand: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)  # detect the concept, add nothing to the query


class IntentCue(Frozen):
    intent: Intent
    cues: list[str]


class Lexicon(Frozen):
    version: str
    concepts: list[Concept]
    domain_words: list[str]
    out_of_scope: list[str] = Field(default_factory=list)
    question_words: list[str] = Field(default_factory=list)
    # Words of everyday phrasing that carry no medical content: kinship ("dad"), time ("yesterday"),
    # chat fillers ("pls"). Ignored when checking that the evidence addresses the question.
    filler_words: list[str] = Field(default_factory=list)
    # Everyday words the spelling check treats as known (so they are never "corrected").
    common_words: list[str] = Field(default_factory=list)
    # Lay wording for existing concepts (true synonyms only), kept apart from the curated synonyms above.
    lay_synonyms: dict[str, list[str]] = Field(default_factory=dict)
    intents: list[IntentCue]

    @model_validator(mode="after")
    def _lay_synonyms_name_concepts(self) -> Lexicon:
        known = {c.id for c in self.concepts}
        unknown = sorted(set(self.lay_synonyms) - known)
        if unknown:
            raise ValueError(f"lay_synonyms name unknown concepts: {unknown}")
        return self

    def with_lay_synonyms(self) -> list[Concept]:
        """The concepts with their lay synonyms merged in."""
        return [
            c.model_copy(update={"synonyms": c.synonyms + self.lay_synonyms.get(c.id, [])})
            for c in self.concepts
        ]


class CompiledLexicon:
    """Regexes compiled once per process."""

    def __init__(self, lex: Lexicon) -> None:
        self.lexicon = lex
        concepts = lex.with_lay_synonyms()
        self.concepts = {c.id: c for c in concepts}
        self.patterns: list[tuple[Concept, re.Pattern[str]]] = []
        self.related_at: set[int] = set()  # positions in `patterns` that match a `related` word
        for concept in concepts:
            for pattern in _concept_patterns(concept):
                self.patterns.append((concept, pattern))
        for concept in concepts:  # after every name, so a name anywhere in the text wins
            related = _word_pattern(concept.related)
            if related is not None:
                self.related_at.add(len(self.patterns))
                self.patterns.append((concept, related))
        self.domain_words = frozenset(w.lower() for w in lex.domain_words)
        self.out_of_scope = (
            re.compile(
                r"\b(?:"
                + "|".join(re.escape(w) for w in sorted(lex.out_of_scope, key=len, reverse=True))
                + r")\b",
                re.IGNORECASE,
            )
            if lex.out_of_scope
            else None
        )
        self.question_words = frozenset(w.lower() for w in lex.question_words) | _stems(lex.filler_words)
        self.intents = [(cue.intent, [re.compile(c, re.IGNORECASE) for c in cue.cues]) for cue in lex.intents]


def _stems(words: list[str]) -> frozenset[str]:
    from netnav.store.index import tokenize

    return frozenset(w.lower() for w in words) | frozenset(t for toks in tokenize(words) for t in toks)


def _word_pattern(terms: list[str]) -> re.Pattern[str] | None:
    """Case-insensitive whole-word alternation of ``terms`` (longest first), or None when empty."""
    words = sorted({s for s in terms if s.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternation = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w])", re.IGNORECASE)


def _concept_patterns(concept: Concept) -> list[re.Pattern[str]]:
    out: list[re.Pattern[str]] = []
    synonyms = _word_pattern(concept.synonyms)
    if synonyms is not None:
        out.append(synonyms)
    acronyms = sorted({a for a in concept.acronyms if a.strip()}, key=len, reverse=True)
    if acronyms:
        alternation = "|".join(re.escape(a) for a in acronyms)
        out.append(re.compile(rf"(?<![\w-])(?:{alternation})(?![\w])"))
    return out


@lru_cache(maxsize=1)
def load_lexicon() -> CompiledLexicon:
    path = resources.files("netnav.retrieve") / "data" / "lexicon.yaml"
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
        lex = Lexicon.model_validate(raw)
        compiled = CompiledLexicon(lex)
    except (yaml.YAMLError, ValidationError, re.error) as exc:
        raise KnowledgeError(f"lexicon.yaml is invalid: {exc}") from exc
    return compiled
