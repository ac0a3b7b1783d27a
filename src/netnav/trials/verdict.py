"""The result of checking one trial-criterion predicate against a case (shared by the predicate modules)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from netnav.rules.logic import Tri
from netnav.trials.therapy import evidence
from netnav.types.case import CaseProfile

Ctx = Mapping[str, Sequence[str]]  # drug class → terms


class RuleLike(Protocol):
    """What a predicate handler reads of a rule (netnav.trials.predicates.Predicate has it)."""

    @property
    def field(self) -> str: ...
    @property
    def op(self) -> str: ...
    @property
    def value(self) -> float | str | list[str] | list[float] | None: ...
    @property
    def qualifier(self) -> str | None: ...


@dataclass(frozen=True)
class PredicateResult:
    """truth: True / False / None (unknown); `fields` read and their `evidence` ('field=value (source:line)');
    `not_applicable` when the criterion does not concern this patient (e.g. pregnancy for a man)."""

    truth: Tri
    reason: str
    fields: tuple[str, ...]
    evidence: tuple[str, ...]
    not_applicable: bool = False


def field_evidence(case: CaseProfile, names: Sequence[str]) -> tuple[str, ...]:
    return tuple(e for e in (evidence(case, n) for n in names) if e)


def missing(name: str, what: str | None = None) -> PredicateResult:
    return PredicateResult(None, f"{what or name} not recorded in the case", (name,), ())
