"""medspacy ConText, confined to this module: negation, uncertainty, history, hypothetical.

A blank English pipeline (no model download) + sentencizer + ConText with medspacy's default rules
and ours from data/patterns.yaml. Loaded lazily, once per process.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from netnav.records.patterns import load_patterns

_LOCK = threading.Lock()
_CLAUSE_SPLIT = re.compile(r"(?<=[;])\s+|(?<=[.!])\s+(?=[A-Z])")
_PAREN = re.compile(r"\([^()]*\)")


def mask_parentheses(text: str, start: int, end: int) -> str:
    """Blank out parenthetical asides that do not hold the span: a negative stain inside a diagnosis
    ("atypical carcinoid (TTF-1 negative)") must not negate the diagnosis. Lengths are kept."""

    def blank(m: re.Match[str]) -> str:
        if m.start() <= start and end <= m.end():
            return m.group(0)
        return " " * len(m.group(0))

    return _PAREN.sub(blank, text)


@dataclass(frozen=True)
class Flags:
    negated: bool = False
    uncertain: bool = False
    historical: bool = False
    hypothetical: bool = False

    @property
    def asserted(self) -> bool:
        return not (self.negated or self.uncertain or self.hypothetical)


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    import spacy
    from medspacy.context import ConTextRule

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    context: Any = nlp.add_pipe("medspacy_context", config={"rules": "default"})
    rules = [
        ConTextRule(lit, cat, direction=direction) for lit, cat, direction in load_patterns().context_rules
    ]
    context.add(rules)
    return nlp


def clause_bounds(text: str, start: int) -> tuple[int, int]:
    """The clause (split at ';' and sentence ends) that holds character `start`."""
    begin = 0
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.start() >= start:
            return begin, m.start()
        begin = m.end()
    return begin, len(text)


@lru_cache(maxsize=4096)
def flags(text: str, start: int, end: int) -> Flags:
    """ConText modifiers for the span text[start:end], judged within its clause."""
    c0, c1 = clause_bounds(text, start)
    colon = text.rfind(":", c0, start)  # 'Spleen: No tumor' - judge the part after the label
    if colon >= 0:
        c0 = colon + 1
    clause = mask_parentheses(text, start, end)[c0:c1]
    s, e = start - c0, min(end, c1) - c0
    with _LOCK:
        nlp = _pipeline()
        doc = nlp.make_doc(clause)
        for name, proc in nlp.pipeline:
            if name != "medspacy_context":
                doc = proc(doc)
        span = doc.char_span(s, e, label="TARGET", alignment_mode="expand")
        if span is None:
            return Flags()
        doc.ents = [span]
        doc = nlp.get_pipe("medspacy_context")(doc)
        ent = doc.ents[0]
        return Flags(
            negated=bool(ent._.is_negated),
            uncertain=bool(ent._.is_uncertain),
            historical=bool(ent._.is_historical),
            hypothetical=bool(ent._.is_hypothetical) or bool(ent._.is_family),
        )
