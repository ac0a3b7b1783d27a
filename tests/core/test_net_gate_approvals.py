"""The NET gate knows every drug of the FDA approvals table: a question naming one is in scope and the
drug is found as a drug concept, whatever the phrasing (the table is read, not copied, so a row added
later is checked too)."""

from __future__ import annotations

import pytest

from netnav.knowledge.approvals import load_approvals
from netnav.retrieve.analyze import analyze
from netnav.retrieve.lexicon import load_lexicon

PHRASINGS = (
    "What is the target of {drug}?",
    "how does {drug} work",
    "{drug} side effects??",
    "Is {drug} approved?",
    "my husband was offered {drug}, is that normal",
    "WHAT IS {upper}",
    "Can {drug} be combined with other treatment?",
    "what are the risks of {drug} for my mom",
    "When was {drug} approved by the FDA?",
    "Is there a trial of {drug} near me?",
)


def _table_drugs() -> list[str]:
    return sorted({row.drug for row in load_approvals()})


def _drug_names(concept_id: str) -> set[str]:
    concept = load_lexicon().concepts[concept_id]
    return {n.lower() for n in (concept.canonical, *concept.synonyms, *concept.acronyms, *concept.related)}


def test_the_table_has_drugs() -> None:
    assert len(_table_drugs()) >= 10


@pytest.mark.parametrize("drug", _table_drugs())
@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_every_approved_drug_passes_the_gate(drug: str, phrasing: str) -> None:
    analysis = analyze(phrasing.format(drug=drug, upper=drug.upper()))
    assert analysis.in_domain, (drug, phrasing)
    drugs = [e for e in analysis.entities if e.type == "drug"]
    # the concept found is the table's drug (its first word is one of the concept's names or in one)
    head = drug.lower().split()[0]
    assert any(any(head in name for name in _drug_names(e.concept_id)) for e in drugs), (drug, drugs)
