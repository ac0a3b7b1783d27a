"""Documents and passages: what the store holds and what citations point at."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from netnav.types.base import Frozen

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
    status: Literal["current", "superseded", "withdrawn"] = "current"
    meta: dict[str, str] = Field(default_factory=dict)


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
    def from_row(cls, doc: Document, passages: int, builtin: bool, added_at: str) -> SourceRow:
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
            passages=passages,
            builtin=builtin,
            added_at=added_at,
        )
