"""Schema of a rule file (YAML in rules/data/), validated when the rules are loaded.

A rule has a scope (`applies`), one or more ordered `outcomes` (each a condition tree with patient
and clinician wording) and wording for `not_met` and `unknown`. The binary form
(`condition` + `met` + `not_met`) is accepted and turned into a single outcome.
"""

from __future__ import annotations

import re
import string
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from netnav.rules.history import HISTORY_FIELDS
from netnav.types.assessment import FindingKind, FindingLabel, FindingStatus
from netnav.types.base import Frozen
from netnav.types.case import CANONICAL_FIELDS

RULE_FIELDS = frozenset(CANONICAL_FIELDS) | frozenset(HISTORY_FIELDS)

Op = Literal["eq", "ne", "lt", "le", "gt", "ge", "in", "contains", "present", "absent", "between"]
Scalar = bool | int | float | str
LeafValue = Scalar | list[Scalar] | None

RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.v[0-9]+$")
NUMERIC_OPS = frozenset({"lt", "le", "gt", "ge"})
VALUELESS_OPS = frozenset({"present", "absent"})
TEMPLATE_EXTRAS = frozenset({"label", "possible", "missing"})


class Condition(Frozen):
    """A node of the condition tree: exactly one of all / any / not / (field + op)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    all_: list[Condition] | None = Field(default=None, alias="all")
    any_: list[Condition] | None = Field(default=None, alias="any")
    not_: Condition | None = Field(default=None, alias="not")
    field: str | None = None
    op: Op | None = None
    value: LeafValue = None

    @model_validator(mode="after")
    def _shape(self) -> Condition:
        branches = [
            self.all_ is not None,
            self.any_ is not None,
            self.not_ is not None,
            self.field is not None,
        ]
        if sum(branches) != 1:
            raise ValueError("a condition needs exactly one of all / any / not / field")
        if self.all_ is not None and not self.all_ or self.any_ is not None and not self.any_:
            raise ValueError("all / any need at least one condition")
        if self.field is not None:
            self._check_leaf()
        elif self.op is not None or self.value is not None:
            raise ValueError("op / value belong to a leaf (with field)")
        return self

    def _check_leaf(self) -> None:
        if self.field not in RULE_FIELDS:
            raise ValueError(f"unknown case field {self.field!r}")
        if self.op is None:
            raise ValueError(f"leaf on {self.field!r} needs an op")
        if self.op in VALUELESS_OPS:
            if self.value is not None:
                raise ValueError(f"op {self.op} takes no value")
            return
        if self.value is None:
            raise ValueError(f"op {self.op} needs a value")
        if self.op in NUMERIC_OPS and not _is_number(self.value):
            raise ValueError(f"op {self.op} needs a number, got {self.value!r}")
        if self.op == "between" and not (
            isinstance(self.value, list) and len(self.value) == 2 and all(_is_number(v) for v in self.value)
        ):
            raise ValueError("op between needs [low, high]")
        if self.op == "in" and not isinstance(self.value, list):
            raise ValueError("op in needs a list")

    def fields(self) -> list[str]:
        """Case fields this condition reads, in order of first appearance."""
        out: list[str] = []
        for child in [*(self.all_ or []), *(self.any_ or []), *([self.not_] if self.not_ else [])]:
            out.extend(f for f in child.fields() if f not in out)
        if self.field is not None and self.field not in out:
            out.append(self.field)
        return out


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def template_fields(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def check_placeholders(text: str) -> str:
    for name in template_fields(text):
        if name not in RULE_FIELDS and name not in TEMPLATE_EXTRAS:
            raise ValueError(f"unknown placeholder {{{name}}}")
    return text


class Wording(Frozen):
    """The same statement for the two audiences.

    May interpolate {case_field}, {label}, {possible}, {missing}."""

    patient: str = Field(min_length=10)
    clinician: str = Field(min_length=10)
    patient_label: FindingLabel | None = None  # not_met wording only: the label when the default is wrong

    @field_validator("patient", "clinician")
    @classmethod
    def _placeholders(cls, v: str) -> str:
        return check_placeholders(v)


DEFAULT_UNKNOWN = Wording(
    patient="This cannot be worked out yet, because {missing} is not in the reports (or not exact enough).",
    clinician="Undetermined: {missing} not reported or imprecise.",
)


class Outcome(Frozen):
    label: str = Field(min_length=1)
    when: Condition | None = None  # None: always true (an "otherwise" branch)
    status: Literal["met", "not_met"] = "met"
    patient_label: FindingLabel | None = (
        None  # patient label when the default (see engine.finding_label) is wrong
    )
    cards: list[str] = Field(default_factory=list)  # cited in addition to the rule's cards
    patient: str = Field(min_length=10)
    clinician: str = Field(min_length=10)
    questions: list[str] = Field(default_factory=list)

    @field_validator("patient", "clinician")
    @classmethod
    def _placeholders(cls, v: str) -> str:
        return check_placeholders(v)

    def wording(self) -> Wording:
        return Wording(patient=self.patient, clinician=self.clinician)


def _all_statuses() -> list[FindingStatus]:
    return ["met", "not_met", "unknown"]


class Rule(Frozen):
    id: str
    version: int = Field(ge=1)
    kind: FindingKind
    title: str = Field(min_length=3)
    order: int = 100  # position within its kind (lower first)
    cards: list[str] = Field(min_length=1)
    applies: Condition | None = None
    on_scope_unknown: Literal["skip", "report"] = "skip"
    outcomes: list[Outcome] = Field(min_length=1)
    not_met: Wording | None = None
    unknown: Wording = DEFAULT_UNKNOWN
    report: list[FindingStatus] = Field(default_factory=_all_statuses)
    questions: dict[FindingStatus, list[str]] = Field(default_factory=dict)
    ask_if_missing: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _binary_form(cls, data: Any) -> Any:
        if isinstance(data, dict) and "condition" in data:
            data = dict(data)
            met = data.pop("met", None) or {}
            data["outcomes"] = [{"label": data.get("title", "met"), "when": data.pop("condition"), **met}]
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if not RULE_ID.match(self.id):
            raise ValueError(f"rule id {self.id!r} must look like name.v1")
        if not self.id.endswith(f".v{self.version}"):
            raise ValueError(f"rule {self.id}: version {self.version} does not match the id")
        if self.outcomes[-1].when is not None and self.not_met is None:
            raise ValueError(f"rule {self.id}: needs not_met wording (no otherwise branch)")
        for name in self.ask_if_missing:
            if name not in RULE_FIELDS:
                raise ValueError(f"rule {self.id}: ask_if_missing names unknown field {name!r}")
        for question in [*self.ask_if_missing.values(), *(q for qs in self.questions.values() for q in qs)]:
            check_placeholders(question)
        return self

    def all_cards(self) -> list[str]:
        """The rule's cards, then every outcome's extra cards (each once)."""
        out = list(self.cards)
        for o in self.outcomes:
            out.extend(c for c in o.cards if c not in out)
        return out

    def inputs(self) -> list[str]:
        """Every case field the rule reads (scope first), in order."""
        out: list[str] = []
        conds = [self.applies] + [o.when for o in self.outcomes]
        for cond in conds:
            if cond is not None:
                out.extend(f for f in cond.fields() if f not in out)
        return out
