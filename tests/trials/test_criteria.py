"""Criterion understanding and labelling on individual criterion texts."""

from __future__ import annotations

import pytest

from netnav.trials.criteria import label_criterion, parse_criterion
from netnav.trials.schema import load_patterns
from tests.trials.helpers import case, nec_case, pnet_case, sclc_case


def test_pattern_file_is_versioned_and_valid() -> None:
    patterns = load_patterns()
    assert patterns.version.startswith("criteria-patterns.v")
    assert len(patterns.patterns) > 40
    assert "platinum" in patterns.drug_classes and "checkpoint" in patterns.drug_classes


@pytest.mark.parametrize(
    ("text", "kind", "label"),
    [
        ("ECOG performance status 0-1", "inclusion", "met"),
        ("ECOG performance status 0 or 1", "inclusion", "met"),
        ("Karnofsky performance status >= 70%", "inclusion", "met"),
        ("Karnofsky performance status >= 80%", "inclusion", "insufficient_info"),
        ("Karnofsky performance status >= 90%", "inclusion", "not_met"),
        ("Age >= 18 years", "inclusion", "met"),
        ("Patients aged 75 years or older", "inclusion", "not_met"),
        ("Ki-67 index > 20%", "inclusion", "met"),
        ("Ki-67 <= 20%", "inclusion", "not_met"),
        ("Histologically confirmed small cell lung cancer", "inclusion", "not_met"),
        ("Poorly differentiated neuroendocrine carcinoma", "inclusion", "met"),
        ("Well-differentiated neuroendocrine tumour", "inclusion", "not_met"),
        # a drug list shows platinum was given, not that the disease progressed on it (no therapy lines)
        ("Progression after prior platinum-based chemotherapy", "inclusion", "insufficient_info"),
        ("Prior treatment with an anti-PD-1 or anti-PD-L1 antibody", "exclusion", "not_met"),
        ("No prior systemic therapy for advanced disease", "inclusion", "not_met"),
        ("Pregnant or breast-feeding women", "exclusion", "not_applicable"),  # a man: it does not concern him
        ("Absolute neutrophil count >= 1500/mm3", "inclusion", "insufficient_info"),
        ("History of autoimmune disease", "exclusion", "insufficient_info"),
        ("Measurable disease per RECIST 1.1", "inclusion", "insufficient_info"),
    ],
)
def test_labels_for_nec_case(text: str, kind: str, label: str) -> None:
    got = label_criterion(text, kind, nec_case())  # type: ignore[arg-type]
    assert got.label == label, (text, got.reason)


def test_not_understood_is_insufficient_with_reason() -> None:
    got = label_criterion("Willing to wear a hat on Tuesdays", "inclusion", nec_case())
    assert got.label == "insufficient_info"
    assert got.reason == "not understood"
    assert got.text == "Willing to wear a hat on Tuesdays"


def test_missing_field_names_the_field() -> None:
    got = label_criterion("ECOG 0-1", "inclusion", case("bare", age=50))
    assert got.label == "insufficient_info"
    assert got.fields == ["ecog"]
    assert "ecog" in got.reason


def test_evidence_cites_source_line() -> None:
    got = label_criterion("ECOG 0-2", "inclusion", nec_case())
    assert got.evidence == ["ecog=1 (nec.txt:7)"]


def test_negated_checkpoint_inclusion() -> None:
    prior_pd1 = sclc_case()
    got = label_criterion("No prior treatment with PD-1 or PD-L1 inhibitors", "inclusion", prior_pd1)
    assert got.label == "not_met"
    assert "atezolizumab" in got.reason
    fresh = label_criterion("No prior treatment with PD-1 or PD-L1 inhibitors", "inclusion", nec_case())
    assert fresh.label == "met"


def test_partly_understood_criterion_is_never_met() -> None:
    text = "ECOG 0-1 and willingness to undergo weekly hyperbaric oxygen sessions at the coordinating centre"
    parsed = parse_criterion(text)
    assert parsed.understood and not parsed.complete
    assert label_criterion(text, "inclusion", nec_case()).label == "insufficient_info"


