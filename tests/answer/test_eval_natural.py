"""The natural-question set (tests/data/eval/questions.natural.jsonl) meets the answer-quality targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from netnav.eval import load_eval_set, run_eval

DATA = Path(__file__).resolve().parents[1] / "data" / "eval"


@pytest.mark.slow
def test_natural_questions_meet_the_targets(engine: Any) -> None:
    report = run_eval(
        load_eval_set(DATA / "questions.natural.jsonl"),
        lambda q, a: engine.ask(q, a),
        follow_up=engine.rewrite_follow_up,
    )
    misses = [(r.id, r.missed) for r in report.items if r.missed]
    assert report.fact_coverage >= 0.95, misses
    assert report.summary_coverage >= 0.75
    assert report.false_refusal_rate <= 0.02, [r.id for r in report.items if r.false_refusal]
    assert report.missed_other_cancer == 0 and report.missed_urgent == 0
    assert report.contradictions == 0, [(r.id, r.contradictions) for r in report.items if r.contradictions]
    assert report.uncited_sentences == 0 and report.unresolvable_citations == 0
