"""The components of a mixed neuroendocrine-non-neuroendocrine neoplasm (MiNEN; formerly MANEC).

WHO (2019 digestive system, 5th edition) calls a tumour a MiNEN when a neuroendocrine and a non-neuroendocrine
component each make up at least 30% of it; the report should name and grade each component. This pass reads,
with their source lines:

- `minen_ne_component`: which neuroendocrine component ("small cell neuroendocrine carcinoma",
  "large cell neuroendocrine carcinoma", "neuroendocrine carcinoma", "well-differentiated neuroendocrine tumor");
- `minen_non_ne_component`: the other one ("adenocarcinoma", "squamous cell carcinoma", "acinar cell carcinoma",
  "hepatocellular carcinoma", "adenoma");
- `minen_ne_percent`, `minen_non_ne_percent`: each component's share of the tumour (% as reported).

Components are read only in a report that calls the tumour mixed (MiNEN, MANEC, mixed neuroendocrine-non-
neuroendocrine / adenoneuroendocrine) or that gives both a neuroendocrine and a non-neuroendocrine component a
percentage in one clause. A MiNEN needs both components within ONE neoplasm (WHO 2019; the IARC-WHO framework,
Rindi et al. 2018, PMID 30140036): a mention of the name that is not a diagnosis of this tumour does not make it
mixed (`mixed_asserted`: "not a MiNEN", "differential diagnosis includes MiNEN", "formerly called mixed
adenoneuroendocrine carcinoma", "MiNEN-like", a classification legend listing NET, NEC and MiNEN, a collision
tumour), and a component written as a separate or adjacent lesion ("a separate tubular adenoma", "adjacent
adenocarcinoma in situ", "collision of ...", "in another polyp") is not read as a component. Collision tumours,
amphicrine carcinomas (both lineages in the same cells) and goblet cell adenocarcinoma (an adenocarcinoma of the
appendix in WHO 2019) are not MiNENs here.
A percentage is paired with the component it is written next to: "60% adenocarcinoma" (number first) or
"adenocarcinoma component 60%" / "adenocarcinoma (60%)" (number after), decided per clause; Ki-67 / MIB-1 /
index percentages are never component shares. A component stated as absent is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netnav.records.collector import Line
from netnav.records.textdoc import TextDoc

I = re.IGNORECASE  # noqa: E741 (the regex-flag idiom)
MIXED = re.compile(
    r"(?-i:\bMiNENs?\b)|(?-i:\bMANECs?\b)|mixed\s+(?:adeno[- ]?)?neuroendocrine\s*[-–—/]?\s*"
    r"(?:non[- ]?neuroendocrine\s+)?(?:neoplasms?|carcinomas?|tumou?rs?)|mixed\s+adenoneuroendocrine\s+carcinoma",
    I,
)
NE_TYPES: tuple[tuple[str | None, str], ...] = (
    (
        "small cell neuroendocrine carcinoma",
        r"small[- ]cell\s+(?:neuroendocrine\s+)?carcinoma|"
        r"(?:poorly[- ]differentiated\s+)?neuroendocrine\s+carcinoma,?\s*\(?small[- ]cell(?:\s+type)?",
    ),
    (
        "large cell neuroendocrine carcinoma",
        r"large[- ]cell\s+neuroendocrine\s+carcinoma|(?-i:\bLCNEC\b)|"
        r"(?:poorly[- ]differentiated\s+)?neuroendocrine\s+carcinoma,?\s*\(?large[- ]cell(?:\s+type)?",
    ),
    ("neuroendocrine carcinoma", r"(?:poorly[- ]differentiated\s+)?neuroendocrine\s+carcinoma|(?-i:\bNEC\b)"),
    (
        "well-differentiated neuroendocrine tumor",
        r"(?:well[- ]differentiated\s+)?neuroendocrine\s+tumou?r|(?-i:\bNET\b)|carcinoid",
    ),
    (None, r"neuroendocrine\s+(?:component|part|portion|element)|(?-i:\bNE\b)\s+component"),
)
NON_NE_TYPES: tuple[tuple[str | None, str], ...] = (
    ("squamous cell carcinoma", r"squamous[- ]cell\s+carcinoma"),
    ("acinar cell carcinoma", r"acinar[- ]cell\s+carcinoma"),
    ("hepatocellular carcinoma", r"hepatocellular\s+carcinoma"),
    ("adenocarcinoma", r"adenocarcinoma"),
    ("adenoma", r"(?:tubular|villous|tubulovillous|serrated)?\s*adenoma"),
    (
        None,
        r"non[- ]?neuroendocrine\s+(?:component|part|portion|element)|(?-i:\bnon-NE\b)\s+component|"
        r"(?:glandular|exocrine)\s+component",
    ),
)
_GROUPS = [(True, v, p) for v, p in NE_TYPES] + [(False, v, p) for v, p in NON_NE_TYPES]
COMPONENT = re.compile("|".join(f"(?P<c{i}>{p})" for i, (_, _, p) in enumerate(_GROUPS)), I)
PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b|per\s*cent\b)", I)
NOT_A_SHARE = re.compile(r"(?:ki-?\s?67|mib-?1|index|proliferat\w*|labell?ing)[^%]{0,20}$", I)
ABSENT_BEFORE = re.compile(r"\b(?:no|without|negative for|absence of|not)\b[\w\s-]{0,20}$", I)
CLAUSES = re.compile(r";|\.(?:\s|$)|\n")
MIXED_WORDS = ("minen", "manec", "mixed")  # a mixed tumour is named with one of these (lower-case substrings)
COMPONENT_WORDS = ("carcinom", "adenom", "neuroendocrine", "nec", "net", "carcinoid", "component")


# Before the name in its clause: it is not this tumour's diagnosis.
_NOT_DIAGNOSIS_BEFORE = re.compile(
    r"\b(?:not|no|nor|without|rather than|instead of|versus|vs\.?|differential(?: diagnos[ie]s)?|ddx|"
    r"rule out|r/o|exclud\w*|considered|consider|favou?r\w* over|previously|formerly|former|once called|"
    r"so[- ]called|old(?:er)? (?:term|name)|classification|categor\w*|includ\w+|such as|as opposed to|"
    r"collision|amphicrine)\b[^.;:]{0,60}$",
    I,
)
# After the name: "MiNEN-like", "MiNEN was considered but excluded", "MiNEN (excluded)".
_NOT_DIAGNOSIS_AFTER = re.compile(
    r"^\s*(?:-\s*|\s)like\b|^[^.;]{0,40}\b(?:excluded|ruled out|not (?:favou?red|supported|met)|unlikely|"
    r"was considered|is not|are not)\b",
    I,
)
# A component written as another lesion, not part of the mixed tumour.
SEPARATE = re.compile(
    r"\b(?:separate|distinct|second|another|other polyp|incidental|adjacent|background|collision|synchronous|"
    r"elsewhere|different (?:polyp|lesion|specimen|site)|away from|not (?:part|a component) of)\b",
    I,
)


_OWN_COMPONENT = re.compile(r"(?<!not a )(?<!not )\bcomponents?\b(?! of (?:a|another|the other)\b)", I)


def mixed_asserted(text: str, start: int, end: int) -> bool:
    """The mixed-tumour name at text[start:end] is this tumour's diagnosis, not a differential, a former name,
    a negation, a '-like' comparison or a classification legend (see the module docstring)."""
    clause_start = max(text.rfind(".", 0, start), text.rfind(";", 0, start)) + 1
    before = text[clause_start:start]
    spelled = next((m for m in MIXED.finditer(before) if re.fullmatch(r"\s*\(\s*", before[m.end() :])), None)
    if spelled is not None:  # "mixed neuroendocrine-non-neuroendocrine neoplasms (MiNEN)": one mention
        return mixed_asserted(text, clause_start + spelled.start(), clause_start + spelled.end())
    return not (_NOT_DIAGNOSIS_BEFORE.search(before) or _NOT_DIAGNOSIS_AFTER.search(text[end:]))


@dataclass(frozen=True)
class Mention:
    neuroendocrine: bool
    kind: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Component:
    kind: str | None
    percent: float | None
    line: Line


def _mentions(clause: str) -> list[Mention]:
    out: list[Mention] = []
    for m in COMPONENT.finditer(clause):
        group = next(i for i in range(len(_GROUPS)) if m.group(f"c{i}") is not None)
        if ABSENT_BEFORE.search(clause[max(0, m.start() - 30) : m.start()]):
            continue
        ne, kind, _ = _GROUPS[group]
        out.append(Mention(ne, kind, m.start(), m.end()))
    return out


def _shares(clause: str) -> list[tuple[int, float]]:
    return [
        (m.start(), float(m.group(1)))
        for m in PERCENT.finditer(clause)
        if not NOT_A_SHARE.search(clause[max(0, m.start() - 30) : m.start()]) and float(m.group(1)) <= 100
    ]


def _pair(mentions: list[Mention], shares: list[tuple[int, float]]) -> dict[int, float]:
    """Mention index -> share: number-first clauses give a share to the next mention, others to the previous."""
    if not mentions or not shares:
        return {}
    number_first = shares[0][0] < mentions[0].start
    out: dict[int, float] = {}
    for pos, value in shares:
        if number_first:
            idx = next((i for i, m in enumerate(mentions) if m.start > pos), None)
        else:
            idx = next((i for i in reversed(range(len(mentions))) if mentions[i].end <= pos), None)
        if idx is not None and idx not in out:
            out[idx] = value
    return out


def _clause_components(clause: str, line: Line) -> list[tuple[bool, Component]]:
    if SEPARATE.search(clause) and not _OWN_COMPONENT.search(clause):
        return []  # another lesion, or two tumours that meet: not components of one mixed neoplasm
    blanked = MIXED.sub(lambda m: " " * len(m.group(0)), clause)
    mentions = _mentions(blanked)
    shares = _pair(mentions, _shares(blanked))
    return [(m.neuroendocrine, Component(m.kind, shares.get(i), line)) for i, m in enumerate(mentions)]


def _both_with_shares(found: list[tuple[bool, Component]]) -> bool:
    return any(ne and c.percent is not None for ne, c in found) and any(
        not ne and c.percent is not None for ne, c in found
    )


def _merge(parts: list[Component]) -> tuple[Component | None, Component | None]:
    """(the first named component, the first component with a share) among one side's mentions."""
    named = next((c for c in parts if c.kind is not None), None)
    shared = next((c for c in parts if c.percent is not None), None)
    return named, shared


