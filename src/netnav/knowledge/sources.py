"""What kind of document a source is, inferred from its identifiers and checked when stated.

The evidence kind a card is filed under (label / guideline / research / trial) follows from the type of its
first source, never from the card alone: a citation is `label` only when the source is a
prescribing-information document (DailyMed SPL set id, Drugs@FDA label, EMA product information) or an
FDA notice on fda.gov, and
`guideline` only for a guideline document or an official summary (NCI PDQ and NCI drug pages).
"""

from __future__ import annotations

import re
from typing import get_args
from urllib.parse import urlparse

from netnav.types.documents import Document, EvidenceKind, SourceType

SOURCE_TYPES: tuple[SourceType, ...] = (
    "label",
    "fda_notice",
    "guideline",
    "official_summary",
    "journal",
    "registry",
    "press",
    "other",
)
# A primary source: the document itself (label, FDA notice, guideline, official summary, journal article,
# registry record), not a report about it.
PRIMARY_TYPES: frozenset[str] = frozenset(
    {"label", "fda_notice", "guideline", "official_summary", "journal", "registry"}
)

# Copies of other sites' pages (previews, deploy previews, document mirrors, aggregators): never cite them.
MIRROR_HOSTS: tuple[str, ...] = (
    "preview-www.nature.com",
    "vercel.app",
    "pdfslide.net",
    "publicnow.com",
    "dev-voice.ons.org",
    "maestrodatabase.com",
    "xagena.net",
    "oncoprescribe.com",
    "fda.report",
    "mimsdev.com",
    "mdedge-cache.qa01.mdedge.com",
    "acemap.info",
    "ablesci.com",
    "scilit.net",
    "synapsesocial.com",
    "pubcompare.ai",
    "discovery.researcher.life",
    "meddatax.com",
    "medimix.be",
    "trials.co",
    "triallineage.com",
    "clincosm.com",
    "proquest.com",
    "insight.jci.org",
    "prep.medthority.com",
    "einnews.com",
    "finanznachrichten.de",
    "thealabamareport.com",
    "yonsei.pure.elsevier.com",
    "trial.medpath.com",
    "plexusmd.com",
    "unitedwell.com",
    "standardofcare.com",
)
LABEL_HOSTS = ("dailymed.nlm.nih.gov", "accessdata.fda.gov", "ema.europa.eu", "api.fda.gov")
FDA_HOSTS = ("fda.gov",)
REGISTRY_HOSTS = ("clinicaltrials.gov", "clinicaltrialsregister.eu", "isrctn.com", "anzctr.org.au")
OFFICIAL_HOSTS = ("cancer.gov",)
GUIDELINE_HOSTS = (
    "nccn.org",
    "enets.org",
    "nanets.net",
    "esmo.org/guidelines",
    "oncologypro.esmo.org/oncology-news/esmo-guidelines",
    "asco.org/guidelines",
    "asco.org/supportive-care-guidelines",
    "linkos.cz",
    "eviq.org.au",
)
JOURNAL_HOSTS = (
    "pubmed.ncbi.nlm.nih.gov",
    "ncbi.nlm.nih.gov",
    "doi.org",
    "aacrjournals.org",
    "snmjournals.org",
    "bioscientifica.com",
    "karger.com",
    "bmj.com",
    "nature.com",
    "annalsofoncology.org",
    "jnccn.org",
    "nejm.org",
    "thelancet.com",
    "ascopubs.org",
    "sciencedirect.com",
    "springer.com",
    "wiley.com",
    "jamanetwork.com",
    "frontiersin.org",
    "mdpi.com",
    "academic.oup.com",
    "ace.asco.org",
    "proceedings.asdp.org",
    "oncologypro.esmo.org/meeting-resources",
    "esmoopen.com",
    "pathologica.it",
)
SETID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_GUIDELINE_BODY = re.compile(
    r"\b(NCCN|ENETS|ESMO|NANETS|ASCO|SITC|SNMMI|CAP|WHO|IDSA|Infectious Diseases Society|Clinical Practice Guideline)\b"
)
_PDQ = re.compile(r"\bPDQ\b")
_PDQ_HOSTS = ("cancer.gov", "ncbi.nlm.nih.gov")
_GUIDELINE_WORD = re.compile(r"guideline|consensus|recommendation|standards? of care|practice guidance", re.I)


# Journal publications that ARE classification standards or consensus guidelines (their DOI decides).
GUIDELINE_DOIS = frozenset(
    {
        "10.1111/his.13975",  # The 2019 WHO classification of tumours of the digestive system (Histopathology)
        "10.1001/jamaoncol.2018.2428",  # CommNETs-NANETS follow-up recommendations after resected GEP-NETs
    }
)


def host_of(url: str | None) -> str:
    return (urlparse(url).netloc or "").lower() if url else ""


def _host_in(host: str, hosts: tuple[str, ...], url: str = "") -> bool:
    for h in hosts:
        if "/" in h:
            if h in url:
                return True
        elif host == h or host.endswith("." + h):
            return True
    return False


def is_mirror(url: str | None) -> bool:
    """True for a preview, deploy-preview or mirror copy of someone else's page."""
    return bool(url) and _host_in(host_of(url), MIRROR_HOSTS)


