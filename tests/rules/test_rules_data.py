"""The shipped rule set: valid, every rule cites existing cards, withdrawn indications never offered,
wording is information (not prescription), citations numbered in order of first use."""

from __future__ import annotations

from typing import Any

import pytest

from netnav.errors import BadInputError
from netnav.knowledge.loader import load_cards
from netnav.rules import assess, load_rules, personal_sentences
from netnav.rules.engine import RuleResult, statement
from netnav.settings import DISCLAIMER
from netnav.types.case import CaseProfile
from tests.rules.rules_helpers import make_case

REQUIRED_RULES = {
    "who-gep-grade.v1",
    "grade-discordance.v1",
    "gep-classification.v1",
    "net-g3-vs-nec.v1",
    "lung-carcinoid.v1",
    "io-tmb-high-pembrolizumab.v1",
    "io-msi-dmmr-pembrolizumab.v1",
    "io-dmmr-dostarlimab.v1",
    "io-merkel.v1",
    "io-sclc-first-line.v1",
    "io-sclc-limited-durvalumab.v1",
    "io-sclc-tarlatamab.v1",
    "io-epnec-ipilimumab-nivolumab.v1",
    "io-well-differentiated-net.v1",
    "tx-somatostatin-analogue.v1",
    "tx-prrt.v1",
    "tx-targeted-therapy.v1",
    "tx-captem.v1",
    "tx-nec-platinum-etoposide.v1",
}

SAMPLE_CASES: list[dict[str, Any]] = [
    {},
    {
        "primary_site": "pancreas",
        "differentiation": "well",
        "ki67_percent": 8,
        "mitoses_per_2mm2": 4,
        "grade": "G2",
    },
    {
        "primary_site": "lung",
        "histology": "small cell lung carcinoma",
        "differentiation": "poorly",
        "stage": "extensive stage",
        "prior_therapies": ["carboplatin", "etoposide", "atezolizumab"],
    },
    {
        "primary_site": "colon",
        "differentiation": "poorly",
        "tmb_mut_per_mb": 14,
        "msi_status": "MSI-H",
        "mmr_status": "dMMR",
        "prior_therapies": ["cisplatin", "etoposide"],
        "metastatic_sites": ["liver"],
    },
    {"primary_site": "skin", "histology": "Merkel cell carcinoma", "metastatic_sites": ["liver"]},
    {
        "primary_site": "ileum",
        "differentiation": "well",
        "sstr_status": "positive",
        "metastatic_sites": ["liver"],
        "functional_syndrome": "carcinoid syndrome",
        "prior_therapies": ["octreotide"],
    },
]


def test_rule_set_loads_and_has_required_rules() -> None:
    ids = {r.id for r in load_rules()}
    assert ids >= REQUIRED_RULES
    assert {r.kind for r in load_rules()} == {
        "classification",
        "grade",
        "risk",
        "immunotherapy",
        "treatment",
        "consideration",
    }


def test_every_cited_card_exists() -> None:
    cards = {c.id for c in load_cards()}
    missing = sorted({(r.id, cid) for r in load_rules() for cid in r.all_cards() if cid not in cards})
    assert not missing, f"rules cite cards that do not exist: {missing}"


def test_options_never_cite_withdrawn_or_superseded_cards() -> None:
    status = {c.id: c.status for c in load_cards()}
    for rule in load_rules():
        if rule.kind in ("immunotherapy", "treatment"):
            stale = [cid for cid in rule.all_cards() if status.get(cid, "current") != "current"]
            assert not stale, f"{rule.id} offers an option on non-current cards {stale}"


@pytest.mark.parametrize("values", SAMPLE_CASES, ids=[str(i) for i in range(len(SAMPLE_CASES))])
def test_no_finding_offers_a_withdrawn_indication(values: dict[str, Any]) -> None:
    status = {c.id: c.status for c in load_cards()}
    for audience in ("patient", "clinician"):
        assessment = assess(make_case(**values), audience)
        cited_status = {c.n: c.status for c in assessment.citations}
        for f in assessment.findings:
            withdrawn = [cid for cid in f.card_ids if status.get(cid) == "withdrawn"]
            withdrawn_n = [n for n in f.citations if cited_status[n] == "withdrawn"]
            if withdrawn or withdrawn_n:
                assert f.kind == "consideration", f"{f.rule_id} cites withdrawn cards as an option"
                assert "withdrawn" in f.statement.lower()


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_every_wording_renders_without_leftover_braces(audience: str) -> None:
    empty, full = make_case(), make_case(**SAMPLE_CASES[3])
    for rule in load_rules():
        results = [RuleResult(o.status, o, (), ()) for o in rule.outcomes]
        results.append(RuleResult("unknown", None, ("ki67_percent",), ("G1", "G2")))
        if rule.not_met is not None:
            results.append(RuleResult("not_met", None, (), ()))
        for result in results:
            for case in (empty, full):
                text = statement(rule, result, case, audience)
                assert "{" not in text and "}" not in text, (rule.id, text)
                assert len(text) >= 15


def test_treatment_wording_is_information_not_prescription() -> None:
    for rule in load_rules():
        if rule.kind not in ("treatment", "immunotherapy"):
            continue
        for o in rule.outcomes:
            for text in (o.patient, o.clinician):
                assert "you should" not in text.lower() and "you must" not in text.lower(), rule.id
        if rule.kind == "treatment":
            assert any("option" in o.patient for o in rule.outcomes), rule.id


