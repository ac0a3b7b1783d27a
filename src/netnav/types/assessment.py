"""Assessment contract (`assess --json`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from netnav.types.answer import Citation
from netnav.types.base import Frozen
from netnav.types.case import CaseProfile

FindingKind = Literal["classification", "grade", "risk", "immunotherapy", "treatment", "consideration"]
# Section titles of the finding kinds, in the order every edge (CLI, web page, Markdown) shows them.
FINDING_KIND_TITLES: dict[FindingKind, str] = {
    "classification": "Classification",
    "grade": "Grade",
    "risk": "Risk features",
    "immunotherapy": "Immunotherapy options",
    "treatment": "Treatment context",
    "consideration": "Worth considering",
}
FindingStatus = Literal["met", "not_met", "unknown"]
FINDING_STATUS_LABELS: dict[FindingStatus, str] = {"met": "met", "not_met": "not met", "unknown": "unknown"}
FindingLabel = Literal["reassuring", "applies", "does_not_apply", "unknown"]
# Patient wording of each label (the patient view shows these, never rule ids or machine reasons).
FINDING_LABEL_WORDS: dict[str, str] = {
    "reassuring": "reassuring",
    "applies": "applies to you",
    "does_not_apply": "does not apply",
    "unknown": "not known yet: ask about it",
}


class Finding(Frozen):
    rule_id: str
    kind: FindingKind
    status: FindingStatus
    statement: str
    inputs: list[str]
    citations: list[int]
    missing: list[str] = Field(default_factory=list)  # inputs that were absent (status unknown)
    card_ids: list[str] = Field(default_factory=list)
    label: FindingLabel = "unknown"  # what the finding means for the patient (besides `status`)


class Assessment(Frozen):
    case: CaseProfile
    findings: list[Finding]
    questions_to_ask: list[str]
    citations: list[Citation]
    disclaimer: str
