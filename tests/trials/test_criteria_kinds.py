"""Criterion kinds decided from the case, each with criteria written for these tests (not registry text).

Kinds: treatment history decided by absence (radiotherapy, surgery, washout, toxicity), neutral
disjunctions, lines of therapy counted by regimen, stage groups, DLL3 cut-offs, brain-metastasis
qualifiers, and suitability judgements that stay undecided.
"""

from __future__ import annotations

import pytest

from netnav.trials.criteria import label_criterion
from netnav.trials.therapy import regimen_groups
from netnav.types.case import CaseProfile
from tests.trials.helpers import case, nec_case, pnet_case, sclc_case

UNTREATED = case(
    "untreated",
    primary_site="lung",
    histology="small cell carcinoma",
    stage="limited stage",
    metastatic_sites=[],
    prior_therapies=[],
    ecog=0,
    age=60,
    sex="F",
)
SURGERY_ONLY = pnet_case(prior_therapies=["distal pancreatectomy"], metastatic_sites=["liver"])
TREATED_BRAIN = sclc_case(prior_therapies=[], metastatic_sites=["brain (treated, stable)"])
NO_HISTORY = case("nohistory", primary_site="lung", histology="small cell carcinoma", ecog=1)
CASES: dict[str, CaseProfile] = {
    "untreated": UNTREATED,
    "chemo": nec_case(),
    "surgery_only": SURGERY_ONLY,
    "treated_brain": TREATED_BRAIN,
    "no_history": NO_HISTORY,
    "pnet": pnet_case(),
    "sclc": sclc_case(),
}


@pytest.mark.parametrize(
    ("text", "kind", "who", "label"),
    [
        ("No previous radiation therapy to the chest", "inclusion", "untreated", "met"),
        ("Prior radiotherapy to more than 25% of the bone marrow", "exclusion", "untreated", "not_met"),
        # a drug-only list says nothing about radiotherapy
        ("Radiotherapy within 14 days before the first dose", "exclusion", "chemo", "insufficient_info"),
        # a list naming a local treatment (surgery) and no radiotherapy does
        ("Radiotherapy within 14 days before the first dose", "exclusion", "surgery_only", "not_met"),
        ("No prior radiotherapy", "inclusion", "treated_brain", "insufficient_info"),
        ("No prior radiotherapy", "inclusion", "no_history", "insufficient_info"),
        ("Must have received prior radiotherapy to the primary tumour", "inclusion", "untreated", "not_met"),
        (
            "At least 21 days must have elapsed since the last dose of systemic anticancer therapy",
            "inclusion",
            "untreated",
            "met",
        ),
        (
            "At least 21 days must have elapsed since the last dose of systemic anticancer therapy",
            "inclusion",
            "chemo",
            "insufficient_info",
        ),
        (
            "Chemotherapy, targeted therapy or immunotherapy within 4 weeks of the first study dose",
            "exclusion",
            "surgery_only",
            "not_met",
        ),
        (
            "Receipt of an investigational drug in the 30 days before randomisation",
            "exclusion",
            "untreated",
            "not_met",
        ),
        (
            "Participants must have recovered to grade 1 or baseline from toxicities of earlier treatment",
            "inclusion",
            "untreated",
            "met",
        ),
        (
            "Participants must have recovered to grade 1 or baseline from toxicities of earlier treatment",
            "inclusion",
            "chemo",
            "insufficient_info",
        ),
        # surgery has after-effects of its own
        (
            "Persistent grade 2 or worse toxicity from prior anticancer therapy",
            "exclusion",
            "surgery_only",
            "insufficient_info",
        ),
        (
            "Persistent grade 2 or worse toxicity from prior anticancer therapy",
            "exclusion",
            "untreated",
            "not_met",
        ),
        ("Major surgery within 4 weeks before enrolment", "exclusion", "untreated", "not_met"),
        ("Major surgery within 4 weeks before enrolment", "exclusion", "surgery_only", "insufficient_info"),
    ],
)
def test_treatment_history_by_absence(text: str, kind: str, who: str, label: str) -> None:
    got = label_criterion(text, kind, CASES[who])  # type: ignore[arg-type]
    assert got.label == label, got.reason


@pytest.mark.parametrize(
    ("text", "who", "label"),
    [
        ("Histologically or cytologically confirmed small cell lung cancer", "pnet", "not_met"),
        ("Locally advanced or metastatic pancreatic neuroendocrine tumour", "sclc", "not_met"),
        ("Measurable or evaluable disease and a diagnosis of Merkel cell carcinoma", "pnet", "not_met"),
        ("Relapsed or refractory extensive-stage SCLC", "pnet", "not_met"),
        ("Men or women aged 18 years or older with a well-differentiated NET", "sclc", "not_met"),
        ("Unresectable, locally advanced or metastatic well-differentiated NET", "sclc", "not_met"),
        ("Cytologically or histologically proven SCLC, limited or extensive stage", "pnet", "not_met"),
        # a real alternative that is not understood keeps the criterion open
        (
            "Small cell lung cancer or another rare thoracic malignancy judged suitable by the sponsor",
            "pnet",
            "insufficient_info",
        ),
        # "grade 1 or 2" is one predicate with two values, not an alternative
        ("Well-differentiated NET, grade 1 or 2", "pnet", "met"),
        ("Well-differentiated NET, grade 1 or 2", "sclc", "not_met"),
    ],
)
def test_neutral_disjunctions(text: str, who: str, label: str) -> None:
    got = label_criterion(text, "inclusion", CASES[who])
    assert got.label == label, got.reason


