"""A question spelt the British way is answered as the American-spelt one is: same refusal decision,
same cited passages (lexical terms, concepts and the question's vector all see one spelling)."""

from __future__ import annotations

from typing import Any

import pytest

PAIRS = [
    (
        "does immunotherapy work for neuroendocrine tumours?",
        "does immunotherapy work for neuroendocrine tumors?",
    ),
    (
        "what is a VIPoma and why does it cause so much diarrhoea",
        "what is a VIPoma and why does it cause so much diarrhea",
    ),
    (
        "Prophylaxis against carcinoid crisis before hepatic embolisation",
        "Prophylaxis against carcinoid crisis before hepatic embolization",
    ),
    (
        "are oesophageal neuroendocrine carcinomas treated like small cell lung cancer?",
        "are esophageal neuroendocrine carcinomas treated like small cell lung cancer?",
    ),
    (
        "what is the role of oestrogen receptors in neuroendocrine tumours",
        "what is the role of estrogen receptors in neuroendocrine tumors",
    ),
    ("how are paediatric neuroendocrine tumours treated", "how are pediatric neuroendocrine tumors treated"),
    ("should I go to a specialist centre for my NET", "should I go to a specialist center for my NET"),
    ("can I have a caesarean if I have a NET", "can I have a cesarean if I have a NET"),
    (
        "what is the risk of haematological toxicity after PRRT",
        "what is the risk of hematological toxicity after PRRT",
    ),
    ("is hospitalisation needed for lutathera", "is hospitalization needed for lutathera"),
    (
        "does a high fibre diet help carcinoid syndrome diarrhoea",
        "does a high fiber diet help carcinoid syndrome diarrhea",
    ),
    ("can telotristat help oedema of the legs", "can telotristat help edema of the legs"),
]


def _outcome(answer: Any) -> tuple[bool, list[str]]:
    return answer.abstained, sorted(c.passage_id for c in answer.citations)


@pytest.mark.parametrize(("british", "american"), PAIRS)
def test_same_answer_in_both_spellings(engine: Any, british: str, american: str) -> None:
    for audience in ("patient", "clinician"):
        assert _outcome(engine.ask(british, audience)) == _outcome(engine.ask(american, audience))


def test_a_british_verb_is_not_an_unanswered_term(engine: Any) -> None:
    """'metastasise' was refused as a word the evidence never mentions, while 'metastasize' was answered."""
    answer = engine.ask("how often do pancreatic NETs metastasise to the liver", "patient")
    assert not answer.abstained, answer.abstain_reason
    assert "metastasise" in answer.question  # shown as typed: a spelling, not a typo
