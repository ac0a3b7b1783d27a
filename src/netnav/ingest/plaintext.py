"""Plain text → blocks (blank-line paragraphs, bullet items, lone short lines as headings)."""

from __future__ import annotations

from netnav.ingest.model import RawDocument
from netnav.ingest.textutil import reflow_blocks


def parse_text(text: str) -> RawDocument:
    return RawDocument(fmt="txt", blocks=reflow_blocks(text))
