"""Built-in knowledge: evidence cards written in our own words, each citing checked sources."""

from netnav.knowledge.loader import card_documents, load_cards
from netnav.knowledge.schema import Card, CardFile, CardSource

__all__ = ["Card", "CardFile", "CardSource", "card_documents", "load_cards"]
