"""Assessment contract (`assess --json`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from netnav.types.answer import Citation
from netnav.types.base import Frozen
from netnav.types.case import CaseProfile

FindingKind = Literal["classification", "grade", "risk", "immunotherapy", "treatment", "consideration"]
FindingStatus = Literal["met", "not_met", "unknown"]


class Finding(Frozen):
    rule_id: str
    kind: FindingKind
    status: FindingStatus
    statement: str
    inputs: list[str]
    citations: list[int]
    missing: list[str] = Field(default_factory=list)  # inputs that were absent (status unknown)
    card_ids: list[str] = Field(default_factory=list)


class Assessment(Frozen):
    case: CaseProfile
    findings: list[Finding]
    questions_to_ask: list[str]
    citations: list[Citation]
    disclaimer: str
