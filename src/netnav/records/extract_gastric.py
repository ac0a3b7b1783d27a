"""Findings that decide the type of a gastric NET: atrophic gastritis, ECL-cell hyperplasia, gastrin, ZES.

Fields (each with its source line): `atrophic_gastritis`, `ecl_hyperplasia`, `zollinger_ellison` (booleans; stated
absent -> false and listed under `negated`), `gastrin` (number with its unit, e.g. 850.0 "pg/mL") and
`gastrin_elevated` (bool: stated as raised/normal, flagged H/N, or compared with the reference range on the line;
failing those, inferred against a typical upper reference limit, see `GASTRIN_ULN`).
"""

from __future__ import annotations

import re

from netnav.records.collector import Line
from netnav.records.gating import gated
from netnav.records.textdoc import TextDoc

I = re.IGNORECASE  # noqa: E741 (the regex-flag idiom, used in every pattern below)
GASTRIC_CONTEXT = re.compile(r"mucosa|corpus|oxyntic|fund(?:us|ic)|gastric|stomach|\bbody\b", I)
BOOLS: dict[str, re.Pattern[str]] = {
    "atrophic_gastritis": re.compile(
        r"atroph?ic\s+(?:(?:body|corpus|fundic|autoimmune|metaplastic|pan)[- ]?)*gastritis|"
        r"auto-?immune\s+(?:metaplastic\s+)?(?:atroph?ic\s+)?gastritis|\bA?MAG\b|\bCAG\b|"
        r"(?:corpus|oxyntic|fundic|body)(?:\s+gland)?\s+atrophy|atrophy of the (?:gastric )?(?:body|corpus|oxyntic)",
        I,
    ),
    "ecl_hyperplasia": re.compile(
        r"\bECL[- ]?cells?\s+(?:hyperplasia|proliferation)|\bECL\s+hyperplasia|"
        r"enterochromaffin[- ]like(?:\s*\(ECL\))?[- ]cells?\s+hyperplasia|"
        r"(?:linear|micronodular|nodular|adenomatoid)\s+(?:ECL[- ]|(?:neuro)?endocrine[- ])?cells?\s+hyperplasia|"
        r"(?:neuro)?endocrine[- ]cell\s+hyperplasia",
        I,
    ),
    "zollinger_ellison": re.compile(r"zollinger[- ]?ellison|\bZES\b", I),
}
ATROPHY_WORD = re.compile(r"\batroph(?:y|ic)\b", I)
STATUS_TRUE = re.compile(
    r"^[\s:,\-]*(?:is |are |was |were )?(?:present|identified|seen|noted|yes|confirmed)\b", I
)
STATUS_FALSE = re.compile(
    r"^[\s:,\-]*(?:is |are |was |were |has been |have been )?(?:not (?:identified|seen|present|detected|"
    r"confirmed)|absent|none|no\b|excluded|ruled out|negative)",
    I,
)
NEG_BEFORE = re.compile(
    r"\b(?:no|without|negative for|absence of|free of|not|nor|excluded|exclude)\b(?:[\s,/-]+[\w-]+){0,6}[\s,/-]*$",
    I,
)
UNCERTAIN = re.compile(
    r"\b(?:suspect\w*|possible|possibly|probable|query|\?|rule out|r/o|to exclude|consider|cannot be excluded|"
    r"equivocal|if|whether)\b",
    I,
)
GASTRIN = re.compile(r"\bgastrin\b", I)
HYPERGASTRIN = re.compile(r"hyper-?gastrin(?:a|ae|e)mia", I)
GASTRIN_VALUE = re.compile(
    r"\bgastrin\b[^0-9\n]{0,40}?(?P<cmp>[<>]\s*)?(?P<v>\d+(?:[.,]\d+)?)\s*(?P<u>pg/ml|ng/l|pmol/l)", I
)
ELEVATED = re.compile(
    r"\b(?:elevated|raised|high|increased|markedly|hyper|above (?:the )?(?:upper|normal|reference))\b|"
    r"\(\s*H\s*\)|\bH\b(?=\s*(?:$|[;,)]))|\d+\s*(?:x|times|-fold)\s*(?:the )?(?:ULN|upper)",
    I,
)
NORMAL = re.compile(
    r"\b(?:normal|WNL|within (?:the )?(?:normal|reference) (?:limits|range)|not (?:elevated|raised|high|increased)|"
    r"unremarkable|normogastrin\w*)\b|\(\s*N\s*\)",
    I,
)
IHC = re.compile(r"immuno|\bIHC\b|\bstain|tumou?r cells|positive for|negative for", I)
SERUM = re.compile(r"serum|plasma|fasting|level|blood|pg/ml|ng/l|pmol/l", I)
REFERENCE = re.compile(
    r"(?:ref(?:erence)?(?:\s*range)?|normal(?:\s*range)?|ULN|upper limit)\s*[:=]?\s*(?:<|≤|<=|up to|0\s*[-–]\s*)\s*"
    r"(?P<r>\d+(?:[.,]\d+)?)",
    I,
)
# Typical laboratory upper reference limit of fasting serum gastrin: about 100 pg/mL (= 100 ng/L, about 48 pmol/L;
# 1 pmol/L of gastrin-17 is about 2.1 pg/mL). Laboratories differ, so a stated range or flag always wins and a
# value judged only against this limit is marked inferred, with a note.
GASTRIN_ULN: dict[str, float] = {"pg/ml": 100.0, "ng/l": 100.0, "pmol/l": 48.0}


