"""CT.gov parsing (v2 JSON and classic XML) and eligibility splitting, on small hand-written fixtures."""

from __future__ import annotations

import json

import pytest

from netnav.errors import CorruptFileError, UnsupportedFormatError
from netnav.trials.ctgov import (
    looks_like_ctgov,
    normalize_phase,
    normalize_status,
    parse_ctgov_bytes,
    v2_sites,
)
from netnav.trials.eligibility import split_eligibility

CRITERIA = """Inclusion Criteria:

  -  Histologically confirmed poorly differentiated neuroendocrine carcinoma of
     extrapulmonary origin
  -  Progression after platinum-based chemotherapy
  -  Adequate organ function:
       -  Neutrophils >= 1500/mm3
       -  Platelets >= 100 000/mm3
  -  ECOG 0-1

Exclusion Criteria:

  1. Prior therapy with an anti-PD-1 or anti-PD-L1 antibody
  2. Symptomatic brain metastases
"""


def _v2_study(nct: str = "NCT09999991") -> dict[str, object]:
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": "Brief", "officialTitle": "Official title"},
            "statusModule": {
                "overallStatus": "ACTIVE_NOT_RECRUITING",
                "lastUpdatePostDateStruct": {"date": "2025-05-01"},
            },
            "designModule": {"phases": ["PHASE1", "PHASE2"]},
            "conditionsModule": {"conditions": ["Neuroendocrine Carcinoma"]},
            "armsInterventionsModule": {
                "interventions": [{"type": "DRUG", "name": "Drug X"}],
                "armGroups": [
                    {"label": "Arm A", "type": "EXPERIMENTAL", "description": "Drug X every 3 weeks"}
                ],
            },
            "descriptionModule": {"briefSummary": "A study of drug X."},
            "eligibilityModule": {"eligibilityCriteria": CRITERIA, "minimumAge": "18 Years"},
        }
    }


XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<clinical_study>
  <id_info><nct_id>NCT09999992</nct_id></id_info>
  <brief_title>XML brief title</brief_title>
  <overall_status>Recruiting</overall_status>
  <last_update_posted type="Actual">March 3, 2024</last_update_posted>
  <phase>Phase 2</phase>
  <condition>Small Cell Lung Carcinoma</condition>
  <intervention><intervention_type>Drug</intervention_type><intervention_name>Drug Y</intervention_name></intervention>
  <arm_group><arm_group_label>Cohort 1</arm_group_label><arm_group_type>Experimental</arm_group_type></arm_group>
  <brief_summary><textblock>Summary text.</textblock></brief_summary>
  <eligibility><criteria><textblock>{CRITERIA}</textblock></criteria><minimum_age>18 Years</minimum_age></eligibility>
