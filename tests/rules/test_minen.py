"""MiNEN (mixed neuroendocrine-non-neuroendocrine neoplasm), table-driven: components, shares and the component
that guides treatment read from reports in many wordings; the rules then treat the most aggressive component
(NEC component -> NEC options, NET + carcinoma -> no NET-directed options; adenocarcinoma -> MMR/MSI relevance)."""

from __future__ import annotations

from typing import Any

import pytest

from netnav.records import extract_text
from netnav.rules import assess
from netnav.rules.minen import minen_driver
from netnav.types.assessment import Assessment

NE, NON = "minen_ne_component", "minen_non_ne_component"
NEP, NONP = "minen_ne_percent", "minen_non_ne_percent"
NEC = "neuroendocrine carcinoma"
LCNEC = "large cell neuroendocrine carcinoma"
SCNEC = "small cell neuroendocrine carcinoma"
NET = "well-differentiated neuroendocrine tumor"
ADENO = "adenocarcinoma"

# (report, expected component fields (None = must be absent), expected driver)
CASES: list[tuple[str, dict[str, Any], str | None]] = [
    (  # en dash, component then share
        "APPENDIX, APPENDECTOMY:\nMixed neuroendocrine–non-neuroendocrine neoplasm, 2.5 cm (adenocarcinoma component "
        "60%, neuroendocrine carcinoma component 40%).\n",
        {NE: NEC, NEP: 40, NON: ADENO, NONP: 60},
        NEC,
    ),
    (  # old name MANEC, share first, NET component
        "Stomach, gastrectomy: mixed adenoneuroendocrine carcinoma (MANEC) composed of 65% tubular adenocarcinoma and "
        "35% well-differentiated neuroendocrine tumour, grade 2 (Ki-67 8%).\n",
        {NE: NET, NEP: 35, NON: ADENO, NONP: 65},
        "non-neuroendocrine carcinoma",
    ),
    (  # bullets on separate lines, large cell written after the NEC
        "COLON, RIGHT HEMICOLECTOMY:\nMiNEN.\n- Adenocarcinoma, moderately differentiated: 55%\n"
        "- Poorly differentiated neuroendocrine carcinoma, large cell type: 45%\nKi-67 (NEC part): 80%\n",
        {NE: LCNEC, NEP: 45, NON: ADENO, NONP: 55},
        NEC,
    ),
    (  # no MiNEN word: both components with shares in one clause
        "Rectum, anterior resection: carcinoma with two components, small cell carcinoma (approximately 50 percent) "
        "and adenocarcinoma (50 percent).\n",
        {NE: SCNEC, NEP: 50, NON: ADENO, NONP: 50},
        NEC,
    ),
    (  # generic "neuroendocrine component" carries the share, type named separately; Ki-67 % is not a share
        "Final diagnosis: MiNEN of the pancreas. The neuroendocrine component (40%) is a well-differentiated "
        "neuroendocrine tumor, G2, Ki-67 15%; the non-neuroendocrine component (60%) is acinar cell carcinoma.\n",
        {NE: NET, NEP: 40, NON: "acinar cell carcinoma", NONP: 60},
        "non-neuroendocrine carcinoma",
    ),
    (  # squamous partner (oesophagus), NEC
        "Oesophagus: mixed neuroendocrine-non-neuroendocrine neoplasm: squamous cell carcinoma 30%, small cell "
        "neuroendocrine carcinoma 70%.\n",
        {NE: SCNEC, NEP: 70, NON: "squamous cell carcinoma", NONP: 30},
        NEC,
    ),
    (  # MiNEN named, no components: driver unknown
        "Colon biopsy: MiNEN. See comment.\n",
        {NE: None, NEP: None, NON: None, NONP: None},
        None,
    ),
    (  # MiNEN named, NEC but no shares: driver still known
        "Gallbladder: MiNEN, with an adenocarcinoma and a large cell neuroendocrine carcinoma; proportions not "
        "assessable on this biopsy.\n",
        {NE: LCNEC, NEP: None, NON: ADENO, NONP: None},
        NEC,
    ),
    (  # NET with an adenoma: the NET guides
        "Ampulla: mixed neuroendocrine-non-neuroendocrine neoplasm: tubular adenoma (40%) with a well-differentiated "
        "neuroendocrine tumour, G1 (60%).\n",
        {NE: NET, NEP: 60, NON: "adenoma", NONP: 40},
        "neuroendocrine tumour",
    ),
    (  # a pure NET with a Ki-67 percentage: no components at all
        "Pancreas: well-differentiated neuroendocrine tumour, grade 2, Ki-67 12%.\n",
        {NE: None, NEP: None, NON: None, NONP: None},
        None,
    ),
    (  # adenocarcinoma with a focal NE component stated absent
        "Colon: adenocarcinoma, moderately differentiated; no neuroendocrine component identified.\n",
        {NE: None, NEP: None, NON: None, NONP: None},
        None,
    ),
    (  # caregiver-style, "per cent"
        "My husband's report says: mixed tumour (MiNEN) of the stomach, about 70 per cent neuroendocrine carcinoma "
        "and 30 per cent adenocarcinoma.\n",
        {NE: NEC, NEP: 70, NON: ADENO, NONP: 30},
        NEC,
    ),
]


