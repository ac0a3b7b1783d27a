"""Criteria made of parts, each kind with criteria written for these tests (not registry text):
cohorts/parts/phases, conditions ("if X", "among those X"), exceptions ("unless", "are eligible provided"),
several sentences, long tumour lists with other cancers, and method clauses ("as determined by MRI").
Every label is the one a careful reader would give for the invented case."""

from __future__ import annotations

import pytest

from netnav.trials.clauses import (
    alternatives,
    cohort_parts,
    condition_split,
    exception_split,
    one_of,
    sentences,
)
from netnav.trials.criteria import label_criterion
from netnav.trials.eligibility import split_eligibility
from netnav.types.case import CaseProfile
from tests.trials.helpers import case, nec_case, pnet_case, sclc_case

PNET = pnet_case(stage="IV", metastatic_sites=["liver"])  # G2 pancreatic NET on lanreotide, liver spread
SI_NET = case(
    "si",
    primary_site="ileum",
    histology="well-differentiated neuroendocrine tumour",
    differentiation="well",
    grade="G1",
    stage="IV",
    metastatic_sites=["liver", "mesentery"],
    prior_therapies=[],
    ecog=0,
    age=58,
    sex="M",
)
ES_SCLC = sclc_case(metastatic_sites=["liver", "bone"])
LS_SCLC = case(
    "ls",
    primary_site="lung",
    histology="small cell carcinoma",
    stage="limited stage",
    metastatic_sites=[],
    prior_therapies=[],
    ecog=1,
    age=64,
    sex="F",
)
NEC = nec_case(stage="IV", metastatic_sites=["liver"])
BRAIN = sclc_case(metastatic_sites=["brain (untreated, symptomatic)", "liver"])
CASES: dict[str, CaseProfile] = {
    "pnet": PNET,
    "si": SI_NET,
    "es": ES_SCLC,
    "ls": LS_SCLC,
    "nec": NEC,
    "brain": BRAIN,
}


def _label(text: str, kind: str, who: str) -> tuple[str, str]:
    got = label_criterion(text, kind, CASES[who])  # type: ignore[arg-type]
    return got.label, got.reason


# ---- cohorts, parts, phases, arms -----------------------------------------------------------------

COHORTS = [
    # inclusion: met when one cohort fits, not met when none does
    ("Cohort A: pancreatic NET G1 or G2. Cohort B: extensive-stage SCLC.", "inclusion", "pnet", "met"),
    ("Cohort A: pancreatic NET G1 or G2. Cohort B: extensive-stage SCLC.", "inclusion", "es", "met"),
    ("Cohort A: pancreatic NET G1 or G2. Cohort B: extensive-stage SCLC.", "inclusion", "si", "not_met"),
    ("Part 1 (dose escalation): ECOG 0-1; Part 2 (expansion): ECOG 0", "inclusion", "es", "met"),
    ("Part 1 (dose escalation): ECOG 0; Part 2 (expansion): ECOG 0", "inclusion", "es", "not_met"),
    (
        "Phase I: any advanced solid tumour. Phase II: metastatic small cell lung cancer after platinum",
        "inclusion",
        "si",
        "met",
    ),
    (
        "Treatment arms are: 1. Arm A: gastroenteropancreatic NEC 2. Arm B: lung NEC",
        "inclusion",
        "nec",
        "met",
    ),
    (
        "Expansion cohort 1: well differentiated grade 3 NET; expansion cohort 2: small cell lung cancer",
        "inclusion",
        "pnet",
        "not_met",
    ),
    # exclusion: applies only when it applies in every cohort
    ("Arm 1: prior platinum; Arm 2: prior PRRT", "exclusion", "si", "not_met"),
    ("Arm 1: prior platinum; Arm 2: prior PRRT", "exclusion", "es", "insufficient_info"),
    (
        "Group A: previous treatment with a platinum agent. Group B: previous treatment with carboplatin",
        "exclusion",
        "es",
        "met",
    ),
]


@pytest.mark.parametrize(("text", "kind", "who", "label"), COHORTS)
def test_cohorts(text: str, kind: str, who: str, label: str) -> None:
    got, reason = _label(text, kind, who)
    assert got == label, reason


