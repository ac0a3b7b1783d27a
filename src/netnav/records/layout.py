"""Report layouts read before extraction: PDF Unicode and OCR artefacts, one-cell-per-line tables,
sections (clinical history, addendum / amended / corrected report), multifocal tumours, the specimen
(tissue or blood) and whether a document is a pathology report.

Every function keeps line numbers: a table row is read from the line of its first cell (the other cells of the
row become empty), so `Line.no` still points at the source line and `Line.shown` keeps the line as written.
"""

from __future__ import annotations

import re

from netnav.records.collector import Line
from netnav.types.case import Specimen

I = re.IGNORECASE  # noqa: E741 (the regex-flag idiom, used in every pattern below)

# PDF text: non-breaking / figure / en / em dashes and minus signs read as "-", spaces as " ", superscripts.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"), "-")
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003"), " ")
_SUPERSCRIPT = {ord("\u00b2"): "2", ord("\u00b3"): "3", ord("\u00b9"): "1", ord("\u2070"): "0"}
_MM_SPACE_2 = re.compile(r"\b(2\s*mm)\s+2\b(?![\d.])", I)  # "per 2 mm 2" (superscript lost in PDF text)
_OCR_TNM = re.compile(r"\b((?:y|r)?p[TNM])O\b")  # "pNO" (letter O read for zero)
_OCR_RATIO = re.compile(r"(?<![\w/])O(?=\s*/\s*\d)")  # "O/3" lymph nodes

_HEADER_CELL = re.compile(
    r"^\s*(?:gene|genes|biomarker|biomarkers|marker|test|alteration|alterations|result|results|method|"
    r"variant allele frequency|vaf|allele frequency|interpretation|finding|findings|protein change|"
    r"coding change|cdna change|exon|type|value|status|therapy implications|clinical significance|"
    r"tier|classification)\s*:?\s*$",
    I,
)
_FIRST_HEADER = re.compile(r"^\s*(?:gene|genes|biomarker|biomarkers|marker|test)\s*:?\s*$", I)
_SECTION_TITLE = re.compile(r"^\s*[A-Z][A-Z0-9 ,/&()\-]{8,}:?\s*$")

_ADDENDUM = re.compile(
    r"^\W*(?:addendum|amended (?:report|diagnosis)|amendment|corrected (?:report|diagnosis)|"
    r"revised (?:report|diagnosis)|supplementary report|report (?:amended|corrected|revised))\b",
    I,
)
_HISTORY = re.compile(
    r"^\W*(?:clinical (?:history|information|details|data|indication|notes?)|history|indication|"
    r"reason for (?:referral|request|testing)|pre-?operative diagnosis|requisition|clinical question|"
    r"provisional diagnosis)\s*:",
    I,
)
_NEW_SECTION = re.compile(r"^\s*(?:[A-Z][A-Za-z /()-]{2,40}:|[A-Z][A-Z0-9 ,/&()-]{5,}$)")

_MULTI = re.compile(
    r"\bmultifocal\b|\bmultiple\s*\(?\s*\d*\s*\)?\s*(?:[\w-]+\s+){0,2}(?:tumou?rs|lesions|nodules|NETs)\b|"
    r"\b(?:two|three|four|five|six|2|3|4|5|6)\s+(?:separate\s+|synchronous\s+|distinct\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:tumou?rs|NETs|nodules|lesions)\b",
    I,
)
_FOCUS_LINE = re.compile(
    r"^\s*(?:tumou?r|lesion|nodule|focus)\s*(?:#\s*)?[\dA-Z]{1,2}\b\s*(?:\([^)]*\))?\s*[:.\-]", I
)

