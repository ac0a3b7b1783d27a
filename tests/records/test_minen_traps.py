"""Not every report that names two tumour kinds, or the word MiNEN, describes a mixed neoplasm: WHO requires both
components within ONE neoplasm (IARC-WHO framework, PMID 30140036). A NET with a separate adenoma, a collision
tumour, an amphicrine carcinoma, goblet cell adenocarcinoma, a differential diagnosis, a former name or a
classification legend do not make a MiNEN. Reports invented for these tests; the last rows are true MiNENs."""

from __future__ import annotations

import pytest

from netnav.records import extract_text
from netnav.rules.minen import is_minen, minen_driver

NOT_MIXED = [
    # a NET and a separate adenoma in another specimen, with a comment listing the WHO categories
    "A. Rectum, polypectomy: well-differentiated neuroendocrine tumour G1, 5 mm.\n"
    "B. Sigmoid colon, polypectomy: tubular adenoma with low-grade dysplasia.\n"
    "Comment: the WHO 2019 classification separates NET, NEC and mixed neuroendocrine-non-neuroendocrine "
    "neoplasms (MiNEN).",
    # the same, as one line of a clinic letter
    "Colonoscopy: small rectal NET (G1) and a separate 8 mm tubular adenoma in the descending colon; this is not "
    "a MiNEN.",
    # caregiver wording
    "they found a carcinoid in his rectum and another polyp that was an adenoma, the doctor said its not a mixed "
    "tumour",
    # collision tumour: two neoplasms that meet
    "Ileocaecal valve: collision tumour of adenocarcinoma (pT3) and well-differentiated NET G2; not a mixed "
    "neuroendocrine-non-neuroendocrine neoplasm.",
    # NET with adjacent adenocarcinoma in situ
    "Ampulla: well-differentiated neuroendocrine tumour G2, 1.4 cm, with adjacent adenocarcinoma in situ (30%).",
    # amphicrine carcinoma
    "Stomach: amphicrine carcinoma (MiNEN-like), tumour cells co-expressing chromogranin A and MUC2.",
    # goblet cell adenocarcinoma, with its former names
    "Appendix: goblet cell adenocarcinoma (previously called goblet cell carcinoid or mixed adenoneuroendocrine "
    "carcinoma), grade 1, 1.5 cm.",
    # a differential diagnosis that was excluded
    "Differential diagnosis included MiNEN; the adenocarcinoma component is under 5%. Final diagnosis: "
    "neuroendocrine carcinoma, large cell type.",
    # one cell per line export
    "Diagnosis\nNeuroendocrine tumour, G1\nAdditional finding\nSeparate tubular adenoma\nMiNEN\nNo",
    # misspelled, with the name only as a comparison
    "Well diferentiated neuroendocrine tumor G2 of the colon; features are not those of a MINEN or MANEC.",
]


@pytest.mark.parametrize("report", NOT_MIXED)
def test_not_a_mixed_neoplasm(report: str) -> None:
    case = extract_text(report, "report.txt")
    assert not is_minen(case), {k: v.value for k, v in case.fields.items()}
    assert minen_driver(case) is None
    assert str(case.value("histology") or "") != "MiNEN"


@pytest.mark.parametrize(
    ("report", "driver"),
    [
        (
            "Colon: mixed neuroendocrine-non-neuroendocrine neoplasm (MiNEN): adenocarcinoma 55% and large cell "
            "neuroendocrine carcinoma 45%.",
            "neuroendocrine carcinoma",
        ),
        (
            "MANEC of the stomach, neuroendocrine carcinoma component 40%, adenocarcinoma component 60%, the two "
            "components intimately admixed.",
            "neuroendocrine carcinoma",
        ),
        (
            "Mixed adenoma and well-differentiated neuroendocrine tumour of the colon in one polyp: tubulovillous "
            "adenoma component 40%, NET G1 component 60%.",
            "neuroendocrine tumour",
        ),
    ],
)
def test_true_mixed_neoplasms_are_still_read(report: str, driver: str) -> None:
    case = extract_text(report, "report.txt")
    assert is_minen(case)
    found = minen_driver(case)
    assert found is not None and found.value == driver
