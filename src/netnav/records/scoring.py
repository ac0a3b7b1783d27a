"""Field-level scoring against expected JSON (rules of shared/eval/reports/README.md).

A field is correct when its value matches: numbers within 1e-6, strings case-insensitively after trimming,
comparator strings ("<1", ">50") must keep the comparator, lists compare as sets. Precision counts only the
predicted fields that the expected file scores (fields absent there are not wrong unless they contradict it);
recall counts every expected field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from netnav.types.case import CaseProfile


@dataclass
class Score:
    correct: int = 0
    predicted: int = 0  # predicted fields that the expected file scores
    expected: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    def add(self, other: Score) -> None:
        self.correct += other.correct
        self.predicted += other.predicted
        self.expected += other.expected
        self.errors.extend(other.errors)


def _norm_str(v: str) -> str:
    return " ".join(v.strip().lower().split())


def values_match(got: Any, want: Any) -> bool:
    if isinstance(want, bool) or isinstance(got, bool):
        return isinstance(got, bool) and isinstance(want, bool) and got is want
    if isinstance(want, list):
        return isinstance(got, list) and {_norm_str(str(x)) for x in got} == {_norm_str(str(x)) for x in want}
    if isinstance(want, (int, float)):
        return isinstance(got, (int, float)) and abs(float(got) - float(want)) <= 1e-6
    if isinstance(want, str):
        return isinstance(got, str) and _norm_str(got) == _norm_str(want)
    return bool(got == want)


def score_profile(profile: CaseProfile, expected: Mapping[str, Any], name: str = "") -> Score:
    s = Score(expected=len(expected))
    for key, want in expected.items():
        got = profile.value(key)
        if got is None:
            s.errors.append(f"{name}: {key} missing (want {want!r})")
            continue
        s.predicted += 1
        if values_match(got, want):
            s.correct += 1
        else:
            s.errors.append(f"{name}: {key} = {got!r}, want {want!r}")
    return s


def score_all(pairs: Iterable[tuple[str, CaseProfile, Mapping[str, Any]]]) -> Score:
    total = Score()
    for name, profile, expected in pairs:
        total.add(score_profile(profile, expected, name))
    return total
