"""Which of the therapies named in one clause the disease progressed on, and when drugs written together are
one regimen.

- `is_combination(drugs)`: the drugs form (part of) one standard combination regimen. The regimen list has one
  home, `netnav/trials/data/regimens.yaml` (read here as a data file, so records do not depend on trials).
  "carboplatin and etoposide" is one line; "lanreotide and everolimus" are two.
- `progressed_mentions(clause, spans)`: the mentions a progression cue in the clause points at, and a note
  when the text leaves it unclear. A cue with a preposition ("progressed on X", "refractory to X", "failure
  of X") points at the drugs written right after it; a bare cue ("disease progressed", "scans showed
  growth") at the drugs written before it. When that points at several separate therapies ("after
  lanreotide and everolimus, the disease progressed") the progression is taken as on the last one written,
  unless the text says "both"/"each"/"all"; the earlier ones stay unknown and each line carries a note.
  "Switched from X to Y because of progression" points at X.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from netnav.datafiles import load_yaml
from netnav.errors import KnowledgeError

_I = re.IGNORECASE
_GROUP_GAP = re.compile(r"^\s*(?:,|and|or|&|,\s*(?:and|or))\s*$", _I)
_PREP_END = re.compile(
    r"(?:\b(?:on|through|during|despite|after|following|to|of)|\bwhile on|\bfailed)\s*$", _I
)
_VERB_NEXT = re.compile(r"^\s*(?:was|were|is|are|has|had|started|begun|began|commenced|given|then)\b", _I)
_AFTER_CUE_GAP = re.compile(r"^[^.;,]{0,25}?$")  # "progression after 6 cycles of " then the drug
_STARTED_BETWEEN = re.compile(
    r"\b(?:started|began|commenced|initiated|switched to|changed to|moved to)\b", _I
)
_ALL = re.compile(r"\b(?:both|each|all (?:of )?(?:these|them|the above|three|two)|either)\b", _I)
_SWITCH_FROM = re.compile(
    r"\b(?:switch\w*|chang\w*|mov\w*|convert\w*|came off)\s+(?:\w+\s+){0,2}?from\s+(?:the\s+)?$", _I
)

Span = tuple[int, int, Sequence[str]]  # start, end, drugs


@lru_cache(maxsize=1)
def _regimens() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Each regimen's components, each a tuple of lower-case name fragments."""
    path = resources.files("netnav") / "trials" / "data" / "regimens.yaml"
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
        return tuple(
            tuple(tuple(str(f).lower() for f in comp) for comp in r["components"]) for r in data["regimens"]
        )
    except (OSError, KeyError, TypeError) as exc:
        raise KnowledgeError(f"regimens.yaml: {exc}") from exc


def is_combination(drugs: Sequence[str]) -> bool:
    """True when every drug is a component of one standard regimen and at least two components are named."""
    names = [d.lower() for d in drugs]
    for components in _regimens():
        hit = [
            next((i for i, comp in enumerate(components) if any(f in n for f in comp)), None) for n in names
        ]
        if all(h is not None for h in hit) and len(set(hit)) >= 2:
            return True
    return False


def _groups(clause: str, spans: Sequence[Span]) -> list[list[int]]:
    """Mentions written as one list ("lanreotide and everolimus", "X, Y or Z"), in order."""
    groups: list[list[int]] = []
    for i, (start, end, _) in enumerate(spans):
        gap = clause[spans[i - 1][1] : start] if i else ""
        if groups and _GROUP_GAP.match(gap) and not (gap.strip() == "," and _VERB_NEXT.match(clause[end:])):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _pointed(clause: str, spans: Sequence[Span], groups: list[list[int]], cue: re.Match[str]) -> list[int]:
    for i, (start, _, _) in enumerate(spans):
        if _SWITCH_FROM.search(clause[:start]):
            return [i]  # "switched from octreotide to lanreotide because of progression"
    after = [g for g in groups if spans[g[0]][0] >= cue.end()]
    before = [g for g in groups if spans[g[-1]][1] <= cue.start()]
    if (
        _PREP_END.search(cue.group(0))
        and after
        and _AFTER_CUE_GAP.match(clause[cue.end() : spans[after[0][0]][0]])
    ):
        return after[0]
    if before:
        return before[-1]
    if after and not _STARTED_BETWEEN.search(clause[cue.end() : spans[after[0][0]][0]]):
        return after[0]
    return []


def ambiguity_note(names: Sequence[str], last: str) -> str:
    return (
        f"progression is written after several treatments ({', '.join(names)}) without saying on which; "
        f"taken as progression on the last one written ({last}), unknown for the others"
    )


def progressed_mentions(
    clause: str, spans: Sequence[Span], cues: Sequence[re.Match[str]]
) -> tuple[set[int], str | None]:
    """Indexes of `spans` the progression `cues` point at, and a note when several separate therapies were
    named and the progression was given to the last one only (see the module docstring)."""
    groups = _groups(clause, spans)
    hit: set[int] = set()
    note: str | None = None
    for cue in cues:
        group = _pointed(clause, spans, groups, cue)
        if len(group) > 1 and not _ALL.search(clause):
            names = [" + ".join(spans[i][2]) for i in group]
            note = ambiguity_note(names, names[-1])
            group = group[-1:]
        hit.update(group)
    return hit, note
