from __future__ import annotations

import pytest

from netnav.errors import InvalidQuestionError
from netnav.retrieve.analyze import analyze, find_entities, informative_terms


@pytest.mark.parametrize(
    ("question", "concept"),
    [
        ("Is Keytruda used for NETs?", "pembrolizumab"),
        ("What about Opdivo plus Yervoy?", "nivolumab"),
        ("Is Imdelltra an option?", "tarlatamab"),
        ("Can I get Lutathera?", "lutathera"),
        ("What is PRRT?", "lutathera"),
        ("My MIB-1 index was 12%", "ki67"),
        ("Is my PanNET aggressive?", "pnet"),
        ("TMB-H result", "tmb"),
        ("dMMR on IHC", "msi"),
        ("Bavencio for Merkel", "avelumab"),
        ("Imfinzi after chemoradiation", "durvalumab"),
        ("Tecentriq with carboplatin", "atezolizumab"),
    ],
)
def test_brand_names_and_abbreviations_map_to_concepts(question: str, concept: str) -> None:
    assert analyze(question).has(concept)


def test_lowercase_net_is_not_mistaken_for_a_tumour() -> None:
    assert not analyze("What is the net benefit of this?").has("net")
    assert analyze("Is my NET growing?").has("net")


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Are there clinical trials I can join for NEC?", "trial"),
        ("Is nivolumab still approved for small cell lung cancer?", "eligibility"),
        ("Is a grade 3 NET the same as a neuroendocrine carcinoma?", "comparison"),
        ("What is the life expectancy with liver metastases?", "prognosis"),
        ("What features make a NET high-risk?", "risk"),
        ("What is the standard first-line treatment for NEC?", "treatment"),
        ("What is a neuroendocrine tumor?", "definition"),
    ],
)
def test_intents(question: str, intent: str) -> None:
    assert analyze(question).intent == intent


def test_off_topic_question_is_out_of_domain() -> None:
    assert not analyze("What is the best recipe for banana bread?").in_domain
    assert analyze("What foods should I avoid before a 5-HIAA test?").in_domain


@pytest.mark.parametrize("bad", ["", "   ", "?!?", "x" * 5000])
def test_unusable_questions_raise_a_typed_error(bad: str) -> None:
    with pytest.raises(InvalidQuestionError):
        analyze(bad)


def test_repeated_entity_finding_hands_out_fresh_lists() -> None:
    first = find_entities("Is Keytruda used for NETs?")
    first.clear()  # a caller extending or emptying its list must not change the next answer
    again = find_entities("Is Keytruda used for NETs?")
    assert "pembrolizumab" in {e.concept_id for e in again}
    terms = informative_terms("How long does Keytruda infusion take?")
    terms.clear()
    assert informative_terms("How long does Keytruda infusion take?")
