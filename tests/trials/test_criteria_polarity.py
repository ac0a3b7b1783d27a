"""Criteria worded the other way round: a sentence stating its own verdict ("... are ineligible", "... is not
allowed") and a leading prohibition ("must not have", "no", "without"), for every predicate, in both sections.
Criteria written for these tests (not registry text)."""

from __future__ import annotations

import pytest

from netnav.trials.criteria import label_criterion
from netnav.trials.polarity import prohibition_end, states_exclusion
from netnav.types.case import CaseProfile
from tests.trials.helpers import case, sclc_case

BRAIN = sclc_case(metastatic_sites=["brain", "liver"])
NO_BRAIN = sclc_case(metastatic_sites=["liver", "bone"])
PNET = case(
    "pnet",
    primary_site="pancreas",
    histology="well-differentiated neuroendocrine tumour",
    differentiation="well",
    grade="G2",
    prior_therapies=["lanreotide"],
    metastatic_sites=["liver"],
    sex="F",
)
CASES: dict[str, CaseProfile] = {"brain": BRAIN, "no_brain": NO_BRAIN, "pnet": PNET}

_VERDICTS = [
    "Patients with CNS metastases or a history of CNS metastases are ineligible",
    "Patients with brain metastases are excluded.",
    "Patients with known brain metastases are not eligible for this study",
    "Participants with brain metastases will not be eligible",
    "Subjects with brain metastases cannot be enrolled",
    "Brain metastases are not allowed",
    "Known CNS metastases is not permitted.",
    "patients who have brain metastases would be considered ineligible",
]


@pytest.mark.parametrize("text", _VERDICTS)
def test_exclusion_with_its_own_verdict_is_met_for_brain_metastases(text: str) -> None:
    got = label_criterion(text, "exclusion", BRAIN)
    assert got.label == "met", got.reason
    assert "brain metastases recorded" in got.reason
    assert label_criterion(text, "exclusion", NO_BRAIN).label == "not_met"


@pytest.mark.parametrize("text", _VERDICTS)
def test_inclusion_with_a_verdict_is_the_exclusion_turned_round(text: str) -> None:
    assert label_criterion(text, "inclusion", BRAIN).label == "not_met"
    got = label_criterion(text, "inclusion", NO_BRAIN)
    assert got.label == "met", got.reason
    assert got.kind == "inclusion" and got.text == text


@pytest.mark.parametrize(
    ("text", "kind", "who", "label"),
    [
        # a predicate that knows no negation (tumour type) is turned too
        ("Patients with small cell lung cancer are not eligible", "inclusion", "brain", "not_met"),
        ("Patients with small cell lung cancer are not eligible", "inclusion", "pnet", "met"),
        ("Patients with small cell lung cancer are not eligible", "exclusion", "brain", "met"),
        ("Prior anti-PD-L1 therapy is not allowed", "exclusion", "brain", "met"),
        ("Prior anti-PD-L1 therapy is not allowed", "inclusion", "brain", "not_met"),
        ("Prior anti-PD-L1 therapy is not allowed", "inclusion", "pnet", "met"),
        # a negation inside the group described: the platinum-naive are the ones excluded
        ("Patients who have not received platinum are ineligible", "inclusion", "brain", "met"),
        ("Patients who have not received platinum are ineligible", "exclusion", "brain", "not_met"),
        # leading prohibitions over predicates without their own negation
        ("Patients must not have extensive-stage disease", "inclusion", "brain", "not_met"),
        ("Must not have a pancreatic neuroendocrine tumour", "inclusion", "pnet", "not_met"),
        ("Must not have a pancreatic neuroendocrine tumour", "inclusion", "brain", "met"),
        ("No well-differentiated neuroendocrine tumour", "inclusion", "pnet", "not_met"),
        ("Without known brain metastases", "inclusion", "brain", "not_met"),
        ("Without known brain metastases", "inclusion", "no_brain", "met"),
        ("no prior treatment with an immune checkpoint inhibitor", "inclusion", "brain", "not_met"),
        ("Has never received lanreotide or octreotide", "inclusion", "pnet", "not_met"),
        ("Has never received lanreotide or octreotide", "inclusion", "brain", "met"),
        # an exclusion worded as a prohibition excludes those lacking it
        ("Patients who have never received chemotherapy", "exclusion", "brain", "not_met"),
    ],
)
def test_negative_wording_for_every_predicate(text: str, kind: str, who: str, label: str) -> None:
    got = label_criterion(text, kind, CASES[who])  # type: ignore[arg-type]
    assert got.label == label, got.reason


def test_a_verdict_in_a_later_sentence_governs_only_that_sentence() -> None:
    text = "Histologically confirmed small cell lung cancer. Mixed histology will not be eligible."
    assert label_criterion(text, "inclusion", BRAIN).label != "not_met"


@pytest.mark.parametrize(
    "text",
    [
        "Must not be enrolled in another interventional study",  # a condition, not a verdict
        "Patients who are ineligible for cisplatin",
        "Patients not eligible for surgery may be enrolled",
    ],
)
def test_descriptions_are_not_verdicts(text: str) -> None:
    assert not states_exclusion(text)


@pytest.mark.parametrize(
    ("text", "prohibition"),
    [
        ("No more than 2 prior lines of therapy", False),
        ("No other malignancy within 5 years", False),
        ("No prior platinum", True),
        ("Patients without carcinoid syndrome", True),
        ("Must not have received prior PRRT", True),
        ("Histologically confirmed NET with no prior therapy", False),
    ],
)
def test_leading_prohibitions(text: str, prohibition: bool) -> None:
    assert (prohibition_end(text) is not None) is prohibition


def test_reason_never_contradicts_the_label_when_turned() -> None:
    got = label_criterion("Patients with brain metastases are excluded", "inclusion", BRAIN)
    assert got.label == "not_met" and "brain metastases recorded" in got.reason
    got = label_criterion("Patients with brain metastases are excluded", "inclusion", NO_BRAIN)
    assert got.label == "met" and "no brain/CNS metastases" in got.reason
