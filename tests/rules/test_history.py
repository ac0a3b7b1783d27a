"""Treatment history as data: therapy lines read from report sentences, and rules that use them
(a therapy the disease progressed on is not offered again; an SSA fails only with documented progression;
declined or planned is never counted as given). Sentences are invented, in several wordings."""

from __future__ import annotations

from typing import Any

import pytest

from netnav.records.reader import SourceText
from netnav.records.therapy_lines import extract_therapy_lines, lines_from_sentence
from netnav.rules import assess
from netnav.rules.history import history_fields
from netnav.types.assessment import Finding
from netnav.types.case import CaseProfile
from tests.rules.rules_helpers import make_case


@pytest.mark.parametrize(
    ("sentence", "drugs", "expect"),
    [
        ("He progressed on lanreotide.", ["lanreotide"], {"progressed": True, "status": "given"}),
        ("Everolimus was offered, but the patient declined it.", ["everolimus"], {"status": "declined"}),
        ("He then received 4 cycles of CAP/TEM.", ["capecitabine", "temozolomide"], {"cycles": 4}),
        (
            "Lanreotide 120 mg started in October 2026.",
            ["lanreotide"],
            {"progressed": None, "start": "October 2026"},
        ),
        (
            "CAPTEM was stopped after six cycles because of toxicity.",
            ["capecitabine", "temozolomide"],
            {"stop_reason": "toxicity", "cycles": 6, "status": "stopped"},
        ),
        ("Plan: PRRT with Lu-177 DOTATATE.", ["lutetium lu 177 dotatate"], {"status": "planned"}),
        (
            "Best response to carboplatin and etoposide was a partial response; progression 3 months later.",
            ["carboplatin", "etoposide"],
            {"best_response": "partial response", "progressed": True},
        ),
        (
            "She declined sunitinib because of side effects she read about.",
            ["sunitinib"],
            {"stop_reason": None},
        ),
        ("Mum refused the everolimus tablets.", ["everolimus"], {"status": "declined"}),
        ("Disease progression on octreotide LAR in 2024.", ["octreotide"], {"progressed": True}),
        ("Stable disease on lanreotide since 2021, no progression.", ["lanreotide"], {"progressed": None}),
        ("Currently on octreotide.", ["octreotide"], {"status": "ongoing"}),
        (
            "We will start capecitabine and temozolomide next week.",
            ["capecitabine", "temozolomide"],
            {"status": "planned"},
        ),
    ],
)
def test_therapy_line_from_sentence(sentence: str, drugs: list[str], expect: dict[str, Any]) -> None:
    lines = lines_from_sentence(sentence, "note.txt", 1)
    assert len(lines) == 1, lines
    assert lines[0].drugs == drugs
    for key, value in expect.items():
        assert getattr(lines[0], key) == value, (key, lines[0])


@pytest.mark.parametrize(
    "sentence", ["No prior everolimus.", "She has not received sunitinib.", "Chemo-naive."]
)
def test_negated_mentions_give_no_line(sentence: str) -> None:
    assert lines_from_sentence(sentence, "note.txt", 1) == []


def _case(text: str, **values: Any) -> CaseProfile:
    lines = extract_therapy_lines(SourceText(name="note.txt", lines=tuple(text.splitlines())))
    base = make_case("h", **values)
    return base.model_copy(update={"therapy_lines": lines})


PNET: dict[str, Any] = {
    "primary_site": "pancreas",
    "differentiation": "well",
    "grade": "G2",
    "ki67_percent": 8,
    "sstr_status": "positive",
    "metastatic_sites": ["liver"],
}


def _finding(case: CaseProfile, rule: str) -> Finding:
    return next(f for f in assess(case, audience="clinician").findings if f.rule_id == rule)


def test_declined_is_not_given_and_progression_is_recorded() -> None:
    note = "He progressed on lanreotide. Everolimus was offered, but he declined it. He then had 4 cycles of CAPTEM."
    case = _case(note, **PNET, prior_therapies=["lanreotide", "everolimus", "capecitabine", "temozolomide"])
    hist = {k: list(v.value) if isinstance(v.value, list) else [] for k, v in history_fields(case).items()}
    assert hist["declined_therapies"] == ["everolimus"]
    assert "everolimus" not in hist["received_therapies"]
    assert hist["progressed_on"] == ["lanreotide"]


def test_captem_not_offered_again_after_progression_on_it() -> None:
    case = _case("Progression after 6 cycles of capecitabine/temozolomide.", **PNET)
    captem = _finding(case, "tx-captem.v1")
    assert captem.status == "not_met" and captem.label == "does_not_apply"
    assert "not a next-line option" in captem.statement
    fresh = _finding(make_case("f", **PNET), "tx-captem.v1")
    assert fresh.status == "met"


def test_ssa_failed_only_with_documented_progression() -> None:
    started = _case("Lanreotide started a month ago.", **PNET, prior_therapies=["lanreotide"])
    assert "SSTR-positive advanced GEP-NET" in _finding(started, "tx-prrt.v1").statement
    assert "documented progression" not in _finding(started, "tx-prrt.v1").statement
    progressed = _case("The tumour grew on lanreotide.", **PNET, prior_therapies=["lanreotide"])
    prrt = _finding(progressed, "tx-prrt.v1")
    assert "after SSA" in prrt.statement and "lanreotide" in prrt.statement
    ssa = _finding(progressed, "tx-somatostatin-analogue.v1")
    assert ssa.status == "not_met" and "progression on SSA" in ssa.statement


def test_declined_everolimus_is_shown_as_declined() -> None:
    case = _case("Everolimus was offered; the patient refused it.", **PNET, prior_therapies=["everolimus"])
    targeted = _finding(case, "tx-targeted-therapy.v1")
    assert "declined: everolimus" in targeted.statement
    assert "Given: everolimus" not in targeted.statement


def test_targeted_therapy_waits_for_documented_progression() -> None:
    """Stable disease on an SSA: everolimus and the others are for progression, not the next step now."""
    stable = _case("Started octreotide LAR 30 mg in April 2024, stable disease on the last scan.", **PNET)
    finding = _finding(stable, "tx-targeted-therapy.v1")
    assert finding.status == "not_met" and finding.label == "does_not_apply"
    assert "octreotide" in finding.statement and "progressive disease" in finding.statement
    grown = _case("She was on lanreotide since last summer, scan in december showed it's growing.", **PNET)
    assert _finding(grown, "tx-targeted-therapy.v1").status == "met"
    assert _finding(make_case("naive", **PNET), "tx-targeted-therapy.v1").status == "met"


def test_platinum_etoposide_not_offered_again_after_progression_on_it() -> None:
    nec: dict[str, Any] = {
        "histology": "large cell neuroendocrine carcinoma",
        "differentiation": "poorly",
        "primary_site": "lung",
    }
    case = _case("Carboplatin and etoposide x 4 cycles, progressed on platinum in June 2025.", **nec)
    finding = _finding(case, "tx-nec-platinum-etoposide.v1")
    assert finding.status == "not_met" and finding.label == "does_not_apply"
    assert "carboplatin" in finding.statement and "first line already given" in finding.statement
    assert _finding(make_case("naive", **nec), "tx-nec-platinum-etoposide.v1").status == "met"