</clinical_study>
"""


def test_v2_single_study_fields() -> None:
    [trial] = parse_ctgov_bytes(json.dumps(_v2_study()).encode(), "study.json")
    assert trial.nct_id == "NCT09999991"
    assert trial.title == "Official title"
    assert trial.phase == "Phase 1/Phase 2"
    assert trial.overall_status == "Active, not recruiting"
    assert trial.last_update == "2025-05-01"
    assert trial.conditions == ["Neuroendocrine Carcinoma"]
    assert trial.interventions == ["Drug: Drug X"]
    assert trial.arms == ["Arm A - EXPERIMENTAL - Drug X every 3 weeks"]
    assert trial.summary == "A study of drug X."
    assert trial.source == "study.json"


def test_v2_criteria_split_with_wrapping_and_sub_bullets() -> None:
    [trial] = parse_ctgov_bytes(json.dumps(_v2_study()).encode(), "study.json")
    assert trial.inclusion[0] == (
        "Histologically confirmed poorly differentiated neuroendocrine carcinoma of extrapulmonary origin"
    )
    assert trial.inclusion[2] == "Adequate organ function: Neutrophils >= 1500/mm3; Platelets >= 100 000/mm3"
    assert trial.inclusion[3] == "ECOG 0-1"
    assert trial.inclusion[-1] == "Minimum age 18 Years (registry age limit)"
    assert trial.exclusion == [
        "Prior therapy with an anti-PD-1 or anti-PD-L1 antibody",
        "Symptomatic brain metastases",
    ]


def test_v2_studies_list() -> None:
    payload = {"studies": [_v2_study("NCT09999991"), _v2_study("NCT09999993")]}
    trials = parse_ctgov_bytes(json.dumps(payload).encode(), "page.json")
    assert [t.nct_id for t in trials] == ["NCT09999991", "NCT09999993"]


def test_classic_xml() -> None:
    [trial] = parse_ctgov_bytes(XML.encode(), "record.xml")
    assert trial.nct_id == "NCT09999992"
    assert trial.title == "XML brief title"
    assert trial.phase == "Phase 2"
    assert trial.overall_status == "Recruiting"
    assert trial.conditions == ["Small Cell Lung Carcinoma"]
    assert trial.interventions == ["Drug: Drug Y"]
    assert trial.arms == ["Cohort 1 - Experimental"]
    assert len(trial.inclusion) == 5 and len(trial.exclusion) == 2


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", CorruptFileError),
        (b"{not json", CorruptFileError),
        (b'{"hello": 1}', UnsupportedFormatError),
        (b'{"studies": []}', UnsupportedFormatError),
        (b"<clinical_study><id_info>", CorruptFileError),
        (b"<html><body>hi</body></html>", UnsupportedFormatError),
        (b"plain text", UnsupportedFormatError),
        (b'{"protocolSection": {"identificationModule": {"nctId": "12345"}}}', CorruptFileError),
    ],
)
def test_malformed_inputs_raise_typed_errors(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_ctgov_bytes(data, "bad")


def test_xml_entities_are_not_resolved() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<clinical_study><id_info><nct_id>NCT09999994</nct_id></id_info><brief_title>&e;</brief_title>"
        b"</clinical_study>"
    )
    [trial] = parse_ctgov_bytes(evil, "evil.xml")
    assert "root:" not in trial.title


def test_sniffing() -> None:
    assert looks_like_ctgov(json.dumps(_v2_study()).encode())
    assert looks_like_ctgov(XML.encode())
    assert not looks_like_ctgov(b'{"resourceType": "Bundle"}')


def test_normalizers() -> None:
    assert normalize_status("NOT_YET_RECRUITING") == "Not yet recruiting"
    assert normalize_status("COMPLETED") == "Completed"
    assert normalize_status("Active, not recruiting") == "Active, not recruiting"
    assert normalize_phase(["NA"]) is None
    assert normalize_phase(["Phase 2/Phase 3"]) == "Phase 2/Phase 3"


def test_split_numbered_plain_paragraphs_and_subheadings() -> None:
    text = """Key Inclusion Criteria:
1. Age >= 18 years
2. Measurable disease per
   RECIST 1.1
DISEASE CHARACTERISTICS:
* Extensive stage small cell lung cancer
Exclusion criteria: Known brain metastases
"""
    inclusion, exclusion = split_eligibility(text)
    assert inclusion == [
        "Age >= 18 years",
        "Measurable disease per RECIST 1.1",
        "Extensive stage small cell lung cancer",
    ]
    assert exclusion == ["Known brain metastases"]


def test_v2_sites_geo_point_and_contact() -> None:
    """Synthetic location data (not a registry record): geo point and the first contact with any detail."""
    proto = {
        "contactsLocationsModule": {
            "locations": [
                {
                    "facility": "Example Hospital",
                    "status": "NOT_YET_RECRUITING",
                    "city": "Leeds",
                    "country": "United Kingdom",
                    "geoPoint": {"lat": 53.8, "lon": -1.55},
                    "contacts": [
                        {"role": "CONTACT"},
                        {"name": "Trial office", "email": "trials@example.org"},
                    ],
                },
                "not a location",
                {"facility": "No geo", "city": "Paris", "geoPoint": {"lat": "53.8", "lon": True}},
            ]
        }
    }
    first, second = v2_sites(proto)
    assert first.lat == 53.8 and first.lon == -1.55 and first.status == "Not yet recruiting"
    assert first.contact == "Trial office, trials@example.org"
    assert second.lat is None and second.lon is None and second.contact is None  # wrong types are not coerced
