"""Trial registry entries and per-criterion matches (`trials --json`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from netnav.types.base import Frozen

CriterionLabel = Literal["met", "not_met", "not_applicable", "insufficient_info"]
TrialStatus = Literal["eligible", "possibly_eligible", "ineligible", "unknown"]


class Trial(Frozen):
    nct_id: str
    title: str
    phase: str | None = None
    overall_status: str | None = None
    last_update: str | None = None  # ISO date of the registry record's last update
    snapshot_date: str | None = None  # when our copy was taken
    conditions: list[str] = Field(default_factory=list)
    interventions: list[str] = Field(default_factory=list)
    arms: list[str] = Field(default_factory=list)
    inclusion: list[str] = Field(default_factory=list)
    exclusion: list[str] = Field(default_factory=list)
    summary: str | None = None
    source: str = "builtin"  # builtin | path of the ingested record


class Criterion(Frozen):
    text: str
    kind: Literal["inclusion", "exclusion"]
    label: CriterionLabel
    reason: str
    fields: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)  # "field=value (source:line)" used for the label


class TrialMatch(Frozen):
    nct_id: str
    title: str
    status: TrialStatus
    score: float
    criteria: list[Criterion]
    overall_status: str | None = None
    phase: str | None = None
    snapshot_date: str | None = None
    reason: str | None = None  # why this status (e.g. which criterion made it ineligible)
