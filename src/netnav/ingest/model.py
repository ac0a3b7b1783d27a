"""Intermediate values shared by the format parsers and the chunker."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from netnav.types.base import Frozen
from netnav.types.documents import DocStatus, Document, EvidenceKind, Passage

BlockKind = Literal["heading", "para", "item", "row"]


@dataclass(frozen=True)
class Block:
    """One structural unit of a document before chunking.

    ``heading`` blocks open a section at ``level`` (1 = top); ``item`` (list item) and ``row``
    (table row) blocks are kept whole and rendered one per line.
    """

    text: str
    kind: BlockKind = "para"
    level: int = 0
    page: int | None = None


@dataclass
class RawDocument:
    """What a format parser hands to the chunker: metadata plus an ordered list of blocks."""

    fmt: str
    blocks: list[Block]
    title: str | None = None
    kind: EvidenceKind | None = None
    publisher: str | None = None
    year: int | None = None
    version: str | None = None
    identifiers: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    status: DocStatus = "current"


class ParsedDocument(Frozen):
    """A parsed file: the document, its passages, and the full text the passages point into.

    Invariant: ``full_text[p.start:p.end] == p.text`` for every passage.
    """

    document: Document
    passages: list[Passage]
    full_text: str
