"""Rules a specialist expects, table-driven: DLL3 outside SCLC (trials, not tarlatamab's approval), PD-L1 not
predictive in well-differentiated NET, grade from one index stated as such."""

from __future__ import annotations

from typing import Any

import pytest

from netnav.rules import assess
from tests.rules.rules_helpers import make_case

LCNEC: dict[str, Any] = {
    "primary_site": "lung",
    "histology": "large cell neuroendocrine carcinoma",
    "differentiation": "poorly",
}
GEP_NEC: dict[str, Any] = {
    "primary_site": "pancreas",
    "histology": "neuroendocrine carcinoma",
    "differentiation": "poorly",
}
SCLC: dict[str, Any] = {
    "primary_site": "lung",
    "histology": "small cell carcinoma",
    "differentiation": "poorly",
}
PNET: dict[str, Any] = {"primary_site": "pancreas", "differentiation": "well", "ki67_percent": 5}


def status(rule: str, **values: Any) -> str | None:
    found = [f for f in assess(make_case(**values), audience="clinician").findings if f.rule_id == rule]
    return found[0].status if found else None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({**LCNEC, "dll3_status": "high"}, "met"),
        ({**LCNEC, "dll3_status": "positive (70%)"}, "met"),
        ({**GEP_NEC, "dll3_status": "DLL3 positive"}, "met"),
        ({**GEP_NEC, "dll3_status": "negative"}, "not_met"),
        ({**GEP_NEC}, "unknown"),
        ({**SCLC, "dll3_status": "positive"}, None),  # SCLC: the tarlatamab rule speaks, not this one
        ({**PNET, "dll3_status": "positive"}, None),  # a well-differentiated NET is out of scope
    ],
)
def test_dll3_beyond_sclc(values: dict[str, Any], expected: str | None) -> None:
    assert status("io-dll3-beyond-sclc.v1", **values) == expected


def test_dll3_statement_names_trials_not_the_approval() -> None:
    case = make_case(**LCNEC, dll3_status="high")
    finding = next(
        f for f in assess(case, audience="patient").findings if f.rule_id == "io-dll3-beyond-sclc.v1"
    )
    assert "only for small cell lung cancer" in finding.statement and "trials" in finding.statement


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({**PNET, "pdl1_cps": 10}, "met"),
        ({**PNET, "pdl1_tps_percent": 50}, "met"),
        ({**PNET}, None),  # no PD-L1 result: nothing to say
        ({**GEP_NEC, "pdl1_cps": 10}, None),  # poorly differentiated: out of scope
    ],
)
def test_pdl1_not_predictive_in_well_differentiated_net(values: dict[str, Any], expected: str | None) -> None:
    assert status("io-pdl1-net.v1", **values) == expected


def _with_specimen(specimen: str | None, **values: Any) -> Any:
    case = make_case(**values)
    fv = case.fields["tmb_mut_per_mb"].model_copy(update={"specimen": specimen})
    return case.model_copy(update={"fields": {**case.fields, "tmb_mut_per_mb": fv}})


@pytest.mark.parametrize(
    ("specimen", "tmb", "status", "label"),
    [
        ("blood", 14, "unknown", "unknown"),  # liquid biopsy: not the tissue TMB of the approval
        ("tissue", 14, "met", "applies"),
        (None, 14, "met", "applies"),  # specimen not stated: read as the report gives it
        ("blood", 4, "unknown", "unknown"),
    ],
)
def test_blood_tmb_is_not_tissue_tmb(specimen: str | None, tmb: float, status: str, label: str) -> None:
    case = _with_specimen(specimen, primary_site="pancreas", differentiation="well", tmb_mut_per_mb=tmb)
    found = next(f for f in assess(case).findings if f.rule_id == "io-tmb-high-pembrolizumab.v1")
    assert (found.status, found.label) == (status, label)
    if specimen == "blood" and tmb >= 10:
        assert "blood" in found.statement and "tissue" in found.statement


def _msi_with_specimen(specimen: str | None, **values: Any) -> Any:
    case = make_case(**values)
    fv = case.fields["msi_status"].model_copy(update={"specimen": specimen})
    return case.model_copy(update={"fields": {**case.fields, "msi_status": fv}})


@pytest.mark.parametrize(
    ("specimen", "extra", "msi", "status"),
    [
        (
            "blood",
            {},
            "MSS",
            "unknown",
        ),  # a plasma test that finds no MSI-H does not exclude it in the tumour
        ("blood", {}, "MSI-H", "unknown"),  # the approval rests on tumour-tissue testing
        ("tissue", {}, "MSS", "not_met"),
        (None, {}, "MSS", "not_met"),  # specimen not stated: read as the report gives it
        ("tissue", {}, "MSI-H", "met"),
        ("blood", {"mmr_status": "pMMR"}, "MSS", "not_met"),  # tissue MMR immunohistochemistry still decides
        ("blood", {"mmr_status": "dMMR"}, "MSS", "met"),
    ],
)
def test_blood_msi_is_not_tissue_msi(
    specimen: str | None, extra: dict[str, Any], msi: str, status: str
) -> None:
    case = _msi_with_specimen(
        specimen, primary_site="pancreas", differentiation="well", msi_status=msi, **extra
    )
    found = next(f for f in assess(case).findings if f.rule_id == "io-msi-dmmr-pembrolizumab.v1")
    assert found.status == status
    if status == "unknown":
        assert "blood" in found.statement and "tissue" in found.statement
