"""PubMed/MEDLINE XML (PubmedArticleSet) → one RawDocument per article."""

from __future__ import annotations

import re

from netnav.ingest.model import Block, RawDocument
from netnav.ingest.xmlutil import Element, first_text, text_of, year_of


def parse_pubmed(root: Element) -> list[RawDocument]:
    articles = root.xpath("//PubmedArticle") if root.tag != "PubmedArticle" else [root]
    return [_article(a) for a in articles if isinstance(getattr(a, "tag", None), str)]


def _article(article: Element) -> RawDocument:
    title = first_text(article, ".//Article/ArticleTitle")
    blocks: list[Block] = []
    if title:
        blocks.append(Block(title, "heading", 1))
    for abstract in article.xpath(".//Article/Abstract/AbstractText"):
        label = str(abstract.get("Label") or "").strip() or "Abstract"
        text = text_of(abstract)
        if text:
            blocks.append(Block(label, "heading", 2))
            blocks.append(Block(text, "para"))
    raw = RawDocument(fmt="pubmed", blocks=blocks, title=title or None, kind="research")
    _identifiers(article, raw)
    journal = first_text(article, ".//Article/Journal/Title") or first_text(article, ".//MedlineTA")
    if journal:
        raw.publisher = journal
        raw.meta["journal"] = journal
    raw.year = _year(article)
    keywords = [text_of(k) for k in article.xpath(".//MeshHeading/DescriptorName | .//Keyword")]
    if keywords:
        raw.meta["keywords"] = "; ".join(k for k in keywords if k)
    return raw


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