def test_cohort_parts_split_and_lead_in() -> None:
    parts = cohort_parts("Part 2: have evidence of: 1. Arm A: lung NEC 2. Arm B: pancreatic NET")
    assert [p.label for p in parts] == ["Arm A", "Arm B"]
    assert parts[1].text.startswith("have evidence of: Arm B")
    assert cohort_parts("Phase II: metastatic MTC") == []  # one cohort: nothing to split
    assert cohort_parts("Patients in the expansion part must have: ECOG 0") == []


# ---- conditions ---------------------------------------------------------------------------------------

CONDITIONS = [
    (
        "At least 3 months since the last dose of platinum, among those previously treated with platinum",
        "inclusion",
        "ls",
        "not_applicable",
    ),
    (
        "If previously treated with chemoradiotherapy for limited-stage disease, treatment-free interval of "
        "at least 6 months",
        "inclusion",
        "es",
        "not_applicable",
    ),
    (
        "For patients with pancreatic primaries: progression on a somatostatin analogue",
        "inclusion",
        "si",
        "not_applicable",
    ),
    ("For patients with brain metastases: must be treated and stable", "inclusion", "pnet", "not_applicable"),
    (
        "Patients who have received prior platinum must have an ECOG performance status of 0 or 1",
        "inclusion",
        "es",
        "met",
    ),
    (
        "Patients who have received prior platinum must have an ECOG performance status of 0",
        "inclusion",
        "es",
        "not_met",
    ),
    (
        "Patients who have received prior platinum must have an ECOG performance status of 0",
        "inclusion",
        "si",
        "not_applicable",
    ),
    ("Brain metastases, if symptomatic", "exclusion", "pnet", "not_met"),
    ("Brain metastases, if symptomatic", "exclusion", "brain", "met"),
    # the condition decides whom an exclusion concerns: for anyone else it does not apply
    (
        "In patients with extensive-stage disease, prior checkpoint inhibitor therapy",
        "exclusion",
        "ls",
        "not_met",
    ),
    (
        "In patients with extensive-stage disease, prior checkpoint inhibitor therapy",
        "exclusion",
        "es",
        "met",
    ),
]


@pytest.mark.parametrize(("text", "kind", "who", "label"), CONDITIONS)
def test_conditions(text: str, kind: str, who: str, label: str) -> None:
    got, reason = _label(text, kind, who)
    assert got == label, reason


def test_condition_split_ignores_vague_ifs() -> None:
    assert condition_split("Prior radiotherapy to the chest, if any, must be completed") is None
    assert condition_split("Adequate contraception if applicable") is None
    assert condition_split("ECOG 0-1 even if bedridden earlier") is None
    # a one- or two-word "if" qualifies the finding and is read with it
    assert condition_split("Brain metastases, if untreated") is None
    assert condition_split("Prior platinum, if given for metastatic disease") == (
        "given for metastatic disease",
        "Prior platinum",
    )
    assert condition_split("Participants with known brain metastases should be excluded") is None


# ---- exceptions -----------------------------------------------------------------------------------------

EXCEPTIONS = [
    # an exclusion whose main clause does not apply stays not applying, whatever the exception says
    (
        "Symptomatic CNS metastases. Patients with treated brain lesions are eligible if stable for 4 weeks "
        "off steroids.",
        "exclusion",
        "pnet",
        "not_met",
    ),
    ("Known brain metastases, unless treated and stable", "exclusion", "si", "not_met"),
    ("Known brain metastases, unless treated and stable", "exclusion", "brain", "insufficient_info"),
    ("Prior systemic therapy, except somatostatin analogues", "exclusion", "si", "not_met"),
    ("Prior systemic therapy, except somatostatin analogues", "exclusion", "pnet", "insufficient_info"),
    ("Prior platinum chemotherapy, with the exception of adjuvant cisplatin", "exclusion", "pnet", "not_met"),
    ("Prior chemotherapy other than platinum-based regimens", "exclusion", "si", "not_met"),
    # inclusion: a widening exception cannot undo a met requirement
    ("ECOG 0-1, unless the investigator judges otherwise", "inclusion", "es", "met"),
    ("ECOG 0, unless the investigator judges otherwise", "inclusion", "es", "insufficient_info"),
    ("Age 18 or over, except for patients in the paediatric cohort", "inclusion", "pnet", "met"),
]


