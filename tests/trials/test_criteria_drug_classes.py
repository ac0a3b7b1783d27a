"""Drug classes named in criteria (data/drug_classes.yaml): a class is met by a recorded member, not met when
no recorded prior therapy is one, and a narrowing qualifier ("high-dose") keeps a recorded member from
deciding. Also tumour types tied to a site. Criteria written for these tests (not registry text)."""

from __future__ import annotations

import pytest

from netnav.trials.criteria import label_criterion
from netnav.trials.drug_classes import load_drug_classes, narrowing
from netnav.trials.schema import load_patterns
from netnav.types.case import CaseProfile
from tests.trials.helpers import case

CASES: dict[str, CaseProfile] = {
    "avelumab": case(
        "a", histology="Merkel cell carcinoma", primary_site="forearm", prior_therapies=["avelumab"]
    ),
    "nivolumab": case(
        "v", histology="small cell carcinoma", primary_site="lung", prior_therapies=["Nivolumab"]
    ),
    "alisertib": case(
        "b", histology="small cell carcinoma", primary_site="lung", prior_therapies=["carboplatin", "MLN8237"]
    ),
    "rova": case("r", histology="small cell carcinoma", primary_site="lung", prior_therapies=["Rova-T"]),
    "tarlatamab": case(
        "t", histology="small cell carcinoma", primary_site="lung", prior_therapies=["AMG 757"]
    ),
    "chemo": case(
        "c", histology="small cell carcinoma", primary_site="lung", prior_therapies=["cisplatin", "etoposide"]
    ),
    "everolimus": case(
        "e", histology="atypical carcinoid", primary_site="lung", prior_therapies=["everolimus"]
    ),
    "captem": case(
        "p", histology="neuroendocrine tumour", primary_site="pancreas", prior_therapies=["CAPTEM"]
    ),
    "none": case("n", histology="small cell carcinoma", primary_site="lung", prior_therapies=[]),
    "unknown": case("u", histology="small cell carcinoma", primary_site="lung"),
}


@pytest.mark.parametrize(
    ("text", "kind", "who", "label"),
    [
        ("Prior treatment with Aurora A-targeted agents, including MLN8237", "exclusion", "alisertib", "met"),
        (
            "Previous therapy with an aurora kinase A inhibitor such as alisertib",
            "exclusion",
            "chemo",
            "not_met",
        ),
        ("Prior exposure to a pyrrolobenzodiazepine (PBD)-based drug", "exclusion", "rova", "met"),
        ("Prior exposure to a pyrrolobenzodiazepine (PBD)-based drug", "exclusion", "avelumab", "not_met"),
        (
            "Prior therapy with an anti-PD-1, anti-PD-L1, anti-PD-L2, anti-CD137 or anti-CTLA-4 antibody "
            "(including ipilimumab or any other antibody or drug specifically targeting T-cell co-stimulation or "
            "checkpoint pathways)",
            "exclusion",
            "avelumab",
            "met",
        ),
        ("Received an anti-PD-L1 antibody", "inclusion", "avelumab", "met"),
        ("Received an anti-PD-L1 antibody", "inclusion", "nivolumab", "not_met"),
        # a named target is not the whole checkpoint family
        ("No prior anti-PD-1 therapy", "inclusion", "avelumab", "met"),
        ("No prior anti-PD-1 therapy", "inclusion", "nivolumab", "not_met"),
        ("Previously treated with a DLL3-targeted agent", "exclusion", "tarlatamab", "met"),
        ("Prior mTOR inhibitor therapy", "exclusion", "everolimus", "met"),
        ("Prior mTOR inhibitor therapy", "exclusion", "captem", "not_met"),
        ("Prior treatment with an alkylating agent", "exclusion", "captem", "met"),
        ("Prior treatment with a topoisomerase I inhibitor", "exclusion", "chemo", "not_met"),
        ("Prior treatment with a topoisomerase inhibitor", "exclusion", "chemo", "met"),
        ("Prior PARP inhibitor", "exclusion", "none", "not_met"),
        ("Prior PARP inhibitor", "exclusion", "unknown", "insufficient_info"),
        # a qualifier narrows the class: a member given is not enough to decide, none given still is
        (
            "Prior high-dose chemotherapy requiring stem cell rescue",
            "exclusion",
            "chemo",
            "insufficient_info",
        ),
        ("Prior high-dose chemotherapy requiring stem cell rescue", "exclusion", "avelumab", "not_met"),
        ("Prior intrathecal chemotherapy", "exclusion", "chemo", "insufficient_info"),
        ("Treatment with an investigational anti-PD-L1 agent", "exclusion", "avelumab", "insufficient_info"),
    ],
)
def test_drug_class_criteria(text: str, kind: str, who: str, label: str) -> None:
    got = label_criterion(text, kind, CASES[who])  # type: ignore[arg-type]
    assert got.label == label, got.reason


