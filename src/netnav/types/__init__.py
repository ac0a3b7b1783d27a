"""Frozen pydantic domain models. No I/O here."""

from netnav.types.answer import Answer, Citation, Section, Sentence
from netnav.types.assessment import Assessment, Finding, FindingKind, FindingStatus
from netnav.types.case import CaseProfile, FieldValue, NegatedFinding
from netnav.types.documents import EVIDENCE_KINDS, Document, EvidenceKind, Passage
from netnav.types.trials import Criterion, CriterionLabel, Trial, TrialMatch

__all__ = [
    "EVIDENCE_KINDS",
    "Answer",
    "Assessment",
    "CaseProfile",
    "Citation",
    "Criterion",
    "CriterionLabel",
    "Document",
    "EvidenceKind",
    "FieldValue",
    "Finding",
    "FindingKind",
    "FindingStatus",
    "NegatedFinding",
    "Passage",
    "Section",
    "Sentence",
    "Trial",
    "TrialMatch",
]
