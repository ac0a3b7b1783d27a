"""PubMed records keep their standing: retracted, under an expression of concern, or a book chapter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netnav.ingest.api import parse_file_all
from netnav.types.documents import Document
from tests.conftest import shared_dir

FIXTURES = Path(__file__).parent / "fixtures" / "pubmed_status"
REAL_WORLD = shared_dir() / "eval" / "real-world"


def _by_pmid(path: Path) -> dict[str, Document]:
    return {p.document.identifiers["pmid"]: p.document for p in parse_file_all(path)}


def test_retracted_record_is_stored_as_retracted_with_its_notice() -> None:
    docs = _by_pmid(FIXTURES / "retracted.xml")
    retracted = docs["91000011"]
    assert retracted.status == "retracted"
    assert retracted.meta["retraction_notice_pmid"] == "91000012"
    notice = docs["91000012"]
    assert notice.status == "current"


def test_expression_of_concern_is_flagged_but_not_retracted() -> None:
    doc = _by_pmid(FIXTURES / "retracted.xml")["91000013"]
    assert doc.status == "current"
    assert doc.meta["status_flags"] == "expression_of_concern"
    assert doc.meta["concern_notice_pmid"] == "91000014"


def test_book_chapter_is_ingested_with_chapter_title_and_book() -> None:
    (parsed,) = parse_file_all(FIXTURES / "book_chapter.xml")
    doc = parsed.document
    assert doc.title == "Von Hippel-Lindau Syndrome (invented chapter)"
    assert doc.identifiers["pmid"] == "91000021" and doc.identifiers["bookaccession"] == "NBK910021"
    assert "Invented Gene Reviews" in (doc.publisher or "") and doc.year == 2024
    assert any("First-degree relatives" in p.text for p in parsed.passages)


@pytest.mark.skipif(not REAL_WORLD.is_dir(), reason="shared eval folder ../shared is absent")
def test_shared_case_23_book_article_gives_two_documents() -> None:
    expected = json.loads((REAL_WORLD / "23-pubmed-book-article.expected.json").read_text())[
        "expected_behaviour"
    ]
    parsed = parse_file_all(REAL_WORLD / "23-pubmed-book-article.xml")
    assert len(parsed) == expected["documents_added"]
    assert sorted(p.document.identifiers["pmid"] for p in parsed) == sorted(expected["pmids"])
    assert expected["book_chapter_title"] in [p.document.title for p in parsed]


@pytest.mark.skipif(not REAL_WORLD.is_dir(), reason="shared eval folder ../shared is absent")
def test_shared_case_24_retracted_record_is_marked() -> None:
    (parsed,) = parse_file_all(REAL_WORLD / "24-pubmed-retracted.xml")
    assert parsed.document.status == "retracted"
    assert parsed.document.meta["retraction_notice_pmid"] == "90000004"