def _url_type(host: str, link: str) -> SourceType:
    if _host_in(host, LABEL_HOSTS, link):
        return "label"
    if _host_in(host, MIRROR_HOSTS):
        return "other"
    if _host_in(host, GUIDELINE_HOSTS, link):
        return "guideline"
    if _host_in(host, REGISTRY_HOSTS, link):
        return "registry"
    if _host_in(host, FDA_HOSTS):
        return "fda_notice"
    if _host_in(host, OFFICIAL_HOSTS):
        return "official_summary"
    if _host_in(host, JOURNAL_HOSTS, link):
        return "journal"
    return "press"


def infer_source_type(
    *,
    title: str,
    url: str | None,
    pmid: str | None,
    doi: str | None,
    nct: str | None,
    setid: str | None,
    guideline: str | None,
) -> SourceType:
    """The most specific type the identifiers support (see module docstring).

    An NCT number on a news article names the trial it reports; it does not make the article a registry
    record, so a URL decides the type unless the source has a PMID/DOI (an article) or a DailyMed set id.
    """
    host = host_of(url)
    link = (url or "").lower()
    if setid:
        return "label"
    if _PDQ.search(title) and _host_in(host, _PDQ_HOSTS):
        return "official_summary"  # NCI PDQ summaries, also mirrored by NCI on the NCBI Bookshelf
    if host and _url_type(host, link) in ("official_summary", "label", "fda_notice", "registry"):
        return _url_type(host, link)
    if doi and doi.lower() in GUIDELINE_DOIS:
        return "guideline"
    titled = bool(_GUIDELINE_BODY.search(title) and _GUIDELINE_WORD.search(title))
    if guideline or (titled and (pmid or doi or _url_type(host, link) in ("guideline", "journal"))):
        return "guideline"
    if pmid or doi:
        return "journal"
    if host:
        return _url_type(host, link)
    return "registry" if nct else "other"


def allowed_types(
    *,
    url: str | None,
    pmid: str | None,
    doi: str | None,
    nct: str | None,
    setid: str | None,
    guideline: str | None,
    title: str = "",
) -> frozenset[SourceType]:
    """Types a source may claim given its identifiers; a stated `source_type` outside this set is an error."""
    host = host_of(url)
    link = (url or "").lower()
    by_url = _url_type(host, link) if host else None
    allowed: set[SourceType] = {"press", "other"}
    if setid or by_url == "label":
        allowed.add("label")
    if by_url in ("fda_notice", "label") and _host_in(host, FDA_HOSTS):
        allowed.add("fda_notice")
    if guideline or pmid or doi or by_url in ("guideline", "official_summary", "journal"):
        allowed.add("guideline")
    if by_url == "official_summary" or (_PDQ.search(title) and _host_in(host, _PDQ_HOSTS)):
        allowed.add("official_summary")
    if pmid or doi or by_url == "journal":
        allowed.add("journal")
    if by_url == "registry" or (nct and not host):
        allowed.add("registry")
    return frozenset(allowed)


# The evidence kind a source is cited under follows its type (one source, one kind).
_KIND_OF_TYPE: dict[str, EvidenceKind] = {
    "label": "label",
    "fda_notice": "label",
    "guideline": "guideline",
    "official_summary": "guideline",
    "journal": "research",
    "registry": "trial",
}
_FORMAT_TYPE: dict[str, SourceType] = {
    "pubmed": "journal",
    "spl": "label",
    "ctgov-json": "registry",
    "ctgov-xml": "registry",
}


def doc_source_type(doc: Document) -> SourceType:
    """The source type of a stored document: stated in its meta (cards, ingest), else from its format/URL."""
    stated = doc.meta.get("source_type", "")
    for value in get_args(SourceType):
        if stated == value:
            return value  # type: ignore[no-any-return]
    if doc.format in _FORMAT_TYPE:
        return _FORMAT_TYPE[doc.format]
    url = doc.identifiers.get("url")
    return _url_type(host_of(url), (url or "").lower()) if url else "other"


_WEAK_KINDS = ("education", "experience", "document")


def cited_kind(source_type: SourceType, fallback: EvidenceKind, trust_fallback: bool = False) -> EvidenceKind:
    """Evidence kind a citation of this source carries. It never claims more than the source is: label only for
    labels and FDA notices, guideline only for guidelines and official summaries, research for articles, trial
    for registry records. A passage filed as background, patient experience or a user's document keeps that
    weaker kind (a label cited for background is background); press, mirrors and unknown sources become
    `education` unless the kind was stated by the user for a file of their own with no web address
    (`trust_fallback`)."""
    if fallback in _WEAK_KINDS:
        return fallback
    kind = _KIND_OF_TYPE.get(source_type)
    if kind:
        return kind
    return fallback if trust_fallback else "education"


def merged_kind(kinds: list[EvidenceKind]) -> EvidenceKind:
    """One kind for a source cited through several passages: the strongest evidence kind among them."""
    for kind in ("label", "guideline", "trial", "research", "document", "education", "experience"):
        if kind in kinds:
            return kind
    return kinds[0]


def source_key(doc: Document) -> str:
    """Identity of the underlying source, so that two cards (or a card and an ingested copy) citing the same
    label, article or record share one citation number: set id, DOI, PMID, NCT, URL, else the document id."""
    ids = doc.identifiers
    for key in ("setid", "doi", "pmid", "nct", "url", "guideline"):
        if ids.get(key):
            return f"{key}:{ids[key].strip().lower()}"
    return f"doc:{doc.id}"
