"""Finding 2 (one upload freezes everyone): a tiny PDF whose pages share one 2 MB stream is refused by
the decompressed-size budget before any text extraction, instead of parsing for a minute."""

from __future__ import annotations

import time

import pytest

from netnav.errors import FileTooLargeError
from netnav.ingest import limits
from netnav.ingest.pdf import parse_pdf
from tests.safety.pdfbomb import shared_stream_pdf


def test_shared_stream_bomb_is_refused_quickly() -> None:
    data = shared_stream_pdf(pages=200)
    assert len(data) < 64 * 1024
    t0 = time.monotonic()
    with pytest.raises(FileTooLargeError, match="decompressed"):
        parse_pdf(data)
    assert time.monotonic() - t0 < 20  # it used to take minutes; the budget stops it after ~32 pages


def test_page_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits.LIMITS, "max_pages", 5)
    with pytest.raises(FileTooLargeError, match="6 pages"):
        parse_pdf(shared_stream_pdf(pages=6, stream_bytes=1024))


def test_small_pdf_within_limits_still_parses() -> None:
    raw = parse_pdf(shared_stream_pdf(pages=3, stream_bytes=4096))
    assert raw.meta["pages"] == "3" and "carcinoid" in " ".join(b.text for b in raw.blocks)
