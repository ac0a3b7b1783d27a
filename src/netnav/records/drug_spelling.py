"""Misspelt drug names in report and letter sentences ("lanreotid", "everolimous", "temozolamide", "sunitnib")
read as the drug, so a therapy line is not lost to a typing slip.

The vocabulary is the drug words of records/data/patterns.yaml (generic names and plain brand names, no regex
parts). A word of at least `MIN_LENGTH` letters that is not itself a vocabulary word is replaced by the closest
vocabulary word when their optimal-string-alignment distance (rapidfuzz) is at most 1, or at most 2 for words of
`LONG` letters or more, and the first two letters agree (a slip rarely starts a word). Shorter words, words that
are already drug names and words with no close drug name are left as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from netnav.records.patterns import load_patterns

MIN_LENGTH = 7
LONG = 10
_WORD = re.compile(rf"[A-Za-z]{{{MIN_LENGTH},}}")
_PLAIN = re.compile(r"^[a-z]+$")


@lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    """Plain one-word drug names (lower case) from the patterns file."""
    words: set[str] = set()
    for generic, rx in load_patterns().drugs.items():
        for part in [generic.lower(), *rx.pattern.lower().replace("(?:", "|").split("|")]:
            token = re.sub(r"\\b|[()?:]", "", part).strip()
            if _PLAIN.match(token) and len(token) >= MIN_LENGTH:
                words.add(token)
    return tuple(sorted(words))


def _closest(word: str) -> str | None:
    low = word.lower()
    vocab = vocabulary()
    if low in vocab:
        return None
    limit = 2 if len(low) >= LONG else 1
    hit = process.extractOne(low, vocab, scorer=OSA.distance, score_cutoff=limit)
    if hit is None or hit[0][:2] != low[:2]:
        return None
    return str(hit[0])


def correct_drug_words(sentence: str) -> str:
    """The sentence with misspelt drug names replaced by their spelling in the vocabulary (see the module
    docstring); unchanged when nothing is close."""
    return _WORD.sub(lambda m: _closest(m.group(0)) or m.group(0), sentence)
