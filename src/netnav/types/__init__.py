"""Frozen pydantic domain models. No I/O here."""

from netnav.types.answer import Answer, Citation, Section, Sentence
from netnav.types.assessment import Assessment, Finding, FindingKind, FindingStatus
from netnav.types.case import CaseProfile, FieldValue, NegatedFinding
from netnav.types.documents import EVIDENCE_KINDS, Document, EvidenceKind, Passage
from netnav.types.trials import Criterion, CriterionLabel, Trial, TrialMatch

__all__ = [
    "Answer", "Citation", "Section", "Sentence", "Assessment", "Finding", "FindingKind", "FindingStatus",
    "CaseProfile", "FieldValue", "NegatedFinding", "EVIDENCE_KINDS", "Document", "EvidenceKind", "Passage",
    "Criterion", "CriterionLabel", "Trial", "TrialMatch",
]
