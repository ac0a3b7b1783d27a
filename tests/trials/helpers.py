"""Synthetic CaseProfiles for trial-matching tests (values invented for the tests)."""

from __future__ import annotations

from netnav.types.case import CaseProfile, FieldData, FieldValue


def case(case_id: str, **values: FieldData) -> CaseProfile:
    fields = {
        name: FieldValue(value=value, text=f"{name}: {value}", source=f"{case_id}.txt", line=n)
        for n, (name, value) in enumerate(values.items(), 1)
    }
    return CaseProfile(case_id=case_id, fields=fields)


def nec_case(**extra: FieldData) -> CaseProfile:
    """High-grade extrapulmonary (pancreatic) NEC after platinum/etoposide."""
    values: dict[str, FieldData] = {
        "primary_site": "pancreas",
        "histology": "large cell neuroendocrine carcinoma",
        "differentiation": "poorly",
        "grade": "G3",
        "ki67_percent": 70.0,
        "prior_therapies": ["carboplatin", "etoposide"],
        "ecog": 1,
        "age": 62,
        "sex": "M",
    }
    values.update(extra)
    return case("nec", **values)


def pnet_case(**extra: FieldData) -> CaseProfile:
    """Well-differentiated pancreatic NET G2, SSTR-positive, on lanreotide."""
    values: dict[str, FieldData] = {
        "primary_site": "pancreas",
        "histology": "well-differentiated neuroendocrine tumour",
        "differentiation": "well",
        "grade": "G2",
        "ki67_percent": 8.0,
        "sstr_status": "positive",
        "prior_therapies": ["lanreotide"],
        "ecog": 0,
        "age": 55,
        "sex": "F",
    }
    values.update(extra)
    return case("pnet", **values)


def sclc_case(**extra: FieldData) -> CaseProfile:
    """Extensive-stage SCLC after carboplatin/etoposide/atezolizumab."""
    values: dict[str, FieldData] = {
        "primary_site": "lung",
        "histology": "small cell carcinoma",
        "stage": "extensive stage",
        "prior_therapies": ["carboplatin", "etoposide", "atezolizumab"],
        "ecog": 1,
        "age": 67,
        "sex": "M",
    }
    values.update(extra)
    return case("sclc", **values)
