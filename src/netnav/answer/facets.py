"""What a question asks: its parts (facets), each with a question type and the terms that answer it, and
the evidence split into self-contained chunks scored against each facet.

A chunk is a sentence plus the sentences right after it that lean on it ("It...", "They...", "In that
case..."), so a sentence is never shown without its antecedent."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from netnav.answer.sentences import content_tokens
from netnav.retrieve.analyze import Analysis, find_entities, informative_terms

QuestionType = str  # one of QUESTION_TYPES
QUESTION_TYPES = (
    "regimen",
    "when",
    "approval",
    "side_effects",
    "eligibility",
    "comparison",
    "number",
    "yes_no",
    "what",
)

_TYPE_CUES: tuple[tuple[QuestionType, re.Pattern[str]], ...] = (
    (
        "side_effects",
        re.compile(r"\bside[- ]?effects?|\btoxicit|\badverse|\btolerab|\bsafety\b|\bsores?\b", re.I),
    ),
    (
        "regimen",
        re.compile(
            r"\bregimen|\bschedule\b|\bdos(e|es|ing|age)\b|\bhow (is|are) (it|they) given\b|"
            r"\bhow many (sessions|treatments|cycles|doses|injections|rounds|infusions|shots)\b|"
            r"\bhow long (does|will|is) (the |a |my |his |her )?(\w+ ){0,2}(take|last)\b|\bhow often\b",
            re.I,
        ),
    ),
    ("when", re.compile(r"^\s*when\b|\bwhat (year|date)\b|\bwhen (was|were|did|is)\b|\bdate\b", re.I)),
    ("approval", re.compile(r"\bapprov|\blabel(l)?ed\b|\bindications?\b|\bFDA\b", re.I)),
    (
        "eligibility",
        re.compile(
            r"\beligib|\bqualif|\bcandidate|\bcriteria\b|\bcan (i|he|she|we|they|kids|children|"
            r"teenagers) (still )?(get|have|receive)\b",
            re.I,
        ),
    ),
    (
        "comparison",
        re.compile(
            r"\bworse than\b|\bmore (dangerous|aggressive|serious) than\b|"
            r"\bdiff[ea]r(?!entiat)|\bvs\.?\b|\bversus\b|\bcompar|\bbetter than\b|"
            r"\bwhich is better\b|\bor\b.{1,40}\bwhich\b",
            re.I,
        ),
    ),
    (
        "number",
        re.compile(
            r"\b(orr|pfs|os|hr|hazard ratio|response rate|survival|how (common|often|many|much)|"
            r"show(ed|n)?|results?|"
            r"find|found|outcomes?|benefit|data)\b",
            re.I,
        ),
    ),
)
_YES_NO = re.compile(
    r"(^|[,;:?.]\s*|\b(and|but|so)\s+)(is|are|can|could|does|do|did|should|will|would|was|were|"
    r"has|have|may|might)\b"
    r"(?!\s+(you|anyone) (tell|explain))",
    re.I,
)
_FACET_SPLIT = re.compile(
    r"\?\s+|;\s*|,?\s+\band\s+(?=(what|how|which|when|is|are|can|does|do|should|who|why|where)\b)", re.I
)
_ANAPHOR = re.compile(
    r"^(it|its|they|their|them|this|these|that|those|such|he|she|here|there are|both|however|but|also|"
    r"in (that|this|such) case|in addition|as a result|for (this|that) reason|otherwise|instead|then)\b"
    r"|^(several|some|many|most|others|all|each|one|none|few) (have|has|are|is|were|was|can|may|"
    r"of (them|these|those))\b"
    r"|^the (exception|same|other|latter|former|rest)\b"
    r"|^(\w+ ){0,3}(these|those|such) (tumou?rs|drugs|medicines|patients|people|cases|results|trials|studies|"
    r"approvals|treatments|cells|cancers|findings|scans|tests)\b",
    re.I,
)


# Umbrella disease words shared by nearly all evidence: naming them says little about what is asked.
UMBRELLA = frozenset({"nen", "net", "nec", "gep-net"})


@dataclass(frozen=True)
class Facet:
    text: str
    qtype: QuestionType
    yes_no: bool
    concepts: frozenset[str]
    terms: frozenset[str]  # stemmed content words
    info: frozenset[str] = frozenset()  # the informative ones (not concepts, not scaffolding): weigh more
    names: frozenset[str] = frozenset()  # stemmed words of the concept mentions (e.g. a trial's name)
    mentioned: frozenset[str] = frozenset()  # every concept the part names, umbrella tumour words included


def question_type(text: str) -> QuestionType:
    for qtype, cue in _TYPE_CUES:
        if cue.search(text):
            return qtype
    return "yes_no" if _YES_NO.search(text) else "what"


def split_facets(analysis: Analysis) -> list[Facet]:
    """The parts of a question ("What is CAPTEM and what side effects should he expect?" has two); a part
    that names no concept of its own inherits the question's concepts."""
    text = analysis.question
    parts = [p.strip(" ,.?") for p in _FACET_SPLIT.split(text) if p and p.strip(" ,.?")]
    parts = [p for p in parts if p.lower() not in QUESTION_WORDS and len(p.split()) >= 2] or [text]
    all_concepts = frozenset(e.concept_id for e in analysis.entities if e.concept_id not in UMBRELLA)
    facets = []
    for part in parts:
        mentions = [e for e in find_entities(part) if e.concept_id not in UMBRELLA]
        own = frozenset(e.concept_id for e in mentions)
        info = frozenset(informative_terms(part))
        facets.append(
            Facet(
                text=part,
                qtype=question_type(part),
                yes_no=bool(_YES_NO.search(part)),
                concepts=own or all_concepts,
                terms=info | frozenset(content_tokens(part)),
                info=info,
                names=frozenset(content_tokens(" ".join(e.matched for e in mentions))),
                mentioned=frozenset(e.concept_id for e in find_entities(part)),
            )
        )
    return facets