@pytest.mark.parametrize("values", SAMPLE_CASES, ids=[str(i) for i in range(len(SAMPLE_CASES))])
def test_assessment_contract(values: dict[str, Any]) -> None:
    case = make_case(**values)
    assessment = assess(case, "patient")
    assert assessment.disclaimer == DISCLAIMER
    assert [c.n for c in assessment.citations] == list(range(1, len(assessment.citations) + 1))
    seen: list[int] = []
    for f in assessment.findings:
        assert f.inputs, f.rule_id
        assert f.citations, f"{f.rule_id} has no resolvable citation"
        seen.extend(n for n in f.citations if n not in seen)
        if f.status == "unknown":
            assert f.missing and all(m in f.inputs for m in f.missing)
        else:
            assert not f.missing
    assert seen == sorted(seen), "citations must be numbered in order of first use"


def test_unknown_wherever_an_input_is_missing() -> None:
    assessment = assess(make_case(primary_site="pancreas", differentiation="well"))
    by_rule = {f.rule_id: f for f in assessment.findings}
    for rule_id, field in [
        ("who-gep-grade.v1", "ki67_percent"),
        ("risk-size-pancreas.v1", "tumor_size_cm"),
        ("io-tmb-high-pembrolizumab.v1", "tmb_mut_per_mb"),
        ("tx-somatostatin-analogue.v1", "sstr_status"),
    ]:
        assert by_rule[rule_id].status == "unknown"
        assert field in by_rule[rule_id].missing


def test_questions_are_personalised() -> None:
    high = assess(make_case(primary_site="stomach", differentiation="poorly", ki67_percent=80))
    assert any("TMB" in q for q in high.questions_to_ask)
    low = assess(
        make_case(
            primary_site="pancreas",
            differentiation="well",
            ki67_percent=1,
            mitoses_per_2mm2=0,
            tmb_mut_per_mb=1,
            msi_status="MSS",
            sstr_status="positive",
        )
    )
    assert not any("TMB" in q for q in low.questions_to_ask)
    assert not any("somatostatin-receptor scan" in q for q in low.questions_to_ask)
    no_sstr = assess(make_case(primary_site="pancreas", differentiation="well"))
    assert any("somatostatin-receptor scan" in q for q in no_sstr.questions_to_ask)
    assert any("Ki-67" in q for q in no_sstr.questions_to_ask)


def test_audiences_differ_and_bad_audience_is_rejected() -> None:
    case = make_case(**SAMPLE_CASES[1])
    patient = {f.rule_id: f.statement for f in assess(case, "patient").findings}
    clinician = {f.rule_id: f.statement for f in assess(case, "clinician").findings}
    assert patient.keys() == clinician.keys()
    assert patient["who-gep-grade.v1"] != clinician["who-gep-grade.v1"]
    with pytest.raises(BadInputError):
        assess(case, "doctor")


def test_personal_sentences_only_met_and_relevant_unknown() -> None:
    assessment = assess(
        make_case(
            primary_site="pancreas",
            differentiation="well",
            ki67_percent=15,
            grade="G2",
            tmb_mut_per_mb=9.9,
            lymphovascular_invasion=False,
            perineural_invasion=False,
        )
    )
    sentences = personal_sentences(assessment)
    texts = [t for t, _ in sentences]
    by_text = {f.statement: f for f in assessment.findings}
    assert sentences and all(cites for _, cites in sentences)
    for text in texts:
        f = by_text[text]
        assert f.status == "met" or (
            f.status == "unknown" and f.kind in ("classification", "grade", "immunotherapy")
        )
    assert any("by Ki-67" in t for t in texts)  # graded by Ki-67 alone, and said so (mitoses missing)
    assert not any("below the cut-off of 10" in t for t in texts)  # TMB 9.9 not_met is left out


def test_case_without_fields_still_assesses() -> None:
    assessment = assess(CaseProfile(case_id="empty"))
    assert all(
        f.status != "met" or f.kind in ("risk", "consideration", "immunotherapy") for f in assessment.findings
    )
    assert any(f.status == "unknown" for f in assessment.findings)


def _numbers(text: str) -> set[str]:
    import re

    return {n.replace(",", "") for n in re.findall(r"\d+(?:[.,]\d+)?", text)}


def test_every_number_in_the_wording_comes_from_a_cited_card() -> None:
    """Statements feed the answer's `personal` section, whose verifier drops a sentence stating a number that is
    neither in its cited passages nor in the case. Placeholders (case values) are exempt."""
    import re

    cards = {c.id: c for c in load_cards()}
    problems = []
    for rule in load_rules():
        wordings: list[tuple[list[str], str]] = []
        for o in rule.outcomes:
            wordings += [([*rule.cards, *o.cards], o.patient), ([*rule.cards, *o.cards], o.clinician)]
        for w in (rule.not_met, rule.unknown):
            if w is not None:
                wordings += [(rule.cards, w.patient), (rule.cards, w.clinician)]
        for card_ids, template in wordings:
            evidence = "\n".join(cards[c].claim + "\n" + cards[c].plain for c in card_ids if c in cards)
            extra = _numbers(re.sub(r"\{[a-z0-9_]+\}", " ", template)) - _numbers(evidence)
            if extra:
                problems.append((rule.id, sorted(extra), template[:60]))
    assert not problems, problems


def test_personal_sentences_by_kind_priority_and_limit() -> None:
    assessment = assess(make_case(**SAMPLE_CASES[5]))
    everything = personal_sentences(assessment)
    kinds = {f.statement: f.kind for f in assessment.findings}
    focused = personal_sentences(assessment, kinds=["treatment", "risk"], limit=3)
    assert len(focused) == 3
    assert kinds[focused[0][0]] == "treatment"
    assert all(kinds[t] in ("treatment", "risk") for t, _ in focused)
    assert [kinds[t] for t, _ in everything] == sorted(
        (kinds[t] for t, _ in everything),
        key=["classification", "grade", "risk", "immunotherapy", "treatment", "consideration"].index,
    )
