"""PDF → blocks with page numbers (pypdf). Headings are guessed from short standalone lines."""

from __future__ import annotations

import io
import logging
import re
import warnings
from typing import Any

from netnav.errors import CorruptFileError, FileTooLargeError, NoTextLayerError, UnsupportedFormatError
from netnav.ingest import limits
from netnav.ingest.model import Block, RawDocument
from netnav.ingest.textutil import clean_inline, demote_empty_headings

_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+[A-Z]")
_HYPHEN_BREAK = re.compile(r"(\w)-\n(?=[a-z])")

logging.getLogger("pypdf").setLevel(logging.CRITICAL)


def parse_pdf(data: bytes) -> RawDocument:
    if b"%%EOF" not in data[-2048:]:
        raise CorruptFileError("truncated or damaged PDF: no %%EOF end marker")
    pages, info = _extract(data)
    if not any(p.strip() for p in pages):
        raise NoTextLayerError("no text layer: OCR not supported")
    blocks: list[Block] = []
    for number, text in enumerate(pages, start=1):
        blocks.extend(page_blocks(text, number))
    raw = RawDocument(fmt="pdf", blocks=demote_empty_headings(blocks), title=info.get("title"))
    raw.meta["pages"] = str(len(pages))
    if info.get("author"):
        raw.meta["author"] = info["author"]
    return raw


def _extract(data: bytes) -> tuple[list[str], dict[str, str]]:
    try:
        import pypdf

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not _try_decrypt(reader):
                raise UnsupportedFormatError("encrypted PDF: a password is required")
            if len(reader.pages) == 0:
                raise CorruptFileError("damaged PDF: no pages found")
            limits.check_pages(len(reader.pages))
            budget = limits.DecompressedBudget()
            for page in reader.pages:  # charge every page before extracting any text
                _charge(page, budget)
            pages = [page.extract_text() or "" for page in reader.pages]
            info = _info(reader)
    except (UnsupportedFormatError, NoTextLayerError, CorruptFileError, FileTooLargeError):
        raise
    except Exception as exc:
        raise CorruptFileError(f"cannot read PDF: {type(exc).__name__}: {exc}") from exc
    return pages, info


def _charge(page: Any, budget: limits.DecompressedBudget) -> None:
    """Charge a page's decompressed content stream to the file's budget (shared streams count per page)."""
    contents = page.get_contents()
    if contents is not None:
        budget.spend(len(contents.get_data()))


def _try_decrypt(reader: object) -> bool:
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return False


def _info(reader: object) -> dict[str, str]:
    meta = getattr(reader, "metadata", None)
    out: dict[str, str] = {}
    if meta is None:
        return out
    for key, attr in (("title", "title"), ("author", "author")):
        value = getattr(meta, attr, None)
        if isinstance(value, str) and clean_inline(value):
            out[key] = clean_inline(value)
    return out


def page_blocks(text: str, page: int) -> list[Block]:
    """Paragraphs of one page: blank lines and short sentence-final lines end a paragraph."""
    text = _HYPHEN_BREAK.sub(r"\1", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [ln.strip() for ln in text.split("\n")]
    width = max((len(ln) for ln in lines), default=0)
    blocks: list[Block] = []
    para: list[str] = []
    for line in lines:
        if not line:
            _flush(para, blocks, page)
            continue
        level = heading_level(line)
        if level and not para:
            blocks.append(Block(clean_inline(line), "heading", level, page))
            continue
        if level and para and _ends_sentence(para[-1]):
            _flush(para, blocks, page)
            blocks.append(Block(clean_inline(line), "heading", level, page))
            continue
        para.append(line)
        if _ends_sentence(line) and len(line) < 0.7 * width:
            _flush(para, blocks, page)
    _flush(para, blocks, page)
    return blocks


def heading_level(line: str) -> int:
    """1-3 for a heading-like line ("2.1 Dosing", "INDICATIONS AND USAGE"), else 0."""
    words = line.split()
    if not words or len(words) > 10 or len(line) > 80 or line[-1] in ".,;:!?" or not line[0].isalnum():
        return 0
    numbered = _NUMBERED.match(line)
    if numbered:
        return min(3, numbered.group(1).count(".") + 1)
    letters = [c for c in line if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return 1
    return 0


def _ends_sentence(line: str) -> bool:
    return line.rstrip().endswith((".", "!", "?", ".)", '."'))


def _flush(para: list[str], blocks: list[Block], page: int) -> None:
    text = clean_inline(" ".join(para))
    if text:
        blocks.append(Block(text, "para", page=page))
    para.clear()
