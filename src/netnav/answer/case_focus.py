"""Personalised answers: which of the case's findings answer the question, a first sentence that answers
it for this case, and no suggestion to test what the case already holds."""

from __future__ import annotations

import re
from collections.abc import Sequence

from netnav.retrieve.analyze import Analysis
from netnav.types.assessment import Finding, FindingStatus
from netnav.types.case import CaseProfile

MAX_CASE_FINDINGS = 4  # "the few findings that matter", not every rule's output

# Finding kinds that answer questions about each concept (first match wins, in this order).
_KINDS_BY_CONCEPT: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = (
    (
        frozenset(
            {
                "immunotherapy",
                "pd1",
                "pdl1",
                "tmb",
                "msi",
                "ctla4",
                "lag3",
                "tissue-agnostic",
                "pembrolizumab",
                "nivolumab",
                "ipilimumab",
                "dostarlimab",
                "avelumab",
                "atezolizumab",
                "durvalumab",
                "dll3",
                "cd3",
                "tarlatamab",
            }
        ),
        ("immunotherapy",),
    ),
    (
        frozenset({"grade", "ki67", "mitoses", "differentiation", "who-classification"}),
        ("grade", "classification", "risk"),
    ),
    (frozenset({"prognosis", "staging", "metastasis", "lvi"}), ("risk", "grade")),
    (frozenset({"trial-names"}), ("consideration", "treatment")),
)
_KINDS_BY_INTENT = {
    "treatment": ("treatment", "immunotherapy"),
    "eligibility": ("treatment", "immunotherapy"),
    "risk": ("risk", "grade"),
    "prognosis": ("risk", "grade"),
    "definition": ("classification", "grade"),
    "comparison": ("classification", "grade"),
    "trial": ("consideration", "treatment"),
}
_APPROVAL = re.compile(r"\bapproval\b|\bapproved\b", re.I)


def finding_kinds(analysis: Analysis) -> tuple[str, ...]:
    concepts = {e.concept_id for e in analysis.entities}
    for wanted, kinds in _KINDS_BY_CONCEPT:
        if concepts & wanted:
            return kinds
    return _KINDS_BY_INTENT.get(analysis.intent, ("classification", "grade", "risk"))


# Case fields that questions naming these concepts are about.
_FIELDS_BY_CONCEPT: dict[str, frozenset[str]] = {
    "grade": frozenset({"grade", "ki67_percent", "mitoses_per_2mm2"}),
    "ki67": frozenset({"ki67_percent", "grade"}),
    "mitoses": frozenset({"mitoses_per_2mm2", "grade"}),
    "differentiation": frozenset({"differentiation", "histology"}),
    "tmb": frozenset({"tmb_mut_per_mb"}),
    "msi": frozenset({"msi_status", "mmr_status"}),
    "pdl1": frozenset({"pdl1_cps", "pdl1_tps_percent"}),
    "sstr": frozenset({"sstr_status"}),
    "sstr-pet": frozenset({"sstr_status"}),
    "site-liver": frozenset({"metastatic_sites"}),
    "metastasis": frozenset({"metastatic_sites"}),
}


def select_findings(
    findings: Sequence[Finding], kinds: Sequence[str], concepts: frozenset[str] = frozenset()
) -> list[Finding]:
    """The findings of the wanted kinds that say something (met, not met, or unknown for lack of an
    input): by kind, then those reading the fields the question is about, then decisive ones first;
    at most `MAX_CASE_FINDINGS`."""
    order: dict[FindingStatus, int] = {"not_met": 0, "met": 1, "unknown": 2}
    fields: set[str] = set().union(*(_FIELDS_BY_CONCEPT.get(c, frozenset()) for c in concepts))
    chosen = [f for f in findings if f.kind in kinds and f.citations]
    chosen.sort(key=lambda f: (kinds.index(f.kind), -len(fields & set(f.inputs)), order.get(f.status, 3)))
    return chosen[:MAX_CASE_FINDINGS]


def case_lead(chosen: Sequence[Finding], audience: str) -> tuple[str, list[Finding]] | None:
    """A first sentence answering for this case when the findings settle it: whether any approved
    (tissue-agnostic) immunotherapy applies. Returns (sentence, the findings it rests on)."""
    approvals = [f for f in chosen if f.kind == "immunotherapy" and _APPROVAL.search(f.statement)]
    if not approvals:
        return None
    applies = [f for f in approvals if f.status == "met"]
    unknown = [f for f in approvals if f.status == "unknown"]
    if applies:
        text = (
            "For your tumour, an approved immunotherapy use may apply; see why below."
            if audience == "patient"
            else "For this case, a tissue-agnostic immunotherapy approval may apply (details below)."
        )
        return text, applies
    settled = [f for f in approvals if f.status == "not_met"]
    if not settled:
        return None
    if unknown:
        text = (
            "For your tumour, neither tissue-agnostic immunotherapy approval that could be checked applies "
            "(reasons below); one more cannot be checked from these reports."
            if audience == "patient"
            else "For this case, the tissue-agnostic immunotherapy approvals that could be checked do not apply; "
            "one more cannot be assessed from these reports."
        )
    else:
        text = (
            "For your tumour, neither tissue-agnostic immunotherapy approval applies, for the reasons below."
            if audience == "patient"
            else "For this case, neither tissue-agnostic immunotherapy approval applies, for the reasons below."
        )
    return text, settled


# A suggested question mentions a test; the case already holds it when it has one of these fields.
_TEST_FIELDS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\bTMB\b|mutational burden", re.I), ("tmb_mut_per_mb",)),
    (re.compile(r"\bMSI\b|\bMMR\b|mismatch|microsatellite", re.I), ("msi_status", "mmr_status")),
    (re.compile(r"PD-?L1", re.I), ("pdl1_cps", "pdl1_tps_percent")),
    (re.compile(r"\bDLL3\b", re.I), ("dll3_status",)),
    (re.compile(r"Ki-?67", re.I), ("ki67_percent",)),
    (re.compile(r"mitotic|mitoses", re.I), ("mitoses_per_2mm2",)),
    (re.compile(r"somatostatin[- ]receptor|SSTR|DOTATATE|gallium", re.I), ("sstr_status",)),
    (re.compile(r"\bgrade\b", re.I), ("grade",)),
)


def holds_tested(question: str, case: CaseProfile) -> bool:
    """True when the question suggests testing something every mentioned test of which the case holds."""
    mentioned = [fields for pattern, fields in _TEST_FIELDS if pattern.search(question)]
    if not mentioned:
        return False
    return all(any(case.value(f) is not None for f in fields) for fields in mentioned)


def drop_held_tests(questions: Sequence[str], case: CaseProfile) -> list[str]:
    return [q for q in questions if not holds_tested(q, case)]