@pytest.mark.parametrize(("text", "kind", "who", "label"), EXCEPTIONS)
def test_exceptions(text: str, kind: str, who: str, label: str) -> None:
    got, reason = _label(text, kind, who)
    assert got == label, reason


def test_exception_split_kinds() -> None:
    exc = exception_split("Prior chemotherapy other than platinum-based regimens", "exclusion")
    assert exc is not None and exc.main == "Prior chemotherapy" and not exc.widens
    # in an inclusion "other than" narrows what is required: no split
    assert exception_split("At least one prior line other than somatostatin analogues", "inclusion") is None
    exc = exception_split("ECOG 0-1 unless due to bone pain", "inclusion")
    assert exc is not None and exc.widens


# ---- sentences, permissions -----------------------------------------------------------------------------

SENTENCES = [
    ("Metastatic disease. ECOG 0 or 1.", "inclusion", "pnet", "met"),
    ("Metastatic disease. ECOG 2.", "inclusion", "pnet", "not_met"),
    ("Small cell lung cancer. Mixed histology is not allowed.", "inclusion", "es", "met"),
    ("Known brain metastases. Prior treatment with PRRT.", "exclusion", "si", "not_met"),
    ("Known brain metastases. Prior treatment with lanreotide.", "exclusion", "pnet", "met"),
    # a permitting sentence sets no requirement, but may reopen an unmet one
    ("ECOG 0. Patients with ECOG 1 may enrol after discussion.", "inclusion", "es", "insufficient_info"),
    ("ECOG 0-1. Patients on stable steroid doses may participate.", "inclusion", "es", "met"),
    # a sentence about another group ("Patients with SCLC must ...") does not concern this case
    (
        "Metastatic disease. Patients with small cell lung cancer must have received prior platinum.",
        "inclusion",
        "si",
        "met",
    ),
    (
        "Metastatic disease. Patients with small cell lung cancer must have received prior platinum.",
        "inclusion",
        "es",
        "met",
    ),
    (
        "Metastatic disease. Patients with small cell lung cancer must have received prior PRRT.",
        "inclusion",
        "es",
        "not_met",
    ),
]


@pytest.mark.parametrize(("text", "kind", "who", "label"), SENTENCES)
def test_sentences(text: str, kind: str, who: str, label: str) -> None:
    got, reason = _label(text, kind, who)
    assert got == label, reason


def test_sentence_split_keeps_abbreviations_and_parentheses() -> None:
    assert sentences("Prior therapy (e.g. SSA. PRRT) allowed. ECOG 0-1.") == [
        "Prior therapy (e.g. SSA. PRRT) allowed.",
        "ECOG 0-1.",
    ]
    assert len(sentences("Ki-67 of 2.5 percent or more")) == 1


# ---- tumour lists naming other cancers; abbreviations; method clauses ---------------------------------

TUMOURS = [
    ("Advanced melanoma, renal cell carcinoma or neuroendocrine tumours", "inclusion", "pnet", "met"),
    ("Advanced melanoma, renal cell carcinoma or neuroendocrine tumours", "inclusion", "es", "not_met"),
    ("Non-small cell lung cancer (NSCLC) or breast cancer", "inclusion", "es", "not_met"),
    ("Soft tissue sarcoma (STS) or carcinoid tumours", "inclusion", "si", "met"),
    ("Medullary carcinoma of the thyroid or paraganglioma", "inclusion", "si", "not_met"),
    (
        "Advanced renal cell carcinoma after sunitinib, or advanced neuroendocrine tumours",
        "inclusion",
        "si",
        "met",
    ),
    # another cancer in an exclusion is a second malignancy the case does not record
    ("Acute or chronic leukaemia", "exclusion", "pnet", "insufficient_info"),
    ("History of melanoma within 5 years", "exclusion", "si", "insufficient_info"),
    ("No history of breast cancer", "inclusion", "pnet", "insufficient_info"),
    # method clauses add no condition
    ("Active brain metastases as determined by CT or MRI evaluation", "exclusion", "pnet", "not_met"),
    ("Extensive-stage SCLC (per the VALG two-stage system)", "inclusion", "es", "met"),
    ("Extensive-stage SCLC (per the VALG two-stage system)", "inclusion", "ls", "not_met"),
    ("Symptomatic central nervous system (CNS) malignancy or metastasis", "exclusion", "si", "not_met"),
]


