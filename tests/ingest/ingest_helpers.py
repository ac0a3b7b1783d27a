"""Checks shared by the ingest tests."""

from __future__ import annotations

from pathlib import Path

from netnav.ingest import ParsedDocument

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(__file__).resolve().parents[3] / "shared"


def assert_offsets(parsed: ParsedDocument) -> None:
    """Every passage is exactly the slice of the full text its offsets name, in order, ids unique."""
    previous_end = 0
    for ordinal, passage in enumerate(parsed.passages):
        assert parsed.full_text[passage.start : passage.end] == passage.text
        assert passage.ordinal == ordinal
        assert passage.doc_id == parsed.document.id
        assert passage.start >= previous_end
        assert passage.text.strip() == passage.text and passage.text
        previous_end = passage.end
    assert len({p.id for p in parsed.passages}) == len(parsed.passages)
