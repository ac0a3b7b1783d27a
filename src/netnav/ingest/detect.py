"""Format detection from the file extension and the first bytes."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Literal

from netnav.errors import CorruptFileError, UnsupportedFormatError
from netnav.ingest.decode import binary_kind, bom_encoding

Format = Literal["txt", "md", "html", "pdf", "xml", "json"]

EXTENSIONS: dict[str, Format] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".xml": "xml",
    ".json": "json",
}
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)


def extension_format(name: str) -> Format | None:
    return EXTENSIONS.get(PurePath(name).suffix.lower())


def detect_format(data: bytes, name: str) -> Format:
    """Decide how to parse ``data``; content evidence wins over a misleading extension."""
    by_ext = extension_format(name)
    head = _ascii_head(data)
    if head.startswith(b"%PDF-") or (b"%PDF-" in head[:1024] and by_ext in (None, "pdf")):
        return "pdf"
    if by_ext == "pdf":
        raise CorruptFileError("not a valid PDF: missing %PDF header")
    kind = binary_kind(data)
    if kind is not None:
        raise UnsupportedFormatError(f"binary file ({kind})")
    if by_ext in ("txt", "md"):
        return by_ext
    stripped = head.lstrip()
    if _HTML_START.match(head):
        return "html"
    if by_ext is not None:
        return by_ext
    if stripped.startswith((b"{", b"[")):
        return "json"
    if stripped.startswith(b"<"):
        return "xml"
    return "txt"


def _ascii_head(data: bytes) -> bytes:
    """The first KB as ASCII-compatible bytes (UTF-16/32 BOM text is transcoded for sniffing)."""
    head = data[:4096]
    bom = bom_encoding(head)
    if bom is None:
        return head[:1024]
    encoding, skip = bom
    text = head[skip:].decode(encoding, errors="ignore")
    return text.encode("ascii", errors="replace")[:1024]
