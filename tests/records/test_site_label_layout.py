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


@pytest.mark.parametrize(
    ("text", "site"),
    [
        # a procedure after the site with no comma, the diagnosis on the next line
        ("Rectum polypectomy:\nWell-differentiated neuroendocrine tumour, G1.", "rectum"),
        ("Rectal polyp, excision:\nWell-differentiated NET, Ki-67 1%.", "rectum"),
        (
            "Gastric antrum, endoscopic resection:\nWell differentiated neuroendocrine tumour, 2.5 cm.",
            "stomach",
        ),
        ("STOMACH BODY BIOPSIES:\nwell differentiated neuroendocrine tumour, 6 mm", "stomach"),
        ("Ileum resection. Well-differentiated NET.", "small intestine"),
        ("Duodenum EMR: well differentiated neuroendocrine tumour, 8 mm", "duodenum"),
        # the site after a mixed tumour's name, with a part of the organ
        ("Diagnosis: MiNEN of the ascending colon:\n - adenocarcinoma component (40%)", "colon"),
        ("Mixed neuroendocrine-non-neuroendocrine neoplasm (MiNEN) of the sigmoid colon.", "colon"),
        ("Neuroendocrine carcinoma of the distal oesophagus, small cell type.", "esophagus"),
    ],
)
def test_site_on_a_specimen_label_or_after_the_tumour_name(text: str, site: str) -> None:
    profile = extract_text(f"SURGICAL PATHOLOGY REPORT\n{text}\n", "label.txt")
    assert profile.fields["primary_site"].value == site


def test_a_procedure_alone_does_not_name_the_primary() -> None:
    """A right hemicolectomy is done for ileal and appendiceal NETs too: the procedure is not the site."""
    profile = extract_text(
        "Specimen: right hemicolectomy\nDiagnosis: well differentiated NET, G1\n", "hemi.txt"
    )
    assert "primary_site" not in profile.fields
