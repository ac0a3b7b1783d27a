"""Documents and passages: what the store holds and what citations point at."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, Field

from netnav.types.base import Frozen, one_of

# What kind of document a source is (contract additions 2026-11-29); see netnav.knowledge.sources.
SourceType = Literal[
    "label", "fda_notice", "guideline", "official_summary", "journal", "registry", "press", "other"
]
# A document's standing: superseded (a newer version exists), withdrawn (indication removed), retracted (a
# retracted publication: never used as support, shown as retracted if listed).
DocStatus = Literal["current", "superseded", "withdrawn", "retracted"]
EvidenceKind = Literal["guideline", "label", "research", "trial", "education", "experience", "document"]
EVIDENCE_KINDS: tuple[EvidenceKind, ...] = (
    "guideline",
    "label",
    "research",
    "trial",
    "education",
    "experience",
    "document",
)


def parse_evidence_kind(value: str) -> EvidenceKind:
    """`value` as an EvidenceKind; raises `BadInputError` naming the accepted kinds."""
    return one_of(value, EVIDENCE_KINDS, "unknown evidence kind {value}; use one of {choices}")


class CardMeta(Frozen):
    """What a built-in knowledge card carries besides its text. Stored as `Document.meta` (string values:
    lists comma-joined or JSON, as `to_meta` writes them); read back with `Document.card`."""

    card_id: str
    topics: list[str] = Field(default_factory=list)
    applies_to: list[str] = Field(default_factory=list)
    sources_json: str = "[]"  # the card's sources, JSON (shown with citations)
    reviewed: str = ""  # ISO date the card was last checked against its sources
    questions: list[str] = Field(default_factory=list)  # questions to ask the care team
    status_note: str | None = None
    status_date: str | None = None
    source_type: str = ""  # type of the card's first source (netnav.knowledge.sources)

    def to_meta(self) -> dict[str, str]:
        meta = {
            "card_id": self.card_id,
            "topics": ",".join(self.topics),
            "applies_to": ",".join(self.applies_to),
            "sources": self.sources_json,
            "reviewed": self.reviewed,
        }
        if self.questions:
            meta["questions"] = json.dumps(self.questions)
        if self.status_note:
            meta["status_note"] = self.status_note
        if self.status_date:
            meta["status_date"] = self.status_date
        if self.source_type:
            meta["source_type"] = self.source_type
        return meta

    @classmethod
    def from_meta(cls, meta: dict[str, str]) -> CardMeta:
        def _list(key: str) -> list[str]:
            return [t for t in meta.get(key, "").split(",") if t]

        return cls(
            card_id=meta.get("card_id", ""),
            topics=_list("topics"),
            applies_to=_list("applies_to"),
            sources_json=meta.get("sources", "[]"),
            reviewed=meta.get("reviewed", ""),
            questions=[str(q) for q in json.loads(meta.get("questions", "[]"))],
            status_note=meta.get("status_note"),
            status_date=meta.get("status_date"),
            source_type=meta.get("source_type", ""),
        )


class Document(Frozen):
    """One source: an ingested file or a built-in knowledge card."""

    id: str  # content hash (sha256 hex prefix) of the normalised text
    kind: EvidenceKind
    title: str
    source_path: str | None = None  # file path for ingested documents; "card:<id>" for built-in cards
    format: str  # txt, md, html, pdf, pubmed, spl, ctgov-json, ctgov-xml, card
    publisher: str | None = None
    year: int | None = None
    version: str | None = None
    identifiers: dict[str, str] = Field(default_factory=dict)  # pmid, doi, nct, url, setid, ...
    status: DocStatus = "current"
    meta: dict[str, str] = Field(default_factory=dict)  # source_type, status_flags, retraction_pmid, ...

    @property
    def is_card(self) -> bool:
        """True for a built-in knowledge card (written in our own words), False for an ingested file."""
        return self.format == "card"

    @property
    def card(self) -> CardMeta | None:
        """The card's typed metadata; None for an ingested document."""
        return CardMeta.from_meta(self.meta) if self.is_card else None


class Passage(Frozen):
    """A chunk of a document, cut on section/paragraph boundaries."""

    id: str  # content hash of (doc_id, start, text)
    doc_id: str
    ordinal: int  # order within the document
    text: str
    start: int  # char offset into the document's full text
    end: int
    page: int | None = None  # 1-based page for paginated formats
    section: str | None = None  # nearest section heading
    plain: str | None = None  # patient wording (built-in cards only)
    meta: dict[str, str] = Field(default_factory=dict)


class StoredDocument(Frozen):
    """A document as the store lists it: with its passage count, whether it is built-in, when it was added."""

    doc: Document
    passages: int
    builtin: bool
    added_at: str


class SourceRow(BaseModel):
    """One row of `netnav sources` / `GET /api/sources`: a document with its passage count (no file path)."""

    id: str
    kind: EvidenceKind
    title: str
    format: str
    publisher: str | None = None
    year: int | None = None
    version: str | None = None
    identifiers: dict[str, str] = Field(default_factory=dict)
    status: str
    passages: int
    builtin: bool
    added_at: str

    @classmethod
    def of(cls, row: StoredDocument) -> SourceRow:
        doc = row.doc
        return cls(
            id=doc.id,
            kind=doc.kind,
            title=doc.title,
            format=doc.format,
            publisher=doc.publisher,
            year=doc.year,
            version=doc.version,
            identifiers=doc.identifiers,
            status=doc.status,
            passages=row.passages,
            builtin=row.builtin,
            added_at=row.added_at,
        )