def _clause_start(text: str, pos: int) -> int:
    return max(text.rfind(";", 0, pos), text.rfind(". ", 0, pos), text.rfind(":", 0, pos), 0)


def _polarity(doc: TextDoc, line: Line, name: str, m: re.Match[str]) -> bool | None:
    """True (stated present), False (stated absent) or None (uncertain / hypothetical: not used)."""
    text = line.text
    after = text[m.end() : m.end() + 40]
    before = text[_clause_start(text, m.start()) : m.start()]
    if STATUS_FALSE.search(after) or NEG_BEFORE.search(before):
        return False
    if STATUS_TRUE.search(after):
        return True
    if UNCERTAIN.search(before) or re.match(r"^\s*(?:\?|suspected|possible)", after, I):
        doc.out.warn(f"{name}: uncertain statement not used ({doc.out.source}:{line.no}: {line.quote[:120]})")
        return None
    if doc.context(text, m.start(), m.end()).negated:
        return False
    return True if doc.asserted(name, line, text, m.start(), m.end()) else None


def _set(doc: TextDoc, line: Line, name: str, present: bool) -> None:
    """A stated presence wins over an absence stated elsewhere in the same document."""
    old = doc.out.fields.get(name)
    if old is None:
        doc.out.add(name, present, line)
    elif present and old.value is False:
        doc.out.replace(name, True, line)
    if not present:
        doc.out.negate(name, line)


def extract_gastric_bools(doc: TextDoc, line: Line) -> None:
    text = line.text
    for name, rx in BOOLS.items():
        m = rx.search(text)
        if m is None and name == "atrophic_gastritis" and GASTRIC_CONTEXT.search(text):
            m = ATROPHY_WORD.search(text)
        if m is None:
            continue
        present = _polarity(doc, line, name, m)
        if present is not None:
            _set(doc, line, name, present)


def extract_gastrin(doc: TextDoc, line: Line) -> None:
    text = line.text
    hyper = HYPERGASTRIN.search(text)
    g = GASTRIN.search(text)
    if hyper is None and g is None:
        return
    if hyper is None and IHC.search(text) and not SERUM.search(text):
        return  # a gastrin immunostain on the tumour, not the blood level
    value = GASTRIN_VALUE.search(text)
    if value is not None:
        number = float(value.group("v").replace(",", "."))
        doc.out.add("gastrin", number, line, unit=_unit(value.group("u")))
    anchor = hyper if hyper is not None else g
    assert anchor is not None
    rest = text[anchor.start() :]
    before = text[_clause_start(text, anchor.start()) : anchor.start()]
    if hyper is not None:
        _elevated(doc, line, not NEG_BEFORE.search(before))
    elif value is not None and REFERENCE.search(rest):
        _from_number(doc, line, value, rest)
    elif NORMAL.search(REFERENCE.sub("", rest)) or NEG_BEFORE.search(before):
        _elevated(doc, line, False)
    elif ELEVATED.search(rest) or ELEVATED.search(before):
        _elevated(doc, line, True)
    elif value is not None:
        _from_number(doc, line, value, rest)


def _unit(raw: str) -> str:
    return {"pg/ml": "pg/mL", "ng/l": "ng/L", "pmol/l": "pmol/L"}[raw.lower()]


def _elevated(
    doc: TextDoc, line: Line, elevated: bool, note: str | None = None, inferred: bool = False
) -> None:
    doc.out.add("gastrin_elevated", elevated, line, note=note, inferred=inferred)
    if not elevated and not inferred:
        doc.out.negate("gastrin_elevated", line)


def _from_number(doc: TextDoc, line: Line, value: re.Match[str], rest: str) -> None:
    number = float(value.group("v").replace(",", "."))
    if value.group("cmp") and value.group("cmp").strip() == "<":
        return  # "< 20 pg/mL" below a detection limit says nothing about elevation without a range
    ref = REFERENCE.search(rest)
    if ref is not None:
        limit = float(ref.group("r").replace(",", "."))
        _elevated(doc, line, number > limit, note=f"compared with the stated upper limit {ref.group('r')}")
        return
    uln = GASTRIN_ULN[value.group("u").lower()]
    note = (
        f"no reference range stated; compared with a typical upper limit of {uln:g} {_unit(value.group('u'))} "
        "(laboratories differ)"
    )
    _elevated(doc, line, number > uln, note=note, inferred=True)


# Each extractor with the patterns one of which must match before it records anything (records/gating.py).
GASTRIC_EXTRACTORS = (
    gated(extract_gastric_bools, *BOOLS.values(), ATROPHY_WORD),
    gated(extract_gastrin, HYPERGASTRIN, GASTRIN),
)
