"""Schemas for the trial data files (criteria patterns, built-in registry), validated at load."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from netnav.datafiles import compiled_or_none, load_yaml
from netnav.errors import KnowledgeError
from netnav.trials.drug_classes import extend_patterns
from netnav.trials.predicates import Op, Predicate
from netnav.types.base import Frozen

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Pattern(Frozen):
    id: str
    regex: str
    field: str
    op: Op
    value: float | str | list[str] | None = None
    value_from: Literal["num", "range", "grades", "drug", "stages", "sites", "gene"] | None = None
    cmp_from: str | None = None
    negate: bool = False
    negatable: bool = False
    qualifier_regex: str | None = None
    require: str | None = None
    forbid: str | None = None
    forbid_before: str | None = None  # no match when this occurs earlier in the same sentence
    label: str | None = None

    @field_validator("regex", "qualifier_regex", "require", "forbid", "forbid_before")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return compiled_or_none(value)


class PatternFile(Frozen):
    version: str
    drug_classes: dict[str, list[str]]
    approved_drugs: list[str] = Field(default_factory=list)
    standard_options: dict[str, list[str]] = Field(default_factory=dict)
    patterns: list[Pattern]

    @model_validator(mode="after")
    def _unique(self) -> PatternFile:
        ids = [p.id for p in self.patterns]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate pattern ids: {sorted(dupes)}")
        return self


class RuleCriterion(Frozen):
    """A built-in criterion: human text plus the structured rule(s) encoding it."""

    kind: Literal["inclusion", "exclusion"]
    text: str
    rules: list[Predicate] = Field(default_factory=list)


class BuiltinTrial(Frozen):
    nct_id: str
    acronym: str | None = None
    title: str
    phase: str | None = None
    overall_status: str
    status_as_of: str | None = None  # the record's own last-update date, as the verified copy showed it
    status_source: str
    checked_on: str | None = None  # when we checked the status (default: the file's snapshot_date)
    population: str
    populations: list[str]  # tumour categories for the relevance gate
    conditions: list[str]
    interventions: list[str]
    immunotherapy: bool = True
    summary: str | None = None
    criteria: list[RuleCriterion]

    @field_validator("nct_id")
    @classmethod
    def _nct(cls, value: str) -> str:
        if not re.match(r"^NCT\d{8}$", value):
            raise ValueError(f"bad NCT id {value!r}")
        return value

    @field_validator("status_as_of", "checked_on")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^\d{4}(-\d{2}){0,2}$", value):
            raise ValueError(f"bad date {value!r}")
        return value


class BuiltinFile(Frozen):
    version: str
    snapshot_date: str
    note: str
    trials: list[BuiltinTrial]

    @field_validator("snapshot_date")
    @classmethod
    def _snap(cls, value: str) -> str:
        if not _DATE.match(value):
            raise ValueError(f"snapshot_date must be YYYY-MM-DD, got {value!r}")
        return value

    @model_validator(mode="after")
    def _unique(self) -> BuiltinFile:
        ids = [t.nct_id for t in self.trials]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate NCT ids: {sorted(dupes)}")
        return self


def data_path(name: str) -> Path:
    return Path(str(resources.files("netnav.trials") / "data" / name))


def _read(path: Path) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path.name}: cannot read YAML: {exc}") from exc


@lru_cache(maxsize=4)
def load_patterns(path: str | None = None) -> PatternFile:
    target = Path(path) if path else data_path("criteria_patterns.yaml")
    try:
        return PatternFile.model_validate(extend_patterns(_read(target)))  # + drug classes (drug_classes.py)
    except ValidationError as exc:
        raise KnowledgeError(f"{target.name}: {exc}") from exc


@lru_cache(maxsize=4)
def load_builtin(path: str | None = None) -> BuiltinFile:
    target = Path(path) if path else data_path("builtin_trials.yaml")
    try:
        return BuiltinFile.model_validate(_read(target))
    except ValidationError as exc:
        raise KnowledgeError(f"{target.name}: {exc}") from exc
