"""Personalised answers lead with the case, follow-ups are rewritten only when elliptical (CLI and API)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from netnav.answer.case_focus import drop_held_tests, holds_tested
from netnav.cli.app import app
from netnav.conversation import is_follow_up, rewrite_follow_up
from netnav.records import extract_text

REPORT = """SURGICAL PATHOLOGY REPORT
Pancreas, distal pancreatectomy:
- Well-differentiated neuroendocrine tumor, WHO grade 2.
- Ki-67 proliferation index: 8%.
Liver, biopsy: metastatic well-differentiated neuroendocrine tumor.

COMPREHENSIVE GENOMIC PROFILING REPORT
Tumor Mutational Burden: 2.1 Muts/Mb (TMB-Low)
Microsatellite status: MS-Stable
"""


@pytest.fixture(scope="module")
def case() -> Any:
    return extract_text(REPORT, "reports.txt")


@pytest.mark.parametrize(
    "question",
    ["Could immunotherapy help me?", "would keytruda work for my tumour", "is my TMB high enough?"],
)
def test_case_answer_leads_with_why_no_approval_applies(engine: Any, case: Any, question: str) -> None:
    answer = engine.ask(question, "patient", case)
    first = answer.personal[0].text
    assert "approval" in first and ("neither" in first or "do not apply" in first)
    text = " ".join(s.text for s in answer.personal)
    assert "2.1" in text and "below" in text
    assert "MSS" in text or "not MSI-high" in text
    assert len(answer.personal) <= 5
    assert not any(holds_tested(q, case) for q in answer.questions_to_ask), answer.questions_to_ask


def test_questions_never_suggest_tests_the_case_holds(case: Any) -> None:
    questions = [
        "Has my tumor been tested for MSI/MMR and tumor mutational burden (TMB)? If not, should it be?",
        "Has my tumour been tested for PD-L1?",
        "What is my Ki-67?",
        "Was a mitotic count done?",
    ]
    assert drop_held_tests(questions, case) == questions[1:2] + questions[3:]


@pytest.mark.parametrize(
    ("previous", "message", "expected"),
    [
        (
            "What is lanreotide used for?",
            "what about its side effects?",
            "What about lanreotide's side effects?",
        ),
        (
            "What did CABINET show for cabozantinib?",
            "is it approved for pNET?",
            "Is cabozantinib approved for pNET?",
        ),
        ("What is everolimus?", "does it cause mouth sores?", "Does everolimus cause mouth sores?"),
        ("Is PRRT used for midgut NET?", "what about everolimus?", "Is everolimus used for midgut NET?"),
    ],
)
def test_elliptical_follow_ups_are_rewritten(previous: str, message: str, expected: str) -> None:
    assert rewrite_follow_up(previous, message) == expected


@pytest.mark.parametrize(
    "message",
    [
        "and how did COMPETE compare edotreotide with everolimus?",
        "What is PRRT?",
        "also, what are the side effects of sunitinib in pancreatic NETs?",
        "When was lanreotide approved for GEP-NETs?",
    ],
)
def test_complete_questions_are_not_rewritten(message: str) -> None:
    assert not is_follow_up(message)
    assert rewrite_follow_up("What did NETTER-1 show?", message) == " ".join(message.split())


def test_cli_follow_up_shows_the_rewritten_question(built_home: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "ask",
            "what about its side effects?",
            "--follow-up",
            "What is everolimus?",
            "--home",
            str(built_home),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "read as: What about everolimus's side effects?" in result.output
    assert "stomatitis" in result.output.lower() or "mouth" in result.output.lower()


def test_cli_chat_keeps_the_conversation(built_home: Path) -> None:
    lines = "What is everolimus used for in NETs?\ndoes it cause mouth sores?\nquit\n"
    result = CliRunner().invoke(app, ["chat", "--home", str(built_home)], input=lines)
    assert result.exit_code == 0, result.output
    assert "read as: Does everolimus cause mouth sores?" in result.output


def test_clinician_answers_offer_prompts_not_patient_questions(engine: Any) -> None:
    answer = engine.ask("What is the evidence for everolimus in lung NETs?", "clinician")
    assert answer.questions_to_ask
    assert not any(
        q.lower().startswith(("is my", "what is my", "am i", "will my", "have i"))
        for q in answer.questions_to_ask
    )
    assert not any(" my " in f" {q.lower()} " or " i " in f" {q.lower()} " for q in answer.questions_to_ask)


def test_urgent_answer_carries_cited_message_first(engine: Any) -> None:
    answer = engine.ask("my dad had PRRT yesterday and now he is flushing and feels faint", "patient")
    assert answer.urgent is not None and answer.urgent.citations
    assert {c.n for c in answer.citations} >= set(answer.urgent.citations)
    assert not answer.abstained


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Does herceptin help HER2 positive breast cancer?", "other_cancer"),
        ("Can I take my sisters lanreotide injections?", "dose_request"),
        ("What is the capital of France?", "out_of_scope"),
    ],
)
def test_refusals_say_what_kind(engine: Any, question: str, kind: str) -> None:
    answer = engine.ask(question, "patient")
    assert answer.abstained and answer.refusal_kind == kind and answer.abstain_reason
