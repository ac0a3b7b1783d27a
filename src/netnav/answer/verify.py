"""Verification: every answer sentence must be supported by the passage it cites.

A sentence is supported when (a) every number it states appears in the cited passage(s) and (b) at least
`MIN_COVERAGE` of its content words (stemmed, stopwords removed) occur there. This check can fail: a sentence
that drifted from its evidence is dropped and counted.
"""

from __future__ import annotations

from collections.abc import Iterable

from netnav.answer.sentences import content_tokens, numbers

MIN_COVERAGE = 0.8


def supported(sentence: str, evidence_texts: Iterable[str]) -> bool:
    texts = [t for t in evidence_texts if t]
    if not texts:
        return False
    joined = "\n".join(texts)
    if not numbers(sentence) <= numbers(joined):
        return False
    words = content_tokens(sentence)
    if not words:
        return False
    covered = len(words & content_tokens(joined)) / len(words)
    return covered >= MIN_COVERAGE


def numbers_supported(sentence: str, evidence_texts: Iterable[str]) -> bool:
    """For sentences written from rules about a case: every number must come from the evidence or the case."""
    return numbers(sentence) <= numbers("\n".join(evidence_texts))
