"""Guideline-ordered treatment options by setting, table-driven: the setting chosen from the case (site,
grade/differentiation, SSTR status), the step the treatment history points to, each option's status (tried /
given / declined / option / not applicable / unknown) with its reason, and steps without a guideline order
saying so instead of ranking."""

from __future__ import annotations

from typing import Any

import pytest

from netnav.records.reader import SourceText
from netnav.records.therapy_lines import extract_therapy_lines
from netnav.rules import assess
from netnav.rules.pathway import load_pathways
from netnav.types.assessment import TreatmentPathway
from netnav.types.case import CaseProfile
from tests.rules.rules_helpers import make_case

PNET: dict[str, Any] = {
    "primary_site": "pancreas",
    "histology": "well-differentiated neuroendocrine tumor",
    "differentiation": "well",
    "grade": "G2",
    "ki67_percent": 8,
    "sstr_status": "positive",
    "metastatic_sites": ["liver"],
}
SINET = {**PNET, "primary_site": "small intestine", "ki67_percent": 2, "grade": "G1"}
NETG3 = {**PNET, "grade": "G3", "ki67_percent": 35}
EPNEC = {
    "primary_site": "colon",
    "histology": "neuroendocrine carcinoma",
    "differentiation": "poorly",
    "ki67_percent": 80,
    "metastatic_sites": ["liver"],
}
SCLC = {
    "primary_site": "lung",
    "histology": "small cell neuroendocrine carcinoma",
    "differentiation": "poorly",
}
LUNG_NET = {
    "primary_site": "lung",
    "histology": "atypical carcinoid",
    "differentiation": "well",
    "metastatic_sites": ["liver"],
    "sstr_status": "positive",
}
MCC = {
    "primary_site": "skin",
    "histology": "merkel cell carcinoma",
    "metastatic_sites": ["lymph nodes", "liver"],
}


def _case(values: dict[str, Any], history: str = "") -> CaseProfile:
    lines = (
        extract_therapy_lines(SourceText(name="note.txt", lines=tuple(history.splitlines())))
        if history
        else []
    )
    return make_case("p", **values).model_copy(update={"therapy_lines": lines})


def _pathway(values: dict[str, Any], history: str = "", audience: str = "clinician") -> TreatmentPathway:
    pathway = assess(_case(values, history), audience).pathway
    assert pathway is not None
    return pathway


def _statuses(p: TreatmentPathway) -> list[list[tuple[str, str]]]:
    return [[(o.option_id, o.status) for o in s.options] for s in p.steps]


def _current(p: TreatmentPathway) -> int:
    return next(i for i, s in enumerate(p.steps) if s.current)


