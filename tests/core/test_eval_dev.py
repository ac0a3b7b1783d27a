"""`netnav eval` against the team's dev question set (skipped when ../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from netnav.cli.app import app
from netnav.errors import BadInputError
from netnav.eval import load_eval_set, run_eval
from tests.conftest import shared_dir


def test_dev_set_meets_the_quality_bar(engine: Any) -> None:
    items = load_eval_set(shared_dir() / "eval" / "questions.dev.jsonl")
    report = run_eval(items, lambda q, a: engine.ask(q, a))
    assert report.fact_coverage >= 0.90, [(r.id, r.missed) for r in report.items if r.missed]
    assert report.contradictions == 0, [(r.id, r.contradictions) for r in report.items if r.contradictions]
    assert report.uncited_sentences == 0 and report.unresolvable_citations == 0
    assert report.abstention_errors == 0


def test_eval_cli_json(built_home: Path) -> None:
    path = shared_dir() / "eval" / "questions.dev.jsonl"
    result = CliRunner().invoke(app, ["eval", str(path), "--json", "--home", str(built_home)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in (
        "fact_coverage",
        "contradictions",
        "abstentions",
        "citation_validity",
        "latency_p50_ms",
        "latency_p95_ms",
    ):
        assert key in data


def test_a_malformed_eval_set_is_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(BadInputError):
        load_eval_set(bad)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(BadInputError):
        load_eval_set(empty)


def test_scoring_counts_misses_and_contradictions(engine: Any) -> None:
    from netnav.eval import EvalItem

    item = EvalItem(
        id="t",
        question="What is carcinoid syndrome?",
        audience="patient",
        must=["flush", "zzzz-not-there"],
        must_not=["diarrh"],
    )
    report = run_eval([item], lambda q, a: engine.ask(q, a))
    assert report.fact_coverage == 0.5
    assert report.contradictions == 1