@pytest.mark.parametrize(("text", "kind", "who", "label"), TUMOURS)
def test_tumour_lists_and_method_clauses(text: str, kind: str, who: str, label: str) -> None:
    got, reason = _label(text, kind, who)
    assert got == label, reason


def test_alternatives_split_between_clauses_only() -> None:
    assert alternatives("RCC after sunitinib, or advanced NET") == ["RCC after sunitinib", "advanced NET"]
    assert alternatives("grade 1 or grade 2") == []


# ---- layouts: bare headings, Markdown escapes, nested bullets --------------------------------------------

LAYOUTS = [
    (
        "Inclusion\n\n  - ECOG 0-1\n  - Age 18 or over\n\nExclusion\n\n  - Known brain metastases",
        ["ECOG 0-1", "Age 18 or over"],
        ["Known brain metastases"],
    ),
    ("INCLUSION:\n* grade 1 or 2\nEXCLUSION:\n* prior PRRT", ["grade 1 or 2"], ["prior PRRT"]),
    (
        "Inclusion Criteria:\n\n\\* Ki-67 \\<= 20%\n\\* ECOG 0 \\- 1\n\nExclusion Criteria:\n\n\\* Prior PRRT",
        ["Ki-67 <= 20%", "ECOG 0 - 1"],
        ["Prior PRRT"],
    ),
    (
        "Key inclusion criteria:\n1. One of the following:\n   a. pancreatic NET\n   b. lung carcinoid\n"
        "2. ECOG 0-1\nKey exclusion criteria:\n1. Prior everolimus",
        ["One of the following: pancreatic NET; lung carcinoid", "ECOG 0-1"],
        ["Prior everolimus"],
    ),
]


LAYOUTS.append(
    (
        "Inclusion Criteria:\n\nPHASE I\n\n  - ECOG 0-1\n\nPhase II:\n\n  - Small cell lung cancer",
        ["ECOG 0-1", "Small cell lung cancer"],
        [],
    )
)


@pytest.mark.parametrize(("text", "inclusion", "exclusion"), LAYOUTS)
def test_layouts(text: str, inclusion: list[str], exclusion: list[str]) -> None:
    assert split_eligibility(text) == (inclusion, exclusion)


def test_escaped_criterion_is_labelled_like_plain_text() -> None:
    inc, _ = split_eligibility("Inclusion Criteria:\n\\* Ki-67 \\<= 20%")
    assert label_criterion(inc[0], "inclusion", PNET).label == "met"


# ---- reactions to a drug never given; washouts limited to investigational or unapproved agents ----------

CAPTEM = pnet_case(prior_therapies=["octreotide LAR", "capecitabine", "temozolomide"])
TRIAL_DRUG = pnet_case(prior_therapies=["lanreotide", "ABC-123 (study drug)"])
NO_HISTORY = case("nohist", histology="well-differentiated neuroendocrine tumour", differentiation="well")
DRUG_CASES: dict[str, CaseProfile] = {
    "pnet": PNET,
    "si": SI_NET,
    "captem": CAPTEM,
    "trial": TRIAL_DRUG,
    "nohist": NO_HISTORY,
}

DRUG_KINDS = [
    ("Previous hypersensitivity reaction to octreotide", "exclusion", "si", "not_met"),
    ("Prior allergic reaction to treatment with everolimus", "exclusion", "pnet", "not_met"),
    ("History of severe infusion reaction to prior atezolizumab", "exclusion", "pnet", "not_met"),
    ("Previous hypersensitivity reaction to LAR octreotide", "exclusion", "captem", "insufficient_info"),
    # a drug of the same class was given (lanreotide for octreotide): the reaction meant may have happened
    ("Previous hypersensitivity reaction to octreotide", "exclusion", "pnet", "insufficient_info"),
    ("Prior hypersensitivity to temozolomide", "exclusion", "nohist", "insufficient_info"),
    # an allergy can exist without the drug having been given: not decided
    ("Known hypersensitivity to octreotide or its excipients", "exclusion", "si", "insufficient_info"),
    ("No previous allergic reaction to lanreotide", "inclusion", "si", "met"),
    ("Investigational agents within 28 days before the first dose", "exclusion", "captem", "not_met"),
    ("Treatment with an unapproved drug within 14 days of enrolment", "exclusion", "pnet", "not_met"),
    ("Receipt of any experimental therapy in the last 30 days", "exclusion", "trial", "insufficient_info"),
    (
        "Investigational agents within 28 days before the first dose",
        "exclusion",
        "nohist",
        "insufficient_info",
    ),
    ("No investigational drug within 4 weeks of registration", "inclusion", "captem", "met"),
    # a washout naming standard treatment as well stays about that treatment's dates
    ("Chemotherapy or investigational agents within 4 weeks", "exclusion", "captem", "insufficient_info"),
]


