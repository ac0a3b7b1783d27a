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


OptionStatus = Literal["tried", "given", "declined", "option", "not_applicable", "unknown"]
# Patient wording of each option status.
OPTION_STATUS_WORDS: dict[str, str] = {
    "tried": "already tried: the tumour grew on it",
    "given": "being given or given (no growth on it reported)",
    "declined": "offered before and declined",
    "option": "an option doctors consider",
    "not_applicable": "does not fit your situation",
    "unknown": "not known yet: ask about it",
}


class PathwayOption(Frozen):
    """One treatment option of a guideline pathway, with why it applies (or not) and what was already tried."""

    option_id: str
    name: str
    status: OptionStatus
    why: str
    citations: list[int] = Field(default_factory=list)
    card_ids: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)


class GuidelineOrder(Frozen):
    """How one cited guideline orders a step's options for this case: `tiers` of option names, each tier ranked
    before the next (names within a tier are alternatives); `note` says what the guideline leaves out."""

    source: str
    tiers: list[list[str]]
    note: str | None = None
    citations: list[int] = Field(default_factory=list)
    card_ids: list[str] = Field(default_factory=list)


class PathwayStep(Frozen):
    """A step (line) of the pathway; `ordered` says whether the cited sources rank its options (listed in
    that order) or list them as alternatives without an order (`note` says so). `guideline_orders`: the order
    each cited guideline gives for this case's setting; the note says when they differ."""

    title: str
    ordered: bool
    note: str | None = None
    current: bool = False  # the step the reported treatment history points to
    options: list[PathwayOption]
    guideline_orders: list[GuidelineOrder] = Field(default_factory=list)


class TreatmentPathway(Frozen):
    """Options for the case's setting (site, grade/differentiation, SSTR status, line of therapy) in the order the
    cited guideline sources give, or `setting_unknown` with what is missing to choose one."""

    pathway_id: str | None = None
    setting: str
    order_source: str
    steps: list[PathwayStep] = Field(default_factory=list)
    citations: list[int] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)


class Assessment(Frozen):
    case: CaseProfile
    findings: list[Finding]
    questions_to_ask: list[str]
    citations: list[Citation]
    disclaimer: str
    pathway: TreatmentPathway | None = None  # guideline-ordered options for the setting (additive)
