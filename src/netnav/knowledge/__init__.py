"""Built-in knowledge: evidence cards written in our own words, each citing checked sources."""

from netnav.knowledge.loader import card_by_id, card_citation, card_document, card_documents, load_cards
from netnav.knowledge.schema import Card, CardFile, CardSource

__all__ = [
    "Card",
    "CardFile",
    "CardSource",
    "card_by_id",
    "card_citation",
    "card_document",
    "card_documents",
    "load_cards",
]
