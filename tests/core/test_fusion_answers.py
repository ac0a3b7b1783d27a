"""Answers under the default (convex) fusion keep the facts that rank high on the question's own words:
a trial's result when a sibling trial (NETTER-2) is closer in meaning, and the replaced practice a
question asks about ("why isn't X used any more"). Both were lost when convex fusion was tried first."""

from __future__ import annotations

import re

import pytest

from netnav.retrieve.search import FUSION


def _text(answer: object) -> str:
    return answer.model_dump_json()  # type: ignore[attr-defined]


def test_answers_use_the_convex_fusion() -> None:
    assert FUSION == "convex"


@pytest.mark.parametrize(
    "question",
    [
        "NETTER-1: PFS benefit and main toxicities?",
        "What was the hazard ratio for progression in NETTER-1?",
        "netter-1 results: how much did lutathera cut the risk of progression",
        "How much did NETTER-1 reduce progression or death?",
    ],
)
def test_a_trials_own_result_is_not_displaced_by_a_sibling_trial(engine: object, question: str) -> None:
    answer = engine.ask(question, "clinician")  # type: ignore[attr-defined]
    assert not answer.abstained, answer.abstain_reason
    assert re.search(r"0\.21|79 ?%", _text(answer)), _text(answer)[:600]


@pytest.mark.parametrize(
    "question",
    [
        "my doctor said octreoscan isnt used much anymore, why?",
        "why don't they do the octreoscan any more?",
        "Is the Octreoscan outdated now?",
        "why was octreoscan replaced by the gallium pet scan",
    ],
)
def test_a_question_about_replaced_practice_gets_the_replaced_practice(engine: object, question: str) -> None:
    answer = engine.ask(question, "patient")  # type: ignore[attr-defined]
    assert not answer.abstained, answer.abstain_reason
    assert re.search(r"indium|In-?111|pentetreotide", _text(answer), re.IGNORECASE), _text(answer)[:600]