@pytest.mark.parametrize(("text", "kind", "who", "label"), DRUG_KINDS)
def test_reactions_and_investigational_washouts(text: str, kind: str, who: str, label: str) -> None:
    got = label_criterion(text, kind, DRUG_CASES[who])  # type: ignore[arg-type]
    assert got.label == label, got.reason


# ---- curable disease ---------------------------------------------------------------------------------

MTC_LUNG = case(
    "mtc",
    histology="medullary thyroid carcinoma",
    stage="IVC",
    metastatic_sites=["lung", "lymph nodes"],
    prior_therapies=["total thyroidectomy"],
)
CURE_CASES: dict[str, CaseProfile] = {**CASES, "mtc": MTC_LUNG}

CURABLE = [
    ("Disease potentially curable by surgery alone", "exclusion", "mtc", "not_met"),
    ("Disease potentially curable by surgery alone", "exclusion", "es", "not_met"),
    ("Disease potentially curable by surgery alone", "exclusion", "ls", "insufficient_info"),
    # liver-only or mesenteric spread of a NET may still be resected with curative intent
    ("Disease potentially curable by surgery alone", "exclusion", "pnet", "insufficient_info"),
    ("Disease potentially curable by surgery alone", "exclusion", "si", "insufficient_info"),
    ("Solid tumour for which no curative treatment exists", "inclusion", "mtc", "met"),
    ("Solid tumour for which standard curative measures do not exist", "inclusion", "es", "met"),
    (
        "Solid tumour for which standard curative measures do not exist",
        "inclusion",
        "pnet",
        "insufficient_info",
    ),
    ("Candidates for curative resection", "exclusion", "brain", "not_met"),
    ("Incurable metastatic disease", "inclusion", "es", "met"),
    ("Incurable metastatic disease", "inclusion", "pnet", "insufficient_info"),
    ("Disease that is not curable with surgery", "inclusion", "mtc", "met"),
    ("Metastatic pancreatic NEC not amenable to curative therapy", "inclusion", "nec", "met"),
]


@pytest.mark.parametrize(("text", "kind", "who", "label"), CURABLE)
def test_curable_disease(text: str, kind: str, who: str, label: str) -> None:
    got = label_criterion(text, kind, CURE_CASES[who])  # type: ignore[arg-type]
    assert got.label == label, got.reason


# ---- "one of the following"; "... are ineligible" written under exclusions --------------------------

ONE_OF = [
    (
        "Diagnosis of one of the following: advanced solid tumour; small cell lung cancer",
        "inclusion",
        "pnet",
        "met",
    ),
    ("Diagnosis of one of the following: small cell lung cancer; lung NEC", "inclusion", "pnet", "not_met"),
    ("Diagnosis of 1 of the following: small cell lung cancer; pancreatic NET", "inclusion", "pnet", "met"),
    ("Prior treatment with one of the following: everolimus; sunitinib; PRRT", "exclusion", "si", "not_met"),
    ("Prior treatment with one of the following: everolimus; lanreotide", "exclusion", "pnet", "met"),
    ("Any of the following: known brain metastases; prior PRRT", "exclusion", "brain", "met"),
    (
        "Patients with CNS metastases or a history of CNS metastases are ineligible",
        "exclusion",
        "pnet",
        "not_met",
    ),
    (
        "Patients with CNS metastases or a history of CNS metastases are ineligible",
        "exclusion",
        "brain",
        "met",
    ),
    ("Patients with CNS metastases are not eligible", "inclusion", "pnet", "met"),
    ("Patients with CNS metastases are not eligible", "inclusion", "brain", "not_met"),
]


