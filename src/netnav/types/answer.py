"""The answer contract (`ask --json`), see DESIGN.md."""

from __future__ import annotations

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
