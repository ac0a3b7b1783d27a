"""The refusal, urgent and summary-only figures of `netnav eval` (scored on hand-made answers)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from netnav.eval import EvalItem, load_eval_set, run_eval
from netnav.types.answer import Answer, Sentence, Urgent

NATURAL = Path(__file__).resolve().parents[1] / "data" / "eval" / "questions.natural.jsonl"


def _answer(q: str, summary: str = "", body: str = "", **kw: object) -> Answer:
    sections = (
        []
        if not body
        else [{"kind": "guideline", "title": "G", "sentences": [{"text": body, "citations": [1]}]}]
    )
    return Answer.model_validate(
        {
            "question": q,
            "audience": "patient",
            "abstained": False,
            "summary": [Sentence(text=summary, citations=[1])] if summary else [],
            "sections": sections,
            "disclaimer": "d",
            **kw,
        }
    )


def _ask(answers: dict[str, Answer]) -> Callable[[str, str], Answer]:
    return lambda q, a: answers[q]


def test_summary_only_coverage_counts_only_the_summary_and_urgent_text() -> None:
    item = EvalItem(id="a", question="q1", must=["alpha", "beta"])
    report = run_eval([item], _ask({"q1": _answer("q1", summary="alpha", body="beta")}))
    assert report.fact_coverage == 1.0
    assert report.summary_coverage == 0.5
    urgent = _answer("q1", body="alpha beta", urgent=Urgent(text="alpha now", citations=[1]))
    assert run_eval([item], _ask({"q1": urgent})).summary_coverage == 0.5


def test_false_and_missed_refusals_are_rated_over_their_own_denominators() -> None:
    items = [
        EvalItem(id="in1", question="q1"),
        EvalItem(id="in2", question="q2"),
        EvalItem(id="out", question="q3", expect_refusal_kind="other_cancer"),
        EvalItem(id="dose", question="q4", expect_abstain=True),
    ]
    refused = _answer("q1").model_copy(update={"abstained": True, "refusal_kind": "no_evidence"})
    answers = {"q1": refused, "q2": _answer("q2"), "q3": _answer("q3"), "q4": refused}
    report = run_eval(items, lambda q, a: answers[q])
    assert (report.false_refusals, report.false_refusal_rate) == (1, 0.5)
    assert (report.missed_refusals, report.missed_refusal_rate) == (1, 0.5)
    assert report.missed_other_cancer == 1
    assert report.refusal_kind_errors == 1


def test_missing_urgent_message_is_counted() -> None:
    item = EvalItem(id="u", question="q", expect_urgent=True)
    assert run_eval([item], _ask({"q": _answer("q", summary="x")})).missed_urgent == 1
    ok = _answer("q", urgent=Urgent(text="Call now", citations=[1]))
    assert run_eval([item], _ask({"q": ok})).missed_urgent == 0


def test_follow_up_items_are_rewritten_before_asking() -> None:
    item = EvalItem(id="f", question="and for NEC?", follow_up_of="What is X for NET?")
    seen: list[str] = []

    def ask(q: str, a: str) -> Answer:
        seen.append(q)
        return _answer(q)

    run_eval([item], ask, follow_up=lambda prev, msg: prev + " | " + msg)
    assert seen == ["What is X for NET? | and for NEC?"]


def test_natural_question_set_is_balanced_and_sourced() -> None:
    items = load_eval_set(NATURAL)
    assert len(items) >= 80
    patients = sum(1 for i in items if i.audience == "patient")
    assert abs(patients - (len(items) - patients)) <= 4
    assert all(i.source for i in items), [i.id for i in items if not i.source]
    assert len({i.id for i in items}) == len(items)
    kinds = {i.expect_refusal_kind for i in items}
    assert {"other_cancer", "dose_request"} <= kinds
    assert sum(i.expect_urgent for i in items) >= 4
