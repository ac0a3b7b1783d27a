"""The answer contract (`ask --json`), see DESIGN.md."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from netnav.types.base import Frozen
from netnav.types.documents import EvidenceKind


class Sentence(Frozen):
    text: str
    citations: list[int]


class Section(Frozen):
    kind: EvidenceKind
    title: str
    sentences: list[Sentence]


class Citation(Frozen):
    n: int
    passage_id: str
    source_id: str
    kind: EvidenceKind
    title: str
    publisher: str | None = None
    year: int | None = None
    version: str | None = None
    identifiers: dict[str, str] = Field(default_factory=dict)
    quote: str
    status: str = "current"


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
