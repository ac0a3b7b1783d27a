"""Molecular and IHC biomarkers: TMB, MSI, MMR, PD-L1, DLL3, gene alterations."""

from __future__ import annotations

import re

from netnav.records.collector import Line
from netnav.records.extract_path import CMP, NUM, comparator, number
from netnav.records.gating import gated, vocabulary_gate
from netnav.records.patterns import Patterns
from netnav.records.prefilter import Gate
from netnav.records.textdoc import TextDoc

I = re.IGNORECASE  # noqa: E741 (the regex-flag idiom, used in every pattern below)
TMB = re.compile(
    r"(?:tumou?r mutation(?:al)? burden|\b[bt]?TMB\b)[^0-9<>≤≥]{0,40}?"
    + CMP
    + r"\s*(?P<a>"
    + NUM
    + r")\s*(?P<u>(?:muts?|mutations)?\s*(?:/|per)\s*(?:Mb|megabase))?(?!\s*%)",
    I,
)
MSI_CTX = re.compile(r"microsatellite|\bMSI\b|\bMSS\b|\bMS-?(?:stable|high|low)", I)
MSI_VALUES = (
    (
        "MSI-H",
        re.compile(
            r"MSI-?H(?:igh)?\b|microsatellite instability[- ]high|high(?:[- ]level)? microsatellite "
            r"instability|MS-?high|\bunstable\b",
            I,
        ),
    ),
    ("MSI-L", re.compile(r"MSI-?L(?:ow)?\b|MS-?low|low(?:[- ]level)? microsatellite instability", I)),
    ("MSS", re.compile(r"\bMSS\b|MS-?stable|microsatellite[- ]stable|\bstable\b", I)),
)
MSI_NEGATIVE = re.compile(
    r"(?:MSI-?H(?:igh)?|microsatellite instability(?:[- ]high)?|high[- ]level microsatellite instability|"
    r"\bMSI\b)(?:\s*\((?:MSI-?H?)\))?(?:\s*status)?\s*[:\-]?\s*(?:is |was |were )?"
    r"(?:not detected|negative|absent|not identified|none detected|not present)\b|"
    r"\bno (?:evidence of )?(?:MSI-?H(?:igh)?|microsatellite instability)\b",
    I,
)
MMR_CTX = re.compile(r"mismatch repair|\bMMR\b|\b[dp]MMR\b|\bMLH1\b|\bMSH2\b|\bMSH6\b|\bPMS2\b", I)
MMR_D = re.compile(r"\bdMMR\b|MMR[- ]?D\b|(?<!pro)deficien|\b(?:loss|lost|absent|negative)\b", I)
MMR_PROTEIN = re.compile(r"\b(?:MLH1|MSH2|MSH6|PMS2)\b")
MMR_OVERALL = re.compile(r"mismatch repair|\bMMR\b", I)
MMR_P = re.compile(r"\bpMMR\b|MMR[- ]?P\b|proficien|retained|intact|preserved", I)
CPS = re.compile(
    r"(?:combined positive score|\bCPS\b)\s*(?:\(CPS\))?\s*(?:is|of|:|=)?\s*"
    + CMP
    + r"\s*(?P<a>"
    + NUM
    + r")",
    I,
)
TPS = re.compile(
    r"(?:tumou?r proportion score|\bTPS\b)\s*(?:\(TPS\))?\s*(?:is|of|:|=)?\s*"
    + CMP
    + r"\s*(?P<a>"
    + NUM
    + r")\s*%?",
    I,
)
PDL1 = re.compile(r"\bPD-?L1\b", I)
PDL1_TUMOUR_CELLS = re.compile(
    CMP + r"\s*(?P<a>" + NUM + r")\s*%\s*(?:of\s+)?(?:the\s+)?(?:viable\s+|neoplastic\s+)?tumou?r cells|"
    r"(?:in|of)\s+(?:viable\s+)?tumou?r cells\s*[:=]?\s*(?P<cmp2><=|>=|[<>])?\s*(?P<b>" + NUM + r")\s*%",
    I,
)
DLL3 = re.compile(r"\bDLL3\b", I)
DLL3_NEG = re.compile(r"negative|not (?:expressed|detected)|absent|no expression|\b0\s*%", I)
DLL3_POS = re.compile(r"positive|expressed|expression|high|\d+\s*%", I)
HEADER_LIKE = re.compile(r"^\s*[A-Z][A-Z0-9 /&()\-]{3,}:?\s*$|^\s*[A-Za-z][\w /()\-]{2,60}:\s*$")
IHC_LINE = re.compile(r"mismatch repair|\bMMR\b|immunohisto|\bIHC\b|expression|stain", I)
# Negation scope for gene lists.
NEG_LABEL = re.compile(
    r"^\W*(?:negative(?: results?)?(?: for)?|pertinent negatives?|not detected|none detected|wild[- ]?type|"
    r"no (?:reportable |pathogenic |clinically significant )?(?:alterations?|variants?|mutations?|fusions?)"
    r"(?: (?:detected|identified|found))?(?: in)?|genes? (?:without|with no) [\w ]+?)\s*[:\-]",
    I,
)
NEG_SECTION = re.compile(
    r"^\W*(?:negative (?:results?|findings)|pertinent negatives?|not detected|none detected|wild[- ]?type genes?|"
    r"genes? (?:without|with no) (?:reportable |detected )?(?:alterations?|variants?|mutations?))\W*$",
    I,
)
NEG_BEFORE = re.compile(
    r"\b(?:no|negative for|without|absence of|not detected in|no evidence of|none of|free of|neither)\b", I
)
POS_CUE = re.compile(
    r"\b(?:but|however|whereas|detected\s*:|positive for|identified\s*:|(?<!no )alterations? detected|"
    r"(?<!without )(?<!no )reportable|"
    r"pathogenic variant(?:s)? detected)\b",
    I,
)
GENE_CLAUSE = re.compile(r";|\.\s|\bbut\b|\bhowever\b|\bwhereas\b|\bwhile\b", I)
GENE_LIST = re.compile(
    r"^(?:[\s,/&()\-]|\b(?:and|or|nor|genes?|fusions?|mutations?|alterations?|rearrangements?|variants?|"
    r"amplifications?|exons? \d+(?:-\d+)?|\d{1,2}\b))*",
    I,
)
MMR_GENES = frozenset({"MLH1", "MSH2", "MSH6", "PMS2"})
NEG_AFTER = re.compile(
    r"^[\s:,\-()]*(?:were |was |is |are |all )?"
    r"(?:not (?:detected|identified|found|amplified|mutated|altered)|"
    r"negative|wild[- ]?type|\bWT\b|retained|intact|preserved|absent|none detected|normal|unremarkable|"
    r"no (?:alteration|mutation|variant|fusion|amplification)s?)",
    I,
)


