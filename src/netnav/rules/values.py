"""Reading case values for comparison: numbers with comparators ("<1", ">50"), ranges ("3-5"),
booleans written as words, and lists.

A numeric value becomes an `Interval` of the values it may stand for: "8" is [8, 8], "<1" is
(-inf, 1), ">50" is (50, +inf), "3-5" is [3, 5]. Comparisons then give True, False or None (unknown).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from netnav.types.case import FieldData, FieldValue

_NUM = r"(\d+(?:[.,]\d+)?)"
_COMPARATOR = re.compile(
    r"^(<=|>=|≤|≥|<|>|=|~|≈|approx(?:imately)?\.?|about|less than|more than|greater than|up to|at least)?"
    r"\s*" + _NUM + r"\s*(?:%|percent|mut(?:ation)?s?/mb|muts/mb|per\s*2\s*mm2?|/\s*2\s*mm2?|cm|mm)?$",
    re.IGNORECASE,
)
_RANGE = re.compile(r"(?<![\d.])" + _NUM + r"\s*(?:-|–|—|to)\s*" + _NUM + r"(?![\d.])")
TRUE_WORDS = frozenset({"true", "yes", "present", "positive", "identified", "seen", "+"})
FALSE_WORDS = frozenset({"false", "no", "absent", "negative", "not identified", "not seen", "none", "-"})


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    @classmethod
    def point(cls, x: float) -> Interval:
        return cls(x, x)

    @property
    def is_point(self) -> bool:
        return self.lo == self.hi and not (self.lo_open or self.hi_open)


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def _from_comparator(op: str, x: float) -> Interval:
    op = op.lower()
    if op in ("<", "less than"):
        return Interval(-math.inf, x, True, True)
    if op in ("<=", "≤", "up to"):
        return Interval(-math.inf, x, True, False)
    if op in (">", "more than", "greater than"):
        return Interval(x, math.inf, True, True)
    if op in (">=", "≥", "at least"):
        return Interval(x, math.inf, False, True)
    return Interval.point(x)  # "=", "~", "approximately", "about": the stated figure


def parse_interval(value: FieldData) -> Interval | None:
    """The numbers a value may stand for, or None when it is not numeric."""
    if isinstance(value, bool | list):
        return None
    if isinstance(value, int | float):
        return Interval.point(float(value))
    text = value.strip()
    rng = _RANGE.search(text)
    if rng:
        lo, hi = sorted((_num(rng.group(1)), _num(rng.group(2))))
        return Interval(lo, hi)
    match = _COMPARATOR.match(text)
    if match:
        return _from_comparator(match.group(1) or "=", _num(match.group(2)))
    return None


def noted_range(fv: FieldValue) -> Interval | None:
    """The range a single number stands for, when the records step kept one bound of a reported range
    (FieldValue.note such as "range 3-5% reported; the upper bound 5 is used")."""
    if not fv.note or "range" not in fv.note.lower():
        return None
    if isinstance(fv.value, bool) or not isinstance(fv.value, int | float):
        return None
    rng = _RANGE.search(fv.note)
    if rng is None:
        return None
    lo, hi = sorted((_num(rng.group(1)), _num(rng.group(2))))
    return Interval(lo, hi) if lo <= float(fv.value) <= hi else None


def field_interval(fv: FieldValue) -> Interval | None:
    """Like parse_interval, but a number that stands for a reported range is evaluated as the whole range."""
    return noted_range(fv) or parse_interval(fv.value)


def display_field(fv: FieldValue) -> str:
    """A field value as written in the report: a reported range is shown as the range."""
    rng = noted_range(fv)
    return f"{rng.lo:g}-{rng.hi:g}" if rng else display(fv.value)


def as_bool(value: FieldData) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


def as_strings(value: FieldData) -> list[str]:
    """Lower-cased strings for text comparison (a list gives each element)."""
    items = value if isinstance(value, list) else [value]
    return [str(v).strip().lower() for v in items]


def is_empty(value: FieldData) -> bool:
    return value == [] or (isinstance(value, str) and not value.strip())


def display(value: FieldData) -> str:
    """A value as it reads in a sentence: 8.0 → "8", lists joined, booleans as words."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "none"
    return str(value)
