"""Gastric NET type 1/2/3, table-driven: the deciding findings read from reports (each with its source line,
negations kept as facts) and the classification finding they give, or "not determined" with what is missing."""

from __future__ import annotations

from typing import Any

import pytest

from netnav.records import extract_text
from netnav.rules import assess
from netnav.types.case import CaseProfile

RULE = "gastric-net-type.v1"
FIELDS = ("atrophic_gastritis", "ecl_hyperplasia", "gastrin", "gastrin_elevated", "zollinger_ellison")

# (report, expected gastric fields (absent ones must be absent), finding status, label or missing fields)
CASES: list[tuple[str, dict[str, Any], str | None, str | list[str]]] = [
    (  # pathology + lab: classic type 1
        "Stomach, corpus biopsies: well-differentiated neuroendocrine tumour, G1, Ki-67 <1%.\n"
        "Background mucosa: chronic atrophic gastritis with linear and micronodular ECL-cell hyperplasia.\n"
        "Fasting serum gastrin 1250 pg/mL (ref < 100).\n",
        {"atrophic_gastritis": True, "ecl_hyperplasia": True, "gastrin": 1250.0, "gastrin_elevated": True},
        "met",
        "type 1",
    ),
    (  # clinic letter, autoimmune wording, hypergastrinaemia without a number
        "Dear Dr Patel, this 61-year-old lady with pernicious anaemia and autoimmune gastritis has several small\n"
        "gastric carcinoid tumours on endoscopy (histology: well differentiated NET G1).\n"
        "Bloods show marked hypergastrinaemia and a low B12.\n",
        {"atrophic_gastritis": True, "gastrin_elevated": True},
        "met",
        "type 1",
    ),
    (  # number without a range: judged against a typical upper limit, marked inferred
        "Gastric body polyp biopsy: neuroendocrine tumor, well differentiated, grade 1.\n"
        "Atrophic body gastritis is present.\n"
        "Gastrin level: 880 ng/L\n",
        {"atrophic_gastritis": True, "gastrin": 880.0, "gastrin_elevated": True},
        "met",
        "type 1",
    ),
    (  # type 2: ZES in MEN1
        "Stomach, fundus: multiple well-differentiated neuroendocrine tumours (NET G1).\n"
        "Clinical: MEN1 with Zollinger-Ellison syndrome; gastrin markedly elevated at 2400 pg/mL.\n"
        "Background oxyntic mucosa hypertrophic; no atrophic gastritis. ECL cell hyperplasia present.\n",
        {
            "atrophic_gastritis": False,
            "ecl_hyperplasia": True,
            "gastrin": 2400.0,
            "gastrin_elevated": True,
            "zollinger_ellison": True,
        },
        "met",
        "type 2",
    ),
    (  # type 3: negatives stated in different words
        "Stomach, antrum, resection: well-differentiated neuroendocrine tumour, G2, Ki-67 8%, solitary, 2.5 cm.\n"
        "Surrounding mucosa: no atrophy, no ECL-cell hyperplasia.\n"
        "Serum gastrin within normal limits.\n",
        {"atrophic_gastritis": False, "ecl_hyperplasia": False, "gastrin_elevated": False},
        "met",
        "type 3",
    ),
    (  # type 3 with a normal number and a range
        "Specimen: stomach (body), endoscopic resection. Diagnosis: NET G2.\n"
        "Atrophic gastritis: absent.\n"
        "Fasting gastrin 42 pg/mL (normal range 0-100).\n",
        {"atrophic_gastritis": False, "gastrin": 42.0, "gastrin_elevated": False},
        "met",
        "type 3",
    ),
    (  # missing gastrin: not determined, never a guess
        "Stomach biopsy: well-differentiated neuroendocrine tumour, G1.\n"
        "Background corpus mucosa shows chronic atrophic gastritis with ECL cell hyperplasia.\n",
        {"atrophic_gastritis": True, "ecl_hyperplasia": True},
        "unknown",
        ["gastrin_elevated"],  # atrophic gastritis rules out type 2 and type 3; type 1 needs the gastrin
    ),
    (  # nothing on the background mucosa or gastrin
        "Gastric polyp: neuroendocrine tumour, well differentiated, Ki-67 2%.\n",
        {},
        "unknown",
        ["zollinger_ellison", "atrophic_gastritis", "gastrin_elevated"],
    ),
    (  # a NEC of the stomach gets no type
        "Stomach, gastrectomy: poorly differentiated neuroendocrine carcinoma, small cell type, Ki-67 80%.\n"
        "Background mucosa: chronic atrophic gastritis. Gastrin 300 pg/mL (ref <100).\n",
        {"atrophic_gastritis": True, "gastrin": 300.0, "gastrin_elevated": True},
        None,
        "",
    ),
    (  # a duodenal gastrinoma with ZES is not a gastric NET
        "Duodenum, excision: well-differentiated neuroendocrine tumour (gastrinoma), G1, 0.8 cm.\n"
        "History: Zollinger-Ellison syndrome; fasting gastrin 1800 pg/mL.\n",
        {"gastrin": 1800.0, "gastrin_elevated": True, "zollinger_ellison": True},
        None,
        "",
    ),
    (  # a gastrin immunostain is not the blood level; ZES stated absent
        "Stomach biopsy: well-differentiated NET G1. Immunohistochemistry: synaptophysin positive, gastrin negative.\n"
        "No evidence of Zollinger-Ellison syndrome.\n",
        {"zollinger_ellison": False},
        "unknown",
        ["atrophic_gastritis", "gastrin_elevated"],
    ),
    (  # raised gastrin without atrophic gastritis and no word on ZES: type 2 or undetermined
        "Gastric NET, well differentiated, G1.\n"
        "Biopsies of the corpus: no atrophic gastritis.\n"
        "Gastrin raised (650 pg/mL).\n",
        {"atrophic_gastritis": False, "gastrin": 650.0, "gastrin_elevated": True},
        "unknown",
        ["zollinger_ellison"],
    ),
    (  # uncertainty is not a finding
        "Stomach: well-differentiated neuroendocrine tumour, G1.\n"
        "Possible atrophic gastritis; suggest repeat biopsies. Gastrin normal.\n",
        {"gastrin_elevated": False},
        "unknown",
        ["atrophic_gastritis"],  # normal gastrin rules out types 1 and 2; type 3 needs the mucosa
    ),
]


