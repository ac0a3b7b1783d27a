"""Finding `label`: what a finding means for the patient, beside the contract `status`; the patient view
shows plain labels and no rule ids or machine reasons (those stay in the clinician view and JSON)."""

from __future__ import annotations

from typing import Any

import pytest

from netnav.cli.assess import render_text
from netnav.rules import assess
from netnav.types.assessment import FINDING_LABEL_WORDS, Finding
from tests.rules.rules_helpers import make_case


def finding(rule: str, **values: Any) -> Finding:
    found = [f for f in assess(make_case(**values), audience="patient").findings if f.rule_id == rule]
    assert found, f"{rule} gave no finding"
    return found[0]


@pytest.mark.parametrize(
    ("rule", "values", "status", "label"),
    [
        (
            "risk-lvi-pni.v1",
            {"lymphovascular_invasion": False, "perineural_invasion": False},
            "not_met",
            "reassuring",
        ),
        (
            "risk-lvi-pni.v1",
            {"lymphovascular_invasion": True, "perineural_invasion": False},
            "met",
            "applies",
        ),
        ("risk-lvi-pni.v1", {"lymphovascular_invasion": False}, "unknown", "unknown"),
        ("risk-ki67.v1", {"ki67_percent": "<1", "differentiation": "well"}, "not_met", "reassuring"),
        ("risk-ki67.v1", {"ki67_percent": 25, "differentiation": "well"}, "met", "applies"),
        ("risk-nodes.v1", {"nodes_positive": 0}, "not_met", "reassuring"),
        ("risk-nodes.v1", {"nodes_positive": 3}, "met", "applies"),
    ],
)
def test_label_beside_status(rule: str, values: dict[str, Any], status: str, label: str) -> None:
    got = finding(rule, **values)
    assert (got.status, got.label) == (status, label)


def test_every_finding_has_a_label_consistent_with_status() -> None:
    case = make_case(
        primary_site="pancreas", differentiation="well", ki67_percent=8, tumor_size_cm=1.5, nodes_positive=0
    )
    for f in assess(case).findings:
        assert f.label in FINDING_LABEL_WORDS
        assert (f.status == "unknown") == (f.label == "unknown")
        assert f.status != "met" or f.label in ("applies", "reassuring")


def test_patient_text_has_plain_labels_and_no_rule_ids() -> None:
    case = make_case(
        lymphovascular_invasion=False, perineural_invasion=False, ki67_percent=2, differentiation="well"
    )
    patient = render_text(assess(case, audience="patient"), "patient")
    clinician = render_text(assess(case, audience="clinician"), "clinician")
    assert "[reassuring]" in patient and "[not known yet: ask about it]" in patient
    assert "rule " not in patient and "NOT MET" not in patient and ".v1" not in patient
    assert "rule risk-lvi-pni.v1" in clinician and "NOT MET" in clinician


WELL_PNET: dict[str, Any] = {
    "primary_site": "pancreas",
    "histology": "well-differentiated neuroendocrine tumor",
    "differentiation": "well",
}


@pytest.mark.parametrize(
    ("rule", "values", "label"),
    [  # binary rules decided "not met" whose absence of the risk is good news
        ("risk-differentiation.v1", {}, "reassuring"),
        ("risk-extrahepatic-metastases.v1", {"metastatic_sites": ["liver"]}, "reassuring"),
        ("risk-liver-metastases.v1", {"metastatic_sites": ["lymph node"]}, "reassuring"),
        ("risk-size-pancreas.v1", {"tumor_size_cm": 1.4}, "reassuring"),
        ("grade-discordance.v1", {"grade": "G2", "ki67_percent": 12, "mitoses_per_2mm2": 3}, "reassuring"),
        ("risk-daxx-atrx.v1", {"gene_alterations": ["MEN1"]}, "reassuring"),
        # and those that are not good news keep their default
        ("risk-size-pancreas.v1", {"tumor_size_cm": 3.1}, "applies"),
        ("grade-discordance.v1", {"grade": "G1", "ki67_percent": 12}, "applies"),
    ],
)
def test_binary_not_met_reassuring(rule: str, values: dict[str, Any], label: str) -> None:
    assert finding(rule, **WELL_PNET, **values).label == label


def test_patient_view_names_fields_in_plain_words() -> None:
    case = make_case(**WELL_PNET, grade="G2", ki67_percent=15)
    patient = render_text(assess(case, audience="patient"), "patient")
    assert "Ki-67 index" in patient and "tumour size" in patient
    for machine in ("ki67 percent", "tumor size cm", "mitoses per 2mm2", "_percent", "sstr status"):
        assert machine not in patient


@pytest.mark.parametrize(("ki67", "mitoses"), [(None, 1), (None, 4), (2, None), (None, "<2")])
def test_grade_from_one_index_states_each_unit_once(ki67: Any, mitoses: Any) -> None:
    values = {k: v for k, v in (("ki67_percent", ki67), ("mitoses_per_2mm2", mitoses)) if v is not None}
    for audience in ("patient", "clinician"):
        case = make_case(**WELL_PNET, **values)
        grade = next(f for f in assess(case, audience=audience).findings if f.rule_id == "who-gep-grade.v1")
        assert grade.status == "met"
        assert "mm²/2 mm²" not in grade.statement and "mm² per 2 mm²" not in grade.statement
        assert ("by Ki-67" in grade.statement) == (ki67 is not None)
