"""Molecular and IHC biomarkers: TMB, MSI, MMR, PD-L1, DLL3, gene alterations."""

from __future__ import annotations

import re

from netnav.records.collector import Line
from netnav.records.extract_path import CMP, NUM, comparator, number
from netnav.records.textdoc import TextDoc

I = re.IGNORECASE  # noqa: E741 (the regex-flag idiom, used in every pattern below)
TMB = re.compile(
    r"(?:tumou?r mutation(?:al)? burden|\bTMB\b)[^0-9<>≤≥]{0,40}?"
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
MMR_CTX = re.compile(r"mismatch repair|\bMMR\b|\b[dp]MMR\b|\bMLH1\b|\bMSH2\b|\bMSH6\b|\bPMS2\b", I)
MMR_D = re.compile(r"\bdMMR\b|MMR[- ]?D\b|(?<!pro)deficien|\b(?:loss|lost|absent|negative)\b", I)
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
DLL3 = re.compile(r"\bDLL3\b", I)
DLL3_NEG = re.compile(r"negative|not (?:expressed|detected)|absent|no expression|\b0\s*%", I)
DLL3_POS = re.compile(r"positive|expressed|expression|high|\d+\s*%", I)
HEADER_LIKE = re.compile(r"^\s*[A-Z][A-Z0-9 /&()\-]{3,}:?\s*$|^\s*[A-Za-z][\w /()\-]{2,60}:\s*$")
IHC_LINE = re.compile(r"mismatch repair|\bMMR\b|immunohisto|\bIHC\b|expression|stain", I)


def _cmp_value(m: re.Match[str]) -> str | int | float:
    cmp = comparator(m.group("cmp"))
    return f"{cmp}{m.group('a')}" if cmp else number(m.group("a"))


def extract_tmb(doc: TextDoc, line: Line) -> None:
    m = TMB.search(line.text)
    if m and not doc.is_reference(line.text, m.start("a")):
        doc.out.add("tmb_mut_per_mb", _cmp_value(m), line, unit="mut/Mb")


def extract_msi(doc: TextDoc, line: Line) -> None:
    text = line.text
    if not MSI_CTX.search(text) or doc.pat.reference_cues.search(text):
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
        doc.out.add("mmr_status", "pMMR", line)


def extract_pdl1(doc: TextDoc, line: Line) -> None:
    text = line.text
    for name, rx, unit in (("pdl1_cps", CPS, None), ("pdl1_tps_percent", TPS, "%")):
        m = rx.search(text)
        if m and not doc.is_reference(text, m.start("a")):
            doc.out.add(name, _cmp_value(m), line, unit=unit)


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
    in_excluded = False
    for line in doc.lines:
        text = line.text
        if HEADER_LIKE.match(text) and not doc.pat.gene_token.search(text):
            in_excluded = bool(doc.pat.vus_headers.search(text))
            continue
        if in_excluded or doc.pat.vus_headers.search(text) and not doc.pat.gene_token.match(text.strip()):
            continue
        _gene_line(doc, line)
        for gene, rx in doc.pat.ihc_gene_rules:
            m = rx.search(text)
            if m and doc.asserted("gene_alterations", line, text, m.start(), m.end(), allow_history=False):
                doc.out.add_item("gene_alterations", gene, line)


def _gene_line(doc: TextDoc, line: Line) -> None:
    text = line.text
    hits = list(doc.pat.gene_token.finditer(text))
    ihc = bool(IHC_LINE.search(text))
    line_ok = not ihc and doc.pat.variant_words.search(text) and not doc.pat.not_detected_words.search(text)
    for i, m in enumerate(hits):
        seg = text[m.start() : hits[i + 1].start() if i + 1 < len(hits) else len(text)]
        seg_variant = doc.pat.variant_words.search(seg[len(m.group(0)) :])
        if doc.pat.not_detected_words.search(seg):
            continue
        if not (seg_variant or line_ok):
            continue
        if doc.asserted("gene_alterations", line, text, m.start(), m.end(), allow_history=False):
            doc.out.add_item("gene_alterations", m.group(1), line)


MOLECULAR_EXTRACTORS = (extract_tmb, extract_msi, extract_mmr, extract_pdl1, extract_dll3)
