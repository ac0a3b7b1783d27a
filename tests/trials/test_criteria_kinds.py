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
from netnav.types.therapy import TherapyLine
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


OLD_PNET = pnet_case(age=80, ecog=2, functional_syndrome="non-functioning")
SI_NET = case(
    "sinet",
    primary_site="ileum",
    histology="well-differentiated neuroendocrine tumour",
    differentiation="well",
    grade="G1",
    functional_syndrome="carcinoid syndrome",
    prior_therapies=[],
)
MTC = case(
    "mtc",
    primary_site="thyroid",
    histology="medullary thyroid carcinoma",
    stage="IVC",
    gene_alterations=["RET M918T"],
    prior_therapies=["total thyroidectomy"],
)
PGL = case("pgl", histology="paraganglioma", gene_alterations=["SDHB germline mutation"], prior_therapies=[])
LCNEC = nec_case(primary_site="lung", pdl1_tps_percent=5.0)
MORE = {"old_pnet": OLD_PNET, "si_net": SI_NET, "mtc": MTC, "pgl": PGL, "lcnec": LCNEC, **CASES}


@pytest.mark.parametrize(
    ("text", "who", "label"),
    [
        ("Pulmonary carcinoid (typical or atypical)", "pnet", "not_met"),
        ("Bronchial carcinoid tumour", "pnet", "not_met"),
        ("Neuroendocrine tumour of the lung or thymus", "pnet", "not_met"),
        ("Neuroendocrine tumors arising in the pancreas or small bowel", "pnet", "met"),
        ("Neuroendocrine tumors arising in the pancreas or small bowel", "si_net", "met"),
        ("Advanced NET of midgut origin", "pnet", "not_met"),
        ("Neuroendocrine carcinoma of gastroenteropancreatic origin or unknown primary", "chemo", "met"),
        (
            "Well-differentiated neuroendocrine tumour of pancreatic, gastrointestinal or lung origin",
            "pnet",
            "met",
        ),
        (
            "Well-differentiated neuroendocrine tumour of pancreatic, gastrointestinal or lung origin",
            "sclc",
            "not_met",
        ),
        ("Small cell carcinoma of the lung", "sclc", "met"),
    ],
)
def test_site_families(text: str, who: str, label: str) -> None:
    got = label_criterion(text, "inclusion", MORE[who])
    assert got.label == label, got.reason


@pytest.mark.parametrize(
    ("text", "who", "label"),
    [
        ("Karnofsky Performance Score of at least 60", "old_pnet", "insufficient_info"),  # ECOG 2 ~ KPS 50-60
        ("Karnofsky performance status ≥ 70%", "old_pnet", "not_met"),
        ("WHO performance status 0-1", "old_pnet", "not_met"),
        ("ECOG PS ≤ 1", "sclc", "met"),
        ("Over the age of 18", "old_pnet", "met"),
        ("Aged 18 to 75 years", "old_pnet", "not_met"),
        ("Age ≥ 18 years at the time of signing informed consent", "old_pnet", "met"),
        ("Age between 18 and 70 years inclusive", "pnet", "met"),
        # an imaging modality naming how a finding is shown is not an imaging requirement
        ("Somatostatin receptor positive disease on Ga-68 DOTATATE PET", "pnet", "met"),
        (
            "CT or MRI of the chest, abdomen and pelvis within 28 days before enrolment",
            "pnet",
            "insufficient_info",
        ),
    ],
)
def test_performance_age_and_imaging_wording(text: str, who: str, label: str) -> None:
    got = label_criterion(text, "inclusion", MORE[who])
    assert got.label == label, got.reason


