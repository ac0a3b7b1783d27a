"""Primary site (scored candidates), specimen blocks and metastatic sites."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from netnav.records.collector import Line
from netnav.records.gating import vocabulary_index
from netnav.records.patterns import Patterns
from netnav.records.prefilter import Gate, PatternIndex
from netnav.records.textdoc import TextDoc, header_body

I = re.IGNORECASE  # noqa: E741 (the regex-flag idiom, used in every pattern below)
HISTO_AFTER = (
    re.compile(  # "Pancreas (tail), distal pancreatectomy: well differentiated neuroendocrine tumour"
        r"^[\s,):]*(?:[\w()-]+[:,.]?\s+){0,3}?(?:neuroendocrine|carcinoid|NETs?\b|NEC\b|carcinoma|tumou?r|"
        r"neoplasm|primary)",
        I,
    )
)
HISTO_BEFORE = re.compile(
    r"(?:neuroendocrine (?:tumou?rs?|carcinomas?|neoplasms?)|carcinoids?(?: tumou?rs?)?|NETs?|NECs?|"
    r"carcinomas?|MiNENs?\)?|MANECs?\)?)\s+(?:\w+\s+)?(?:of|in|arising (?:in|from))\s+(?:the\s+)?"
    r"(?:(?:ascending|descending|transverse|sigmoid|proximal|distal|terminal|upper|lower|left|right)\s+)?$",
    I,
)
PRIMARY_BEFORE = re.compile(
    r"(?:tumou?r site\s*:?\s*|primary(?: site| tumou?r)?\s*(?:is|:|-|of|in)?\s*(?:the\s+)?|"
    r"arising (?:in|from) (?:the\s+)?|consistent with (?:an? )?)$",
    I,
)
SITE_LABEL = re.compile(r"^\W*(?:tumou?r|primary(?: tumou?r)?)\s+(?:site|location)\s*:[^:;]{0,40}$", I)
SPECIMEN_LABEL = re.compile(r"^\W*(?:(?:specimen|biopsy|anatomic(?:al)?)\s+)?site\s*:\s*$", I)
PRIMARY_AFTER = re.compile(r"^\s*(?:primary|origin)\b", I)
METAST = re.compile(r"metasta(?:sis|ses|tic|sized)|\bmets\b|spread to|secondar(?:y|ies)", I)
LATERAL = re.compile(r"^(?:(?:right|left|bilateral)\s+)?", I)
# What follows the site on a specimen label: a sub-site before a comma ('Gastric antrum, endoscopic resection:')
# or a procedure ('Rectum polypectomy:', 'Ileum resection.').
LABEL_AFTER = re.compile(
    r"\s*(?:(?:and|&|/)\s*[\w ]{2,30}?\s*)?(?:[,:;(]|$)|\w+\s*[,:;(]|"
    r"\s+(?:[\w-]+\s+){0,2}?(?:biops(?:y|ies)|resection|excision|[a-z]*ectomy|polyp\w*|EMR|ESD|FNA|FNB|curettings?)"
    r"\s*(?:[,:;(.]|$)|\s+\w+\s*,",
    I,
)
DIAG_PREFIX = re.compile(r"^\s*(?:final\s+)?(?:pathologic\s+)?diagnosis\s*:\s*", I)


@dataclass(frozen=True)
class SiteHit:
    site: str
    score: int
    line: Line
    start: int
    end: int


def site_index(pat: Patterns) -> PatternIndex[str]:
    """The site patterns with a prefilter each (records/prefilter.py): the sites that may be named in a text."""
    return vocabulary_index("sites", pat, lambda p: p.sites.items())


def _site_matches(doc: TextDoc, text: str) -> list[tuple[str, re.Match[str]]]:
    candidates = site_index(doc.pat).candidates(text)
    hits = [(site, m) for site, rx in candidates for m in rx.finditer(text)]
    return sorted(hits, key=lambda h: h[1].start())


def specimen_site(doc: TextDoc, line: Line) -> str | None:
    """The site a specimen header line names ('A. SMALL BOWEL, ILEUM, RESECTION:', 'Lung, biopsy;')."""
    candidates = site_index(doc.pat).candidates(line.text)  # the body below is part of the line
    if not candidates:
        return None
    body = header_body(DIAG_PREFIX.sub("", line.text)).strip()
    body = LATERAL.sub("", body)
    best: tuple[int, str] | None = None
    for site, rx in candidates:
        m = rx.match(body)
        label_like = m is not None and LABEL_AFTER.match(body[m.end() :])
        if m and label_like and (best is None or m.end() > best[0]):
            best = (m.end(), site)
    return best[1] if best else None


def _primary_score(doc: TextDoc, text: str, m: re.Match[str], site: str) -> int:
    before, after = text[: m.start()], text[m.end() :]
    if site == "unknown" or PRIMARY_BEFORE.search(before[-40:]) or PRIMARY_AFTER.search(after):
        return 3
    if SITE_LABEL.match(before) and site not in doc.pat.metastasis_only_sites:
        return 3  # "Tumor Site: Tip of appendix" (CAP synoptic), "Primary site: tail of pancreas"
    if site in doc.pat.metastasis_only_sites:
        return 0
    if SPECIMEN_LABEL.match(before):
        return 1  # "Site: Rectum, transanal excision": a specimen label, the weakest evidence of the primary
    if HISTO_AFTER.search(after[:45]) or HISTO_BEFORE.search(before[-60:]):
        return 0 if re.search(r"metastatic to\s+(?:the\s+)?$", before, I) else 2
    return 0


def mark_blocks(doc: TextDoc) -> list[tuple[Line, str, bool]]:
    """Find specimen headers; mark lines of metastasis specimens. Returns (header, site, metastatic)."""
    headers = [(ln, s) for ln in doc.lines if (s := specimen_site(doc, ln))]
    numbers = [ln.no for ln in doc.lines]  # non-decreasing (text: 1..n; FHIR: the resource's line)
    out = []
    for i, (hdr, site) in enumerate(headers):
        end = headers[i + 1][0].no if i + 1 < len(headers) else len(doc.lines) + 1
        block = doc.lines[bisect_left(numbers, hdr.no) : bisect_left(numbers, end)]
        own = bool(METAST.search(hdr.text))
        body_says = any(re.match(r"\s*metasta", ln.text, I) for ln in block[1:4]) or own
        metastatic = site in doc.pat.metastasis_only_sites and body_says or own and i > 0
        if metastatic:
            doc.metastatic_block.update(ln.no for ln in block)
        out.append((hdr, site, metastatic))
    return out


def extract_sites(doc: TextDoc) -> None:
    blocks = mark_blocks(doc)
    hits: list[SiteHit] = []
    for hdr, site, metastatic in blocks:
        if metastatic:
            doc.out.add_item("metastatic_sites", site, hdr)
        elif site not in doc.pat.metastasis_only_sites:
            hits.append(SiteHit(site, 1, hdr, 0, len(hdr.text)))
    for line in doc.lines:
        hits.extend(_line_primary_hits(doc, line))
        _metastatic_mentions(doc, line)
    _choose_primary(doc, hits)


def _line_primary_hits(doc: TextDoc, line: Line) -> list[SiteHit]:
    out = []
    for site, m in _site_matches(doc, line.text):
        score = _primary_score(doc, line.text, m, site)
        if score and doc.asserted("primary_site", line, line.text, m.start(), m.end(), allow_history=False):
            out.append(SiteHit(site, score, line, m.start(), m.end()))
    return out


def _choose_primary(doc: TextDoc, hits: list[SiteHit]) -> None:
    if not hits:
        return
    top = max(h.score for h in hits)
    best = [h for h in hits if h.score == top]
    chosen = min(best, key=lambda h: h.line.no)
    note = {3: "stated as the primary", 2: "named with the tumour", 1: "from the specimen label"}[top]
    doc.out.add("primary_site", chosen.site, chosen.line, note=note)
    others = sorted({h.site for h in best} - {chosen.site})
    if others:
        doc.out.warn(
            f"primary_site: {doc.out.source} also names {', '.join(others)}; kept {chosen.site} "
            f"(line {chosen.line.no})"
        )


NO_METS = re.compile(
    r"\bno (?:(?:radiologic(?:al)?|definite|clear|further|other|residual) )?(?:evidence of |signs? of )?"
    r"(?:(?:recurren\w+|residual disease|local recurrence) (?:or|and|/|nor) )?"
    r"(?:(?:distant|residual|recurrent) )?(?:metasta\w+|distant (?:disease|spread))|"
    r"\bwithout (?:evidence of )?(?:distant )?(?:metasta\w+|distant spread)|"
    r"\bnegative for (?:distant )?metasta\w+",
    I,
)


_METS_GATE = Gate((NO_METS, METAST))


def _metastatic_mentions(doc: TextDoc, line: Line) -> None:
    text = line.text
    if not _METS_GATE.may_match(text):
        return  # neither a 'no metastasis' statement nor a metastasis word
    none = NO_METS.search(text)
    clause = re.split(r"[.;](?:\s|$)", text[none.start() :], maxsplit=1)[0] if none else ""
    if none and not re.search(r"lymph|\bnodes?\b|\bnodal\b|\bLN", clause, I):
        doc.out.negate("metastatic_sites", line, none.group(0))
        doc.out.empty_list("metastatic_sites", line)
    metas = list(METAST.finditer(text))
    if not metas:
        return
    for site, m in _site_matches(doc, text):
        if (
            site == "unknown"
            or _primary_score(doc, text, m, site) >= 2
            and site not in doc.pat.metastasis_only_sites
        ):
            continue
        if PRIMARY_BEFORE.search(text[: m.start()][-40:]) or PRIMARY_AFTER.search(text[m.end() :]):
            continue
        near = min(metas, key=lambda mm: abs(mm.start() - m.start()))
        if abs(near.start() - m.start()) > 45:
            continue
        if doc.asserted("metastatic_sites", line, text, m.start(), m.end()) and doc.asserted(
            "metastatic_sites", line, text, near.start(), near.end()
        ):
            doc.out.add_item("metastatic_sites", site, line)
