"""HTML → blocks: trafilatura strips boilerplate (headings kept as Markdown); lxml is the fallback."""

from __future__ import annotations

import logging
import re
import warnings

import lxml.html
from lxml import etree

from netnav.errors import CorruptFileError
from netnav.ingest.markdown import markdown_blocks
from netnav.ingest.model import Block, RawDocument
from netnav.ingest.textutil import clean_inline

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_TEXT_TAGS = {"p", "li", "tr", "dt", "dd", "blockquote", "pre", "caption", "figcaption"}
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template", "svg")

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def parse_html(text: str) -> RawDocument:
    tree = _parse_tree(text)
    title = _title(tree)
    blocks = _trafilatura_blocks(text)
    if not _has_content(blocks):
        blocks = lxml_blocks(tree)
    raw = RawDocument(fmt="html", blocks=blocks, title=title)
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    if canonical:
        raw.identifiers["url"] = str(canonical[0]).strip()
    return raw


def _parse_tree(text: str) -> lxml.html.HtmlElement:
    cleaned = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        return lxml.html.document_fromstring(cleaned)
    except (etree.ParserError, ValueError) as exc:
        raise CorruptFileError(f"cannot parse HTML: {exc}") from exc


def _title(tree: lxml.html.HtmlElement) -> str | None:
    for xpath in ("//meta[@property='og:title']/@content", "//title//text()", "//h1//text()"):
        found = tree.xpath(xpath)
        title = clean_inline(" ".join(str(t) for t in found)) if found else ""
        if title:
            return title
    return None


def _trafilatura_blocks(text: str) -> list[Block]:
    try:
        import trafilatura

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            extracted = trafilatura.extract(
                text,
                output_format="markdown",
                include_tables=True,
                include_comments=False,
                include_links=False,
                include_images=False,
                favor_recall=True,
            )
    except Exception:  # noqa: BLE001 - trafilatura may fail in many ways; the lxml fallback takes over
        return []
    return markdown_blocks(extracted) if extracted else []


def _has_content(blocks: list[Block]) -> bool:
    return any(b.kind != "heading" for b in blocks)


def lxml_blocks(tree: lxml.html.HtmlElement) -> list[Block]:
    """Headings, paragraphs, list items and table rows in document order, boilerplate tags dropped."""
    body = tree.find("body")
    root = body if body is not None else tree
    for bad in root.xpath("|".join(f"//{t}" for t in _DROP_TAGS)):
        bad.drop_tree()
    blocks: list[Block] = []
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _HEADINGS:
            text = clean_inline(el.text_content())
            if text:
                blocks.append(Block(text, "heading", _HEADINGS[tag]))
        elif tag in _TEXT_TAGS and not _inside_text_tag(el):
            blocks.extend(_text_block(el, tag))
    if not _has_content(blocks):
        text = clean_inline(root.text_content())
        blocks.append(Block(text, "para"))
    return [b for b in blocks if b.text]


def _text_block(el: lxml.html.HtmlElement, tag: str) -> list[Block]:
    if tag == "tr":
        cells = [clean_inline(c.text_content()) for c in el if isinstance(c.tag, str)]
        text = " | ".join(c for c in cells if c)
        return [Block(text, "row")] if text else []
    text = clean_inline(el.text_content())
    return [Block(text, "item" if tag == "li" else "para")] if text else []


def _inside_text_tag(el: lxml.html.HtmlElement) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in _TEXT_TAGS:
            return True
        parent = parent.getparent()
    return False
