"""Citations are numbered per source: passages of one source share a number; kinds follow the source type."""

from __future__ import annotations

from netnav.answer.compose import Numbering, Source
from netnav.knowledge.loader import card_by_id, card_document
from netnav.types.documents import Document, Passage


def _doc(doc_id: str, fmt: str, ids: dict[str, str], kind: str = "research", **meta: str) -> Document:
    return Document.model_validate(
        {
            "id": doc_id,
            "kind": kind,
            "title": f"Doc {doc_id}",
            "format": fmt,
            "identifiers": ids,
            "meta": meta,
        }
    )


def _passage(pid: str, doc_id: str, text: str) -> Passage:
    return Passage(id=pid, doc_id=doc_id, ordinal=0, text=text, start=0, end=len(text))


def test_two_passages_of_one_source_share_one_number_with_pinpoint_quotes() -> None:
    doc = _doc("d1", "pubmed", {"pmid": "28076709"})
    p1 = _passage("p1", "d1", "First sentence of the abstract. Second sentence here.")
    p2 = _passage("p2", "d1", "A later chunk with results.")
    other = _doc("d2", "pubmed", {"pmid": "123"})
    p3 = _passage("p3", "d2", "Another article.")
    numbering = Numbering([Source(p1, doc), Source(p2, doc), Source(p3, other)], "clinician")
    assert numbering.cite([0], "First sentence of the abstract.") == [1]
    assert numbering.cite([2], "Another article.") == [2]
    assert numbering.cite([1], "A later chunk with results.") == [1]
    citations = numbering.citations
    assert [c.n for c in citations] == [1, 2]
    first = citations[0]
    assert [p.quote for p in first.passages] == [
        "First sentence of the abstract.",
        "A later chunk with results.",
    ]
    assert first.quote_is_verbatim and first.source_type == "journal" and first.kind == "research"


def test_cards_citing_the_same_label_share_a_number_and_are_marked_as_our_summary() -> None:
    a = card_by_id("b-lutathera-ssa-washout")
    b = card_by_id("b-lutathera-hormonal-crisis")
    assert a and b
    (da, pa), (db, pb) = card_document(a), card_document(b)
    assert da.id != db.id
    numbering = Numbering([Source(pa, da), Source(pb, db)], "patient")
    assert numbering.cite([0]) == [1] and numbering.cite([1]) == [1]
    (citation,) = numbering.citations
    assert citation.kind == "label" and citation.source_type == "label"
    assert not citation.quote_is_verbatim and len(citation.passages) == 2
    assert all(not p.verbatim for p in citation.passages)
    assert citation.passages[0].quote == pa.plain


def test_a_review_cited_by_a_guideline_card_is_not_filed_as_guideline() -> None:
    review = _doc("r", "pdf", {"doi": "10.1000/x"}, kind="guideline", source_type="journal")
    numbering = Numbering([Source(_passage("rp", "r", "Text of a review."), review)], "clinician")
    numbering.cite([0], "Text of a review.")
    assert numbering.citations[0].kind == "research"


def test_a_news_page_cannot_be_cited_as_a_label() -> None:
    news = _doc("n", "html", {"url": "https://www.onclive.com/view/x"}, kind="label")
    numbering = Numbering([Source(_passage("np", "n", "FDA approves a drug."), news)], "clinician")
    numbering.cite([0], "FDA approves a drug.")
    assert numbering.citations[0].kind == "education" and numbering.citations[0].source_type == "press"


def test_a_users_own_file_keeps_the_kind_they_gave_it() -> None:
    mine = _doc("m", "pdf", {}, kind="guideline")
    numbering = Numbering([Source(_passage("mp", "m", "Local protocol text."), mine)], "clinician")
    numbering.cite([0], "Local protocol text.")
    assert numbering.citations[0].kind == "guideline" and numbering.citations[0].source_type == "other"


def test_assessment_citations_are_one_per_source() -> None:
    from netnav.rules.engine import CitationBook

    book = CitationBook("clinician")
    # both cards open with the Lutathera label: one number, two passages
    assert book.cite(["b-lutathera-ssa-washout"]) == [1]
    assert book.cite(["b-lutathera-hormonal-crisis", "a-minen-treatment-prognosis"]) == [1, 2]
    first = book.citations[0]
    assert len(book.citations) == 2 and first.kind == "label" and len(first.passages) == 2
    assert book.cite(["b-lutathera-ssa-washout"]) == [1] and len(book.citations[0].passages) == 2
