"""Safety triage on wordings nobody tuned to: doses and other people's medicine, negated NET words beside
another cancer, and urgent symptoms that must survive a refusal."""

from __future__ import annotations

from typing import Any

import pytest

from netnav.answer.render import render_answer
from netnav.answer.triage import dose_request, other_cancer


@pytest.mark.parametrize(
    "question",
    [
        "can I take my husband's leftover octreotide",
        "can I use his old tablets",
        "can i use my husbands old everolimus tablets",
        "my wife has leftover lanreotide, can I use it",
        "can I have some of my mum's octreotide",
        "is it ok to take the everolimus my dad didn't finish",
        "my brother has spare sandostatin, could I try it",
        "we have some unused octreotide from my late father, can I take it",
    ],
)
def test_someone_elses_medicine_is_refused_for_anyone(question: str) -> None:
    assert dose_request(question, "patient")
    assert dose_request(question, "clinician")


@pytest.mark.parametrize(
    "question",
    [
        "can I double up my octreotide if the flushing is bad",
        "should I double my lanreotide",
        "should I take an extra octreotide injection",
        "can I take 2 tablets of everolimus instead of one",
        "is it ok to take more creon",
        "could I inject another shot of octreotide",
        "can she take more telotristat when the diarrhoea is bad",
        "my dad ran out of his tablets, can he use his old everolimus from last year",
        "is it safe to take my expired octreotide",
    ],
)
def test_patient_dose_changes_are_refused(question: str) -> None:
    assert dose_request(question, "patient")


@pytest.mark.parametrize(
    "question",
    [
        "I have my mum's report here, what does Ki-67 20% mean",
        "I have my dad's pathology report, is his NET grade 2?",
        "I'm 70 years old, can I have PRRT",
        "she has had two injections of lanreotide so far, when will it work",
        "can I have Lutathera if I have kidney problems",
        "what are the side effects of my husband's octreotide",
        "How many cycles of Lutathera will I have",
        "can I take octreotide and lanreotide together",
        "is it safe to double check my scans",
    ],
)
def test_ordinary_questions_are_not_dose_requests(question: str) -> None:
    assert not dose_request(question, "patient")


@pytest.mark.parametrize(
    "question",
    [
        "my husband has prostate cancer, not neuroendocrine, would lutetium PSMA help him",
        "prostate cancer that isn't neuroendocrine - is PRRT used?",
        "my mums breast cancer is not a neuroendocrine type, is lutathera for her",
    ],
)
def test_negated_net_words_do_not_bring_another_cancer_into_scope(question: str) -> None:
    assert other_cancer(question)


@pytest.mark.parametrize(
    "question",
    [
        "prostate cancer that turned neuroendocrine after hormone therapy",
        "is small cell prostate cancer treated like small cell lung cancer",
    ],
)
def test_neuroendocrine_prostate_cancer_stays_in_scope(question: str) -> None:
    assert not other_cancer(question)


@pytest.mark.parametrize(
    ("question", "audience", "refusal"),
    [
        # no NET word at all: answered with the urgent message instead of "off topic"
        ("I have had 10 watery stools a day and I feel dizzy when I stand up", "patient", None),
        ("my partner has diarrhoea 9 times a day and can't keep water down", "patient", None),
        # refused requests keep the urgent message on top
        (
            "can I double up my octreotide, I'm flushing, wheezing and feel faint after lutathera",
            "patient",
            "dose_request",
        ),
        (
            "can I use my husband's leftover capecitabine? I have a fever and chills since my last dose",
            "patient",
            "dose_request",
        ),
    ],
)
def test_urgent_symptoms_are_never_lost_to_a_refusal(
    engine: Any, question: str, audience: str, refusal: str | None
) -> None:
    answer = engine.ask(question, audience)
    assert answer.urgent is not None, render_answer(answer)
    assert answer.urgent.citations
    assert answer.refusal_kind == refusal
    assert "## Urgent" in render_answer(answer)
    if refusal is not None:
        assert answer.abstained
        assert "## Sources" in render_answer(answer)
