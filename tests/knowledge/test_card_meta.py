"""Card documents carry typed metadata: `Document.card` reads back exactly what the loader stored."""

from __future__ import annotations

from netnav.knowledge.loader import card_documents
from netnav.types.documents import CardMeta, Document


def test_every_card_meta_round_trips() -> None:
    pairs = card_documents()
    assert pairs
    for doc, _ in pairs:
        card = doc.card
        assert doc.is_card and card is not None
        assert card.to_meta() == doc.meta
        assert doc.source_path == f"card:{card.card_id}"
        assert all(t and "," not in t for t in card.topics)


def test_an_ingested_document_has_no_card_meta() -> None:
    doc = Document(id="d", kind="document", title="t", format="md", meta={"topics": "questions"})
    assert not doc.is_card and doc.card is None


def test_questions_survive_as_a_list() -> None:
    meta = CardMeta(card_id="x", topics=["questions"], questions=["Is it, really?", "Why"]).to_meta()
    assert CardMeta.from_meta(meta).questions == ["Is it, really?", "Why"]
