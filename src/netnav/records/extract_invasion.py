"""Invasion and margins: lymphovascular / perineural invasion (stated or UICC L/V/Pn), margin status (or R)."""

from __future__ import annotations

import re

from netnav.records.collector import Line
from netnav.records.textdoc import TextDoc

I = re.IGNORECASE  # noqa: E741 (the regex-flag idiom, used in every pattern below)
# UICC additions after the TNM categories: L (lymphatic), V (venous), Pn (perineural), R (residual tumour).
UICC_EXTRA = re.compile(r"(?<![A-Za-z0-9])(?P<k>L|V|Pn|R)(?P<n>[012])(?![\w])")
MARGIN = re.compile(r"\bmargins?\b|\bR[012]\s+resection\b", I)
MARGIN_NEG = re.compile(r"negative|\bfree\b|uninvolved|\bclear\b|not involved|no tumou?r|\bR0\b|widely", I)
MARGIN_POS = re.compile(r"positive|(?<!un)involved|tumou?r (?:present )?at|transected|\bR[12]\b", I)
BOOLEANS: dict[str, re.Pattern[str]] = {
    "necrosis": re.compile(r"(?<!fat )(?<!fat-)\bnecrosis\b|\bnecrotic\b", I),
    "lymphovascular_invasion": re.compile(
        r"lympho-?vascular(?: space)? invasion|lympho-?vascular(?=\s*(?:,|or|and|/)\s*peri-?neural)|"
        r"lymph-?vascular invasion|angio-?lymphatic invasion|\bLVI\b|"
        r"(?<!pleural )(?<!perineural )\bvascular invasion|\blymphatic invasion|venous invasion|"
        r"angio-?invasi(?:on|ve)|\bvascular (?:space )?involvement",
        I,
    ),
    "perineural_invasion": re.compile(
        r"peri-?neural (?:invasion|growth|spread|infiltration)|\bPNI\b|\bintraneural invasion", I
    ),
}
STATUS_TRUE = re.compile(
    r"^[\s:,\-]*(?:is |are |was |were )?(?:present|identified|seen|positive|noted|yes)\b", I
)
STATUS_FALSE = re.compile(
    r"^[\s:,\-]*(?:is |are |was |were )?(?:not (?:identified|seen|present|detected)|absent|"
    r"negative|none|no)\b",
    I,
)
UNCERTAIN_AFTER = re.compile(
    r"^[\s:,\-]*(?:is |are )?(?:suspicious|possible|possibly|probable|probably|equivocal|"
    r"indeterminate|cannot be (?:excluded|ruled out)|questionable|uncertain)",
    I,
)
NEG_BEFORE = re.compile(r"\b(?:no|without|negative for|absence of|free of)\s+(?:[\w-]+\s+){0,2}$", I)


def extract_margin(doc: TextDoc, line: Line) -> None:
    text = line.text
    if not MARGIN.search(text):
        return
    for clause in re.split(r"[;,]|\.\s", text):
        if not MARGIN.search(clause):
            continue
        if MARGIN_NEG.search(clause) and not re.search(r"(?<!un)involved by|positive", clause, I):
            if "margin_status" not in doc.out.fields:
                doc.out.add("margin_status", "negative", line)
        elif MARGIN_POS.search(clause):
            doc.out.replace("margin_status", "positive", line)


def uicc_extras(doc: TextDoc, line: Line, rest: str) -> None:
    """UICC 'L1 V0 Pn1 R0': L or V > 0 is lymphovascular invasion (V1 = angioinvasion), Pn perineural,
    R the margin (R0 negative, R1/R2 positive)."""
    found = {m.group("k"): int(m.group("n")) for m in UICC_EXTRA.finditer(rest)}
    if "L" in found or "V" in found:
        invaded = found.get("L", 0) > 0 or found.get("V", 0) > 0
        _set_bool(doc, line, "lymphovascular_invasion", invaded)
    if "Pn" in found:
        _set_bool(doc, line, "perineural_invasion", found["Pn"] > 0)
    if "R" in found:
        if found["R"] > 0:
            doc.out.replace("margin_status", "positive", line, note=f"R{found['R']} (UICC residual tumour)")
        elif "margin_status" not in doc.out.fields:
            doc.out.add("margin_status", "negative", line, note="R0 (UICC: no residual tumour)")


def _set_bool(doc: TextDoc, line: Line, name: str, present: bool) -> None:
    """Invasion seen in any vessel type wins over another type stated absent (L0 but V1 is invasion)."""
    old = doc.out.fields.get(name)
    if present and old is not None and old.value is False:
        doc.out.replace(name, True, line)
    else:
        doc.out.add(name, present, line)
    if not present:
        doc.out.negate(name, line)


def extract_booleans(doc: TextDoc, line: Line) -> None:
    text = line.text
    for name, rx in BOOLEANS.items():
        m = rx.search(text)
        if not m:
            continue
        after = text[m.end() : m.end() + 40]
        before = text[max(text.rfind(";", 0, m.start()), text.rfind(". ", 0, m.start()), 0) : m.start()]
        if UNCERTAIN_AFTER.search(after):
            doc.out.warn(
                f"{name}: uncertain statement not used ({doc.out.source}:{line.no}: {line.quote[:120]})"
            )
            continue
        if STATUS_FALSE.search(after) or NEG_BEFORE.search(before):
            negated = True
        elif STATUS_TRUE.search(after):
            negated = False
        elif doc.context(text, m.start(), m.end()).negated:
            negated = True
        elif doc.asserted(name, line, text, m.start(), m.end()):
            negated = False
        else:
            continue
        _set_bool(doc, line, name, not negated)
