"""Pathology values: Ki-67, mitoses, grade, histology, differentiation, size, margins, nodes, TNM, LVI/PNI."""

from __future__ import annotations

import math
import re

from netnav.records.collector import Line
from netnav.records.context import mask_parentheses
from netnav.records.extract_invasion import BOOLEANS, MARGIN, extract_booleans, extract_margin, uicc_extras
from netnav.records.extract_minen import mixed_asserted
from netnav.records.gating import gated, vocabulary_index
from netnav.records.patterns import HistologyRule, Patterns
from netnav.records.textdoc import TextDoc, is_legend

I = re.IGNORECASE  # noqa: E741 (the regex-flag idiom, used in every pattern below)
NUM = r"\d+(?:\.\d+)?"
CMP = r"(?P<cmp><=|>=|[<>≤≥]|less than|greater than|up to|fewer than|more than)?"
KI67 = re.compile(r"\bki[\s-]?67\b|\bMIB-?1\b", I)
PCT = re.compile(
    CMP + r"\s*(?P<a>" + NUM + r")\s*(?:%|percent)?(?:\s*(?:-|–|to)\s*(?P<b>" + NUM + r"))?\s*(?:%|percent)",
    I,
)
CLAUSE_END = re.compile(r";|\.\s+[A-Z]")
MITO = re.compile(r"mito(?:ses|tic|sis)|\bMF\b", I)
PER2 = re.compile(
    CMP + r"\s*(?P<a>" + NUM + r")(?:\s*(?:-|–|to)\s*(?P<b>" + NUM + r"))?\s*(?:mitos[ie]s|mitotic "
    r"figures)?\s*(?:/|per)\s*2\s*mm(?:2|²|\^2|\s*sq)",
    I,
)
PER10 = re.compile(
    CMP + r"\s*(?P<a>" + NUM + r")\s*(?:mitos[ie]s|mitotic figures)?\s*(?:/|per)\s*10\s*"
    r"(?:HPFs?|high[- ]power fields?)",
    I,
)
FIELD_DIAMETER = re.compile(
    r"(?:field|HPF)\s*(?:diameter|diam\.?)\s*(?:of|=|:|is)?\s*(?P<d>" + NUM + r")\s*mm|"
    r"(?P<e>" + NUM + r")\s*mm\s*(?:field |HPF )?diameter",
    I,
)
FIELD_AREA = re.compile(
    r"(?P<x>" + NUM + r")\s*mm(?:2|²|\^2)\s*(?:per|/|each)?\s*(?:HPF|field)|"
    r"(?:HPF|field(?: area)?)\s*(?:=|of|:|area)?\s*(?P<y>" + NUM + r")\s*mm(?:2|²|\^2)",
    I,
)
GRADE_NUM = re.compile(
    r"\b(?:WHO\s+)?grade\s*:?\s*(?P<n>[123]|III|II|I)\b|(?<![\w/])G(?P<g>[123])(?![\w/])", I
)
GRADE_WORD = re.compile(r"\b(?P<w>low|intermediate|high)[- ]grade\b", I)
DIFF = re.compile(r"\b(?P<d>well|poorly)[- ]?differentiated\b", I)
SIZE = re.compile(r"(?<![\w.])(?P<dims>" + NUM + r"(?:\s*[x×]\s*" + NUM + r")*)\s*(?P<u>cm|mm)\b", I)
SIZE_CTX = re.compile(
    r"size|largest|\bmass\b|nodule|lesion|tumou?r|carcinoma|carcinoid|\bNET\b|neoplasm|"
    r"paraganglioma|pheochromocytoma",
    I,
)
SIZE_EXCLUDE = re.compile(
    r"margin|deposit|distance|\bfrom\b|node|away|clearance|\bSUV\b|specimen|received|"
    r"fragments?|aggregate|segment of|spleen|length|\blong\b",
    I,
)
NODE_CTX = re.compile(r"lymph\s*nodes?|\bnodes?\b|\bLNs?\b|nodal", I)
SLASH = re.compile(r"(?<![\d.])(?P<p>\d{1,2})\s*/\s*(?P<e>\d{1,2})(?!\d|\.\d)(?!\s*(?:mm|HPF|cm))", I)
EXAMINED = re.compile(r"(?:examined|retrieved|identified|total)\s*(?:\(\w+\))?\s*[:=]?\s*(?P<n>\d{1,2})\b", I)
INVOLVED = re.compile(r"(?:involved|positive)\s*(?:nodes?)?\s*[:=]?\s*(?P<n>\d{1,2})\b", I)
TNM_HINT = re.compile(r"\bTNM\b|\bstage\b|\bAJCC\b|\bUICC\b|(?<![A-Za-z])y?p[TNM](?:\)|[0-4]|x\b|is\b)", I)
PN_NODES = re.compile(r"p?N[0-3][a-c]?\s*\(\s*(?P<p>\d{1,2})\s*/\s*(?P<e>\d{1,2})\s*\)")
T_RE = re.compile(r"(?<![A-Za-z0-9])(?P<v>(?:y|r)?p?T(?:[0-4][a-d]?|is|x|X))(?=[\s,.;:()]|N|p?N|$)")
N_RE = re.compile(r"(?<![A-Za-z])(?P<v>(?:y|r)?p?N(?:[0-3][a-c]?|x|X))(?=[\s,.;:()]|p?M|$)")
M_RE = re.compile(r"(?<![A-Za-z])(?P<v>(?:y|r)?p?M(?:[01][a-c]?|x|X))(?=[\s,.;:()]|$)")
STAGE = re.compile(
    r"\bstage\s*(?:group(?:ing)?)?\s*[:\-]?\s*(?P<s>IV[ABC]?|I{1,3}[ABC]?|[1-4][ABC]?)(?![\w])", I
)
STAGE_SCLC = re.compile(r"\b(?P<s>extensive|limited)[- ]stage\b", I)
ROMAN = {"I": 1, "II": 2, "III": 3}
COMPARATORS = {
    "≤": "<=",
    "≥": ">=",
    "less than": "<",
    "fewer than": "<",
    "greater than": ">",
    "more than": ">",
    "up to": "<=",
}