# (case values, history note, pathway id, current step, expected (step, option id) -> status)
CASES: list[tuple[dict[str, Any], str, str, int, dict[tuple[int, str], str]]] = [
    (PNET, "", "gep-net-sstr-positive", 0, {(0, "ssa"): "option", (0, "prrt-first-line"): "not_applicable"}),
    (  # pNET after documented progression on lanreotide: SSA tried; step 2 options, pancreas-only ones apply
        PNET,
        "The tumour progressed on lanreotide.",
        "gep-net-sstr-positive",
        1,
        {(0, "ssa"): "tried", (1, "prrt"): "option", (1, "sunitinib"): "option", (1, "captem"): "option"},
    ),
    (  # lanreotide started a month ago is given, not failed: still the first step
        PNET,
        "Lanreotide was started a month ago.",
        "gep-net-sstr-positive",
        0,
        {(0, "ssa"): "given", (1, "prrt"): "option"},
    ),
    (  # progressed on SSA, then on CAPTEM; everolimus declined
        PNET,
        "Progressed on octreotide LAR.\nThen progression after 6 cycles of CAPTEM.\n"
        "Everolimus was offered; he declined.",
        "gep-net-sstr-positive",
        1,
        {(0, "ssa"): "tried", (1, "captem"): "tried", (1, "everolimus"): "declined", (1, "prrt"): "option"},
    ),
    (  # SI-NET: pancreas-only options do not apply after SSA
        SINET,
        "Disease progression on lanreotide.",
        "gep-net-sstr-positive",
        1,
        {(1, "sunitinib"): "not_applicable", (1, "captem"): "not_applicable", (1, "everolimus"): "option"},
    ),
    (  # higher Ki-67 G2: first-line PRRT (NETTER-2) applies beside SSA
        {**PNET, "ki67_percent": 15},
        "",
        "gep-net-sstr-positive",
        0,
        {(0, "ssa"): "option", (0, "prrt-first-line"): "option"},
    ),
    (  # SSTR negative: no SSA/PRRT in the pathway
        {**PNET, "sstr_status": "negative"},
        "",
        "gep-net-sstr-negative",
        0,
        {(0, "everolimus"): "option", (0, "sunitinib"): "option"},
    ),
    (  # NET G3, Ki-67 35%: platinum-etoposide kept for very high Ki-67
        NETG3,
        "",
        "net-g3",
        0,
        {
            (0, "platinum-etoposide"): "not_applicable",
            (0, "prrt"): "option",
            (0, "temozolomide-based"): "option",
        },
    ),
    (  # NET G3 SSTR unknown: PRRT unknown
        {k: v for k, v in NETG3.items() if k != "sstr_status"},
        "",
        "net-g3",
        0,
        {(0, "prrt"): "unknown"},
    ),
    (EPNEC, "", "ep-nec", 0, {(0, "platinum-etoposide"): "option"}),
    (  # EP-NEC after platinum: second line, ipi+nivo for a non-pancreatic primary
        EPNEC,
        "Progressed after 6 cycles of carboplatin and etoposide.",
        "ep-nec",
        1,
        {(0, "platinum-etoposide"): "tried", (1, "folfiri"): "option", (1, "ipilimumab-nivolumab"): "option"},
    ),
    (  # pancreatic NEC: the NCCN ipi+nivo option does not apply
        {**EPNEC, "primary_site": "pancreas"},
        "Progression on cisplatin/etoposide.",
        "ep-nec",
        1,
        {(1, "ipilimumab-nivolumab"): "not_applicable"},
    ),
    (SCLC, "", "sclc", 0, {(0, "chemo-immunotherapy"): "option"}),
    (
        SCLC,
        "Progressed on carboplatin, etoposide and atezolizumab.",
        "sclc",
        1,
        {(0, "chemo-immunotherapy"): "tried", (1, "tarlatamab"): "option", (1, "topotecan"): "option"},
    ),
    (LUNG_NET, "", "lung-carcinoid", 0, {(0, "ssa"): "option", (0, "everolimus"): "option"}),
    ({**LUNG_NET, "sstr_status": "negative"}, "", "lung-carcinoid", 0, {(0, "ssa"): "not_applicable"}),
    (MCC, "", "merkel-advanced", 0, {(0, "pd1-pdl1"): "option"}),
    (MCC, "Progression on avelumab.", "merkel-advanced", 1, {(0, "pd1-pdl1"): "tried"}),
]


@pytest.mark.parametrize(("values", "history", "pathway_id", "current", "expected"), CASES)
def test_setting_step_and_option_statuses(
    values: dict[str, Any], history: str, pathway_id: str, current: int, expected: dict[tuple[int, str], str]
) -> None:
    p = _pathway(values, history)
    assert p.pathway_id == pathway_id
    assert _current(p) == current
    got = {(i, oid): status for i, step in enumerate(_statuses(p)) for oid, status in step}
    for key, status in expected.items():
        assert got[key] == status, (key, got)
    for step in p.steps:
        for option in step.options:
            assert option.why and option.citations  # every option says why and is cited
    assert p.citations and p.order_source


def test_options_keep_the_file_order_and_unranked_steps_say_so() -> None:
    """Options appear in the order of the pathway file (the guideline order); a step whose sources give no
    ranking carries a note saying so."""
    spec = {p.id: p for p in load_pathways().pathways}["gep-net-sstr-positive"]
    p = _pathway(PNET)
    assert [o.option_id for o in p.steps[1].options] == [o.id for o in spec.steps[1].options]
    assert p.steps[0].ordered and not p.steps[1].ordered
    assert p.steps[1].note and "without a fixed order" in p.steps[1].note
    for pathway in load_pathways().pathways:
        for step in pathway.steps:
            assert step.ordered or step.note, (pathway.id, step.title)


def test_tried_option_says_so_in_patient_words() -> None:
    p = _pathway(PNET, "The tumour progressed on lanreotide.", audience="patient")
    ssa = p.steps[0].options[0]
    assert (
        ssa.status == "tried" and "grew on lanreotide" in ssa.why and "not usually offered again" in ssa.why
    )


@pytest.mark.parametrize(
    "values",
    [
        {
            "primary_site": "pancreas",
            "differentiation": "well",
            "metastatic_sites": ["liver"],
        },  # SSTR unknown
        {"histology": "neuroendocrine carcinoma", "differentiation": "poorly"},  # site unknown: lung or not?
    ],
)
def test_undecided_setting_is_reported_with_what_is_missing(values: dict[str, Any]) -> None:
    p = _pathway(values)
    assert p.pathway_id is None and p.setting == "not determined" and p.missing and not p.steps


