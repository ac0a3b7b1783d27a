"""PubMed/MEDLINE XML (PubmedArticleSet) → one RawDocument per article or book chapter.

Journal articles (`PubmedArticle`) and book chapters (`PubmedBookArticle`, e.g. GeneReviews) are both read.
Publication status follows the record: a "Retracted Publication" (publication type, or a `RetractionIn`
comment linking the notice) is stored as `retracted` and never used as support; an expression of concern
(`ExpressionOfConcernIn`) is flagged in `meta["status_flags"]`; a retraction or concern NOTICE itself is an
ordinary record of its own type.
"""

from __future__ import annotations

import re

from netnav.ingest.model import Block, RawDocument
from netnav.ingest.xmlutil import Element, first_text, text_of, year_of

RETRACTED_TYPE = "retracted publication"
CONCERN_TYPE = "expression of concern"


def parse_pubmed(root: Element) -> list[RawDocument]:
    """Every PubmedArticle and PubmedBookArticle under `root`, in document order."""
    if root.tag in ("PubmedArticle", "PubmedBookArticle"):
        records = [root]
    else:
        records = root.xpath("//PubmedArticle | //PubmedBookArticle")
    out: list[RawDocument] = []
    for record in records:
        if not isinstance(getattr(record, "tag", None), str):
            continue
        out.append(_book(record) if record.tag == "PubmedBookArticle" else _article(record))
    return out


def _abstract_blocks(node: Element, title: str) -> list[Block]:
    blocks: list[Block] = [Block(title, "heading", 1)] if title else []
    for abstract in node.xpath(".//Abstract/AbstractText"):
        label = str(abstract.get("Label") or "").strip() or "Abstract"
        text = text_of(abstract)
        if text:
            blocks.append(Block(label, "heading", 2))
            blocks.append(Block(text, "para"))
    return blocks


def _article(article: Element) -> RawDocument:
    title = first_text(article, ".//Article/ArticleTitle")
    raw = RawDocument(
        fmt="pubmed", blocks=_abstract_blocks(article, title), title=title or None, kind="research"
    )
    _identifiers(article, raw)
    journal = first_text(article, ".//Article/Journal/Title") or first_text(article, ".//MedlineTA")
    if journal:
        raw.publisher = journal
        raw.meta["journal"] = journal
    raw.year = _year(article)
    keywords = [text_of(k) for k in article.xpath(".//MeshHeading/DescriptorName | .//Keyword")]
    if keywords:
        raw.meta["keywords"] = "; ".join(k for k in keywords if k)
    raw.meta["source_type"] = "journal"
    _status(article, raw)
    return raw


def _book(record: Element) -> RawDocument:
    """A PubMed book chapter: the chapter title is the title, the book and publisher are the publisher."""
    doc = record.find("BookDocument")
    node = doc if doc is not None else record
    title = first_text(node, "ArticleTitle") or first_text(node, "Book/BookTitle")
    raw = RawDocument(
        fmt="pubmed", blocks=_abstract_blocks(node, title), title=title or None, kind="research"
    )
    pmid = first_text(node, "PMID")
    if pmid:
        raw.identifiers["pmid"] = pmid
        raw.identifiers["url"] = f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    accession = first_text(node, "ArticleIdList/ArticleId[@IdType='bookaccession']")
    if accession:
        raw.identifiers["bookaccession"] = accession
    book = first_text(node, "Book/BookTitle")
    publisher = first_text(node, "Book/Publisher/PublisherName")
    raw.publisher = ", ".join(x for x in (book, publisher) if x) or None
    if book:
        raw.meta["book"] = book
    raw.meta["pubmed_record"] = "book_chapter"
    raw.meta["source_type"] = "journal"
    raw.year = year_of(first_text(node, "Book/PubDate/Year")) or _year(node)
    _status(node, raw)
    return raw


def _status(record: Element, raw: RawDocument) -> None:
    types = {text_of(t).strip().lower() for t in record.xpath(".//PublicationTypeList/PublicationType")}
    retraction = first_text(record, ".//CommentsCorrections[@RefType='RetractionIn']/PMID")
    has_retraction_link = bool(record.xpath(".//CommentsCorrections[@RefType='RetractionIn']"))
    if RETRACTED_TYPE in types or has_retraction_link:
        raw.status = "retracted"
        if retraction:
            raw.meta["retraction_notice_pmid"] = retraction
    concern = record.xpath(".//CommentsCorrections[@RefType='ExpressionOfConcernIn']")
    if concern:
        raw.meta["status_flags"] = "expression_of_concern"
        notice = first_text(record, ".//CommentsCorrections[@RefType='ExpressionOfConcernIn']/PMID")
        if notice:
            raw.meta["concern_notice_pmid"] = notice


def _identifiers(article: Element, raw: RawDocument) -> None:
    pmid = first_text(article, ".//MedlineCitation/PMID") or first_text(
        article, ".//ArticleId[@IdType='pubmed']"
    )
    if pmid:
        raw.identifiers["pmid"] = pmid
        raw.identifiers["url"] = f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    doi = first_text(article, ".//ArticleId[@IdType='doi']") or first_text(
        article, ".//ELocationID[@EIdType='doi']"
    )
    if doi:
        raw.identifiers["doi"] = doi
    pmc = first_text(article, ".//ArticleId[@IdType='pmc']")
    if pmc:
        raw.identifiers["pmcid"] = pmc


def _year(article: Element) -> int | None:
    for xpath in (
        ".//Article/Journal/JournalIssue/PubDate/Year",
        ".//Article/ArticleDate/Year",
        ".//Article/Journal/JournalIssue/PubDate/MedlineDate",
        ".//DateCompleted/Year",
    ):
        value = first_text(article, xpath)
        match = re.search(r"\b(18|19|20)\d{2}\b", value)
        if match:
            return year_of(match.group(0))
    return None