def _cmp_value(m: re.Match[str]) -> str | int | float:
    cmp = comparator(m.group("cmp"))
    return f"{cmp}{m.group('a')}" if cmp else number(m.group("a"))


def extract_tmb(doc: TextDoc, line: Line) -> None:
    m = TMB.search(line.text)
    if m and not doc.is_reference(line.text, m.start("a")):
        doc.out.add("tmb_mut_per_mb", _cmp_value(m), line, unit="mut/Mb")


def extract_msi(doc: TextDoc, line: Line) -> None:
    """MSI status. "MSI-High not detected" / "MSI: negative" is microsatellite stable (noted), and the
    negative MSI-H result is recorded under `negated`."""
    text = line.text
    if not MSI_CTX.search(text) or doc.pat.reference_cues.search(text):
        return
    neg = MSI_NEGATIVE.search(text)
    if neg:
        doc.out.negate("msi_status", line, "MSI-H")
        doc.out.add("msi_status", "MSS", line, note=f"'{neg.group(0).strip()}' read as microsatellite stable")
        return
    for value, rx in MSI_VALUES:
        m = rx.search(text)
        if m and doc.asserted("msi_status", line, text, m.start(), m.end()):
            doc.out.add("msi_status", value, line)
            return


def extract_mmr(doc: TextDoc, line: Line) -> None:
    text = line.text
    if not MMR_CTX.search(text):
        return
    explicit = re.search(r"\b(?P<v>[dp])MMR\b", text)
    if explicit:
        doc.out.add("mmr_status", f"{explicit.group('v')}MMR", line)
    elif MMR_D.search(text) and not re.search(r"\bno (?:loss|evidence)", text, I):
        doc.out.add("mmr_status", "dMMR", line)
    elif MMR_P.search(text):
        proteins = set(MMR_PROTEIN.findall(text.upper()))
        if MMR_OVERALL.search(text) or len(proteins) == len(MMR_GENES):
            doc.out.add("mmr_status", "pMMR", line)
        else:
            # One protein intact (a row of an IHC table) does not make the tumour proficient: another row may
            # show a loss, which must win. Inferred values give way to any stated status.
            doc.out.add(
                "mmr_status",
                "pMMR",
                line,
                inferred=True,
                note="only " + ", ".join(sorted(proteins)) + " stated intact",
            )


