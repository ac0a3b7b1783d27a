"""Jargon explained on first use for patients: glossary cards ("Glossary: TERM (...)") define the terms that
appear in sentences taken from ingested documents (card sentences already explain their own terms)."""

from __future__ import annotations

import re
from functools import lru_cache

from netnav.answer.sentences import split_sentences
from netnav.knowledge.loader import card_documents
from netnav.types.documents import Document, Passage

MAX_TERMS = 3


@lru_cache(maxsize=1)
def glossary() -> list[tuple[re.Pattern[str], Passage, Document]]:
    entries = []
    for doc, passage in card_documents():
        title = passage.section or ""
        if doc.card is None or "glossary" not in doc.card.topics or not title.startswith("Glossary:"):
            continue
        head = title.removeprefix("Glossary:").split("(")[0]
        for term in (t.strip() for t in head.split("/")):
            if len(term) >= 2:
                flags = 0 if term.isupper() or any(ch.isupper() for ch in term[1:]) else re.IGNORECASE
                entries.append((re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", flags), passage, doc))
    return entries


def definitions_for(sentences: list[str], used_passages: set[str]) -> list[tuple[str, Passage, Document]]:
    """The first plain-language sentence of each glossary card whose term appears in `sentences`."""
    if not sentences:  # nothing taken from documents: skip loading the glossary at all
        return []
    text = " ".join(sentences)
    out: list[tuple[str, Passage, Document]] = []
    for pattern, passage, doc in glossary():
        if len(out) >= MAX_TERMS:
            break
        if passage.id in used_passages or any(p.id == passage.id for _, p, _ in out):
            continue
        if pattern.search(text) and passage.plain:
            out.append((split_sentences(passage.plain)[0], passage, doc))
    return out
