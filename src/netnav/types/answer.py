"""The answer contract (`ask --json`), see DESIGN.md."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from netnav.types.base import Frozen
from netnav.types.documents import EvidenceKind, SourceType


class Sentence(Frozen):
    text: str
    citations: list[int]


class Section(Frozen):
    kind: EvidenceKind
    title: str
    sentences: list[Sentence]


class CitedPassage(Frozen):
    """One pinpoint passage of a cited source: the sentences used, verbatim for ingested documents, or the
    card's own wording (`verbatim` false) for built-in cards."""

    passage_id: str
    quote: str
    verbatim: bool


class Citation(Frozen):
    """One entry per source in an answer's list; a source's several passages share its number."""

    n: int
    passage_id: str  # the first passage cited
    source_id: str
    kind: EvidenceKind  # follows the source type (label only for label documents and FDA notices)
    title: str
    publisher: str | None = None
    year: int | None = None
    version: str | None = None
    identifiers: dict[str, str] = Field(default_factory=dict)
    quote: str  # the first passage's quote
    status: str = "current"  # current | superseded | withdrawn | retracted
    source_type: SourceType = "other"
    quote_is_verbatim: bool = False  # false: NETNav's own summary of the source, not the source's words
    passages: list[CitedPassage] = Field(default_factory=list)


RefusalKind = Literal["out_of_scope", "other_cancer", "dose_request", "no_evidence"]


class Urgent(Frozen):
    """A cited "contact your care team or emergency services now" message, shown above everything else."""

    text: str
    citations: list[int]


class Facet(Frozen):
    """One part of a (possibly multi-part) question and whether the answer addresses it."""

    text: str
    answered: bool


class Answer(Frozen):
    question: str
    audience: str
    abstained: bool
    abstain_reason: str | None = None
    summary: list[Sentence] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    personal: list[Sentence] = Field(default_factory=list)
    questions_to_ask: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    disclaimer: str
    timings_ms: dict[str, float] = Field(default_factory=dict)
    dropped_sentences: int = 0  # sentences removed by verification (unsupported by their passage)
    suggestion: str | None = None  # with abstention: what to ask instead
    urgent: Urgent | None = None
    refusal_kind: RefusalKind | None = None
    facets: list[Facet] = Field(default_factory=list)
    rewritten_from: str | None = None  # a follow-up: the message as typed, before it was made whole
