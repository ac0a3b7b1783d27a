"""A criterion is complete only when every finding that decides by a number was read, and a requirement is not
mistaken for a permission because later words permit something (criteria written for these tests)."""

from __future__ import annotations

import pytest

from netnav.trials.clauses import condition_split
from netnav.trials.completeness import permissive
from netnav.trials.criteria import label_criterion
from tests.trials.helpers import case

SI_NET_KI67_6 = case(
    "si-net-ki67-6",
    primary_site="ileum",
    histology="well-differentiated neuroendocrine tumour",
    differentiation="well",
    ki67_percent=6,
    grade="G2",
    stage="IV",
    metastatic_sites=["liver"],
    prior_therapies=["lanreotide"],
    sex="M",
    age=72,
)
NO_KI67 = case(
    "no-ki67",
    primary_site="pancreas",
    histology="well-differentiated neuroendocrine tumour",
    differentiation="well",
    stage="IV",
    metastatic_sites=["liver"],
    sex="F",
    age=58,
)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # Ki-67 ranges written without a percent sign
        ("Ki-67 index from 15 to 55 (both included)", "not_met"),
        (
            "Unresectable well-differentiated GEP-NET with a Ki-67 index from 15 to 55 (both included)",
            "not_met",
        ),
        ("Ki67 between 10 and 20", "not_met"),
        ("Ki-67 between 3 and 20", "met"),
        ("Ki-67 proliferation index from 2 to 20, inclusive", "met"),
        ("MIB-1/Ki-67 labelling index between 1 and 10", "met"),
        # a Ki-67 condition no pattern reads keeps the criterion open instead of letting the rest decide it
        (
            "Well differentiated GEP-NET, Ki-67 index of 15-55 according to local pathology",
            "insufficient_info",
        ),
        ("Well-differentiated GEP-NET; Ki-67 above the 20th centile of the cohort", "insufficient_info"),
        (
            "Well differentiated NET of the small bowel with mitotic count in the upper range",
            "insufficient_info",
        ),
    ],
)
def test_numeric_findings_are_read_or_keep_the_criterion_open(text: str, label: str) -> None:
    got = label_criterion(text, "inclusion", SI_NET_KI67_6)
    assert got.label == label, got.reason


def test_an_unread_ki67_range_never_counts_as_met_without_the_value() -> None:
    got = label_criterion("Well differentiated GEP-NET with Ki-67 index of 15-55", "inclusion", NO_KI67)
    assert got.label == "insufficient_info", got.reason


@pytest.mark.parametrize(
    ("text", "allows"),
    [
        ("Prior treatment with somatostatin analogues is allowed", True),
        ("Patients who had surgery of the primary are eligible", True),
        ("Previous PRRT is permitted if completed more than 6 months ago", True),
        ("Prior somatostatin analogue therapy (e.g. octreotide or lanreotide) is allowed", True),
        ("Prior everolimus, i.e. an mTOR inhibitor, is permitted", True),
        (
            "Have received 4-6 cycles of platinum-based first-line chemotherapy; acceptable combinations "
            "include cisplatin or carboplatin with etoposide",
            False,
        ),
        ("Must have received prior everolimus. Prior sunitinib is also allowed", False),
        ("Patients must have had progression on an SSA; prior PRRT is allowed", False),
        (
            "Documented progression within 12 months; participants may have received up to 2 prior lines",
            False,
        ),
    ],
)
def test_a_requirement_with_a_permissive_tail_is_not_a_permission(text: str, allows: bool) -> None:
    assert permissive(text) is allows


def test_platinum_requirement_with_acceptable_regimens_is_not_met_without_chemotherapy() -> None:
    text = (
        "Have received 4-6 cycles of platinum-based first-line chemotherapy and have an ongoing response. "
        "Acceptable combinations include cisplatin or carboplatin with etoposide"
    )
    got = label_criterion(text, "inclusion", SI_NET_KI67_6)
    assert got.label != "met", got.reason


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        (
            "A tumour of mixed histology is eligible only when the neuroendocrine carcinoma component is "
            "predominant (at least 50% of the tumour)",
            "of mixed histology",
        ),
        (
            "Tumours with mixed histology are eligible only if the small cell component is at least 30%",
            "with mixed",
        ),
        ("Patients with brain metastases are eligible only if they are treated and stable", "with brain"),
        (
            "Patients with prior PRRT are only eligible if the last dose was more than 6 months ago",
            "with prior PRRT",
        ),
        (
            "Participants with hepatitis B are allowed only if the viral load is undetectable",
            "with hepatitis B",
        ),
    ],
)
def test_eligible_only_when_is_a_condition(text: str, condition: str) -> None:
    split = condition_split(text)
    assert split is not None and split[0].startswith(condition)


def test_a_condition_that_does_not_hold_never_decides_against_the_patient() -> None:
    no_brain = case(
        "no-brain",
        primary_site="pancreas",
        histology="well-differentiated neuroendocrine tumour",
        metastatic_sites=["liver"],
        sex="M",
        age=54,
    )
    text = "Patients with brain metastases are eligible only if they are treated and stable for 4 weeks"
    assert label_criterion(text, "inclusion", no_brain).label == "not_applicable"
    mixed = "A tumour of mixed histology is eligible only when the neuroendocrine carcinoma component is predominant"
    assert label_criterion(mixed, "inclusion", SI_NET_KI67_6).label != "not_met"
