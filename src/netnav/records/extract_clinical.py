"""Clinical values: prior therapies, functional syndrome, SSTR imaging, ECOG, age, sex."""

from __future__ import annotations

import re

from netnav.records.collector import Line
from netnav.records.textdoc import TextDoc

I = re.IGNORECASE  # noqa: E741 (the regex-flag idiom, used in every pattern below)
FUTURE = re.compile(
    r"\b(?:recommend\w*|plan(?:ned|s)?|will (?:start|begin|receive)|consider\w*|candidate|eligib\w*|"
    r"options?|propos\w*|discuss\w*|whether|could|would|may benefit)\b",
    I,
)
SSTR_NEG = re.compile(
    r"(?:SSTR2?|somatostatin receptor)[- ]?negative|non[- ]?avid|not avid|"
    r"no (?:significant |abnormal |tracer )?(?:DOTATATE |DOTATOC )?uptake|"
    r"(?:DOTATATE|DOTATOC|DOTANOC|octreoscan)[^.;]{0,40}\bnegative",
    I,
)
SSTR_POS = re.compile(
    r"(?:SSTR2?|somatostatin receptor)[- ]?(?:positive|avid|expressing)|"
    r"(?:DOTATATE|DOTATOC|DOTANOC|Ga-?68|68Ga|Cu-?64|64Cu|octreoscan|octreotide scan)"
    r"[^.;]{0,80}?\b(?:avid|uptake|positive)|(?:DOTATATE|octreotide)[- ]avid",
    I,
)
ECOG = re.compile(
    r"\bECOG\b(?:\s*(?:performance status|PS))?\s*(?:score)?\s*(?:of|:|=|is|-)?\s*(?P<n>[0-4])\b|"
    r"\bperformance status\s*(?:\(ECOG\))?\s*(?:of|:|=|is)?\s*(?P<m>[0-4])\b",
    I,
)
AGE = re.compile(
    r"\bage[d]?\s*[:=]?\s*(?P<a>\d{1,3})\b|\b(?P<b>\d{1,3})[- ](?:year|yr)s?[- ]old\b|"
    r"\b(?P<c>\d{1,3})\s*(?:yo|y/o|y\.o\.)",
    I,
)
SEX_FIELD = re.compile(r"\b(?:sex|gender)\s*[:=]\s*(?P<s>male|female|man|woman|M|F)\b", I)
SEX_PHRASE = re.compile(
    r"\d{1,3}[- ](?:year|yr)s?[- ]old,?\s+(?:\w+\s+)?(?P<s>man|male|gentleman|boy|woman|female|"
    r"lady|girl)\b|\b\d{1,3}\s*(?:yo|y/o)\s*(?P<t>M|F|male|female)\b",
    I,
)
TITLE = re.compile(r"\b(?P<s>Mr|Mrs|Ms|Miss)\b\.?\s+[A-Z]")
MALE = {"male", "man", "gentleman", "boy", "m", "mr"}


def extract_therapies(doc: TextDoc, line: Line) -> None:
    text = line.text
    found: list[tuple[str, re.Match[str]]] = [
        (g, m) for g, rx in doc.pat.drugs.items() for m in rx.finditer(text)
    ]
    for rx, generics in doc.pat.regimens.values():
        found.extend((g, m) for m in rx.finditer(text) for g in generics)
    for generic, m in found:
        clause_start = max(text.rfind(";", 0, m.start()), text.rfind(". ", 0, m.start()), 0)
        if FUTURE.search(text[clause_start : m.start()]) or FUTURE.search(text[m.end() : m.end() + 25]):
            continue
        if doc.asserted("prior_therapies", line, text, m.start(), m.end()):
            doc.out.add_item("prior_therapies", generic, line)
    if doc.pat.no_prior_therapy.search(text):
        doc.out.empty_list("prior_therapies", line)


def extract_functional(doc: TextDoc, line: Line) -> None:
    text = line.text
    for value, rx in doc.pat.functional_syndromes.items():
        m = rx.search(text)
        if not m:
            continue
        if value == "non-functioning" or doc.asserted("functional_syndrome", line, text, m.start(), m.end()):
            doc.out.add("functional_syndrome", value, line)
            return
    cues = [rx.search(text) for rx in doc.pat.carcinoid_cues]
    if all(cues):
        first = min((c for c in cues if c), key=lambda c: c.start())
        if doc.asserted("functional_syndrome", line, text, first.start(), first.end()):
            doc.out.add(
                "functional_syndrome",
                "carcinoid syndrome",
                line,
                inferred=True,
                note="inferred from flushing and diarrhoea described in the report",
            )


def extract_sstr(doc: TextDoc, line: Line) -> None:
    text = line.text
    neg = SSTR_NEG.search(text)
    if neg:
        doc.out.add("sstr_status", "negative", line)
        return
    pos = SSTR_POS.search(text)
    if pos and doc.asserted("sstr_status", line, text, pos.end() - 6, pos.end()):
        doc.out.add("sstr_status", "positive", line)


def extract_ecog(doc: TextDoc, line: Line) -> None:
    m = ECOG.search(line.text)
    if m:
        doc.out.add("ecog", int(m.group("n") or m.group("m")), line)


def extract_age_sex(doc: TextDoc, line: Line) -> None:
    text = line.text
    a = AGE.search(text)
    if a:
        age = int(a.group("a") or a.group("b") or a.group("c"))
        if 0 < age < 120:
            doc.out.add("age", age, line, unit="years")
    s = SEX_FIELD.search(text) or SEX_PHRASE.search(text)
    if s:
        raw = (s.group("s") or s.groupdict().get("t") or "").lower()
        doc.out.add("sex", "M" if raw in MALE else "F", line)
        return
    t = TITLE.search(text)
    if t:
        doc.out.add(
            "sex",
            "M" if t.group("s").lower() in MALE else "F",
            line,
            inferred=True,
            note=f"inferred from the title '{t.group('s')}'",
        )


CLINICAL_EXTRACTORS = (extract_therapies, extract_functional, extract_sstr, extract_ecog, extract_age_sex)
