"""Load and validate the card files; turn cards into Documents + Passages for indexing."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from netnav.datafiles import load_yaml
from netnav.errors import KnowledgeError
from netnav.knowledge.approvals import load_approvals
from netnav.knowledge.schema import Card, CardFile
from netnav.knowledge.sources import cited_kind, merged_kind, source_key
from netnav.types.answer import Citation, CitedPassage
from netnav.types.documents import CardMeta, Document, Passage


def cards_dir() -> Path:
    return Path(str(resources.files("netnav.knowledge") / "cards"))


def load_card_file(path: Path) -> CardFile:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path.name}: cannot read YAML: {exc}") from exc
    try:
        return CardFile.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeError(f"{path.name}: {exc}") from exc


def _check_references(cards: list[Card]) -> None:
    seen: dict[str, str] = {}
    for card in cards:
        if card.id in seen:
            raise KnowledgeError(f"duplicate card id {card.id!r}")
        seen[card.id] = card.id
    for card in cards:
        if card.superseded_by and card.superseded_by not in seen:
            raise KnowledgeError(f"card {card.id}: superseded_by {card.superseded_by!r} does not exist")
    known = {row.id for row in load_approvals()} if any(c.approvals for c in cards) else set()
    for card in cards:
        missing = [a for a in card.approvals if a not in known]
        if missing:
            raise KnowledgeError(f"card {card.id}: approvals {missing} are not in the approvals table")


@lru_cache(maxsize=4)
def _load(directory: str) -> tuple[Card, ...]:
    files = sorted(Path(directory).glob("*.yaml"))
    cards: list[Card] = []
    for path in files:
        cards.extend(load_card_file(path).cards)
    _check_references(cards)
    return tuple(cards)


def load_cards(directory: Path | None = None) -> tuple[Card, ...]:
    """All cards, validated; raises KnowledgeError on the first problem."""
    return _load(str(directory or cards_dir()))


def card_by_id(card_id: str) -> Card | None:
    return next((c for c in load_cards() if c.id == card_id), None)


def _digest(payload: object) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:32]


def card_document(card: Card) -> tuple[Document, Passage]:
    """A card becomes one document with one passage; ids are content hashes."""
    first = card.sources[0]
    identifiers = first.identifiers()
    doc_id = _digest(card.model_dump(mode="json"))
    meta = CardMeta(
        card_id=card.id,
        topics=list(card.topics),
        applies_to=list(card.applies_to),
        sources_json=json.dumps([s.model_dump(mode="json", exclude_none=True) for s in card.sources]),
        reviewed=card.reviewed.isoformat(),
        questions=list(card.questions),
        status_note=card.status_note or None,
        status_date=card.status_date.isoformat() if card.status_date else None,
        source_type=first.kind,
    ).to_meta()
    doc = Document(
        id=doc_id,
        kind=card.kind,
        title=first.title,
        source_path=f"card:{card.id}",
        format="card",
        publisher=first.publisher,
        year=first.year,
        version=first.version,
        identifiers=identifiers,
        status=card.status,
        meta=meta,
    )
    text = card.claim.strip()
    passage = Passage(
        id=_digest([doc_id, 0, text]),
        doc_id=doc_id,
        ordinal=0,
        text=text,
        start=0,
        end=len(text),
        section=card.title,
        plain=card.plain.strip(),
        meta={"card_id": card.id},
    )
    return doc, passage


@lru_cache(maxsize=4)
def card_documents(directory: Path | None = None) -> tuple[tuple[Document, Passage], ...]:
    """Every card as (Document, Passage); built once per process, shared by indexing, glossary and rules."""
    return tuple(card_document(c) for c in load_cards(directory))


def card_citation(card: Card, n: int, audience: str = "clinician") -> Citation:
    """A numbered citation pointing at a card's passage (used by rules and assessments)."""
    doc, passage = card_document(card)
    quote = passage.plain if audience == "patient" and passage.plain else passage.text
    source_type = card.sources[0].kind
    return Citation(
        n=n,
        passage_id=passage.id,
        source_id=doc.id,
        kind=cited_kind(source_type, doc.kind),
        title=doc.title,
        publisher=doc.publisher,
        year=doc.year,
        version=doc.version,
        identifiers=dict(doc.identifiers),
        quote=quote,
        status=doc.status,
        source_type=source_type,
        quote_is_verbatim=False,
        passages=[CitedPassage(passage_id=passage.id, quote=quote, verbatim=False)],
    )


def card_source_key(card: Card) -> str:
    """Identity of the card's first source: cards citing the same label or article share one citation."""
    return source_key(card_document(card)[0])


def add_card_passage(citation: Citation, card: Card, audience: str = "clinician") -> Citation:
    """`citation` (of the same source) with `card`'s wording added to its passages, under the stronger kind."""
    doc, passage = card_document(card)
    if any(p.passage_id == passage.id for p in citation.passages):
        return citation
    quote = passage.plain if audience == "patient" and passage.plain else passage.text
    kind = merged_kind([citation.kind, cited_kind(card.sources[0].kind, doc.kind)])
    passages = [*citation.passages, CitedPassage(passage_id=passage.id, quote=quote, verbatim=False)]
    return citation.model_copy(update={"passages": passages, "kind": kind})