@pytest.mark.parametrize(
    ("text", "kind", "who", "label"),
    [
        ("Germline SDHB mutation", "inclusion", "pgl", "met"),
        ("Germline SDHx mutation", "inclusion", "pgl", "met"),
        ("RET-mutant medullary thyroid cancer", "inclusion", "mtc", "met"),
        ("Documented RET mutation (germline or somatic)", "inclusion", "mtc", "met"),
        ("Germline RET mutation", "inclusion", "mtc", "insufficient_info"),  # origin not recorded
        ("Known BRAF V600E mutation", "inclusion", "mtc", "insufficient_info"),  # untested is not negative
        ("Tumour without a RET alteration", "inclusion", "mtc", "not_met"),
        ("PD-L1 TPS ≥ 1%", "inclusion", "lcnec", "met"),
        ("PD-L1 tumour proportion score of at least 50%", "inclusion", "lcnec", "not_met"),
        ("Carcinoid syndrome with diarrhoea", "inclusion", "si_net", "met"),
        ("Carcinoid syndrome with diarrhoea", "inclusion", "old_pnet", "not_met"),
        ("Non-functioning pancreatic neuroendocrine tumour", "inclusion", "old_pnet", "met"),
        ("Non-functioning neuroendocrine tumour", "inclusion", "si_net", "not_met"),
        ("Functional pancreatic NET with uncontrolled hormonal syndrome", "exclusion", "old_pnet", "not_met"),
        ("Adequate liver function", "inclusion", "si_net", "insufficient_info"),
    ],
)
def test_genes_pdl1_and_functional_syndrome(text: str, kind: str, who: str, label: str) -> None:
    got = label_criterion(text, kind, MORE[who])  # type: ignore[arg-type]
    assert got.label == label, got.reason


@pytest.mark.parametrize(
    ("text", "who", "label"),
    [
        ("Prior treatment with temozolomide", "pnet", "not_met"),
        ("Prior treatment with a selective RET inhibitor (selpercatinib or pralsetinib)", "mtc", "not_met"),
        ("Prior treatment with vandetanib or cabozantinib", "mtc", "not_met"),
        # every drug named counts, not only the first
        ("Prior treatment with vandetanib or cabozantinib", "cabo", "met"),
        ("Prior systemic anti-cancer therapy for MTC", "mtc", "not_met"),
        ("Prior systemic anti-cancer therapy", "pnet", "met"),
        ("Prior treatment with lutetium-177 DOTATATE or other PRRT", "si_net", "not_met"),
        # an exception is not the exclusion itself
        ("Any prior therapy other than somatostatin analogues", "pnet", "insufficient_info"),
        ("Prior chemotherapy except adjuvant fluorouracil", "chemo", "insufficient_info"),
        # a drug given as an example does not narrow its class
        ("Previous exposure to an anti-PD-1 antibody such as nivolumab", "pembro", "met"),
        ("Previous exposure to an anti-PD-1 antibody such as nivolumab", "untreated", "not_met"),
    ],
)
def test_named_drugs_and_exceptions(text: str, who: str, label: str) -> None:
    profiles = {
        **MORE,
        "cabo": case("cabo", histology="medullary thyroid carcinoma", prior_therapies=["cabozantinib"]),
        "pembro": sclc_case(prior_therapies=["carboplatin", "etoposide", "pembrolizumab"]),
    }
    got = label_criterion(text, "exclusion", profiles[who])
    assert got.label == label, got.reason


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("No prior systemic therapy for SCLC", "untreated"),
        ("Limited-stage small cell lung cancer", "untreated"),
        ("No prior platinum-based chemotherapy", "pnet"),
    ],
)
def test_negated_criteria_reasons_do_not_contradict(text: str, who: str) -> None:
    got = label_criterion(text, "inclusion", MORE[who])
    assert got.label == "met", got.reason
    assert "required: not" in got.reason or "required not" in got.reason or "no " in got.reason, got.reason


def _with_lines(base: CaseProfile, *lines: tuple[str, list[str], bool | None]) -> CaseProfile:
    therapy = [
        TherapyLine(
            agent=agent, drugs=drugs, progressed=progressed, text=f"{agent} line", source="hx.txt", line=n
        )
        for n, (agent, drugs, progressed) in enumerate(lines, 1)
    ]
    return base.model_copy(update={"therapy_lines": therapy})


PNET_BASE = case(
    "pnetlines", primary_site="pancreas", histology="well-differentiated neuroendocrine tumour", grade="G2"
)
PROGRESSED_SSA = _with_lines(PNET_BASE, ("lanreotide", ["lanreotide"], True))
SSA_NO_PROGRESSION = _with_lines(PNET_BASE, ("lanreotide", ["lanreotide"], None))
PROGRESSED_CAPTEM = _with_lines(
    PNET_BASE,
    ("lanreotide", ["lanreotide"], None),
    ("CAPTEM", ["capecitabine", "temozolomide"], True),
)


