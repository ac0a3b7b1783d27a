"""Render blocks into one full text and cut it into passages (~40-220 words).

Passages never cross a section heading or a page, never cut a sentence (unless one sentence alone
exceeds the maximum), and keep table rows and list items whole when they fit.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

from netnav.ingest.model import Block
from netnav.ingest.textutil import sentence_spans, word_count, word_spans
from netnav.types.documents import Passage

MIN_WORDS = 40
MAX_WORDS = 220
MAX_CHARS = 3000  # caps passages of very long "words" (e.g. unbroken strings)
_SKIP_SECTION = re.compile(r"^(?:references?|bibliography|works cited)\b", re.IGNORECASE)
_HAS_ALNUM = re.compile(r"\w")


@dataclass(frozen=True)
class Span:
    """A placed block or an atomic piece of one: offsets into the full text."""

    start: int
    end: int
    words: int
    kind: str
    section: str | None
    page: int | None


def render(blocks: list[Block]) -> tuple[str, list[tuple[Block, int, int]]]:
    """Join blocks into the full text; return it and each block's (start, end)."""
    parts: list[str] = []
    placed: list[tuple[Block, int, int]] = []
    pos = 0
    prev: Block | None = None
    for block in blocks:
        if prev is not None:
            sep = "\n" if block.kind == prev.kind and block.kind in ("item", "row") else "\n\n"
            parts.append(sep)
            pos += len(sep)
        parts.append(block.text)
        placed.append((block, pos, pos + len(block.text)))
        pos += len(block.text)
        prev = block
    return "".join(parts), placed


def content_spans(full_text: str, placed: list[tuple[Block, int, int]]) -> list[Span]:
    """Atomic spans with their section path; reference lists are left out of the passages."""
    spans: list[Span] = []
    stack: list[tuple[int, str]] = []
    skip_level: int | None = None
    for block, start, end in placed:
        if block.kind == "heading":
            level = max(1, block.level)
            if skip_level is not None and level <= skip_level:
                skip_level = None
            stack = [(lv, t) for lv, t in stack if lv < level] + [(level, block.text)]
            if _SKIP_SECTION.match(block.text):
                skip_level = level if skip_level is None else skip_level
            continue
        if skip_level is not None:
            continue
        spans.extend(_split_block(full_text, block, start, end, section_path(stack)))
    return spans


def section_path(stack: list[tuple[int, str]]) -> str | None:
    """Nearest heading with its parent ("Treatment > Surgery"); top-level titles are dropped."""
    if not stack:
        return None
    inner = [t for lv, t in stack if lv > 1] or [t for _, t in stack]
    return " > ".join(inner[-2:])


def _split_block(text: str, block: Block, start: int, end: int, section: str | None) -> list[Span]:
    words = word_count(block.text)
    if words <= MAX_WORDS and end - start <= MAX_CHARS:
        return [Span(start, end, words, block.kind, section, block.page)]
    pieces: list[tuple[int, int]] = []
    for s_start, s_end in sentence_spans(block.text):
        a, b = start + s_start, start + s_end
        if word_count(text[a:b]) > MAX_WORDS or b - a > MAX_CHARS:
            pieces.extend(word_spans(text, a, b, MAX_WORDS, MAX_CHARS))
        else:
            pieces.append((a, b))
    return _balance(text, pieces, words, block, section)


def _balance(
    text: str, pieces: list[tuple[int, int]], words: int, block: Block, section: str | None
) -> list[Span]:
    """Group consecutive sentences into roughly equal spans below the maximum."""
    target = words / max(1, math.ceil(words / MAX_WORDS))
    out: list[Span] = []
    cur_start: int | None = None
    cur_end = 0
    cur_words = 0
    for a, b in pieces:
        w = word_count(text[a:b])
        first = cur_start if cur_start is not None else a
        too_big = cur_words + w > MAX_WORDS or b - first > MAX_CHARS
        if cur_start is not None and (too_big or cur_words >= target):
            out.append(Span(cur_start, cur_end, cur_words, block.kind, section, block.page))
            cur_start, cur_words = None, 0
        if cur_start is None:
            cur_start = a
        cur_end, cur_words = b, cur_words + w
    if cur_start is not None:
        out.append(Span(cur_start, cur_end, cur_words, block.kind, section, block.page))
    return out


def pack(spans: list[Span]) -> list[Span]:
    """Merge short spans with their neighbours in the same section and page."""
    groups: list[Span] = []
    for span in spans:
        last = groups[-1] if groups else None
        if last is not None and _can_join(last, span) and (last.words < MIN_WORDS or span.words < MIN_WORDS):
            groups[-1] = _join(last, span)
        else:
            groups.append(span)
    return _absorb_short_tails(groups)


def _can_join(a: Span, b: Span) -> bool:
    return (
        a.section == b.section
        and a.page == b.page
        and a.words + b.words <= MAX_WORDS
        and b.end - a.start <= MAX_CHARS
    )


def _join(a: Span, b: Span) -> Span:
    kind = a.kind if a.kind == b.kind else "para"
    return Span(a.start, b.end, a.words + b.words, kind, a.section, a.page)


def _absorb_short_tails(groups: list[Span]) -> list[Span]:
    out: list[Span] = []
    for span in groups:
        if out and span.words < MIN_WORDS and _can_join(out[-1], span):
            out[-1] = _join(out[-1], span)
        else:
            out.append(span)
    return out


def make_passages(doc_id: str, full_text: str, spans: list[Span]) -> list[Passage]:
    passages: list[Passage] = []
    for span in spans:
        text = full_text[span.start : span.end]
        if not _HAS_ALNUM.search(text):
            continue
        ordinal = len(passages)
        passages.append(
            Passage(
                id=passage_id(doc_id, ordinal, text),
                doc_id=doc_id,
                ordinal=ordinal,
                text=text,
                start=span.start,
                end=span.end,
                page=span.page,
                section=span.section,
            )
        )
    return passages


RECORD_KEYS = ("nct", "pmid", "doi", "setid", "spl_id")


def document_id(full_text: str, identifiers: dict[str, str] | None = None) -> str:
    """sha256 (32 hex) of the whitespace-normalised text, plus the record's own identifiers (NCT,
    PMID, DOI, SPL set id) when it has them, so two records with identical text stay distinct."""
    normalised = " ".join(full_text.split())
    keys = [f"{k}={identifiers[k]}" for k in RECORD_KEYS if identifiers and identifiers.get(k)]
    payload = normalised if not keys else normalised + "\x1f" + "\x1f".join(keys)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def passage_id(doc_id: str, ordinal: int, text: str) -> str:
    payload = f"{doc_id}\x1f{ordinal}\x1f{text}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(payload).hexdigest()[:32]


def chunk(blocks: list[Block]) -> tuple[str, list[Span]]:
    """Full text and packed passage spans for a list of blocks."""
    full_text, placed = render(blocks)
    return full_text, pack(content_spans(full_text, placed))
