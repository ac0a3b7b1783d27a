"""Table-driven threshold edges: every boundary named in issue 5, and missing inputs → unknown."""

from __future__ import annotations

from typing import Any

import pytest

from netnav.rules import evaluate_rule, load_rules
from netnav.rules.schema import Rule
from tests.rules.rules_helpers import make_case

PANCREAS: dict[str, Any] = {"primary_site": "pancreas", "differentiation": "well"}
LUNG = {"primary_site": "lung"}
SCLC = {"primary_site": "lung", "histology": "small cell lung carcinoma", "differentiation": "poorly"}
EPNEC = {
    "primary_site": "colon",
    "differentiation": "poorly",
    "histology": "large cell neuroendocrine carcinoma",
}


def rule(rule_id: str) -> Rule:
    return next(r for r in load_rules() if r.id == rule_id)


def outcome(rule_id: str, **values: Any) -> tuple[str, str | None, tuple[str, ...]]:
    result = evaluate_rule(rule(rule_id), make_case(**values))
    assert result is not None, f"{rule_id} did not apply"
    return result.status, (result.outcome.label if result.outcome else None), result.missing


# (rule, case values, expected status, expected outcome label or None)
CASES: list[tuple[str, dict[str, Any], str, str | None]] = [
    # WHO GEP grade: Ki-67 2.9 / 3 / 20 / 20.1, mitoses 2 / 20 / 21; the higher decides
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 2.9, "mitoses_per_2mm2": 1}, "met", "G1"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 3, "mitoses_per_2mm2": 1}, "met", "G2"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 20, "mitoses_per_2mm2": 1}, "met", "G2"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 20.1, "mitoses_per_2mm2": 1}, "met", "G3"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 1, "mitoses_per_2mm2": 2}, "met", "G2"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 1, "mitoses_per_2mm2": 20}, "met", "G2"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 1, "mitoses_per_2mm2": 21}, "met", "G3"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 1.9, "mitoses_per_2mm2": 1.9}, "met", "G1"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 25, "mitoses_per_2mm2": 1}, "met", "G3"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": "<1", "mitoses_per_2mm2": "<1"}, "met", "G1"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": ">50"}, "met", "G3"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": "3-5", "mitoses_per_2mm2": 0}, "met", "G2"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": "2-4", "mitoses_per_2mm2": 0}, "unknown", None),
    # one index missing: graded by the other, and said so
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 15}, "met", "G2 by Ki-67 (mitoses not reported)"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": "<1"}, "met", "G1 by Ki-67 (mitoses not reported)"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 2.9}, "met", "G1 by Ki-67 (mitoses not reported)"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 3}, "met", "G2 by Ki-67 (mitoses not reported)"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 20.5}, "met", "G3"),
    (
        "who-gep-grade.v1",
        {**PANCREAS, "mitoses_per_2mm2": 1},
        "met",
        "G1 by mitotic count (Ki-67 not reported)",
    ),
    (
        "who-gep-grade.v1",
        {**PANCREAS, "mitoses_per_2mm2": 2},
        "met",
        "G2 by mitotic count (Ki-67 not reported)",
    ),
    ("who-gep-grade.v1", {**PANCREAS, "mitoses_per_2mm2": 25}, "met", "G3"),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": "2-4"}, "unknown", None),
    ("who-gep-grade.v1", {**PANCREAS, "ki67_percent": 1, "mitoses_per_2mm2": 1}, "met", "G1"),
    (
        "who-gep-grade.v1",
        {"differentiation": "well", "ki67_percent": 1, "mitoses_per_2mm2": 1},
        "unknown",
        None,
    ),
    # Discordance: flagged, not overruled
    ("grade-discordance.v1", {**PANCREAS, "grade": "G1", "ki67_percent": 5}, "met", None),
    (
        "grade-discordance.v1",
        {**PANCREAS, "grade": "G2", "ki67_percent": 8, "mitoses_per_2mm2": 4},
        "not_met",
        None,
    ),
    ("grade-discordance.v1", {**PANCREAS, "grade": "G2", "ki67_percent": 25}, "met", None),
    (
        "grade-discordance.v1",
        {**PANCREAS, "grade": "G2", "ki67_percent": 2, "mitoses_per_2mm2": 1},
        "met",
        None,
    ),
    ("grade-discordance.v1", {**PANCREAS, "grade": "G2", "ki67_percent": 2}, "not_met", None),
    ("grade-discordance.v1", {**PANCREAS, "grade": "G3", "ki67_percent": 15}, "met", None),
    ("grade-discordance.v1", {**PANCREAS, "grade": "G3", "ki67_percent": 30}, "not_met", None),
    # NET G3 vs NEC, MiNEN
    ("net-g3-vs-nec.v1", {**PANCREAS, "ki67_percent": 35}, "met", "NET G3"),
    (
        "net-g3-vs-nec.v1",
        {"primary_site": "stomach", "differentiation": "poorly", "ki67_percent": 85},
        "met",
        "NEC",
    ),
    ("net-g3-vs-nec.v1", {"primary_site": "stomach", "ki67_percent": 85}, "unknown", None),
    (
        "net-g3-vs-nec.v1",
        {"primary_site": "stomach", "ki67_percent": 85, "histology": "small cell neuroendocrine carcinoma"},
        "met",
        "NEC",
    ),
    (
        "gep-classification.v1",
        {"primary_site": "colon", "histology": "MiNEN (adenocarcinoma and NEC)"},
        "met",
        "MiNEN",
    ),
    (
        "gep-classification.v1",
        {"primary_site": "rectum", "differentiation": "well"},
        "met",
        "well-differentiated neuroendocrine tumour (NET)",
    ),
    ("gep-classification.v1", {"primary_site": "rectum"}, "unknown", None),
    # Lung/thymus: mitoses 1/2/10/11 with and without necrosis
    ("lung-carcinoid.v1", {**LUNG, "mitoses_per_2mm2": 1, "necrosis": False}, "met", "typical carcinoid"),
    ("lung-carcinoid.v1", {**LUNG, "mitoses_per_2mm2": 1, "necrosis": True}, "met", "atypical carcinoid"),
    ("lung-carcinoid.v1", {**LUNG, "mitoses_per_2mm2": 2, "necrosis": False}, "met", "atypical carcinoid"),
    ("lung-carcinoid.v1", {**LUNG, "mitoses_per_2mm2": 2, "necrosis": True}, "met", "atypical carcinoid"),
    ("lung-carcinoid.v1", {**LUNG, "mitoses_per_2mm2": 10, "necrosis": False}, "met", "atypical carcinoid"),
    ("lung-carcinoid.v1", {**LUNG, "mitoses_per_2mm2": 10, "necrosis": True}, "met", "atypical carcinoid"),
    (
        "lung-carcinoid.v1",
        {**LUNG, "mitoses_per_2mm2": 11, "necrosis": False},
        "met",
        "high-grade carcinoma (LCNEC or SCLC)",
    ),
    (
        "lung-carcinoid.v1",
        {**LUNG, "mitoses_per_2mm2": 11, "necrosis": True},
        "met",
        "high-grade carcinoma (LCNEC or SCLC)",
    ),
    (
        "lung-carcinoid.v1",
        {"primary_site": "thymus", "mitoses_per_2mm2": 1, "necrosis": False},
        "met",
        "typical carcinoid",
    ),
    ("lung-carcinoid.v1", {**LUNG, "mitoses_per_2mm2": 1}, "unknown", None),
    ("lung-carcinoid.v1", {**LUNG, "necrosis": True}, "unknown", None),
    ("lung-discordance.v1", {**LUNG, "histology": "typical carcinoid", "mitoses_per_2mm2": 3}, "met", None),
    (
        "lung-discordance.v1",
        {**LUNG, "histology": "atypical carcinoid", "mitoses_per_2mm2": 3},
        "not_met",
        None,
    ),
    # Site-specific size thresholds
    ("risk-size-pancreas.v1", {**PANCREAS, "tumor_size_cm": 2.0}, "not_met", None),
    ("risk-size-pancreas.v1", {**PANCREAS, "tumor_size_cm": 2.1}, "met", None),
    ("risk-size-pancreas.v1", {**PANCREAS}, "unknown", None),
    ("risk-size-appendix.v1", {"primary_site": "appendix", "tumor_size_cm": 0.9}, "not_met", "under 1 cm"),
    ("risk-size-appendix.v1", {"primary_site": "appendix", "tumor_size_cm": 1.0}, "met", "1 to 2 cm"),
    ("risk-size-appendix.v1", {"primary_site": "appendix", "tumor_size_cm": 2.0}, "met", "1 to 2 cm"),
    ("risk-size-appendix.v1", {"primary_site": "appendix", "tumor_size_cm": 2.1}, "met", "over 2 cm"),
    ("risk-size-rectum.v1", {"primary_site": "rectum", "tumor_size_cm": 0.9}, "not_met", "under 1 cm"),
    ("risk-size-rectum.v1", {"primary_site": "rectum", "tumor_size_cm": 1.5}, "met", "1 to 2 cm"),
    ("risk-size-rectum.v1", {"primary_site": "rectum", "tumor_size_cm": 2.5}, "met", "over 2 cm"),
    ("risk-size-small-intestine.v1", {"primary_site": "ileum", "tumor_size_cm": 0.9}, "not_met", None),
    ("risk-size-small-intestine.v1", {"primary_site": "ileum", "tumor_size_cm": 1.0}, "met", None),
    ("risk-size-small-intestine.v1", {"primary_site": "small intestine", "tumor_size_cm": 2.4}, "met", None),
    # Other risk features
    ("risk-ki67.v1", {"ki67_percent": 2.9}, "not_met", "low (below 3%)"),
    ("risk-ki67.v1", {"ki67_percent": 20}, "met", "intermediate (3% to 20%)"),
    ("risk-ki67.v1", {"ki67_percent": 20.1}, "met", "high (above 20%)"),
    ("risk-differentiation.v1", {"differentiation": "poorly"}, "met", None),
    ("risk-liver-metastases.v1", {"metastatic_sites": ["liver", "bone"]}, "met", None),
    ("risk-liver-metastases.v1", {"metastatic_sites": []}, "not_met", None),
    ("risk-liver-metastases.v1", {}, "unknown", None),
    ("risk-extrahepatic-metastases.v1", {"metastatic_sites": ["liver"]}, "not_met", None),
    ("risk-extrahepatic-metastases.v1", {"metastatic_sites": ["liver", "bone"]}, "met", None),
    ("risk-lvi-pni.v1", {"lymphovascular_invasion": True}, "met", "invasion present"),
    (
        "risk-lvi-pni.v1",
        {"lymphovascular_invasion": False, "perineural_invasion": False},
        "not_met",
        "no invasion",
    ),
    ("risk-lvi-pni.v1", {"lymphovascular_invasion": False}, "unknown", None),
    ("risk-nodes.v1", {"nodes_positive": 2, "nodes_examined": 11}, "met", "node-positive"),
    ("risk-nodes.v1", {"nodes_positive": 0, "nodes_examined": 9}, "not_met", "node-negative"),
    ("risk-nodes.v1", {"pN": "pN1"}, "met", "node-positive"),
    ("risk-functional.v1", {"functional_syndrome": "carcinoid syndrome"}, "met", "functioning"),
    ("risk-functional.v1", {"functional_syndrome": "non-functioning"}, "not_met", "non-functioning"),
    ("risk-carcinoid-heart.v1", {"functional_syndrome": "carcinoid syndrome"}, "met", None),
    ("risk-tp53-rb1.v1", {"differentiation": "poorly", "gene_alterations": ["TP53", "RB1"]}, "met", None),
    ("risk-tp53-rb1.v1", {"differentiation": "poorly", "gene_alterations": ["KRAS"]}, "not_met", None),
    ("risk-tp53-rb1.v1", {"differentiation": "poorly"}, "unknown", None),
    ("risk-daxx-atrx.v1", {**PANCREAS, "gene_alterations": ["DAXX"]}, "met", None),
    ("risk-daxx-atrx.v1", {**PANCREAS, "gene_alterations": ["MEN1"]}, "not_met", None),
    # Immunotherapy: TMB 9.9 / 10, MSI-H/dMMR, Merkel, SCLC, EP-NEC
    ("io-tmb-high-pembrolizumab.v1", {"tmb_mut_per_mb": 9.9}, "not_met", None),
    ("io-tmb-high-pembrolizumab.v1", {"tmb_mut_per_mb": 10}, "met", None),
    ("io-tmb-high-pembrolizumab.v1", {"tmb_mut_per_mb": "<10"}, "not_met", None),
    ("io-tmb-high-pembrolizumab.v1", {"tmb_mut_per_mb": ">20"}, "met", None),
    ("io-tmb-high-pembrolizumab.v1", {}, "unknown", None),
    ("io-msi-dmmr-pembrolizumab.v1", {"msi_status": "MSI-H"}, "met", "MSI-H or dMMR"),
    ("io-msi-dmmr-pembrolizumab.v1", {"mmr_status": "dMMR"}, "met", "MSI-H or dMMR"),
    ("io-msi-dmmr-pembrolizumab.v1", {"msi_status": "MSS"}, "not_met", "MSS or pMMR"),
    ("io-msi-dmmr-pembrolizumab.v1", {}, "unknown", None),
    ("io-dmmr-dostarlimab.v1", {"mmr_status": "dMMR"}, "met", None),
    ("io-dmmr-dostarlimab.v1", {"mmr_status": "pMMR"}, "not_met", None),
    ("io-dmmr-dostarlimab.v1", {"msi_status": "MSI-H"}, "unknown", None),
    (
        "io-merkel.v1",
        {"histology": "Merkel cell carcinoma", "metastatic_sites": ["liver"]},
        "met",
        "advanced",
    ),
    (
        "io-merkel.v1",
        {"histology": "Merkel cell carcinoma", "metastatic_sites": []},
        "not_met",
        "not metastatic",
    ),
    ("io-merkel.v1", {"histology": "Merkel cell carcinoma"}, "unknown", None),
    ("io-sclc-first-line.v1", {**SCLC, "stage": "extensive stage"}, "met", None),
    ("io-sclc-limited-durvalumab.v1", {**SCLC, "stage": "limited stage"}, "met", None),
    (
        "io-sclc-tarlatamab.v1",
        {**SCLC, "prior_therapies": ["carboplatin", "etoposide", "atezolizumab"]},
        "met",
        None,
    ),
    ("io-sclc-tarlatamab.v1", {**SCLC, "prior_therapies": []}, "not_met", None),
    ("io-sclc-tarlatamab.v1", {**SCLC}, "unknown", None),
    (
        "io-sclc-lurbinectedin-atezolizumab.v1",
        {**SCLC, "prior_therapies": ["carboplatin", "etoposide", "atezolizumab"]},
        "met",
        None,
    ),
    (
        "io-epnec-ipilimumab-nivolumab.v1",
        {**EPNEC, "prior_therapies": ["cisplatin", "etoposide"]},
        "met",
        None,
    ),
    (
        "io-epnec-ipilimumab-nivolumab.v1",
        {**EPNEC, "prior_therapies": []},
        "not_met",
        "no prior chemotherapy",
    ),
    ("io-epnec-ipilimumab-nivolumab.v1", {**EPNEC, "prior_therapies": ["octreotide"]}, "not_met", None),
    (
        "io-epnec-ipilimumab-nivolumab.v1",
        {**EPNEC, "primary_site": "pancreas", "prior_therapies": ["cisplatin"]},
        "not_met",
        "pancreatic NEC",
    ),
    ("io-epnec-ipilimumab-nivolumab.v1", {**EPNEC}, "unknown", None),
    ("io-well-differentiated-net.v1", {**PANCREAS}, "met", None),
    # Treatment context
    ("tx-somatostatin-analogue.v1", {**PANCREAS, "sstr_status": "positive"}, "met", None),
    ("tx-somatostatin-analogue.v1", {**PANCREAS, "sstr_status": "negative"}, "not_met", None),
    ("tx-somatostatin-analogue.v1", {**PANCREAS}, "unknown", None),
    (
        "tx-prrt.v1",
        {
            **PANCREAS,
            "sstr_status": "positive",
            "metastatic_sites": ["liver"],
            "prior_therapies": ["lanreotide"],
        },
        "met",
        "SSTR-positive advanced disease",  # an SSA counts as failed only with documented progression on it
    ),
    (
        "tx-prrt.v1",
        {**PANCREAS, "sstr_status": "positive", "metastatic_sites": ["liver"]},
        "met",
        "SSTR-positive advanced disease",
    ),
    ("tx-prrt.v1", {**PANCREAS, "sstr_status": "negative", "metastatic_sites": ["liver"]}, "not_met", None),
    ("tx-targeted-therapy.v1", {**PANCREAS, "metastatic_sites": ["liver"]}, "met", "pancreatic NET"),
    ("tx-captem.v1", {**PANCREAS, "metastatic_sites": ["liver"]}, "met", None),
    ("tx-nec-platinum-etoposide.v1", {**EPNEC}, "met", None),
    ("consider-biomarker-testing.v1", {**EPNEC}, "met", None),
    ("consider-biomarker-testing.v1", {**EPNEC, "tmb_mut_per_mb": 3, "msi_status": "MSS"}, "not_met", None),
]


