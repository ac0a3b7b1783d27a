"""Registry eligibility text as ClinicalTrials.gov v2 writes it (Markdown escapes, numbering, nested lists,
heading variants) becomes clean criteria with the right labels; grades joined by "or" are all kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netnav.trials.criteria import parse_criterion
from netnav.trials.ctgov import parse_ctgov_bytes, unescape_markdown
from netnav.trials.match import match_trial
from netnav.types.case import CaseProfile
from tests.trials.helpers import case

REPO = Path(__file__).resolve().parents[2]
CASE22 = REPO.parent / "shared" / "eval" / "real-world" / "22-ctgov-escaped-markdown.json"


def pnet_g2() -> CaseProfile:
    """62-year-old man, metastatic well-differentiated pancreatic NET G2, Ki-67 8%, ECOG 1, prior lanreotide."""
    return case(
        "c22",
        age=62,
        sex="M",
        primary_site="pancreas",
        histology="well-differentiated neuroendocrine tumour",
        differentiation="well",
        grade="G2",
        ki67_percent=8.0,
        ecog=1,
        stage="IV",
        metastatic_sites=["liver"],
        prior_therapies=["lanreotide"],
    )


def study(criteria: str, min_age: str = "18 Years") -> bytes:
    return json.dumps(
        {
            "protocolSection": {
                "identificationModule": {"nctId": "NCT09990777", "briefTitle": "Illustrative pNET study"},
                "statusModule": {
                    "overallStatus": "RECRUITING",
                    "lastUpdatePostDateStruct": {"date": "2026-08-30"},
                },
                "conditionsModule": {"conditions": ["Pancreatic Neuroendocrine Tumor"]},
                "eligibilityModule": {"eligibilityCriteria": criteria, "minimumAge": min_age},
            }
        }
    ).encode()


def test_real_world_case_22() -> None:
    if not CASE22.is_file():
        pytest.skip(f"shared eval set not present ({CASE22})")
    [trial] = parse_ctgov_bytes(CASE22.read_bytes(), CASE22.name)
    match = match_trial(pnet_g2(), trial)
    inclusion = [c for c in match.criteria if c.kind == "inclusion"]
    exclusion = [c for c in match.criteria if c.kind == "exclusion"]
    assert (len(inclusion), len(exclusion)) == (4, 2)
    assert not any("\\" in c.text for c in match.criteria)
    assert [c.label for c in inclusion] == ["met"] * 4
    assert [c.label for c in exclusion] == ["not_met"] * 2
    assert match.status in ("eligible", "possibly_eligible")
    assert match.last_update == "2026-10-01"


VARIANTS = [
    # upper-case headings, dash bullets, escaped comparators
    "INCLUSION CRITERIA:\n\n- Well differentiated pancreatic NET, G1 or G2\n- Ki-67 \\< 20%\n"
    "- ECOG PS \\<= 1\n- Aged \\>= 18 years\n\nEXCLUSION CRITERIA:\n\n- Prior PRRT\n- Prior everolimus\n",
    # "Key" headings, escaped numbering, nested sub-items joined to their parent
    "Key Inclusion Criteria:\n\n1\\. Pancreatic neuroendocrine tumour, grade 1 or grade 2\n"
    "2\\. Metastatic disease\n   a. liver metastases allowed\n3\\. ECOG performance status 0-1\n"
    "4\\. Age 18 years or older\n\nKey Exclusion Criteria:\n\n1\\. Previous peptide receptor radionuclide therapy\n"
    "2\\. Previous treatment with everolimus\n",
    # star bullets, Ki-67 range written with "between ... and"
    "Inclusion criteria:\n\n\\* Pancreatic NET, WHO grade 1, 2\n\\* Ki-67 between 1% and 20%\n"
    "\\* ECOG 0 or 1\n\\* Adults aged 18 years and over\n\nExclusion criteria:\n\n\\* Prior PRRT\n"
    "\\* Everolimus in the past\n",
]


@pytest.mark.parametrize("text", VARIANTS, ids=["upper", "key-numbered-nested", "stars-between"])
def test_escaped_variants(text: str) -> None:
    [trial] = parse_ctgov_bytes(study(text), "variant")
    assert (len(trial.inclusion), len(trial.exclusion)) == (4, 2)
    assert not any("\\" in c for c in [*trial.inclusion, *trial.exclusion])
    match = match_trial(pnet_g2(), trial)
    labels = [(c.kind, c.label) for c in match.criteria]
    assert labels == [("inclusion", "met")] * 4 + [("exclusion", "not_met")] * 2, match.criteria


@pytest.mark.parametrize(
    ("text", "grades"),
    [
        ("Well-differentiated NET, grade 1 or grade 2", ["G1", "G2"]),
        ("WHO grade 1, 2 or 3 neuroendocrine tumour", ["G1", "G2", "G3"]),
        ("G1-G3 NET", ["G1", "G2", "G3"]),
        ("NET grade 2 or 3", ["G2", "G3"]),
        ("G1/G2 carcinoid", ["G1", "G2"]),
    ],
)
def test_grade_disjunctions_keep_every_grade(text: str, grades: list[str]) -> None:
    rules = [r for r in parse_criterion(text).rules if r.field == "grade"]
    assert len(rules) == 1 and rules[0].value == grades
    assert not [r for r in parse_criterion(text).rules if r.field == "ecog"]  # "WHO grade" is not WHO PS


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("\\* a", "* a"), ("Ki-67 \\<= 20%", "Ki-67 <= 20%"), ("1\\. x", "1. x"), ("10\\^9/L", "10^9/L")],
)
def test_unescape(raw: str, clean: str) -> None:
    assert unescape_markdown(raw) == clean


def test_registry_age_limit_added_only_when_text_has_none() -> None:
    [with_age] = parse_ctgov_bytes(study("Inclusion Criteria:\n\n* Age 18 or older\n* pNET\n"), "a")
    [without] = parse_ctgov_bytes(study("Inclusion Criteria:\n\n* pNET\n"), "b")
    assert len(with_age.inclusion) == 2
    assert without.inclusion[-1].startswith("Minimum age 18 Years")


def test_recruiting_pancreatic_net_trial_is_offered_with_its_own_date() -> None:
    from netnav.trials.match import match_trials
    from netnav.trials.registry import TrialRegistry
    from netnav.trials.render import render_matches

    registry = TrialRegistry(Path("/nonexistent-netnav-home"))
    matches = match_trials(pnet_g2().model_copy(update={"fields": {**pnet_g2().fields}}), registry=registry)
    offered = [m for m in matches if m.status != "ineligible"]
    assert any("pancrea" in m.title.lower() or "GEP" in m.title for m in offered)
    assert all((m.overall_status or "").lower() in ("recruiting", "not yet recruiting") for m in matches)
    text = render_matches(matches, "snapshot", details=False)
    assert "data as of" not in text
    for m in matches:
        assert (f"record updated {m.last_update}" if m.last_update else "record date not stated") in text