def test_disjunction_of_tumour_types_is_merged() -> None:
    text = "Small cell lung cancer or large cell neuroendocrine carcinoma of the lung"
    rules = parse_criterion(text).rules
    assert [r.value for r in rules if r.field == "tumour_type"] == [["sclc", "lcnec"]]
    assert label_criterion(text, "inclusion", sclc_case()).label == "met"


def test_pregnancy_needs_info_for_women() -> None:
    assert label_criterion("Women who are pregnant", "exclusion", pnet_case()).label == "insufficient_info"


def test_brain_metastases_recorded() -> None:
    with_brain = nec_case(metastatic_sites=["liver", "brain"])
    assert label_criterion("Known brain metastases", "exclusion", with_brain).label == "met"
    symptomatic = label_criterion("Symptomatic brain metastases", "exclusion", with_brain)
    assert symptomatic.label == "insufficient_info" and "symptomatic" in symptomatic.reason
    # a recorded site list without brain: no known brain metastases (the exclusion does not apply)
    no_brain = label_criterion("Known brain metastases", "exclusion", nec_case(metastatic_sites=["liver"]))
    assert no_brain.label == "not_met"
    unrecorded = label_criterion("Known brain metastases", "exclusion", nec_case())
    assert unrecorded.label == "insufficient_info"


def test_dll3_and_lines() -> None:
    positive = sclc_case(dll3_status="positive (IHC 80%)")
    assert label_criterion("DLL3 expression by IHC", "inclusion", positive).label == "met"
    # carboplatin + etoposide is one standard regimen (regimens.yaml): one line, not two
    assert label_criterion("At least two prior lines of therapy", "inclusion", nec_case()).label == "not_met"
    two_lines = nec_case(prior_therapies=["cisplatin/etoposide", "FOLFIRI"])
    assert label_criterion("At least two prior lines of therapy", "inclusion", two_lines).label == "met"


def test_spot_check_regressions() -> None:
    """Errors found in the hand spot-check of HINT labels, kept fixed."""
    sclc = sclc_case()
    mixed = (
        "Extensive-stage SCLC & is chemotherapy naive or has experienced progressive disease following at "
        "least one chemotherapy regimen"
    )
    assert label_criterion(mixed, "inclusion", sclc).label == "insufficient_info"
    context = (
        "Major surgical intervention within 28 days. Intervention to establish the diagnosis for SCLC is "
        "permitted within 28 days"
    )
    assert label_criterion(context, "exclusion", sclc).label == "insufficient_info"
    assert label_criterion("Fertile patients must use effective contraception", "inclusion", sclc).label == (
        "insufficient_info"
    )
    assert (
        label_criterion(
            "Women of childbearing potential and men must use contraception", "inclusion", sclc
        ).label
        == "insufficient_info"
    )
    assert label_criterion("Patients with phaeochromocytoma", "exclusion", sclc).label == "not_met"