@pytest.mark.parametrize(("text", "kind", "who", "label"), ONE_OF)
def test_one_of_and_ineligible_tails(text: str, kind: str, who: str, label: str) -> None:
    got, reason = _label(text, kind, who)
    assert got == label, reason


def test_one_of_items_keep_their_head() -> None:
    assert one_of("Prior treatment with one of the following: everolimus; sunitinib") == [
        "Prior treatment with everolimus",
        "Prior treatment with sunitinib",
    ]
    assert one_of("All of the following: ECOG 0-1; age 18 or over") == []


# ---- a tumour name no "or" touches decides an inclusion ----------------------------------------------

TUMOUR_CONJUNCT = [
    (
        "Medullary thyroid carcinoma, unresectable (stage IV) or metastatic, with measurable disease",
        "pnet",
        "not_met",
    ),
    ("Small cell lung cancer that is recurrent or refractory, ECOG 0-2", "pnet", "not_met"),
    ("Pancreatic NET, locally advanced or metastatic, ECOG 0 or 1", "es", "not_met"),
    (
        "Pancreatic NET, locally advanced or metastatic, with progression or new lesions",
        "es",
        "insufficient_info",
    ),
    # an "or" touching the tumour name keeps the alternative open
    ("Small cell lung cancer or ECOG 0", "pnet", "insufficient_info"),
    ("SCLC or pancreatic NET, recurrent or metastatic", "pnet", "met"),
    ("Merkel cell carcinoma, stage III or IV", "pnet", "not_met"),
    ("Medullary thyroid carcinoma, unresectable (stage IV) or metastatic", "mtc", "met"),
]


@pytest.mark.parametrize(("text", "who", "label"), TUMOUR_CONJUNCT)
def test_tumour_name_as_conjunct(text: str, who: str, label: str) -> None:
    got = label_criterion(text, "inclusion", CURE_CASES[who])
    assert got.label == label, got.reason


# ---- "no standard / effective therapy exists" ----------------------------------------------------------

AFTER_ALL = pnet_case(
    stage="IV",
    metastatic_sites=["liver"],
    prior_therapies=[
        "lanreotide",
        "everolimus",
        "sunitinib",
        "lutetium Lu 177 dotatate",
        "capecitabine",
        "temozolomide",
    ],
)
OPTION_CASES: dict[str, CaseProfile] = {**CURE_CASES, "after_all": AFTER_ALL}

NO_STANDARD = [
    ("Advanced solid tumour for which no standard therapy exists", "pnet", "not_met"),
    ("Advanced solid tumour for which no proven effective treatment is available", "si", "not_met"),
    ("Metastatic cancer with no further standard treatment options", "es", "not_met"),
    (
        "Solid tumour for which standard therapy does not exist",
        "nec",
        "insufficient_info",
    ),  # NEC after platinum
    ("Advanced solid tumour for which no standard therapy exists", "after_all", "insufficient_info"),
    ("Advanced solid tumour for which no standard therapy exists", "mtc", "insufficient_info"),  # not tabled
    # "refractory to standard therapy" is about progression, not about whether options exist
    ("Refractory to standard therapy", "pnet", "insufficient_info"),
    ("Standard treatment options have been exhausted", "si", "not_met"),
]


@pytest.mark.parametrize(("text", "who", "label"), NO_STANDARD)
def test_no_standard_therapy(text: str, who: str, label: str) -> None:
    got = label_criterion(text, "inclusion", OPTION_CASES[who])
    assert got.label == label, got.reason


# ---- "a prior regimen that did not contain X" needs a prior regimen ----------------------------------------

WITHOUT = [
    ("Prior regimen that did not contain a platinum agent", "exclusion", "si", "not_met"),
    ("Prior chemotherapy without platinum", "exclusion", "si", "not_met"),
    ("Prior regimen that did not contain a platinum agent", "exclusion", "es", "not_met"),
    ("Prior regimen that did not contain a platinum agent", "exclusion", "pnet", "insufficient_info"),
]


@pytest.mark.parametrize(("text", "kind", "who", "label"), WITHOUT)
def test_regimen_without_a_drug(text: str, kind: str, who: str, label: str) -> None:
    got, reason = _label(text, kind, who)
    assert got == label, reason
