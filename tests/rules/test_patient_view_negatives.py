"""The patient view of `netnav assess` names negative results in plain words, never by case field name;
the clinician view keeps the field names."""

from __future__ import annotations

import pytest

from netnav.cli.assess import render_text
from netnav.rules import assess
from netnav.types.case import CaseProfile, NegatedFinding
from tests.rules.rules_helpers import make_case

NEGATED = [
    (
        "prior_therapies",
        "everolimus",
        "He declined everolimus when it was offered.",
        "treatments already given",
    ),
    ("metastatic_sites", "brain", "MRI brain: no brain metastases.", None),
    ("lymphovascular_invasion", None, "No lymphovascular invasion.", None),
    ("msi_status", "MSI-H", "Microsatellite stable.", None),
    ("gene_alterations", "NTRK1", "No NTRK fusion detected.", None),
]


def _case(field: str, value: str | None, text: str) -> CaseProfile:
    base = make_case(primary_site="pancreas", differentiation="well", ki67_percent=4)
    neg = NegatedFinding(field=field, value=value, text=text, line=7, source="letter.txt")
    return base.model_copy(update={"negated": [neg]})


@pytest.mark.parametrize(("field", "value", "text", "words"), NEGATED)
def test_negatives_in_plain_words_for_patients(
    field: str, value: str | None, text: str, words: str | None
) -> None:
    case = _case(field, value, text)
    patient = render_text(assess(case, audience="patient"), "patient")
    clinician = render_text(assess(case, audience="clinician"), "clinician")
    block = patient.split("Stated as negative or absent in the reports", 1)[1].split("\n\n", 1)[0]
    assert text in block and field not in block and "_" not in block
    if words:
        assert words in block
    assert field in clinician.split("Stated as negative or absent in the reports", 1)[1].split("\n\n", 1)[0]