@pytest.mark.parametrize(
    ("text", "kind", "profile", "label"),
    [
        ("ECOG performance status of 0 - 2", "inclusion", "sclc", "met"),
        ("ECOG performance status of 0 or 1", "inclusion", "sclc", "met"),
        # carboplatin + etoposide is one regimen, so one line
        ("No more than one prior line of systemic therapy", "inclusion", "nec", "met"),
        (
            (
                "CTCAE grade 1 or higher toxicity from previous treatment, excluding grade 2 or lower "
                "neurotoxicity from platinum"
            ),
            "exclusion",
            "sclc",
            "insufficient_info",
        ),
        (
            "Fully recovered from prior chemotherapy, immunotherapy, or radiotherapy",
            "inclusion",
            "pnet",
            "insufficient_info",
        ),
        ("Histologically confirmed small bowel carcinoid tumor", "inclusion", "pnet", "not_met"),
        (
            "Malignancies other than SCLC within 5 years prior to randomization",
            "exclusion",
            "sclc",
            "insufficient_info",
        ),
        (
            "QTc greater than or equal to 480 msec on screening electrocardiogram",
            "exclusion",
            "pnet",
            "insufficient_info",
        ),
        (
            "1st degree relative with unexplained sudden death under 40 years of age",
            "exclusion",
            "nec",
            "insufficient_info",
        ),
        ("Prior chemotherapy within 4 weeks", "exclusion", "sclc", "insufficient_info"),
        ("no prior chemotherapy", "inclusion", "pnet", "met"),
        ("Patients must be chemotherapy naive.", "inclusion", "nec", "not_met"),
    ],
)
def test_decisive_spot_check_regressions(text: str, kind: str, profile: str, label: str) -> None:
    cases = {"sclc": sclc_case(), "nec": nec_case(), "pnet": pnet_case()}
    got = label_criterion(text, kind, cases[profile])  # type: ignore[arg-type]
    assert got.label == label, (text, got.reason)


@pytest.mark.parametrize(
    ("text", "kind", "sites", "label"),
    [
        (
            "Symptomatic brain metastases requiring steroids or radiotherapy",
            "exclusion",
            ["liver"],
            "not_met",
        ),
        ("Untreated or progressive CNS metastases", "exclusion", ["brain (treated, stable)"], "not_met"),
        ("Known leptomeningeal metastases", "exclusion", ["brain (treated, stable)"], "not_met"),
        ("Known leptomeningeal disease", "exclusion", ["leptomeningeal spread"], "met"),
        ("Active brain metastases", "exclusion", ["brain"], "insufficient_info"),
    ],
)
def test_brain_exclusions_read_the_site_list(text: str, kind: str, sites: list[str], label: str) -> None:
    got = label_criterion(text, kind, nec_case(metastatic_sites=sites))  # type: ignore[arg-type]
    assert got.label == label, got.reason


@pytest.mark.parametrize(
    ("text", "kind", "extra", "label"),
    [
        ("History of topotecan treatment for SCLC", "exclusion", {}, "not_met"),  # about topotecan, not SCLC
        # a treatment criterion understood only through its disease name is not decided by the disease
        ("History of investigational agent treatment for SCLC", "exclusion", {}, "insufficient_info"),
        # a specific drug decides, not the generic word chemotherapy
        ("Prior chemotherapy regimen containing irinotecan", "exclusion", {}, "not_met"),
        (
            "Prior chemotherapy regimen containing irinotecan",
            "exclusion",
            {"prior_therapies": ["irinotecan"]},
            "met",
        ),
        # the disease a treatment was for is context
        (
            "No prior systemic treatment for ES-SCLC",
            "inclusion",
            {"stage": "limited stage", "prior_therapies": []},
            "met",
        ),
        ("Age 18 years or greater", "inclusion", {}, "met"),
    ],
)
def test_context_and_specific_drugs(text: str, kind: str, extra: dict[str, object], label: str) -> None:
    got = label_criterion(text, kind, sclc_case(**extra))  # type: ignore[arg-type]
    assert got.label == label, got.reason


@pytest.mark.parametrize(
    ("text", "kind", "label"),
    [
        ("Previous hypersensitivity reaction to LAR octreotide", "exclusion", "insufficient_info"),
        ("Receiving a stable dose of octreotide LAR for at least 3 months", "inclusion", "not_met"),
        # extensive stage is stage group III or IV: "stage I or II" is not met
        ("cytological or histological proven SCLC Stage I or II at 1st diagnosis", "inclusion", "not_met"),
    ],
)
def test_named_drug_reaction_and_stage_group(text: str, kind: str, label: str) -> None:
    got = label_criterion(text, kind, pnet_case() if "octreotide" in text else sclc_case())  # type: ignore[arg-type]
    assert got.label == label, got.reason
