"""Small text helpers: whitespace cleaning, sentence spans, plain-text reflow into blocks."""

from __future__ import annotations

import re
import unicodedata

from netnav.ingest.model import Block

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff]")
_SPACES = re.compile(r"\s+")
_BULLET = re.compile(r"^\s*(?:[-*+\u2022\u25aa\u25cf\u2013]|\d{1,3}[.)]|[a-z][.)])\s+\S")
_WORD_RE = re.compile(r"\S+")

# A sentence ends with . ! or ? (optionally followed by closing quotes/brackets and citation
# markers such as "[3]" or "[1,2]"), then whitespace, then something that can start a sentence.
_SENT_END = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019)\]]*(?:\[[\d,;\s\u2013-]+\])*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])"
)
_ABBREV = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|vs|Dr|Drs|Mr|Mrs|Ms|Prof|Fig|Figs|No|Nos|approx|ca|cf|St|Jr|Sr|Inc|Ltd|Co|"
    r"Ref|Vol|pp|p|mg|min|max|U\.S|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z])\.$"
)


def clean_inline(text: str) -> str:
    """NFC-normalise, drop control characters and collapse whitespace to single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def word_count(text: str) -> int:
    return len(text.split())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences in ``text`` (covering all non-space characters)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENT_END.finditer(text):
        end = match.end()
        if _ABBREV.search(text[max(start, end - 12) : match.start()]):
            continue
        if text[start:end].strip():
            spans.append(_strip_span(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


def word_spans(text: str, start: int, end: int, max_words: int, max_chars: int) -> list[tuple[int, int]]:
    """Hard split of text[start:end] into pieces of at most ``max_words`` words / ``max_chars`` chars."""
    pieces: list[tuple[int, int]] = []
    piece_start: int | None = None
    piece_end = start
    count = 0
    for match in _WORD_RE.finditer(text, start, end):
        w_start, w_end = match.span()
        while w_end - w_start > max_chars:  # a single "word" longer than the char cap
            if piece_start is not None:
                pieces.append((piece_start, piece_end))
                piece_start, count = None, 0
            pieces.append((w_start, w_start + max_chars))
            w_start += max_chars
        if piece_start is not None and (count >= max_words or w_end - piece_start > max_chars):
            pieces.append((piece_start, piece_end))
            piece_start, count = None, 0
        if piece_start is None:
            piece_start = w_start
        piece_end = w_end
        count += 1
    if piece_start is not None:
        pieces.append((piece_start, piece_end))
    return pieces


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def is_heading_line(line: str) -> bool:
    """Cheap guess whether a lone line of plain text is a heading ("Background", "RESULTS",
    "Inclusion Criteria:"); "Key: value" lines and sentences are not headings."""
    stripped = line.strip()
    words = stripped.split()
    if not words or len(words) > 10 or len(stripped) > 90:
        return False
    if stripped[-1] in ".,;!?" or _BULLET.match(stripped) or ":" in stripped[:-1]:
        return False
    if not (stripped[0].isupper() or stripped[0].isdigit()):
        return False
    if stripped.endswith(":"):
        return len(words) <= 6
    letters = [c for c in stripped if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return True
    return all(w[0].isupper() or w[0].isdigit() or len(w) <= 3 for w in words)


def demote_empty_headings(blocks: list[Block]) -> list[Block]:
    """A guessed heading with no content before the next heading of the same or a higher level
    is probably a short line of text: keep it as a paragraph so its words stay retrievable."""
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if block.kind == "heading" and not _has_body(blocks, i):
            out.append(Block(block.text, "para", 0, block.page))
        else:
            out.append(block)
    return out


def _has_body(blocks: list[Block], i: int) -> bool:
    level = blocks[i].level
    for nxt in blocks[i + 1 :]:
        if nxt.kind != "heading":
            return True
        if nxt.level <= level:
            return False
    return False


def reflow_blocks(
    text: str, heading_level: int = 1, detect_headings: bool = True, page: int | None = None
) -> list[Block]:
    """Turn plain text into blocks: blank lines separate paragraphs, bullet lines become items."""
    blocks: list[Block] = []
    for para in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [ln for ln in para.split("\n") if ln.strip()]
        if not lines:
            continue
        if detect_headings and len(lines) == 1 and is_heading_line(lines[0]):
            blocks.append(Block(clean_inline(lines[0]).rstrip(":"), "heading", heading_level, page))
            continue
        blocks.extend(_paragraph_blocks(lines, page))
    blocks = [b for b in blocks if b.text]
    return demote_empty_headings(blocks) if detect_headings else blocks


def _paragraph_blocks(lines: list[str], page: int | None) -> list[Block]:
    out: list[Block] = []
    current: list[str] = []
    current_kind: str = "para"
    for line in lines:
        if _BULLET.match(line):
            if current:
                out.append(
                    Block(
                        clean_inline(" ".join(current)),
                        "item" if current_kind == "item" else "para",
                        page=page,
                    )
                )
            current, current_kind = [line], "item"
        else:
            current.append(line)
    if current:
        out.append(
            Block(clean_inline(" ".join(current)), "item" if current_kind == "item" else "para", page=page)
        )
    return out