QUESTION_WORDS = frozenset(
    {"what", "how", "which", "when", "is", "are", "can", "does", "do", "should", "who", "why"}
)


@dataclass
class Chunk:
    """Consecutive sentences of one evidence item that belong together."""

    item: int  # index of the evidence item
    position: int  # order within the item
    sentences: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def is_anaphoric(sentence: str) -> bool:
    """True when a sentence leans on the one before it ("It can start in...", "In that case...")."""
    return bool(_ANAPHOR.match(sentence))


def chunk_sentences(item: int, sentences: list[str], first_is_start: bool = True) -> list[Chunk]:
    """Group sentences so that each anaphoric sentence stays with the one before it. When `first_is_start`
    is False (an extract from the middle of a passage) a leading anaphoric sentence is dropped."""
    chunks: list[Chunk] = []
    for sentence in sentences:
        if _ANAPHOR.match(sentence) and chunks:
            chunks[-1].sentences.append(sentence)
            continue
        if _ANAPHOR.match(sentence) and not first_is_start and not chunks:
            continue
        chunks.append(Chunk(item=item, position=len(chunks), sentences=[sentence]))
    return chunks


_DATE = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december)\b|"
    r"\b(19|20)\d\d\b",
    re.I,
)
_AE = re.compile(
    r"\bside effects?|\badverse|\btoxicit|\bnausea|\bvomit|\bdiarrh|\bfatigue|\btired|"
    r"\bstomatitis|\bmouth (sores|ulcers)|"
    r"\brash|\bgallstone|\bcramp|\bhand[- ]foot|\bblood counts?|\bneutropenia|\bhypertension|"
    r"\bhigh blood pressure|"
    r"\bkidney|\bleuk|\bmyelodysplastic|\bhair",
    re.I,
)
_APPROVAL = re.compile(r"\bapprov|\bFDA\b|\bindicat|\blabel|\boff-label\b", re.I)
_CONDITION = re.compile(
    r"\bonly (if|when|for|works if)|\brequir|\bmust\b|\beligib|\bat least\b|\bprovided\b|\bif\b|"
    r"\bunless\b|\bdepend",
    re.I,
)
_REGIMEN = re.compile(
    r"\d+(\.\d+)?\s*(GBq|mCi|mg|µg|mcg)\b|\bevery \d+ (weeks|days)|\bcycles?\b|\bdaily\b", re.I
)
_NUMBER = re.compile(r"\d+(\.\d+)?\s*(%|months?|mut|per cent|percent)|\bHR\b|hazard ratio", re.I)


# What a chunk must contain to answer each question type (a date for "when", side effects for "side effects").
TYPE_CUES: dict[QuestionType, re.Pattern[str]] = {
    "regimen": _REGIMEN,
    "when": _DATE,
    "approval": _APPROVAL,
    "side_effects": _AE,
    "eligibility": _CONDITION,
    "number": _NUMBER,
}


def chunk_score(chunk: Chunk, facet: Facet, concept_hits: set[str]) -> float:
    """How well a chunk answers a facet: facet words it shares, the facet's concepts it names, and the
    kind of content the question type asks for (a date for "when", side effects for "side effects"...)."""
    text = chunk.text
    words = content_tokens(text)
    score = (
        float(len(words & facet.terms))
        + float(len(words & facet.info))
        + 4.0 * len(words & facet.names)
        + 2.0 * len(concept_hits & facet.concepts)
    )
    cue = TYPE_CUES.get(facet.qtype)
    if cue is not None and cue.search(text):
        score += 3.0
    if facet.qtype == "approval" and _DATE.search(text):
        score += 1.0
    return score


# Words added to the lexical query for what a question type asks for (its evidence uses these words).
TYPE_EXPANSION: dict[QuestionType, tuple[str, ...]] = {
    "side_effects": ("side effects", "adverse events", "toxicity", "long-term risks"),
    "when": ("approved", "date"),
    "approval": ("approved", "FDA", "indication"),
    "eligibility": ("eligible", "requires", "criteria"),
    "comparison": ("compared", "head-to-head", "difference"),
    "regimen": ("dose", "schedule", "cycles"),
    "number": ("results", "rate"),
}


def type_expansion(analysis: Analysis) -> list[str]:
    """Query words for the question types of all facets (e.g. "adverse events" for a side-effects ask)."""
    out: list[str] = []
    for facet in split_facets(analysis):
        out.extend(w for w in TYPE_EXPANSION.get(facet.qtype, ()) if w not in out)
    return out
