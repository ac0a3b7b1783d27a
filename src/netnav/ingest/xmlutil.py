"""Safe XML parsing (no entities, no network) and small element helpers."""

from __future__ import annotations

from typing import Any, TypeAlias

from lxml import etree

from netnav.errors import CorruptFileError
from netnav.ingest.textutil import clean_inline

Element: TypeAlias = Any  # lxml element; no lxml type stubs are installed


def parse_xml(data: bytes) -> Element:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        load_dtd=False,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise CorruptFileError(f"malformed XML: {exc}") from exc
    if root is None:
        raise CorruptFileError("malformed XML: no root element")
    return root


def local_name(el: Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def text_of(el: Element | None) -> str:
    """All text inside an element, whitespace collapsed."""
    if el is None:
        return ""
    return clean_inline("".join(str(t) for t in el.itertext()))


def first_text(root: Element, xpath: str, ns: dict[str, str] | None = None) -> str:
    found = root.xpath(xpath, namespaces=ns) if ns else root.xpath(xpath)
    if not isinstance(found, list) or not found:
        return ""
    item = found[0]
    if isinstance(item, etree._Element):
        return text_of(item)
    return clean_inline(str(item))


def year_of(value: str) -> int | None:
    digits = value.strip()[:4]
    if len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2100:
        return int(digits)
    return None