def extract_pdl1(doc: TextDoc, line: Line) -> None:
    """CPS and TPS as labelled; TPS also from prose ("staining in about 60% of tumour cells")."""
    text = line.text
    for name, rx, unit in (("pdl1_cps", CPS, None), ("pdl1_tps_percent", TPS, "%")):
        m = rx.search(text)
        if m and not doc.is_reference(text, m.start("a")):
            doc.out.add(name, _cmp_value(m), line, unit=unit)
    if "pdl1_tps_percent" in doc.out.fields or not PDL1.search(doc.joined(line)):
        return
    prose = PDL1_TUMOUR_CELLS.search(text)
    if prose and not doc.is_reference(text, prose.start()):
        cmp = comparator(prose.group("cmp") or prose.group("cmp2"))
        raw = prose.group("a") or prose.group("b")
        value: str | int | float = f"{cmp}{raw}" if cmp else number(raw)
        note = "tumour proportion score read from the percentage of stained tumour cells"
        doc.out.add("pdl1_tps_percent", value, line, unit="%", note=note)


def extract_dll3(doc: TextDoc, line: Line) -> None:
    text = line.text
    m = DLL3.search(text)
    if not m:
        return
    after = text[m.end() : m.end() + 80]
    if DLL3_NEG.search(after):
        doc.out.add("dll3_status", "negative", line)
    elif DLL3_POS.search(after):
        doc.out.add("dll3_status", "positive", line)


def extract_genes(doc: TextDoc) -> None:
    """Altered genes; genes stated negative (not detected, wild type, retained, "negative for: ...") are
    recorded under `negated` with their line, and a report with negatives but no alteration gives []."""
    in_excluded = in_negative = False
    for line in doc.lines:
        text = line.text
        if HEADER_LIKE.match(text) and not doc.pat.gene_token.search(text):
            in_negative = bool(NEG_LABEL.match(text) or NEG_SECTION.search(text))
            in_excluded = bool(doc.pat.vus_headers.search(text)) and not in_negative
            continue
        if not text.strip():
            in_negative = False
        if not gene_gate(doc.pat).may_match(text):
            continue  # no gene name and no IHC gene rule can match: nothing to record on this line
        if in_negative:
            _negative_section_line(doc, line)
            continue
        if in_excluded or _panel_line(doc, text):
            continue
        _gene_line(doc, line)
        for gene, rx in doc.pat.ihc_gene_rules:
            for m in rx.finditer(text):
                inner = m.group(0)[3:]
                if doc.pat.not_detected_words.search(inner):
                    continue
                if _negated_gene(doc, text, m.start(), m.end()):
                    doc.out.negate("gene_alterations", line, gene)
                elif doc.asserted("gene_alterations", line, text, m.start(), m.end(), allow_history=False):
                    doc.out.add_item("gene_alterations", gene, line)


def gene_gate(pat: Patterns) -> Gate:
    """False for a line where neither a gene name nor an IHC gene rule can match (records/prefilter.py)."""
    return vocabulary_gate("genes", pat, lambda p: [p.gene_token, *(rx for _, rx in p.ihc_gene_rules)])