@pytest.mark.parametrize(
    ("rule_id", "values", "status", "label"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_outcome(rule_id: str, values: dict[str, Any], status: str, label: str | None) -> None:
    got_status, got_label, missing = outcome(rule_id, **values)
    assert got_status == status
    if label is not None:
        assert got_label == label
    assert bool(missing) == (status == "unknown")


# Scope: rules that must NOT apply to a case (returns None)
NOT_APPLICABLE: list[tuple[str, dict[str, Any]]] = [
    ("who-gep-grade.v1", {"primary_site": "lung", "ki67_percent": 5}),
    ("who-gep-grade.v1", {"primary_site": "stomach", "differentiation": "poorly", "ki67_percent": 85}),
    ("who-gep-grade.v1", {"primary_site": "colon", "histology": "large cell neuroendocrine carcinoma"}),
    ("lung-carcinoid.v1", {"primary_site": "pancreas", "mitoses_per_2mm2": 1}),
    ("risk-size-pancreas.v1", {"primary_site": "rectum", "tumor_size_cm": 3}),
    ("io-merkel.v1", {"primary_site": "pancreas"}),
    ("io-sclc-first-line.v1", {"primary_site": "lung", "histology": "atypical carcinoid"}),
    ("io-epnec-ipilimumab-nivolumab.v1", {**SCLC}),
    ("io-well-differentiated-net.v1", {"differentiation": "poorly"}),
    ("tx-nec-platinum-etoposide.v1", {"histology": "Merkel cell carcinoma", "differentiation": "poorly"}),
    ("risk-ki67.v1", {"histology": "Merkel cell carcinoma", "ki67_percent": 40}),
]


@pytest.mark.parametrize(("rule_id", "values"), NOT_APPLICABLE, ids=[c[0] for c in NOT_APPLICABLE])
def test_rule_out_of_scope(rule_id: str, values: dict[str, Any]) -> None:
    assert evaluate_rule(rule(rule_id), make_case(**values)) is None


def test_negated_finding_reads_as_false() -> None:
    case = make_case(negated=["lymphovascular_invasion", "perineural_invasion"])
    result = evaluate_rule(rule("risk-lvi-pni.v1"), case)
    assert result is not None and result.status == "not_met"


def test_grade_unknown_lists_possible_grades() -> None:
    result = evaluate_rule(
        rule("who-gep-grade.v1"), make_case(**PANCREAS, ki67_percent=15, mitoses_per_2mm2=">10")
    )
    assert result is not None
    assert result.missing == ("mitoses_per_2mm2",)
    assert set(result.possible) == {"G2", "G3"}