# Several lesions in the liver, nodes or elsewhere are metastases, not a multifocal primary.
_ELSEWHERE = re.compile(
    r"metasta|liver|hepatic|lymph|nod(?:e|al)|bone|osseous|peritone|lung nodules|\bCT\b|\bMRI\b", I
)
_BLOOD_DOC = re.compile(
    r"liquid biopsy|cell-?free (?:tumou?r )?DNA|\bcfDNA\b|\bctDNA\b|circulating tumou?r DNA|"
    r"(?:specimen|sample|source|material)(?: type)?\s*:\s*(?:peripheral\s+)?(?:whole\s+)?(?:blood|plasma)\b",
    I,
)
_BLOOD_LINE = re.compile(
    r"\bbTMB\b|\bblood[- ](?:based )?(?:TMB|tumou?r mutation(?:al)? burden|MSI)\b|\bbMSI\b", I
)
_TISSUE_DOC = re.compile(
    r"\bFFPE\b|paraffin|\bblock\b|\btissue\b|resection|biopsy|excision|\w+ectomy\b|specimen\s*:", I
)


def normalise(text: str) -> str:
    """PDF and OCR artefacts read the way they were meant (same line, characters may shift)."""
    text = text.translate(_DASHES).translate(_SPACES).translate(_SUPERSCRIPT)
    text = _MM_SPACE_2.sub(r"\g<1>2", text)
    text = _OCR_TNM.sub(r"\g<1>0", text)
    return _OCR_RATIO.sub("0", text)


_NUMBER_CELL = re.compile(r"^\s*[<>≤≥~]?\s*\d+(?:[.,]\d+)?(?:\s*-\s*\d+(?:[.,]\d+)?)?\s*$")
_UNIT = (
    r"(?:%|percent|cm|mm|mut(?:ations)?\s*/\s*mb|muts?/mb|/\s*2\s*mm2?|per\s+2\s*mm2?|/\s*10\s*hpf|"
    r"per\s+10\s*hpf|/\s*50\s*hpf|(?:pg|ng|pmol|nmol|µg|ug)\s*/\s*(?:ml|l|dl))"
)
_UNIT_CELL = re.compile(rf"^\s*{_UNIT}\s*$", I)
_VALUE_CELL = re.compile(rf"^\s*[<>≤≥~]?\s*\d+(?:[.,]\d+)?(?:\s*-\s*\d+(?:[.,]\d+)?)?\s*{_UNIT}?\s*$", I)
_LABEL_CELL = re.compile(r"^\s*[A-Za-z][\w ()/+-]{1,48}:?\s*$")


def unit_cells(texts: list[str]) -> list[str]:
    """One-cell-per-line exports that put a value and its unit in two cells ("9" then "%", "2" then "/2 mm2"):
    the unit is joined onto the number's line, then a value cell onto the label cell before it ("Size" then
    "3.1 cm"); each joined cell's own line is left empty (line numbers are kept)."""
    out = list(texts)
    for i in range(1, len(out)):
        if _UNIT_CELL.match(out[i]) and _NUMBER_CELL.match(out[i - 1]):
            out[i - 1] = f"{out[i - 1].strip()} {out[i].strip()}"
            out[i] = ""
    for i in range(
        1, len(out)
    ):  # then a label cell and its value cell ("Tumor Mutational Burden", "12 Muts/Mb")
        label = out[i - 1]
        if _VALUE_CELL.match(out[i]) and _LABEL_CELL.match(label) and not _VALUE_CELL.match(label):
            out[i - 1] = f"{label.strip()} {out[i].strip()}"
            out[i] = ""
    return out


def table_rows(texts: list[str]) -> list[str]:
    """One-cell-per-line tables (PDF export): a run of >= 2 header cells ("Gene", "Alteration", "VAF") sets
    the row width k; the following non-empty lines are joined k at a time onto the row's first line."""
    out = list(texts)
    i = 0
    while i < len(out):
        if not _FIRST_HEADER.match(out[i]):
            i += 1
            continue
        j = i
        while j < len(out) and out[j].strip() and _HEADER_CELL.match(out[j]):
            j += 1
        k = j - i
        if k < 2:
            i += 1
            continue
        i = _join_rows(out, j, k)
    return out


