"""No input crashes report extraction, criteria parsing or question analysis; bad input is a typed error."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from netnav.errors import BadInputError, InvalidQuestionError
from netnav.records import extract_text
from netnav.retrieve.analyze import analyze
from netnav.settings import MAX_QUESTION_CHARS
from netnav.trials.criteria import label_criterion, parse_criterion
from netnav.trials.eligibility import split_eligibility
from netnav.types.case import CANONICAL_FIELDS, CaseProfile
from tests.reliability.strategies import any_text, mixed_text

# NETNAV_FUZZ_EXAMPLES raises the budget for a deeper manual run (CI keeps the modest default).
EXAMPLES = int(os.environ.get("NETNAV_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INTENTS = {"definition", "eligibility", "risk", "treatment", "trial", "prognosis", "comparison"}
LABELS = {"met", "not_met", "not_applicable", "insufficient_info"}


@pytest.fixture(scope="module")
def case() -> CaseProfile:
    report = (
        "Well-differentiated neuroendocrine tumor of the pancreas, grade 2.\nKi-67 index: 15%.\n"
        "Mitoses 3 per 2 mm2.\nNo lymphovascular invasion.\nECOG 1. 63-year-old woman.\n"
    )
    profile = extract_text(report, "case.txt")
    assert profile.fields, "the fixture report must yield fields, or the criteria tests prove little"
    return profile


@FUZZ
@given(any_text)
@example("Ki-67 15%\x00\x00\x00")
@example("\r" * 50 + "Ki-67: 20 %" + "\u2028" + "G3")
@example("Ki-67 " + "9" * 5000 + "%")
def test_extract_text_never_crashes_and_values_point_at_real_lines(text: str) -> None:
    try:
        profile = extract_text(text, "fuzz.txt")
    except BadInputError:
        return
    n_lines = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for name, value in profile.fields.items():
        assert name in CANONICAL_FIELDS
        assert value.source == "fuzz.txt"
        assert 1 <= value.line <= n_lines
    for neg in profile.negated:
        assert 1 <= neg.line <= n_lines


@FUZZ
@given(any_text, st.sampled_from(["inclusion", "exclusion"]))
@example("Ki-67 > 20% or ((((( not", "exclusion")
@example("age >= 999999999999999999999999 years", "inclusion")
def test_criterion_parsing_and_labelling_never_crash(case: CaseProfile, text: str, kind: str) -> None:
    parsed = parse_criterion(text)
    assert parsed.text == text
    assert all(re.fullmatch(r"[a-z][a-z-]{3,}", w) for w in parsed.residual)
    criterion = label_criterion(text, kind, case)  # type: ignore[arg-type]
    assert criterion.label in LABELS
    assert criterion.kind == kind
    assert criterion.reason


@FUZZ
@given(
    st.lists(
        st.one_of(mixed_text, st.sampled_from(["Inclusion Criteria:", "Exclusion Criteria:", "", "  * x"])),
        max_size=20,
    ).map("\n".join)
)
def test_eligibility_split_returns_clean_criteria(text: str) -> None:
    inclusion, exclusion = split_eligibility(text)
    for item in inclusion + exclusion:
        assert item and item == item.strip(" ;")
        assert "\n" not in item and "  " not in item


@FUZZ
@given(any_text)
@example("'; DROP TABLE documents; --")
@example("x" * (MAX_QUESTION_CHARS + 1))
@example("\x00\x00")
def test_analyzer_only_raises_invalid_question(text: str) -> None:
    try:
        analysis = analyze(text)
    except InvalidQuestionError:
        return
    assert analysis.intent in INTENTS
    assert analysis.question and "\x00" not in analysis.question
    assert len(analysis.question) <= MAX_QUESTION_CHARS
    assert all(e.matched for e in analysis.entities)


def test_analyzer_refuses_empty_wordless_and_oversized_questions() -> None:
    for bad in ["", "   \n\t", "\x00", "?!? 123 ...", "a " * MAX_QUESTION_CHARS]:
        with pytest.raises(InvalidQuestionError):
            analyze(bad)