def _finding(case: CaseProfile, audience: str = "clinician") -> Any:
    found = [f for f in assess(case, audience=audience).findings if f.rule_id == RULE]
    return found[0] if found else None


@pytest.mark.parametrize(("report", "fields", "status", "detail"), CASES)
def test_gastric_type(
    report: str, fields: dict[str, Any], status: str | None, detail: str | list[str]
) -> None:
    case = extract_text(report, "report.txt")
    got = {name: case.fields[name].value for name in FIELDS if name in case.fields}
    assert got == fields
    lines = report.splitlines()
    for name in got:
        fv = case.fields[name]
        assert fv.source == "report.txt" and fv.text == lines[fv.line - 1].strip()
    for name in (n for n, v in fields.items() if v is False):
        assert any(n.field == name for n in case.negated)
    finding = _finding(case)
    if status is None:
        assert finding is None
        return
    assert finding is not None and finding.status == status
    if status == "met":
        assert isinstance(detail, str) and f"Gastric NET {detail}" in finding.statement
        assert "Decided by" in finding.statement
    else:
        assert finding.missing == detail
        assert "not determined" in finding.statement


def test_gastrin_unit_and_inferred_note() -> None:
    case = extract_text("Gastric NET G1. Gastrin level: 880 ng/L\n", "r.txt")
    assert case.fields["gastrin"].unit == "ng/L"
    elevated = case.fields["gastrin_elevated"]
    assert elevated.inferred and elevated.note is not None and "laboratories differ" in elevated.note


def test_patient_wording_and_cards() -> None:
    case = extract_text(CASES[0][0], "report.txt")
    finding = _finding(case, audience="patient")
    assert finding.label == "reassuring" and "type 1" in finding.statement
    assert "gastric-net-type" not in finding.statement
    assert "a-gastric-net-type1-outcome" in finding.card_ids and finding.citations
    type3 = _finding(extract_text(CASES[4][0], "report.txt"), audience="patient")
    assert "a-gastric-net-type3-outcome" in type3.card_ids and type3.label == "applies"
