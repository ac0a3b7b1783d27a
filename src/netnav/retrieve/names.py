"""Numbered names in a question (trial, gene, receptor or syndrome names with a number: NETTER-1,
RADIANT-4, KEYNOTE-158, CheckMate 214, MEN-1, SSTR-2) and passages that name a sibling instead.

The search tokenizer splits "NETTER-1" into "netter" and "1" and drops one-character tokens, so BM25
sees NETTER-1 and NETTER-2 as the same word, and a dense encoder places the two trials' passages side
by side. A passage that names the same name with another number (NETTER-2) and never the asked one is
about something else; `hybrid_search` ranks such passages after the others (see `conflicts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A name of at least three letters (letters and digits after the first), then a hyphen, or a space
#: when the name is written with capitals inside (CheckMate 214, NETTER 1), then a number of 1-4 digits
#: (not a year) that is not followed by more of a decimal, a range, a percentage or a unit.
_NAME = r"[A-Za-z][A-Za-z0-9]{2,}"
_HYPHENED = re.compile(rf"(?<![\w-])({_NAME})-(\d{{1,4}})(?![\w.,%–-]\d|[\w%])")
_SPACED = re.compile(rf"(?<![\w-])({_NAME}) (\d{{1,4}})(?![\w.,%–-]\d|[\w%])")
#: Words that are followed by a number as a measure or an ordinal, not as part of a name.
_MEASURES = frozenset(
    {
        "grade",
        "grades",
        "stage",
        "stages",
        "type",
        "types",
        "phase",
        "phases",
        "cycle",
        "cycles",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "hour",
        "hours",
        "level",
        "levels",
        "class",
        "line",
        "lines",
        "arm",
        "arms",
        "cohort",
        "cohorts",
        "dose",
        "doses",
        "version",
        "part",
        "step",
        "tier",
        "score",
        "scores",
        "page",
        "table",
        "figure",
        "over",
        "under",
        "than",
        "about",
        "least",
        "most",
        "aged",
        "age",
        "ages",
        "from",
        "and",
        "the",
        "with",
        "for",
        "per",
        "every",
        "after",
        "before",
        "since",
        "until",
        "between",
        "mg",
        "mcg",
        "gbq",
        "mci",
        "mbq",
        "covid",
    }
)


@dataclass(frozen=True)
class NumberedName:
    name: str  # lower case, as written (e.g. "netter", "checkmate")
    number: str  # digits without leading zeros


def _found(text: str, spaced: bool) -> set[NumberedName]:
    out: set[NumberedName] = set()
    patterns = (_HYPHENED, _SPACED) if spaced else (_HYPHENED,)
    for pattern in patterns:
        for match in pattern.finditer(text):
            name, number = match.group(1), match.group(2)
            if name.lower() in _MEASURES or _is_year(number):
                continue
            if pattern is _SPACED and not _has_inner_capital(name):
                continue
            out.add(NumberedName(name.lower(), number.lstrip("0") or "0"))
    return out


def _is_year(number: str) -> bool:
    """WHO 2019 vs WHO 2022, ENETS 2023: a year says which edition, and a later edition is not a
    different thing, so years are not numbered names."""
    return len(number) == 4 and 1900 <= int(number) <= 2099


def _has_inner_capital(name: str) -> bool:
    """CheckMate, NETTER, IMpower: a product or trial name, not an ordinary word before a number."""
    return any(c.isupper() for c in name[1:])


def numbered_names(question: str) -> set[NumberedName]:
    """The numbered names a question asks about (empty for most questions)."""
    return _found(question, spaced=True)


def conflicts(asked: set[NumberedName], text: str) -> bool:
    """True when ``text`` names one of the asked names with another number only: it speaks of a
    sibling (NETTER-2 for a NETTER-1 question) and never of what was asked. A text that names the asked
    one too (a comparison), or none of them, does not conflict."""
    if not asked:
        return False
    present = _found(text, spaced=True)
    if present & asked:
        return False
    names = {a.name for a in asked}
    return any(p.name in names for p in present)
