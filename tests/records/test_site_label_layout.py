"""The primary site from a conclusion written "Organ (part), procedure: diagnosis"."""

from __future__ import annotations

import pytest

from netnav.records import extract_text


@pytest.mark.parametrize(
    ("line", "site"),
    [
        (
            "CONCLUSION: Pancreas (tail), distal pancreatectomy: well differentiated neuroendocrine tumour, "
            "WHO grade 2, pT2 pN1.",
            "pancreas",
        ),
        ("Terminal ileum, right hemicolectomy: well-differentiated NET, grade 1.", "small intestine"),
        ("Appendix, appendicectomy: well differentiated neuroendocrine tumour (G1), 9 mm.", "appendix"),
        ("Stomach (body), endoscopic resection: neuroendocrine tumour, type 1, grade 1.", "stomach"),
        ("Rectum, polypectomy: well differentiated neuroendocrine tumor, G1.", "rectum"),
    ],
)
def test_site_before_a_procedure_and_the_diagnosis(line: str, site: str) -> None:
    profile = extract_text(f"SURGICAL PATHOLOGY REPORT\n{line}\n", "conclusion.txt")
    assert profile.fields["primary_site"].value == site


def test_a_metastasis_site_before_a_diagnosis_is_not_the_primary() -> None:
    profile = extract_text(
        "SURGICAL PATHOLOGY REPORT\nLiver, segment 6, core biopsy: metastatic well differentiated "
        "neuroendocrine tumour.\n",
        "liver.txt",
    )
    assert "primary_site" not in profile.fields
