"""A question about replaced or withdrawn practice is a history question (superseded and withdrawn
evidence then ranks like current evidence); everyday wording counts, not only "superseded"."""

from __future__ import annotations

import pytest

from netnav.retrieve.analyze import analyze


@pytest.mark.parametrize(
    "question",
    [
        "my doctor said octreoscan isnt used much anymore, why?",
        "Why don't they do the octreoscan any more?",
        "is interferon not used any longer for carcinoid?",
        "Is the indium scan outdated now?",
        "is streptozocin chemo out of date for pancreatic NET?",
        "Why is the 2010 WHO grading obsolete?",
        "Why was Octreoscan replaced by the gallium PET?",
        "was the lurbinectedin indication discontinued?",
        "Why was that immunotherapy taken off the market for SCLC?",
        "What did doctors use in the past to image carcinoid tumours?",
        "did they stop using MIBG scans for NETs?",
        "Is the old grading system still valid?",
    ],
)
def test_history_questions_are_recognised(question: str) -> None:
    assert analyze(question).asks_history


@pytest.mark.parametrize(
    "question",
    [
        "What is the best scan for a small bowel NET?",
        "How does Lutathera work?",
        "What does a Ki-67 of 15% mean for a pancreatic NET?",
        "Is pembrolizumab approved for TMB-high tumours?",
        "What are the side effects of everolimus?",
        "my mom has carcinoid syndrome, what helps the flushing",
    ],
)
def test_questions_about_current_care_are_not_history(question: str) -> None:
    assert not analyze(question).asks_history
