"""Property tests: any case (random fields, comparators, ranges, junk strings) assesses without error, and every
finding keeps the contract (unknown ⇔ missing inputs named; missing ⊆ inputs; citations resolvable)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from netnav.rules import assess, personal_sentences
from tests.rules.rules_helpers import make_case

numbers = st.one_of(
    st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 1)),
    st.integers(min_value=0, max_value=100),
    st.sampled_from(["<1", ">50", "3-5", "2-4", "approximately 20", "20.1", "n/a", ""]),
)
words = st.sampled_from(
    ["pancreas", "ileum", "appendix", "rectum", "lung", "thymus", "stomach", "skin", "colon", "unknown", ""]
)
FIELDS: dict[str, Any] = {
    "primary_site": words,
    "histology": st.sampled_from(
        [
            "well-differentiated neuroendocrine tumor",
            "small cell carcinoma",
            "large cell neuroendocrine carcinoma",
            "Merkel cell carcinoma",
            "MiNEN",
            "typical carcinoid",
            "atypical carcinoid",
            "adenocarcinoma",
        ]
    ),
    "differentiation": st.sampled_from(["well", "poorly", "moderately"]),
    "grade": st.sampled_from(["G1", "G2", "G3", "grade 2"]),
    "ki67_percent": numbers,
    "mitoses_per_2mm2": numbers,
    "tumor_size_cm": numbers,
    "tmb_mut_per_mb": numbers,
    "necrosis": st.sampled_from([True, False, "present", "focal"]),
    "lymphovascular_invasion": st.booleans(),
    "perineural_invasion": st.booleans(),
    "nodes_positive": st.integers(min_value=0, max_value=20),
    "pN": st.sampled_from(["pN0", "pN1", "Nx"]),
    "metastatic_sites": st.lists(st.sampled_from(["liver", "bone", "lung", "peritoneum"]), max_size=3),
    "functional_syndrome": st.sampled_from(["carcinoid syndrome", "non-functioning", "insulinoma"]),
    "sstr_status": st.sampled_from(["positive", "negative", "equivocal"]),
    "msi_status": st.sampled_from(["MSI-H", "MSS", "MSI-L"]),
    "mmr_status": st.sampled_from(["dMMR", "pMMR"]),
    "gene_alterations": st.lists(
        st.sampled_from(["TP53", "RB1", "DAXX", "ATRX", "MEN1", "KRAS"]), max_size=3
    ),
    "prior_therapies": st.lists(
        st.sampled_from(["lanreotide", "carboplatin", "etoposide", "atezolizumab", "everolimus"]), max_size=3
    ),
    "stage": st.sampled_from(["limited stage", "extensive stage", "IV", "IIIA"]),
}
cases = st.fixed_dictionaries({}, optional=FIELDS)


@settings(max_examples=150, deadline=None)
@given(values=cases, audience=st.sampled_from(["patient", "clinician"]))
def test_any_case_keeps_the_contract(values: dict[str, Any], audience: str) -> None:
    case = make_case(**values)
    assessment = assess(case, audience)
    numbers_cited = {c.n for c in assessment.citations}
    for f in assessment.findings:
        assert f.inputs and f.citations and set(f.citations) <= numbers_cited
        assert "{" not in f.statement
        if f.status == "unknown":
            assert f.missing and set(f.missing) <= set(f.inputs)
        else:
            assert not f.missing
    for text, cites in personal_sentences(assessment):
        assert text and cites