@pytest.mark.parametrize(("report", "fields", "driver"), CASES)
def test_components_and_driver(report: str, fields: dict[str, Any], driver: str | None) -> None:
    case = extract_text(report, "report.txt")
    for name, expected in fields.items():
        assert case.value(name) == expected, (name, {k: v.value for k, v in case.fields.items()})
        if expected is not None:
            fv = case.fields[name]
            assert fv.source == "report.txt" and fv.text.strip() in report  # linked to its source line
    got = minen_driver(case)
    assert (got.value if got is not None else None) == driver


def _finding(a: Assessment, rule: str) -> Any:
    return next((f for f in a.findings if f.rule_id == rule), None)


NET_DIRECTED = ("tx-somatostatin-analogue.v1", "tx-prrt.v1", "tx-captem.v1", "io-well-differentiated-net.v1")


def test_nec_component_drives_nec_options_and_keeps_msi_relevance() -> None:
    a = assess(extract_text(CASES[0][0], "r.txt"), "patient")
    minen = _finding(a, "minen-components.v1")
    assert (
        minen.status == "met" and "neuroendocrine carcinoma" in minen.statement and "60%" in minen.statement
    )
    chemo = _finding(a, "tx-nec-platinum-etoposide.v1")
    assert chemo is not None and chemo.status == "met" and "mixed tumour" in chemo.statement
    assert all(_finding(a, r) is None for r in NET_DIRECTED)  # no SSA/PRRT for an adenocarcinoma + NEC
    msi = _finding(a, "minen-msi-mmr.v1")
    assert msi.status == "met" and "adenocarcinoma" in msi.statement
    assert "b-minen-most-aggressive-component" in minen.card_ids


def test_net_with_carcinoma_gets_no_net_directed_options() -> None:
    report = CASES[1][0] + "Ga-68 DOTATATE PET: SSTR positive. Liver metastases.\n"
    a = assess(extract_text(report, "r.txt"), "clinician")
    minen = _finding(a, "minen-components.v1")
    assert minen.status == "met" and "non-NE carcinoma is the most aggressive" in minen.statement
    assert all(_finding(a, r) is None for r in NET_DIRECTED)
    assert _finding(a, "tx-nec-platinum-etoposide.v1") is None


def test_net_with_adenoma_keeps_net_rules() -> None:
    report = CASES[8][0] + "DOTATATE PET: SSTR positive.\n"
    a = assess(extract_text(report, "r.txt"), "patient")
    assert _finding(a, "minen-components.v1").status == "met"
    assert _finding(a, "tx-somatostatin-analogue.v1") is not None


def test_unknown_components_ask_and_hold_back_net_options() -> None:
    a = assess(extract_text(CASES[6][0], "r.txt"), "patient")
    minen = _finding(a, "minen-components.v1")
    assert minen.status == "unknown" and minen.label == "unknown"
    assert "minen_driver" in minen.missing and "more aggressive" in minen.statement
    assert any("Which part of my mixed tumour" in q for q in a.questions_to_ask)
    assert all(_finding(a, r) is None for r in NET_DIRECTED)


@pytest.mark.parametrize(
    "report",
    [
        "Colon: MiNEN: adenocarcinoma 80%, neuroendocrine carcinoma 20%.\n",
        "Stomach: mixed neuroendocrine-non-neuroendocrine neoplasm with 25% neuroendocrine carcinoma and 75% "
        "adenocarcinoma.\n",
    ],
)
def test_component_below_30_percent_is_questioned(report: str) -> None:
    a = assess(extract_text(report, "r.txt"), "patient")
    minen = _finding(a, "minen-components.v1")
    assert minen.status == "met" and minen.label == "unknown"
    assert "at least 30%" in minen.statement


def test_msi_result_present_asks_which_component() -> None:
    report = CASES[0][0] + "MMR immunohistochemistry: loss of MLH1 and PMS2 (dMMR).\n"
    a = assess(extract_text(report, "r.txt"), "patient")
    msi = _finding(a, "minen-msi-mmr.v1")
    assert msi.status == "not_met" and "which part was tested" in msi.statement
    assert _finding(a, "io-msi-dmmr-pembrolizumab.v1").status == "met"


def test_patient_and_clinician_wording_differ() -> None:
    case = extract_text(CASES[2][0], "r.txt")
    patient = _finding(assess(case, "patient"), "minen-components.v1").statement
    clinician = _finding(assess(case, "clinician"), "minen-components.v1").statement
    assert "platinum" in clinician and "most aggressive part" in patient and patient != clinician
