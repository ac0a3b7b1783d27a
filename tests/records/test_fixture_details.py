"""Behaviour on our own fixtures beyond the expected fields: negation lists, warnings, notes, specimens."""

from __future__ import annotations

import json

from netnav.records import extract_case
from tests.records.helpers import FIXTURES


def test_all_caps_multispecimen_keeps_primary_specimen_values_and_warns() -> None:
    p = extract_case([FIXTURES / "f02-allcaps-multispecimen.txt"])
    assert p.value("ki67_percent") == 25 and p.fields["ki67_percent"].line == 4
    assert p.value("tumor_size_cm") == 4.5  # the 1.1 cm liver lesion is not the primary's size
    assert any("ki67_percent" in w and "30" in w for w in p.warnings)
    assert {n.field for n in p.negated} == {"lymphovascular_invasion", "necrosis"}
    assert p.fields["metastatic_sites"].line == 11  # the liver specimen label


def test_reference_ranges_and_legends_are_not_findings() -> None:
    p = extract_case([FIXTURES / "f08-reference-ranges.txt"])
    ki = p.fields["ki67_percent"]
    assert ki.value == 5 and ki.line == 4 and ki.note and "3-5" in ki.note and "upper bound" in ki.note
    assert p.value("grade") is None  # the grading legend on line 2 is not a grade
    assert p.fields["mitoses_per_2mm2"].inferred and "10 HPF" in str(p.fields["mitoses_per_2mm2"].note)
    assert "lymphovascular_invasion" not in p.fields  # 'suspicious for' is not a finding
    assert any("lymphovascular_invasion" in w and "uncertain" in w for w in p.warnings)


def test_per_10_hpf_without_field_area_is_kept_as_written_in_a_warning() -> None:
    p = extract_case([FIXTURES / "f03-broken-lines.txt"])
    assert p.value("mitoses_per_2mm2") == 2 and p.fields["mitoses_per_2mm2"].line == 5
    assert any("5 per 10 HPF" in w and "not converted" in w for w in p.warnings)
    assert p.fields["ki67_percent"].line == 3  # the 'normal range 0-2%' line is ignored


def test_letter_brand_names_are_normalised_and_hypotheticals_dropped() -> None:
    p = extract_case([FIXTURES / "f05-clinic-letter-brands.txt"])
    therapies = p.value("prior_therapies")
    assert isinstance(therapies, list)
    assert "everolimus" not in therapies and "sunitinib" not in therapies  # 'whether ... could be considered'
    assert "capecitabine" not in therapies  # 'no history of CAPTEM'
    assert "bone" not in (p.value("metastatic_sites") or [])  # type: ignore[operator]  # 'no bone metastases'
    assert p.fields["ki67_percent"].report_date == "2026-03-03"
    assert p.fields["sex"].inferred  # from the title 'Mrs'


def test_fhir_bundle_values_point_at_their_resource_lines() -> None:
    path = FIXTURES / "f06-fhir-bundle.json"
    p = extract_case([path])
    expected = json.loads((FIXTURES / "f06-fhir-bundle.expected.json").read_text(encoding="utf-8"))
    for name, want in expected.items():
        got = p.value(name)
        assert (set(got) == set(want)) if isinstance(want, list) else got == want, name  # type: ignore[arg-type]
    pretty = json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=2).splitlines()
    for name, fv in p.fields.items():
        assert '"resourceType": ' in pretty[fv.line - 1], name
    assert p.fields["ki67_percent"].text.startswith("Cells.Ki-67 nuclear Ag/cells")
    assert '"Observation"' in pretty[p.fields["ki67_percent"].line - 1]
    assert "lutetium Lu 177 dotatate" not in (p.value("prior_therapies") or [])  # type: ignore[operator]  # status 'intended'
    assert [n.field for n in p.negated] == ["lymphovascular_invasion"]


def test_unrelated_document_gives_empty_profile_with_warning() -> None:
    p = extract_case([FIXTURES / "f07-unrelated.txt"])
    assert p.fields == {}
    assert p.warnings and "no report values" in p.warnings[0]


def test_case_id_is_stable_and_depends_on_content(tmp_path: object) -> None:
    a = extract_case([FIXTURES / "f01-flattened-table.txt"]).case_id
    b = extract_case([FIXTURES / "f01-flattened-table.txt"]).case_id
    c = extract_case([FIXTURES / "f03-broken-lines.txt"]).case_id
    assert a == b != c