def number(text: str) -> float | int:
    v = float(text)
    return int(v) if v.is_integer() else v


def comparator(raw: str | None) -> str:
    if not raw:
        return ""
    return COMPARATORS.get(raw.lower(), raw)


def _value_with_range(m: re.Match[str], unit: str) -> tuple[str | float | int, str | None]:
    cmp = comparator(m.group("cmp"))
    if m.group("b"):
        lo, hi = m.group("a"), m.group("b")
        return number(
            hi
        ), f"range {lo}-{hi}{unit} reported; the upper bound {hi} is used (conservative for grading)"
    if cmp:
        return f"{cmp}{m.group('a')}", None
    return number(m.group("a")), None


def extract_ki67(doc: TextDoc, line: Line) -> None:
    for text in (line.text, doc.joined(line)):
        if is_legend(text):
            return
        for kw in KI67.finditer(text):
            if kw.start() >= len(line.text):
                return
            stop = CLAUSE_END.search(text, kw.end())
            end = min(len(text), kw.end() + 90, stop.start() if stop else len(text))
            for m in PCT.finditer(text, kw.end(), end):
                if doc.is_reference(text, m.start()):
                    continue
                value, note = _value_with_range(m, "%")
                doc.out.add("ki67_percent", value, line, unit="%", note=note)
                return


def extract_mitoses(doc: TextDoc, line: Line) -> None:
    for text in (line.text, doc.joined(line)):
        if not MITO.search(text) or is_legend(text):
            return
        m = PER2.search(text)
        if m and not doc.is_reference(text, m.start()):
            value, note = _value_with_range(m, "")
            doc.out.add("mitoses_per_2mm2", value, line, unit="per 2 mm2", note=note)
            return
        m10 = PER10.search(text)
        if m10 and not doc.is_reference(text, m10.start()):
            _per_10_hpf(doc, line, text, m10)
            return


