"""Sentence splitting and the content-word/number signatures used for support checks."""

from __future__ import annotations

import re

from netnav.store.index import tokenize

_ABBREV = (
    "e.g.",
    "i.e.",
    "vs.",
    "et al.",
    "approx.",
    "Dr.",
    "Fig.",
    "No.",
    "St.",
    "cf.",
    "ca.",
    "Jr.",
    "Mr.",
    "Ms.",
)
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


def _plain_number(n: str) -> str:
    """'3.0' and '3' are the same number; '1,294' is '1294'."""
    n = n.replace(",", "")
    return n.rstrip("0").rstrip(".") if "." in n else n


def numbers(text: str) -> set[str]:
    return {_plain_number(n) for n in _NUMBER.findall(text)}


def content_tokens(text: str) -> set[str]:
    return set(tokenize([text])[0])


_ITEM = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")
_NAVIGATION = re.compile(
    r"^(for more information|for information about|see the|click|go to|read more|"
    r"refer to the|this summary|the following)\b",
    re.IGNORECASE,
)


def _join_items(items: list[str]) -> str:
    out = ""
    for item in items:
        item = item[:1].lower() + item[1:]
        out = item if not out else out + (" " if out.endswith(":") else "; ") + item
    return out


def prose_units(text: str) -> list[str]:
    """Sentences of a document passage, with a bulleted list folded into the sentence that introduces it
    ("X may include: a; b; c.") and navigation lines ("For more information, see ...") left out."""
    units: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        items = [ln for ln in lines if _ITEM.match(ln)]
        if items and units and units[-1].endswith(":") and len(items) == len(lines):
            units[-1] = units[-1] + " " + _join_items([_ITEM.sub("", ln).rstrip(".;") for ln in items]) + "."
            continue
        for line in lines:
            units.extend(split_sentences(_ITEM.sub("", line)))
    return [u for u in units if not _NAVIGATION.match(u) and not u.endswith(":")]
