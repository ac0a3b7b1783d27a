"""Sentence splitting and the content-word/number signatures used for support checks."""

from __future__ import annotations

import re

from netnav.store.index import tokenize

_ABBREV = ("e.g.", "i.e.", "vs.", "et al.", "approx.", "Dr.", "Fig.", "No.", "St.", "cf.", "ca.", "Jr.", "Mr.", "Ms.")
_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'(\[])")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences without breaking on common abbreviations or decimals."""
    protected = text
    for i, abbr in enumerate(_ABBREV):
        protected = protected.replace(abbr, abbr.replace(".", f"\x00{i}\x00"))
    parts = _SPLIT.split(protected.strip())
    out: list[str] = []
    for part in parts:
        restored = re.sub(r"\x00\d+\x00", ".", part).strip()
        if restored:
            out.append(restored)
    return out


def numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def content_tokens(text: str) -> set[str]:
    return set(tokenize([text])[0])
