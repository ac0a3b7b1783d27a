"""FDA Structured Product Labeling (HL7 v3 SPL XML) → blocks with numbered section headings."""

from __future__ import annotations

import json
import re

from netnav.ingest.model import Block, BlockKind, RawDocument
from netnav.ingest.textutil import clean_inline as text_of_str
from netnav.ingest.xmlutil import Element, first_text, local_name, text_of, year_of

NS = {"v3": "urn:hl7-org:v3"}
V3 = "{urn:hl7-org:v3}"
_BLOCK_TAGS = {"paragraph", "caption"}
_HIGHLIGHTS = re.compile(r"needed to use\s+(.{1,80}?)\s+safely", re.IGNORECASE)
_INLINE_TAGS = {"content", "sup", "sub", "br", "linkHtml", "footnoteRef", "renderMultiMedia", "footnote"}


def is_spl(root: Element) -> bool:
    return bool(root.tag == f"{V3}document")


def parse_spl(root: Element) -> RawDocument:
    blocks: list[Block] = []
    for section in root.xpath("v3:component/v3:structuredBody/v3:component/v3:section", namespaces=NS):
        _section(section, 2, blocks)  # level 1 is the document title
    title = first_text(root, "v3:title", NS)
    raw = RawDocument(fmt="spl", blocks=blocks, title=display_title(root, title) or None, kind="label")
    if title:
        raw.meta["spl_title"] = title
    set_id = first_text(root, "v3:setId/@root", NS)
    if set_id:
        raw.identifiers["setid"] = set_id
        raw.identifiers["url"] = f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"
    doc_id = first_text(root, "v3:id/@root", NS)
    if doc_id:
        raw.identifiers["spl_id"] = doc_id
    version = first_text(root, "v3:versionNumber/@value", NS)
    raw.version = version or None
    effective = first_text(root, "v3:effectiveTime/@value", NS)
    if effective:
        raw.meta["effectiveTime"] = effective
        raw.year = year_of(effective)
    org = first_text(root, "v3:author/v3:assignedEntity/v3:representedOrganization/v3:name", NS)
    raw.publisher = org or None
    raw.meta["source_type"] = "label"
    indications = indication_texts(root)
    if indications:
        raw.meta["indications"] = json.dumps(indications)
    products = sorted(
        {text_of(n) for n in root.xpath(".//v3:manufacturedProduct/v3:name", namespaces=NS)} - {""}
    )
    if products:
        raw.meta["products"] = "; ".join(products)
    return raw


INDICATIONS_CODE = "34067-9"  # LOINC: Indications & Usage section


def indication_texts(root: Element) -> list[str]:
    """The label's indications, one string per paragraph/list item of the Indications & Usage section and its
    subsections (in order); used to find indications that a later version of the same label removed."""
    out: list[str] = []
    for section in root.xpath(f".//v3:section[v3:code/@code='{INDICATIONS_CODE}']", namespaces=NS):
        blocks: list[Block] = []
        _section(section, 2, blocks)
        out.extend(
            b.text.lstrip("- ").strip() for b in blocks if b.kind in ("para", "item") and b.text.strip()
        )
    return out


def display_title(root: Element, title: str) -> str:
    """SPL titles usually open with "These highlights do not include all the information needed to
    use DRUG safely..."; a readable title is "DRUG (generic) prescribing information"."""
    match = _HIGHLIGHTS.search(title)
    if not match:
        return title
    brand = match.group(1).strip()
    generic = first_text(root, ".//v3:genericMedicine/v3:name", NS)
    if generic and generic.lower() not in brand.lower():
        brand = f"{brand} ({generic.lower()})"
    return f"{brand} prescribing information"


def _section(section: Element, level: int, blocks: list[Block]) -> None:
    heading = text_of(section.find(f"{V3}title"))
    if not heading:
        code = section.find(f"{V3}code")
        heading = str(code.get("displayName") or "").strip() if code is not None else ""
    if heading:
        blocks.append(Block(heading, "heading", level))
    text = section.find(f"{V3}text")
    if text is not None:
        _text_blocks(text, blocks)
    for child in section.xpath("v3:component/v3:section", namespaces=NS):
        _section(child, level + 1 if heading else level, blocks)


def _text_blocks(el: Element, blocks: list[Block]) -> None:
    """Paragraphs, list items and table rows of a section's <text>, in order; inline markup
    (<content>, <sup>, <linkHtml>, ...) stays part of the surrounding text."""
    buffer: list[str] = [el.text or ""]
    for child in el:
        name = local_name(child)
        if (
            name in _BLOCK_TAGS
            or name in ("list", "table")
            or (name not in _INLINE_TAGS and _has_blocks(child))
        ):
            _add(blocks, text_of_str("".join(buffer)), "para")
            buffer = []
            _block(child, name, blocks)
        elif name not in ("renderMultiMedia", "footnote"):
            buffer.append(" " if name == "br" else text_of(child))
        buffer.append(child.tail or "")
    _add(blocks, text_of_str("".join(buffer)), "para")


def _has_blocks(el: Element) -> bool:
    return any(local_name(c) in _BLOCK_TAGS or local_name(c) in ("list", "table") for c in el.iter())


def _block(child: Element, name: str, blocks: list[Block]) -> None:
    if name in _BLOCK_TAGS:
        _add(blocks, text_of(child), "para")
    elif name == "list":
        for item in child.findall(f"{V3}item"):
            _add(blocks, "- " + text_of(item), "item")
    elif name == "table":
        for row in child.iter(f"{V3}tr"):
            cells = [text_of(c) for c in row if local_name(c) in ("td", "th")]
            _add(blocks, " | ".join(c for c in cells if c), "row")
    else:
        _text_blocks(child, blocks)


def _add(blocks: list[Block], text: str, kind: BlockKind) -> None:
    if text.strip("- "):
        blocks.append(Block(text, kind))
