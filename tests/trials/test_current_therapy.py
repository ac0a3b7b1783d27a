"""A trial criterion about therapy given NOW ("receiving a stable dose of octreotide LAR") is decided from
current therapy: a somatostatin analogue stopped in the past does not meet it. Criteria and report sentences
are written for these tests."""

from __future__ import annotations

import pytest

from netnav.records.therapy_lines import lines_from_sentence
from netnav.trials.criteria import label_criterion
from netnav.trials.therapy import asks_current
from netnav.types.case import CaseProfile
from tests.trials.helpers import pnet_case


def _with_history(*sentences: str) -> CaseProfile:
    lines = [t for n, s in enumerate(sentences, 1) for t in lines_from_sentence(s, "letter.txt", n)]
    names = list(dict.fromkeys(d for t in lines for d in t.drugs))
    return pnet_case(prior_therapies=names).model_copy(update={"therapy_lines": lines})


PAST = _with_history("Octreotide LAR 30 mg was stopped in 2023 when the tumour grew.")
PAST_LAY = _with_history("She used to have lanreotide injections but came off them last year.")
NOW = _with_history("Continues octreotide LAR 30 mg every 28 days.")
NOW_LAY = _with_history("dad is still getting his lanreotide jab every month")
UNSAID = _with_history("Octreotide LAR given.")
NEVER = _with_history("Everolimus 10 mg daily since March.")

CURRENT_CRITERIA = [
    "Receiving a stable dose of octreotide LAR for at least 3 months before enrolment",
    "Patients must be on a stable dose of somatostatin analogue",
    "Currently treated with a somatostatin analog (octreotide or lanreotide)",
    "Ongoing SSA therapy at a stable dose",
    "Maintained on lanreotide or octreotide LAR throughout the study",
]


@pytest.mark.parametrize("text", CURRENT_CRITERIA)
@pytest.mark.parametrize(
    ("who", "label"),
    [("past", "not_met"), ("past_lay", "not_met"), ("now", "met"), ("now_lay", "met"), ("never", "not_met")],
)
def test_current_therapy_criterion(text: str, who: str, label: str) -> None:
    case = {"past": PAST, "past_lay": PAST_LAY, "now": NOW, "now_lay": NOW_LAY, "never": NEVER}[who]
    if "octreotide LAR for" in text and who == "now_lay":
        label = "not_met"  # lanreotide is not the octreotide the criterion names
    got = label_criterion(text, "inclusion", case)
    assert got.label == label, (got.label, got.reason)


def test_given_with_nothing_said_about_now_is_unknown() -> None:
    got = label_criterion(CURRENT_CRITERIA[0], "inclusion", UNSAID)
    assert got.label == "insufficient_info", got.reason
    assert "still given" in got.reason


def test_a_prior_therapy_criterion_still_counts_past_use() -> None:
    got = label_criterion("Prior treatment with a somatostatin analogue", "inclusion", PAST)
    assert got.label == "met", got.reason


def test_current_exclusion_does_not_apply_after_the_drug_was_stopped() -> None:
    text = "Patients currently receiving somatostatin analogue therapy"
    assert label_criterion(text, "exclusion", PAST).label == "not_met"
    assert label_criterion(text, "exclusion", NOW).label == "met"


@pytest.mark.parametrize(
    ("text", "current"),
    [
        ("Receiving a stable dose of octreotide LAR", True),
        ("On a stable dose of SSA for 12 weeks prior to randomisation", True),
        ("Concomitant use of lanreotide", True),
        ("Prior somatostatin analogue therapy", False),
        ("Patients who are receiving or have received SSA", False),
        ("History of treatment with octreotide", False),
        ("Previously treated with everolimus", False),
    ],
)
def test_which_criteria_ask_about_now(text: str, current: bool) -> None:
    assert asks_current(text) is current