@pytest.mark.parametrize(
    "values",
    [
        {
            "primary_site": "appendix",
            "differentiation": "well",
            "grade": "G1",
            "metastatic_sites": [],
        },  # localised
        {"primary_site": "adrenal", "histology": "pheochromocytoma", "metastatic_sites": []},
    ],
)
def test_no_pathway_when_no_setting_applies(values: dict[str, Any]) -> None:
    assert assess(_case(values), "patient").pathway is None


def test_minen_with_nec_component_follows_the_nec_pathway() -> None:
    values = {
        "primary_site": "colon",
        "histology": "MiNEN",
        "minen_ne_component": "large cell neuroendocrine carcinoma",
        "minen_non_ne_component": "adenocarcinoma",
        "metastatic_sites": ["liver"],
    }
    assert _pathway(values).pathway_id == "ep-nec"
    net_adeno = {
        **values,
        "minen_ne_component": "well-differentiated neuroendocrine tumor",
        "differentiation": "well",
    }
    assert assess(_case({**net_adeno, "sstr_status": "positive"}), "patient").pathway is None


@pytest.mark.parametrize(
    ("history", "patient", "clinician"),
    [
        ("Remains on lanreotide 120 mg monthly.", "Being given now", "Ongoing"),
        (
            "Lanreotide was stopped in 2023 because of gallstones.",
            "Given before and stopped",
            "Received and stopped",
        ),
        ("Lanreotide given.", "Already given", "Received"),
    ],
)
def test_given_option_says_whether_it_is_still_given(history: str, patient: str, clinician: str) -> None:
    ssa = _pathway(PNET, history, audience="patient").steps[0].options[0]
    assert ssa.status == "given" and ssa.why.startswith(patient + " (lanreotide)"), ssa.why
    ssa = _pathway(PNET, history).steps[0].options[0]
    assert ssa.why.startswith(clinician + " (lanreotide)"), ssa.why


def test_esmo_order_depends_on_the_primary_site() -> None:
    """ESMO 2020: after an SSA, PRRT first for small-intestinal NET; targeted drugs or chemotherapy before PRRT
    for pancreatic NET. The step lists both the unranked options and the guideline's order for this site."""
    si = _pathway(SINET, "Disease progression on lanreotide.").steps[1]
    assert [g.source for g in si.guideline_orders] == [
        "ESMO 2020 (small-intestinal NET; other digestive NETs follow the same principles)"
    ]
    assert si.guideline_orders[0].tiers[0] == ["PRRT (Lu-177 DOTATATE)"] and si.guideline_orders[0].citations
    pnet = _pathway(PNET, "The tumour progressed on lanreotide.").steps[1]
    tiers = pnet.guideline_orders[0].tiers
    assert tiers[-1] == ["PRRT (Lu-177 DOTATATE)"] and "Everolimus" in tiers[0]
    assert pnet.note is not None and "then PRRT" in pnet.note
    first = _pathway(PNET, "").steps[0]
    assert first.note is not None and "NETTER-2" in first.note


def test_differing_guideline_orders_are_both_shown() -> None:
    from netnav.rules.guideline_order import order_note
    from netnav.types.assessment import GuidelineOrder

    a = GuidelineOrder(source="Guideline A", tiers=[["PRRT"], ["everolimus"]])
    b = GuidelineOrder(source="Guideline B", tiers=[["everolimus", "sunitinib"], ["PRRT"]])
    note = order_note([a, b], [])
    assert note is not None
    assert (
        "Guideline A: PRRT, then everolimus" in note
        and "Guideline B: everolimus or sunitinib, then PRRT" in note
    )
    assert "order the options differently" in note
    assert "differently" not in (order_note([a, a], []) or "")
    assert "depends on primary" in (order_note([], ["primary_site"]) or "").replace("the primary", "primary")


def test_a_guideline_order_must_name_the_step_options(tmp_path: Any) -> None:
    import yaml

    from netnav.errors import KnowledgeError
    from netnav.rules.pathway import pathways_path

    raw = yaml.safe_load(pathways_path().read_text(encoding="utf-8"))
    step = next(p for p in raw["pathways"] if p["id"] == "gep-net-sstr-positive")["steps"][1]
    step["guideline_orders"][0]["tiers"] = [["no-such-option"]]
    bad = tmp_path / "pathways.yaml"
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="unknown options"):
        load_pathways(str(bad))