def test_reason_names_the_member_that_decides() -> None:
    got = label_criterion(
        "Prior treatment with Aurora A-targeted agents, including MLN8237", "exclusion", CASES["alisertib"]
    )
    assert "MLN8237" in got.reason and "aurora" in got.reason.lower()


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Prior high-dose chemotherapy", "high-dose"),
        ("prior high dose cytotoxic chemotherapy with stem-cell support", "high dose"),
        ("Any investigational drug within 28 days", "investigational"),
        ("Chemotherapy within 21 days before the first dose", "within 21 days"),
        ("Prior chemotherapy", None),
    ],
)
def test_narrowing_qualifiers(text: str, qualifier: str | None) -> None:
    assert narrowing(text) == qualifier


def test_every_class_has_members_or_is_decided_by_absence_and_is_a_pattern() -> None:
    table = load_drug_classes().classes
    patterns = {p.id for p in load_patterns().patterns}
    drug_classes = load_patterns().drug_classes
    for name, entry in table.items():
        key = entry.extends or name
        assert set(entry.members) <= set(drug_classes[key]), name
        if entry.mention and not entry.extends:
            assert any(p.startswith("class_") for p in patterns)
            assert name in drug_classes


@pytest.mark.parametrize(
    ("text", "who", "label"),
    [
        ("Histologically confirmed small cell lung cancer", "oesophagus", "not_met"),
        ("Histologically confirmed small cell lung cancer", "merkel", "not_met"),
        ("Histologically confirmed small cell lung cancer", "unknown_primary", "insufficient_info"),
        ("Histologically confirmed small cell lung cancer", "no_site", "insufficient_info"),
        ("Well-differentiated gastroenteropancreatic neuroendocrine tumour (GEP-NET)", "lung_ac", "not_met"),
        ("Advanced pancreatic neuroendocrine tumour", "lung_ac", "not_met"),
        ("Large cell neuroendocrine carcinoma of the lung", "oesophagus", "not_met"),
        (
            "Large cell neuroendocrine carcinoma of the lung",
            "unknown_primary",
            "not_met",
        ),  # small cell, not large
        ("Extrapulmonary neuroendocrine carcinoma", "oesophagus", "met"),
        ("Extrapulmonary neuroendocrine carcinoma", "unknown_primary", "insufficient_info"),
    ],
)
def test_site_specific_tumour_types(text: str, who: str, label: str) -> None:
    tumours = {
        "oesophagus": case("o", primary_site="oesophagus", histology="small cell neuroendocrine carcinoma"),
        "merkel": case("m", primary_site="cheek", histology="Merkel cell carcinoma"),
        "unknown_primary": case("u", primary_site="unknown primary", histology="small cell carcinoma"),
        "no_site": case("s", histology="small cell carcinoma"),
        "lung_ac": case(
            "l", primary_site="lung", histology="atypical carcinoid", differentiation="well differentiated"
        ),
    }
    got = label_criterion(text, "inclusion", tumours[who])
    assert got.label == label, got.reason


def test_a_met_exclusion_gives_only_the_deciding_reason() -> None:
    text = "Prior therapy with an anti-PD-1, anti-PD-L1 or anti-CTLA-4 antibody (including ipilimumab)"
    got = label_criterion(text, "exclusion", CASES["avelumab"])
    assert got.label == "met"
    assert "avelumab" in got.reason and not got.reason.startswith("no ") and "; no " not in got.reason