def _field_area(text: str) -> tuple[float, str] | None:
    """The area of one high-power field in mm2: stated, or pi x (diameter / 2)^2 from a stated diameter."""
    area = FIELD_AREA.search(text)
    if area:
        mm2 = float(area.group("x") or area.group("y"))
        return mm2, f"{mm2:g} mm2 per field"
    diam = FIELD_DIAMETER.search(text)
    if diam:
        d = float(diam.group("d") or diam.group("e"))
        mm2 = math.pi * (d / 2) ** 2
        return mm2, f"field diameter {d:g} mm, area pi x ({d:g}/2)^2 = {mm2:.4f} mm2"
    return None


def _per_10_hpf(doc: TextDoc, line: Line, text: str, m: re.Match[str]) -> None:
    """count per 2 mm2 = count x 2 / (10 x field area in mm2), the WHO grading unit (mitoses per 2 mm2);
    not converted (warning) when neither the field area nor its diameter is stated."""
    found = _field_area(text)
    if found is None or comparator(m.group("cmp")):
        doc.out.warn(
            f"mitoses: {doc.out.source}:{line.no} reports '{m.group(0).strip()}' per 10 HPF without a "
            "stated field area; kept as written, not converted to per 2 mm2"
        )
        return
    mm2, how = found
    count = float(m.group("a"))
    value = round(count * 2.0 / (10 * mm2), 2)
    note = f"converted from {m.group('a')} per 10 HPF ({how}): count x 2 / (10 x {mm2:.4g} mm2)"
    doc.out.add("mitoses_per_2mm2", number(str(value)), line, unit="per 2 mm2", inferred=True, note=note)


def extract_grade(doc: TextDoc, line: Line) -> None:
    text = line.text
    if is_legend(text):
        return
    m = GRADE_NUM.search(text)
    if m:
        raw = m.group("n") or m.group("g")
        n = ROMAN.get(raw.upper()) or int(raw)
        if doc.asserted("grade", line, text, m.start(), m.end()):
            doc.out.add("grade", f"G{n}", line)
        return
    w = GRADE_WORD.search(text)
    if w and not re.search(r"carcinoma|\bNEC\b", text, I):
        grade = {"low": "G1", "intermediate": "G2", "high": "G3"}[w.group("w").lower()]
        if doc.asserted("grade", line, text, w.start(), w.end()):
            doc.out.add("grade", grade, line, note=f"'{w.group(0)}' read as {grade}")


def extract_histology(doc: TextDoc, line: Line) -> None:
    """First histology rule that matches; a name broken over two lines is read from the joined text."""
    index = vocabulary_index("histology", doc.pat, _histology_rules)
    for text in (line.text, doc.joined(line)):
        for rule, _ in index.candidates(text):  # in rule order; a rule left out cannot match
            m = rule.pattern.search(text)
            if not m or m.start() >= len(line.text):
                continue
            if rule.value == "MiNEN" and not mixed_asserted(text, m.start(), m.end()):
                continue  # "differential diagnosis includes MiNEN", "formerly called MANEC": read on
            scope = _clause_text(text, m.end())
            if doc.asserted("histology", line, scope, m.start(), m.end(), allow_history=False):
                doc.out.add("histology", rule.value, line)
                if rule.differentiation:
                    doc.out.add(
                        "differentiation",
                        rule.differentiation,
                        line,
                        inferred=True,
                        note=f"inferred from histology '{rule.value}'",
                    )
            return


def _clause_text(text: str, end: int) -> str:
    """The text up to the first comma after `end` outside parentheses: a diagnosis is not negated by a
    later item of the same line ("Typical carcinoid, 2.3 cm, margins negative")."""
    masked = mask_parentheses(text, end, end)
    cut = masked.find(",", end)
    return text if cut < 0 else text[:cut]


def extract_differentiation(doc: TextDoc, line: Line) -> None:
    for m in DIFF.finditer(line.text):
        if doc.asserted("differentiation", line, line.text, m.start(), m.end(), allow_history=False):
            doc.out.add("differentiation", m.group("d").lower(), line)
            return


