"""The eight shared evaluation reports: from their expected fields, and end to end through netnav.records."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from netnav.rules import assess, personal_sentences
from netnav.types.assessment import Assessment
from netnav.types.case import CaseProfile
from tests.rules.rules_helpers import REPORTS, case_from_expected

# report → {rule id: (status, substring the clinician statement must contain)}
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "r01-pnet-g2": {
        "who-gep-grade.v1": ("met", "G2"),
        "grade-discordance.v1": ("not_met", "concordant"),
        "gep-classification.v1": ("met", "Well-differentiated"),
        "risk-size-pancreas.v1": ("met", ">2 cm"),
        "risk-nodes.v1": ("met", "2/11"),
        "risk-lvi-pni.v1": ("met", "LVI yes"),
        "io-tmb-high-pembrolizumab.v1": ("unknown", "TMB not reported"),
        "tx-somatostatin-analogue.v1": ("unknown", "SSTR status not reported"),
    },
    "r02-si-net-mets": {
        "who-gep-grade.v1": ("met", "G1"),
        "risk-liver-metastases.v1": ("met", "liver"),
        "risk-carcinoid-heart.v1": ("met", "carcinoid heart disease"),
        "risk-nodes.v1": ("met", "8/14"),
        "tx-somatostatin-analogue.v1": ("met", "SSTR-positive"),
        "tx-prrt.v1": ("met", "PRRT candidate"),
        "risk-size-small-intestine.v1": ("met", "1.4 cm"),
    },
    "r03-gep-nec": {
        "gep-classification.v1": ("met", "NEC"),
        "net-g3-vs-nec.v1": ("met", "NEC rather than NET G3"),
        "risk-tp53-rb1.v1": ("met", "TP53"),
        "io-msi-dmmr-pembrolizumab.v1": ("not_met", "pMMR"),
        "consider-biomarker-testing.v1": ("met", "TMB"),
        "tx-nec-platinum-etoposide.v1": ("met", "etoposide"),
        "io-epnec-ipilimumab-nivolumab.v1": ("unknown", "ipilimumab + nivolumab"),
    },
    "r04-ngs": {
        "gep-classification.v1": ("met", "NEC"),
        "io-tmb-high-pembrolizumab.v1": ("met", "TMB 14 mut/Mb"),
        "io-msi-dmmr-pembrolizumab.v1": ("not_met", "MSS"),
        "risk-liver-metastases.v1": ("met", "liver"),
    },
    "r05-lung-atypical": {
        "lung-carcinoid.v1": ("met", "Atypical carcinoid"),
        "lung-discordance.v1": ("not_met", "concordant"),
        "risk-nodes.v1": ("not_met", "no involved node of 9"),
    },
    "r06-clinic-letter": {
        "who-gep-grade.v1": ("met", "G2 by Ki-67"),
        "grade-discordance.v1": ("not_met", "concordant"),
        "risk-extrahepatic-metastases.v1": ("met", "bone"),
        "tx-prrt.v1": ("met", "after SSA"),
        "tx-targeted-therapy.v1": ("met", "everolimus"),
        "risk-functional.v1": ("not_met", "Non-functioning"),
        "consider-clinical-trials.v1": ("met", "clinical trial"),
    },
    "r07-appendix": {
        "who-gep-grade.v1": ("met", "G1"),
        "risk-size-appendix.v1": ("not_met", "<1 cm"),
        "risk-lvi-pni.v1": ("not_met", "No LVI"),
    },
    "r08-merkel": {
        "io-merkel.v1": ("unknown", "avelumab"),
        "risk-nodes.v1": ("met", "1/2"),
        "merkel-classification.v1": ("met", "Merkel cell carcinoma"),
    },
}
ABSENT: dict[str, set[str]] = {
    "r03-gep-nec": {"who-gep-grade.v1", "io-well-differentiated-net.v1"},
    "r05-lung-atypical": {"who-gep-grade.v1", "gep-classification.v1"},
    "r08-merkel": {
        "who-gep-grade.v1",
        "gep-classification.v1",
        "io-tmb-high-pembrolizumab.v1",
        "risk-ki67.v1",
        "tx-nec-platinum-etoposide.v1",
        "risk-functional.v1",
    },
}


def _reports_dir() -> Path:
    if not REPORTS.is_dir():
        pytest.skip(f"shared evaluation reports not found at {REPORTS}")
    return REPORTS


def check(name: str, assessment: Assessment) -> None:
    by_rule = {f.rule_id: f for f in assessment.findings}
    for rule_id, (status, fragment) in EXPECTED[name].items():
        assert rule_id in by_rule, f"{name}: no finding from {rule_id}"
        finding = by_rule[rule_id]
        assert finding.status == status, f"{name}/{rule_id}: {finding.status} - {finding.statement}"
        assert fragment in finding.statement, f"{name}/{rule_id}: {finding.statement}"
    assert not ABSENT.get(name, set()) & by_rule.keys()
    assert personal_sentences(assessment)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_assessment_from_expected_fields(name: str) -> None:
    case = case_from_expected(_reports_dir() / f"{name}.expected.json")
    check(name, assess(case, "clinician"))


def _extract(paths: list[Path]) -> CaseProfile:
    try:
        records: Any = importlib.import_module("netnav.records")
    except ImportError as exc:
        pytest.skip(f"netnav.records not importable: {exc}")
    result: CaseProfile = records.extract_case(paths)
    return result


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_assessment_end_to_end_from_report_text(name: str) -> None:
    case = _extract([_reports_dir() / f"{name}.txt"])
    assessment = assess(case, "clinician")
    check(name, assessment)
    for f in assessment.findings:  # every input shown to the user points at a real source line
        for field in f.inputs:
            fv = case.fields.get(field)
            if fv is not None:
                assert fv.line >= 1 and fv.source.endswith(".txt")