@pytest.mark.parametrize(
    ("text", "profile", "label"),
    [
        ("Documented disease progression on a somatostatin analogue", PROGRESSED_SSA, "met"),
        # an SSA given without documented progression is not a failed SSA
        (
            "Documented disease progression on a somatostatin analogue",
            SSA_NO_PROGRESSION,
            "insufficient_info",
        ),
        # progression on CAPTEM is not progression on the SSA
        ("Documented disease progression on a somatostatin analogue", PROGRESSED_CAPTEM, "insufficient_info"),
        ("Radiological disease progression on or after temozolomide", PROGRESSED_CAPTEM, "met"),
        ("Radiological disease progression on or after temozolomide", PROGRESSED_SSA, "not_met"),
        ("Radiologically documented progressive disease", PROGRESSED_CAPTEM, "met"),
        # the window is not checked against dates: unknown
        ("Disease progression within 6 months before enrolment", PROGRESSED_CAPTEM, "insufficient_info"),
        ("Radiologically documented progressive disease", pnet_case(), "insufficient_info"),
    ],
)
def test_documented_progression_from_therapy_lines(text: str, profile: CaseProfile, label: str) -> None:
    got = label_criterion(text, "inclusion", profile)
    assert got.label == label, got.reason


@pytest.mark.parametrize(
    ("text", "kind", "who", "label"),
    [
        # an abbreviation in brackets does not hide the finding
        ("Active central nervous system (CNS) metastases on MRI", "exclusion", "pnet_liver", "not_met"),
        ("Untreated central nervous system (CNS) metastases", "exclusion", "brain", "insufficient_info"),
        # words of an explanatory clause are no condition of their own
        (
            "Known brain metastases, because of their poor outlook and because they confound neurological "
            "assessment of adverse events",
            "exclusion",
            "pnet_liver",
            "not_met",
        ),
        (
            "Pregnant or breastfeeding women, because of the possible harm of radiation to the fetus or infant",
            "exclusion",
            "sclc",
            "not_applicable",  # a man: the exclusion does not concern him
        ),
        # the untreated patient had no drug of any class, named or not
        (
            "Prior treatment with OX40 agonists or other immune checkpoint antibodies",
            "exclusion",
            "untreated",
            "not_met",
        ),
        (
            "Prior treatment with OX40 agonists or other immune checkpoint antibodies",
            "exclusion",
            "chemo",
            "not_met",
        ),
        # "14 or 21 days" is a washout period
        (
            "An unapproved drug within 14 or 21 days of the first study dose",
            "exclusion",
            "untreated",
            "not_met",
        ),
        # hormonal therapy is a therapy, not a hormonal syndrome
        (
            "All earlier cancer therapy, hormonal therapy included, stopped at least 3 weeks before enrolment",
            "inclusion",
            "untreated",
            "met",
        ),
        # a site phrase inside a tumour name is part of it ("small cell carcinoma of the lung")
        ("Merkel cell carcinoma or small cell carcinoma of the lung", "inclusion", "merkel", "met"),
    ],
)
def test_wording_kinds(text: str, kind: str, who: str, label: str) -> None:
    profiles = {
        **MORE,
        "pnet_liver": pnet_case(metastatic_sites=["liver"]),
        "brain": pnet_case(metastatic_sites=["brain"]),
        "merkel": case("merkel", histology="Merkel cell carcinoma", primary_site="skin"),
    }
    got = label_criterion(text, kind, profiles[who])  # type: ignore[arg-type]
    assert got.label == label, got.reason


@pytest.mark.parametrize(
    ("text", "who", "label"),
    [
        # a drug the patient is to receive, or must not have had, is not a prior drug
        (
            "Progression after prior first-line chemotherapy and fit to receive irinotecan",
            "sclc",
            "insufficient_info",
        ),
        # "must not have contained X": X is negated, not required
        ("Prior platinum doublet; the prior regimen must not have contained topotecan", "topo", "not_met"),
        ("Prior platinum doublet; the prior regimen must not have contained topotecan", "sclc", "met"),
        ("Prior treatment with a selective RET inhibitor (selpercatinib or pralsetinib)", "mtc", "not_met"),
    ],
)
def test_named_drug_lead_does_not_cross_clauses(text: str, who: str, label: str) -> None:
    profiles = {**MORE, "topo": sclc_case(prior_therapies=["carboplatin", "etoposide", "topotecan"])}
    kind = "inclusion" if "Progression" in text or "doublet" in text else "exclusion"
    got = label_criterion(text, kind, profiles[who])  # type: ignore[arg-type]
    assert got.label == label, got.reason
