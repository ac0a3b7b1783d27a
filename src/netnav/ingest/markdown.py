"""Markdown → blocks: YAML front matter, ATX/setext headings, tables as rows, links as their text."""

from __future__ import annotations

import html
import re
from typing import Any

import yaml

from netnav.datafiles import load_yaml
from netnav.ingest.model import Block, RawDocument
from netnav.ingest.textutil import clean_inline, reflow_blocks
from netnav.types.documents import EVIDENCE_KINDS

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>")
_EMPHASIS = (
    re.compile(r"\*\*(?=\S)(.{1,400}?)(?<=\S)\*\*"),
    re.compile(r"__(?=\S)(.{1,400}?)(?<=\S)__"),
    re.compile(r"(?<![\w*])\*(?=\S)([^*]{1,400}?)(?<=\S)\*(?![\w*])"),
    re.compile(r"(?<![\w_])_(?=\S)([^_]{1,400}?)(?<=\S)_(?![\w_])"),
    re.compile(r"`([^`]{1,400})`"),
)
_LINK_ONLY = re.compile(r"^\s*\[[^\[\]]*\]\([^)]*\)\s*$")
_FRONT_META_KEYS = ("lastReviewed", "audienceLevel", "source", "license", "citation", "language", "status")


def inline(text: str) -> str:
    """Reduce inline Markdown to plain text: links and images to their text, no emphasis marks."""
    text = _IMAGE.sub(r"\1", text)
    for _ in range(4):  # nested links such as [[1](#a),[2](#b)]
        reduced = _LINK.sub(r"\1", text)
        if reduced == text:
            break
        text = reduced
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    return clean_inline(html.unescape(text))


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT.match(text)
    if not match:
        return {}, text
    try:
        data = load_yaml(match.group(1))
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict):
        return {}, text
    return {str(k): v for k, v in data.items()}, text[match.end() :]


def parse_markdown(text: str) -> RawDocument:
    front, body = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    raw = RawDocument(fmt="md", blocks=markdown_blocks(body))
    _apply_front_matter(raw, front)
    return raw


def _apply_front_matter(raw: RawDocument, front: dict[str, Any]) -> None:
    if isinstance(front.get("title"), str) and front["title"].strip():
        raw.title = clean_inline(front["title"])
    if front.get("url"):
        raw.identifiers["url"] = str(front["url"]).strip()
    for key in _FRONT_META_KEYS:
        if front.get(key) not in (None, ""):
            raw.meta[key] = str(front[key]).strip()
    kind = front.get("kind") or front.get("evidence_kind")
    if isinstance(kind, str) and kind.strip().lower() in EVIDENCE_KINDS:
        raw.kind = kind.strip().lower()  # type: ignore[assignment]
    for key in ("publisher", "source"):
        if raw.publisher is None and isinstance(front.get(key), str):
            raw.publisher = front[key].strip() or None
    status = str(front.get("status") or "").strip().lower()
    if status in ("superseded", "withdrawn", "retired", "archived"):
        raw.status = "withdrawn" if status == "withdrawn" else "superseded"
    if front.get("version") not in (None, ""):
        raw.version = str(front["version"]).strip()
    match = re.search(r"\b(19|20)\d{2}\b", str(front.get("lastReviewed") or front.get("date") or ""))
    if match:
        raw.year = int(match.group(0))


def markdown_blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    lines = body.split("\n")
    para: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _FENCE.match(line):
            _flush(para, blocks)
            i = _code_block(lines, i, blocks)
            continue
        atx = _ATX.match(line)
        if atx:
            _flush(para, blocks)
            _heading(blocks, atx.group(2), len(atx.group(1)))
        elif line.strip() and not para and _SETEXT.match(nxt) and not line.lstrip().startswith("|"):
            _heading(blocks, line, 1 if nxt.strip().startswith("=") else 2)
            i += 1
        elif line.lstrip().startswith("|"):
            _flush(para, blocks)
            _table_row(blocks, line)
        elif not line.strip() or re.match(r"^ {0,3}([-*_])(\s*\1){2,}\s*$", line):
            _flush(para, blocks)
        else:
            para.append(line)
        i += 1
    _flush(para, blocks)
    return blocks


def _heading(blocks: list[Block], text: str, level: int) -> None:
    title = inline(text)
    if title:
        blocks.append(Block(title, "heading", level))


def _table_row(blocks: list[Block], line: str) -> None:
    if _TABLE_SEP.match(line):
        return
    cells = [inline(c) for c in line.strip().strip("|").split("|")]
    cells = [c for c in cells if c]
    if cells:
        blocks.append(Block(" | ".join(cells), "row"))


def _code_block(lines: list[str], i: int, blocks: list[Block]) -> int:
    fence = lines[i].strip()[:3]
    body: list[str] = []
    i += 1
    while i < len(lines) and not lines[i].strip().startswith(fence):
        body.append(lines[i])
        i += 1
    text = clean_inline(" ".join(body))
    if text:
        blocks.append(Block(text, "para"))
    return i + 1


def _flush(para: list[str], blocks: list[Block]) -> None:
    if not para:
        return
    if len(para) == 1 and _LINK_ONLY.match(para[0]):
        para.clear()  # navigation links ("Go to Patient Version", "Enlarge") carry no content
        return
    raw = "\n".join(re.sub(r"^ {0,3}>\s?", "", ln) for ln in para)
    for block in reflow_blocks(raw, detect_headings=False):
        text = inline(block.text)
        if text:
            blocks.append(Block(text, block.kind))
    para.clear()
