"""`ask` end to end on random and hostile text: it answers or abstains, never crashes, and cites every sentence."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, example, given, settings

from netnav.engine import Engine
from netnav.errors import BadInputError
from netnav.types.answer import Answer
from tests.reliability.strategies import DOMAIN, mixed_text

EXAMPLES = int(os.environ.get("NETNAV_FUZZ_EXAMPLES", "25"))


def check_answer(answer: Answer) -> None:
    """The contract of DESIGN.md: every sentence carries >= 1 citation that exists, numbered from 1."""
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    if answer.abstained:
        assert answer.abstain_reason
        assert not answer.summary and not answer.sections
        return
    sentences = list(answer.summary) + [s for sec in answer.sections for s in sec.sentences]
    assert sentences, "an answer that did not abstain must say something"
    for sentence in sentences:
        assert sentence.text.strip()
        assert sentence.citations, f"uncited sentence: {sentence.text!r}"
        assert set(sentence.citations) <= set(numbers), f"dangling citation in {sentence.text!r}"
    assert answer.disclaimer


@pytest.fixture(scope="module")
def shared_engine(built_home: object) -> Engine:
    eng = Engine(built_home)  # type: ignore[arg-type]
    eng.ensure_index()
    return eng


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mixed_text)
@example("What is a carcinoid tumor?")
@example("Is Keytruda an option for a G3 pancreatic NET with MSI-H? '; DROP TABLE passages; --")
@example("lanreotide " * 300)
@example("What is the capital of France?")
def test_ask_answers_or_abstains_and_cites_every_sentence(shared_engine: Engine, text: str) -> None:
    for audience in ("patient", "clinician"):
        try:
            answer = shared_engine.ask(text, audience)
        except BadInputError:
            return
        check_answer(answer)


def test_domain_questions_are_answered_not_abstained(shared_engine: Engine) -> None:
    """Guards the fuzz test against a vacuous pass: real questions must produce cited answers."""
    answered = 0
    for term in DOMAIN[:20]:
        answer = shared_engine.ask(f"What should I know about {term} in neuroendocrine tumors?", "patient")
        check_answer(answer)
        answered += not answer.abstained
    assert answered >= 15