def extract_size(doc: TextDoc, line: Line) -> None:
    text = line.text
    if line.no in doc.metastatic_block or not SIZE_CTX.search(text):
        return
    for m in SIZE.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        after = re.split(r"[,;]", text[m.end() : m.end() + 12], maxsplit=1)[0]
        if SIZE_EXCLUDE.search(before) or SIZE_EXCLUDE.search(after):
            continue
        dims = [float(x) for x in re.findall(NUM, m.group("dims"))]
        cm = max(dims) / 10.0 if m.group("u").lower() == "mm" else max(dims)
        note = f"converted from {max(dims):g} mm" if m.group("u").lower() == "mm" else None
        doc.out.add("tumor_size_cm", number(f"{cm:.4g}"), line, unit="cm", note=note)
        return


def extract_nodes(doc: TextDoc, line: Line) -> None:
    text = line.text
    if not NODE_CTX.search(text):
        return
    words = "|".join(doc.pat.number_words)
    of = re.search(
        r"\b(?P<p>\d{1,2}|" + words + r")\s+(?:out\s+)?of\s+(?P<e>\d{1,2}|" + words + r")\b", text, I
    )
    m = of or SLASH.search(text)
    if m:
        pos, exam = _count(doc, m.group("p")), _count(doc, m.group("e"))
        if pos <= exam:
            doc.out.add("nodes_positive", pos, line)
            doc.out.add("nodes_examined", exam, line)
        return
    ex, inv = EXAMINED.search(text), INVOLVED.search(text)
    if ex:
        doc.out.add("nodes_examined", int(ex.group("n")), line)
    if inv:
        doc.out.add("nodes_positive", int(inv.group("n")), line)


def _count(doc: TextDoc, raw: str) -> int:
    return int(raw) if raw.isdigit() else doc.pat.number_words[raw.lower()]


def extract_tnm(doc: TextDoc, line: Line) -> None:
    text = line.text
    if not TNM_HINT.search(text):
        return
    t = T_RE.search(text)
    if t:
        doc.out.add("pT", t.group("v"), line)
    if t or re.search(r"\bp[NM]", text):
        for name, rx in (("pN", N_RE), ("pM", M_RE)):
            m = rx.search(text, t.end() if t else 0)
            if m:
                doc.out.add(name, m.group("v"), line)
    if t:
        uicc_extras(doc, line, text[t.end() :])
    nodes = PN_NODES.search(text)
    if nodes and int(nodes.group("p")) <= int(nodes.group("e")):
        doc.out.add("nodes_positive", int(nodes.group("p")), line)
        doc.out.add("nodes_examined", int(nodes.group("e")), line)
    s = STAGE.search(text) or STAGE_SCLC.search(text)
    if s:
        raw = s.group("s")
        value = f"{raw.lower()} stage" if raw.lower() in ("extensive", "limited") else raw.upper()
        doc.out.add("stage", value, line)


def _histology_patterns(pat: Patterns) -> list[re.Pattern[str]]:
    return [rule.pattern for rule in pat.histology]


def _histology_rules(pat: Patterns) -> list[tuple[HistologyRule, re.Pattern[str]]]:
    return [(rule, rule.pattern) for rule in pat.histology]


# Each extractor with the patterns one of which must match before it records anything (records/gating.py).
PATHOLOGY_EXTRACTORS = (
    gated(extract_ki67, KI67, joined=True),
    gated(extract_mitoses, MITO, joined=True),
    gated(extract_grade, GRADE_NUM, GRADE_WORD),
    gated(extract_histology, _histology_patterns, joined=True),
    gated(extract_differentiation, DIFF),
    gated(extract_size, SIZE_CTX),
    gated(extract_margin, MARGIN),
    gated(extract_nodes, NODE_CTX),
    gated(extract_tnm, TNM_HINT),
    gated(extract_booleans, *BOOLEANS.values()),
)
