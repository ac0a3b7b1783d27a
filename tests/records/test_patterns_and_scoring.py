"""The pattern file is versioned and validated; the scorer follows the eval README rules."""

from __future__ import annotations

import importlib.resources

import pytest
import yaml

from netnav.errors import KnowledgeError
from netnav.records import extract_text
from netnav.records import patterns as pattern_module
from netnav.records.scoring import score_profile, values_match


def test_pattern_file_has_version_and_compiles() -> None:
    pat = pattern_module.load_patterns()
    assert pat.version.startswith("records-patterns.v")
    assert "pancreas" in pat.sites and "MiNEN" in [h.value for h in pat.histology]


def test_invalid_pattern_data_is_rejected() -> None:
    with pytest.raises(KnowledgeError, match="version"):
        pattern_module._build({"sites": {}})
    raw = yaml.safe_load(
        (importlib.resources.files("netnav.records") / "data" / "patterns.yaml").read_text(encoding="utf-8")
    )
    raw["histology"][0]["pattern"] = "(unclosed"
    with pytest.raises(KnowledgeError, match="bad regex"):
        pattern_module._build(raw)


def test_values_match_rules() -> None:
    assert values_match(8.0, 8) and not values_match(8.1, 8)
    assert values_match(" Pancreas ", "pancreas")
    assert not values_match(1, "<1") and values_match("<1", "<1")
    assert values_match(["RB1", "TP53"], ["TP53", "RB1"]) and not values_match(["TP53"], ["TP53", "RB1"])
    assert not values_match(1, True) and values_match(False, False)


def test_score_counts_missing_and_wrong() -> None:
    p = extract_text("Ki-67: 12%\nWHO grade 2", "x.txt")
    s = score_profile(p, {"ki67_percent": 12, "grade": "G3", "age": 50})
    assert (s.correct, s.predicted, s.expected) == (1, 2, 3)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Ki-67 (MIB-1) labeling index: 15%", "ki67_percent", 15),
        ("Ki67 <1%", "ki67_percent", "<1"),
        ("ki-67 index of approximately 3-5%", "ki67_percent", 5),
        ("Mitoses: 12 per 10 HPF (HPF = 0.24 mm2)", "mitoses_per_2mm2", 10),
        ("intermediate grade neuroendocrine tumor", "grade", "G2"),
        ("Carcinoid tumor of the ileum", "histology", "well-differentiated neuroendocrine tumor"),
        ("Typical carcinoid, right middle lobe", "histology", "typical carcinoid"),
        ("Mixed neuroendocrine-non-neuroendocrine neoplasm (MiNEN) of the colon", "histology", "MiNEN"),
        ("Left adrenal gland: pheochromocytoma, 4 cm", "histology", "pheochromocytoma"),
        ("Carotid body paraganglioma", "histology", "paraganglioma"),
        ("Tumor size: 18 mm", "tumor_size_cm", 1.8),
        ("Lymph nodes: positive, 1/2", "nodes_examined", 2),
        ("pT3 pN1 M1a, stage IV", "stage", "IV"),
        ("pT3 pN1 M1a, stage IV", "pM", "M1a"),
        ("MMR IHC: loss of MSH2 and MSH6", "mmr_status", "dMMR"),
        ("PD-L1 22C3 CPS 10", "pdl1_cps", 10),
        ("DLL3 immunohistochemistry: negative", "dll3_status", "negative"),
        ("Tumour is non-functional.", "functional_syndrome", "non-functioning"),
        ("Octreoscan: no abnormal uptake", "sstr_status", "negative"),
        ("Previous treatment: Keytruda", "prior_therapies", ["pembrolizumab"]),
        ("Treated with CAPTEM", "prior_therapies", ["capecitabine", "temozolomide"]),
        ("ATRX and DAXX loss (IHC)", "gene_alterations", ["ATRX", "DAXX"]),
    ],
)
def test_value_forms(text: str, field: str, value: object) -> None:
    got = extract_text(text, "t.txt").value(field)
    assert values_match(got, value), (text, got)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Negative for necrosis.", "necrosis"),
        ("No perineural invasion identified.", "perineural_invasion"),
        ("Lymphovascular invasion: absent", "lymphovascular_invasion"),
    ],
)
def test_negated_findings_are_false_and_listed(text: str, field: str) -> None:
    p = extract_text(text, "n.txt")
    assert p.value(field) is False and [n.field for n in p.negated] == [field]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Liver lesion suspicious for metastasis.", "metastatic_sites"),
        ("History of breast carcinoma; family history of carcinoid tumor.", "histology"),
        ("We will consider pembrolizumab if he progresses.", "prior_therapies"),
        ("BRAF V600E: not detected", "gene_alterations"),
        ("p53: wild-type pattern. Rb retained.", "gene_alterations"),
    ],
)
def test_context_blocks_non_findings(text: str, field: str) -> None:
    assert extract_text(text, "c.txt").value(field) in (None, [])
