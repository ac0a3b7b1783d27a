"""End-to-end answering on the built-in knowledge (the index is built once per session)."""

from __future__ import annotations

from typing import Any

import pytest

from netnav.errors import BadInputError, InvalidQuestionError
from netnav.types.answer import Answer


def _all_sentences(answer: Answer) -> list[Any]:
    return (
        list(answer.summary) + [s for sec in answer.sections for s in sec.sentences] + list(answer.personal)
    )


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_every_sentence_cites_a_resolvable_passage(engine: Any, audience: str) -> None:
    answer = engine.ask("What does a Ki-67 index mean for grading a neuroendocrine tumor?", audience)
    assert not answer.abstained
    sentences = _all_sentences(answer)
    assert sentences
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    for sentence in sentences:
        assert sentence.citations and all(n in numbers for n in sentence.citations)
    assert answer.disclaimer and "not medical advice" in answer.disclaimer


def test_citations_are_numbered_in_order_of_first_use(engine: Any) -> None:
    answer = engine.ask("What is carcinoid syndrome?", "patient")
    first_seen: list[int] = []
    for sentence in _all_sentences(answer)[: len(answer.summary)] + [
        s for sec in answer.sections for s in sec.sentences
    ]:
        for n in sentence.citations:
            if n not in first_seen:
                first_seen.append(n)
    assert first_seen == sorted(first_seen)


def test_patient_and_clinician_wording_differ(engine: Any) -> None:
    q = "How are gastroenteropancreatic NETs graded?"
    patient = engine.ask(q, "patient")
    clinician = engine.ask(q, "clinician")
    assert [s.text for s in patient.summary] != [s.text for s in clinician.summary]


def test_quotes_are_the_cited_passages(engine: Any) -> None:
    answer = engine.ask("What is Lutathera?", "clinician")
    by_n = {c.n: c for c in answer.citations}
    for sentence in _all_sentences(answer):
        assert any(sentence.text[:30] in p.quote for n in sentence.citations for p in by_n[n].passages)


def test_one_number_per_source_and_one_kind_per_source(engine: Any) -> None:
    for q in (
        "What is Lutathera?",
        "Is pembrolizumab approved for TMB-high tumours?",
        "How is a NET graded?",
    ):
        answer = engine.ask(q, "clinician")
        keys = [
            next(
                (
                    f"{k}:{c.identifiers[k].lower()}"
                    for k in ("setid", "doi", "pmid", "nct", "url")
                    if k in c.identifiers
                ),
                c.source_id,
            )
            for c in answer.citations
        ]
        assert len(keys) == len(set(keys)), q
        assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
        for c in answer.citations:
            assert c.passages and c.quote == c.passages[0].quote
            if c.kind == "label":
                assert c.source_type in ("label", "fda_notice"), c.title
            if not c.quote_is_verbatim:
                assert any(not p.verbatim for p in c.passages)


def test_off_topic_question_abstains_with_reason_and_suggestion(engine: Any) -> None:
    answer = engine.ask("What is the best recipe for banana bread?", "patient")
    assert answer.abstained and answer.abstain_reason and answer.suggestion
    assert not answer.summary and not answer.sections and not answer.citations


def test_sections_are_titled_by_evidence_kind(engine: Any) -> None:
    answer = engine.ask("When was pembrolizumab approved for MSI-high solid tumors?", "clinician")
    titles = {s.kind: s.title for s in answer.sections}
    assert titles, "expected at least one section"
    expected = {
        "guideline": "From the Guidelines",
        "label": "From FDA Labels",
        "research": "From the Research",
        "trial": "From Trials",
        "education": "Background",
    }
    for kind, title in titles.items():
        assert expected.get(kind, title) == title


def test_kind_filter_only_cites_that_kind(engine: Any) -> None:
    answer = engine.ask("What did NETTER-1 show?", "clinician", kinds=["research"])
    assert answer.citations and {c.kind for c in answer.citations} == {"research"}


def test_bad_audience_and_empty_question_are_typed_errors(engine: Any) -> None:
    with pytest.raises(BadInputError):
        engine.ask("What is a NET?", "doctor")
    with pytest.raises(InvalidQuestionError):
        engine.ask("   ", "patient")


def test_questions_to_ask_are_present(engine: Any) -> None:
    answer = engine.ask("What treatments exist for pancreatic NETs?", "patient")
    assert len(answer.questions_to_ask) >= 3


def test_another_cancer_is_out_of_scope(engine: Any) -> None:
    answer = engine.ask("What is the best treatment for breast cancer?", "patient")
    assert answer.abstained and "neuroendocrine" in (answer.abstain_reason or "")
    assert not engine.ask("Can a neuroendocrine tumour start in the breast?", "patient").abstained


def test_a_question_the_evidence_does_not_address_abstains_and_says_what_is_missing(engine: Any) -> None:
    answer = engine.ask("Can I drink alcohol while on lanreotide?", "patient")
    assert answer.abstained
    assert "alcohol" in (answer.abstain_reason or "") and answer.suggestion
    assert not answer.citations and not answer.sections