@pytest.mark.parametrize(
    ("items", "lines"),
    [
        (["carboplatin", "etoposide", "atezolizumab"], 1),
        (["cisplatin", "etoposide", "durvalumab", "lurbinectedin"], 2),
        (["capecitabine", "temozolomide"], 1),
        (["octreotide LAR", "capecitabine", "temozolomide"], 2),
        (["lanreotide", "everolimus", "sunitinib"], 3),
        (["capecitabine + temozolomide"], 1),
        (["5-FU", "oxaliplatin", "irinotecan"], 1),
        (["ipilimumab", "nivolumab"], 1),
        (["streptozocin", "5-fluorouracil"], 1),
        (["cyclophosphamide", "vincristine", "dacarbazine"], 1),
        (["carboplatin", "etoposide", "cisplatin", "etoposide re-challenge"], 2),
        ([], 0),
    ],
)
def test_lines_counted_by_regimen(items: list[str], lines: int) -> None:
    assert len(regimen_groups(items)) == lines


@pytest.mark.parametrize(
    ("text", "therapies", "label"),
    [
        ("No more than one prior systemic regimen", ["carboplatin", "etoposide", "atezolizumab"], "met"),
        ("At least two prior lines of systemic therapy", ["carboplatin", "etoposide", "topotecan"], "met"),
        ("At least two prior lines of systemic therapy", ["capecitabine", "temozolomide"], "not_met"),
        ("More than one prior line of therapy", ["lanreotide", "everolimus"], "met"),
    ],
)
def test_line_criteria(text: str, therapies: list[str], label: str) -> None:
    got = label_criterion(text, "inclusion", nec_case(prior_therapies=therapies))
    assert got.label == label, got.reason


@pytest.mark.parametrize(
    ("text", "stage", "label"),
    [
        ("Stage III or IV disease", "IIIA", "met"),
        ("Stage IV disease", "IIIA", "not_met"),
        ("Stage IIIB or IV disease", "IIIA", "insufficient_info"),
        ("Stage 2 or 3 disease", "IIIA", "met"),
        ("Stage I-III disease", "limited stage", "met"),
        ("Stage I or II disease", "limited stage", "insufficient_info"),
        ("Stage III or IV disease", "extensive stage", "met"),
        ("Stage I-II disease", "extensive stage", "not_met"),
        ("Stage IV disease", "IVC", "met"),
        ("Stage I or II disease", "IV", "not_met"),
    ],
)
def test_stage_groups(text: str, stage: str, label: str) -> None:
    got = label_criterion(text, "inclusion", nec_case(stage=stage))
    assert got.label == label, got.reason


def test_stage_group_from_metastatic_sites_or_missing() -> None:
    metastatic = nec_case(metastatic_sites=["liver"])
    assert label_criterion("Stage I or II disease", "inclusion", metastatic).label == "not_met"
    assert label_criterion("Stage I or II disease", "inclusion", nec_case()).label == "insufficient_info"


@pytest.mark.parametrize(
    ("text", "dll3", "label"),
    [
        ("DLL3 expression in at least 50% of tumour cells", "positive (80% of tumour cells)", "met"),
        ("DLL3 expression in at least 50% of tumour cells", "DLL3 IHC 20%", "not_met"),
        ("High DLL3 expression (≥75% of tumour cells by IHC)", "high", "met"),
        ("High DLL3 expression (≥75% of tumour cells by IHC)", "positive (60% of tumour cells)", "not_met"),
        ("DLL3 expression in at least 50% of tumour cells", "high", "insufficient_info"),
        ("DLL3 expression in at least 50% of tumour cells", "negative", "not_met"),
        ("DLL3-high tumour", "low", "not_met"),
        ("DLL3-high tumour", "high", "met"),
    ],
)
def test_dll3_cut_offs(text: str, dll3: str, label: str) -> None:
    got = label_criterion(text, "inclusion", sclc_case(dll3_status=dll3))
    assert got.label == label, got.reason


def test_dll3_not_recorded() -> None:
    got = label_criterion("DLL3 expression in at least 50% of tumour cells", "inclusion", sclc_case())
    assert got.label == "insufficient_info"


@pytest.mark.parametrize(
    ("text", "sites", "label"),
    [
        ("Symptomatic CNS metastases requiring corticosteroids", ["liver"], "not_met"),
        (
            "Untreated brain metastases (or local treatment of brain metastases within the last 6 months) "
            "due to the poor prognosis of these patients and the difficulty of attributing neurologic toxicity",
            ["liver", "bone"],
            "not_met",
        ),
        (
            "Participants with symptomatic brain metastases or with brain metastases on steroids",
            ["liver"],
            "not_met",
        ),
        ("Symptomatic CNS metastases requiring corticosteroids", ["brain"], "insufficient_info"),
        ("Known brain metastases", ["brain"], "met"),
    ],
)
def test_brain_qualifiers(text: str, sites: list[str], label: str) -> None:
    got = label_criterion(text, "exclusion", nec_case(metastatic_sites=sites))
    assert got.label == label, got.reason


@pytest.mark.parametrize(
    "text",
    [
        "Eligible to receive cisplatin-based chemotherapy",
        "Candidate for surgical resection of the primary",
        "Suitable for treatment with lurbinectedin",
        "Progression after first-line platinum chemotherapy and eligible to receive topotecan",
    ],
)
def test_suitability_stays_undecided(text: str) -> None:
    assert label_criterion(text, "inclusion", nec_case()).label == "insufficient_info"


def test_exclusion_naming_only_the_disease_is_not_decided() -> None:
    text = "SCLC patients with an unexplained hypokalaemic alkalosis of ectopic origin"
    assert label_criterion(text, "exclusion", sclc_case()).label == "insufficient_info"