def _negative_section_line(doc: TextDoc, line: Line) -> None:
    """A line under a "NEGATIVE RESULTS:" / "Not detected:" heading: every gene on it is a negative."""
    genes = [m.group(1) for m in doc.pat.gene_token.finditer(line.text)]
    for gene in genes:
        doc.out.negate("gene_alterations", line, gene)
    if genes:
        doc.out.empty_list("gene_alterations", line)


def _panel_line(doc: TextDoc, text: str) -> bool:
    """Panel content ("Genes tested: ...", "VUS: ..."): genes studied, neither altered nor negative.
    The panel words come before the first gene; a negative label ("Not detected: ...") is not panel."""
    head = doc.pat.vus_headers.search(text)
    gene = doc.pat.gene_token.search(text)
    if head is None or (gene is not None and gene.start() < head.start()):
        return False
    return not (NEG_LABEL.match(text) or NEG_BEFORE.search(text[: head.start()]))


def _clause(text: str, start: int) -> tuple[int, int]:
    begin = max((m.end() for m in GENE_CLAUSE.finditer(text, 0, start)), default=0)
    stop = GENE_CLAUSE.search(text, start)
    return begin, stop.start() if stop else len(text)


def _negated_gene(doc: TextDoc, text: str, start: int, end: int) -> bool:
    """A gene mention inside a negative statement: a negative line label ("Negative for:"), a forward cue
    in its clause ("no KRAS, NRAS or BRAF mutations"), or a negative word after a list of genes
    ("EGFR, KRAS, ALK: not detected")."""
    if NEG_LABEL.match(text) and not POS_CUE.search(text[:start]):
        return True
    c0, c1 = _clause(text, start)
    before = text[c0:start]
    cues = list(NEG_BEFORE.finditer(before))
    cue = cues[-1] if cues else None
    if cue is not None and not POS_CUE.search(before[cue.end() :]):
        return True
    return bool(NEG_AFTER.match(_after_gene_list(doc, text[end:c1])))


def _after_gene_list(doc: TextDoc, rest: str) -> str:
    """`rest` without the genes and joiners that continue a list ("/DAXX, KRAS and ALK fusions: ...")."""
    prev = None
    while prev != rest:
        prev = rest
        rest = GENE_LIST.sub("", rest, count=1)
        gene = doc.pat.gene_token.match(rest)
        if gene:
            rest = rest[gene.end() :]
    return rest


def _gene_line(doc: TextDoc, line: Line) -> None:
    text = line.text
    hits = list(doc.pat.gene_token.finditer(text))
    ihc = bool(IHC_LINE.search(text))
    line_ok = not ihc and doc.pat.variant_words.search(text) and not doc.pat.not_detected_words.search(text)
    negatives = 0
    for i, m in enumerate(hits):
        seg = text[m.start() : hits[i + 1].start() if i + 1 < len(hits) else len(text)]
        gene = m.group(1)
        if doc.pat.not_detected_words.search(seg) or _negated_gene(doc, text, m.start(), m.end()):
            doc.out.negate("gene_alterations", line, gene)
            negatives += 1
            continue
        seg_variant = doc.pat.variant_words.search(seg[len(m.group(0)) :])
        if gene in MMR_GENES and ihc:
            continue  # MMR protein loss on immunohistochemistry is mmr_status (dMMR), not a sequenced alteration
        if not (seg_variant or line_ok):
            continue
        if doc.asserted("gene_alterations", line, text, m.start(), m.end(), allow_history=False):
            doc.out.add_item("gene_alterations", gene, line)
    if negatives and not ihc:
        doc.out.empty_list("gene_alterations", line)


# Each extractor with the patterns one of which must match before it records anything (records/gating.py).
MOLECULAR_EXTRACTORS = (
    gated(extract_tmb, TMB),
    gated(extract_msi, MSI_CTX),
    gated(extract_mmr, MMR_CTX),
    gated(extract_pdl1, CPS, TPS, PDL1, joined=True),
    gated(extract_dll3, DLL3),
)