def _join_rows(out: list[str], start: int, k: int) -> int:
    pos = start
    while pos < len(out):
        cells: list[int] = []
        idx = pos
        while idx < len(out) and len(cells) < k and out[idx].strip() and not _SECTION_TITLE.match(out[idx]):
            cells.append(idx)
            idx += 1
        if len(cells) < 2:
            return max(idx, pos + 1)
        out[cells[0]] = "  ".join(out[c].strip() for c in cells)
        for c in cells[1:]:
            out[c] = ""
        pos = idx
    return pos


def ranks(texts: list[str]) -> list[int]:
    """0 for clinical history / requisition lines, 2 from an addendum or amended / corrected report on,
    else 1."""
    out = []
    level, in_history = 1, False
    for text in texts:
        if _ADDENDUM.match(text):
            level, in_history = 2, False
        elif _HISTORY.match(text):
            in_history = True
        elif in_history and (not text.strip() or _NEW_SECTION.match(text)):
            in_history = False
        out.append(0 if in_history and level == 1 else level)
    return out


def is_multifocal(texts: list[str]) -> bool:
    """Several tumours described ("multifocal", "three tumours", or >= 2 "Tumour 1:" / "Lesion B:" lines)."""
    own = [t for t in texts if not _ELSEWHERE.search(t)]
    return any(_MULTI.search(t) for t in own) or sum(bool(_FOCUS_LINE.match(t)) for t in own) >= 2


def document_specimen(texts: list[str]) -> Specimen | None:
    """blood for a liquid biopsy (cfDNA/ctDNA/plasma), tissue when a tissue specimen is named, else None."""
    if any(_BLOOD_DOC.search(t) for t in texts):
        return "blood"
    if any(_TISSUE_DOC.search(t) for t in texts):
        return "tissue"
    return None


def line_specimen(text: str) -> Specimen | None:
    return "blood" if _BLOOD_LINE.search(text) else None


_PATHOLOGY = re.compile(
    r"(?i:surgical pathology|pathology report|final (?:pathologic(?:al)? )?diagnosis|gross description|"
    r"microscopic description|synoptic|histologic (?:type|grade)|pathology consultation|consultation report|"
    r"molecular pathology|block [A-Z0-9-]+ reviewed)|"
    r"^\W*(?:[A-Z]\.\s*)?[A-Z][A-Z ]+,\s*(?:[A-Z ,]+,\s*)?"
    r"(?:[A-Z ]*RESECTION|[A-Z ]*BIOPSY|EXCISION|[A-Z]*ECTOMY)\b",
    re.MULTILINE,
)
_LETTER = re.compile(
    r"^\s*dear\b|\bclinic (?:letter|note|date|visit)\b|\bI saw\b|\bseen (?:today|in (?:the )?clinic)|"
    r"\bconsultation note\b|\boncology (?:clinic|review|consultation|note)\b|\bfollow-?up note\b",
    I | re.MULTILINE,
)


def is_pathology_report(lines: tuple[str, ...]) -> bool:
    """A pathology report (its pathology fields beat those of a clinic letter or requisition when merged)."""
    head = "\n".join(lines[:80])
    return bool(_PATHOLOGY.search(head)) and not _LETTER.search(head)


def build_lines(raw: tuple[str, ...]) -> tuple[Line, ...]:
    """Source lines -> Lines to extract from (normalised text, table rows joined, section ranks)."""
    texts = table_rows(unit_cells([normalise(t) for t in raw]))
    levels = ranks(texts)
    lines = []
    for i, (text, original) in enumerate(zip(texts, raw, strict=True)):
        shown = None if text == original else (original if text.strip() else None)
        lines.append(Line(i + 1, text, shown, rank=levels[i], specimen=line_specimen(text)))
    return tuple(lines)