def _may_hold_components(text: str, mixed: bool) -> bool:
    """Cheap substring test before any regex: a component word, and (outside a mixed tumour) a percentage."""
    low = text.lower()
    if not any(w in low for w in COMPONENT_WORDS):
        return False
    return mixed or "%" in low or "percent" in low or "per cent" in low


def extract_minen(doc: TextDoc) -> None:
    """Document pass (after the line extractors): MiNEN components and their shares, with source lines."""
    mixed = any(w in line.text.lower() for line in doc.lines for w in MIXED_WORDS) and any(
        mixed_asserted(line.text, m.start(), m.end()) for line in doc.lines for m in MIXED.finditer(line.text)
    )
    found: list[tuple[bool, Component]] = []
    for line in doc.lines:
        if not _may_hold_components(line.text, mixed):
            continue
        for clause in CLAUSES.split(line.text):
            parts = _clause_components(clause, line)
            if mixed or _both_with_shares(parts):
                found.extend(parts)
    if not mixed and not _both_with_shares(found):
        return
    for ne, prefix in ((True, "minen_ne"), (False, "minen_non_ne")):
        named, shared = _merge([c for is_ne, c in found if is_ne is ne])
        if named is not None and named.kind is not None:
            doc.out.add(f"{prefix}_component", named.kind, named.line)
        if shared is not None and shared.percent is not None:
            value: float | int = int(shared.percent) if shared.percent.is_integer() else shared.percent
            doc.out.add(f"{prefix}_percent", value, shared.line, unit="%")
