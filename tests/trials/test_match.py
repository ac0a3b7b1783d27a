"""Matching and ranking for three synthetic cases against the built-in registry (+ a fixture trial)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netnav.errors import BadInputError
from netnav.trials.match import match_trials
from netnav.trials.registry import TrialRegistry
from netnav.trials.schema import load_builtin
from netnav.types.case import CaseProfile
from netnav.types.trials import Trial, TrialMatch
from tests.trials.helpers import nec_case, pnet_case, sclc_case

DLL3_TRIALS = {
    "NCT05882058",
    "NCT06893783",
    "NCT06937905",
    "NCT05060016",
    "NCT05740566",
    "NCT06598306",
    "NCT07061080",
}
WELL_DIFF_TRIALS = {"NCT03043664", "NCT02054806", "NCT03074513"}


def _run(profile: CaseProfile, tmp_path: Path, status: str = "all") -> list[TrialMatch]:
    return match_trials(profile, status=status, registry=TrialRegistry(tmp_path))


def _by_id(matches: list[TrialMatch]) -> dict[str, TrialMatch]:
    return {m.nct_id: m for m in matches}


def test_nec_case_not_eligible_for_well_differentiated_trials(tmp_path: Path) -> None:
    matches = _by_id(_run(nec_case(), tmp_path))
    for nct in WELL_DIFF_TRIALS:
        assert matches[nct].status == "ineligible", nct
        assert matches[nct].reason
    assert "condition mismatch" in (matches["NCT03043664"].reason or "")
    assert matches["NCT06893783"].status == "possibly_eligible"  # DeLLight: EP-NEC after platinum
    assert matches["NCT03980925"].status == "ineligible"  # NICE-NEC is first line; case had chemotherapy


def test_nec_case_ranking_order(tmp_path: Path) -> None:
    matches = _run(nec_case(), tmp_path, status="recruiting")
    ranks = {"eligible": 0, "possibly_eligible": 1, "unknown": 2, "ineligible": 3}
    keys = [(ranks[m.status], -m.score, m.nct_id) for m in matches]
    assert keys == sorted(keys)
    assert matches[0].nct_id == "NCT06893783"
    assert all(
        m.overall_status in ("Recruiting", "Not yet recruiting", "Active", "Active, not recruiting")
        for m in matches
    )


def test_pnet_case_excluded_from_nec_and_sclc_trials(tmp_path: Path) -> None:
    matches = _by_id(_run(pnet_case(), tmp_path))
    for nct in DLL3_TRIALS | {"NCT03591731", "NCT05058651", "NCT03352934"}:
        assert matches[nct].status == "ineligible", nct
    assert matches["NCT03043664"].status == "possibly_eligible"  # PLANET: GEP-NET, Ki-67 <= 20%, prior SSA
    planet = {c.text: c for c in matches["NCT03043664"].criteria}
    assert planet["Prior somatostatin analogue therapy"].label == "met"
    assert planet["Ki-67 of 20% or less (or mitotic rate of 20 per 10 HPF or less)"].evidence == [
        "ki67_percent=8.0 (pnet.txt:5)"
    ]


def test_sclc_case_ranks_dll3_trials_high(tmp_path: Path) -> None:
    matches = _run(sclc_case(), tmp_path, status="recruiting")
    open_ok = [m for m in matches if m.status != "ineligible"]
    assert sum(1 for m in open_ok[:4] if m.nct_id in DLL3_TRIALS) >= 2
    by_id = _by_id(matches)
    assert by_id["NCT06893783"].status == "ineligible"  # DeLLight is extrapulmonary NEC only


def test_prior_pd1_excluded_where_trial_excludes_it(tmp_path: Path) -> None:
    trial = Trial(
        nct_id="NCT09999990",
        title="Fixture checkpoint trial",
        overall_status="Recruiting",
        conditions=["Neuroendocrine Carcinoma"],
        inclusion=["Poorly differentiated neuroendocrine carcinoma"],
        exclusion=["Prior therapy with an anti-PD-1, anti-PD-L1 or anti-CTLA-4 antibody"],
        source="fixture",
    )
    with_pd1 = nec_case(prior_therapies=["carboplatin", "etoposide", "nivolumab"])
    [excluded] = match_trials(with_pd1, [trial])
    assert excluded.status == "ineligible"
    assert "nivolumab" in (excluded.reason or "")
    [ok] = match_trials(nec_case(), [trial])
    assert ok.status != "ineligible"


def test_every_match_states_snapshot_date(tmp_path: Path) -> None:
    data = load_builtin()
    checked = {t.nct_id: t.checked_on or data.snapshot_date for t in data.trials}
    for m in _run(sclc_case(), tmp_path):
        assert m.snapshot_date == checked[m.nct_id]  # the day that trial was checked, not one global date
        assert 0.0 <= m.score <= 1.0
        assert m.criteria


def test_builtin_trials_are_never_fully_eligible(tmp_path: Path) -> None:
    """Only a subset of each built-in trial's criteria is encoded, so the rest stays 'need info'."""
    for profile in (nec_case(), pnet_case(), sclc_case()):
        assert all(m.status != "eligible" for m in _run(profile, tmp_path))


def test_status_filter(tmp_path: Path) -> None:
    everything = _run(nec_case(), tmp_path, status="all")
    open_only = _run(nec_case(), tmp_path, status="recruiting")
    assert {m.nct_id for m in open_only} < {m.nct_id for m in everything}
    assert "NCT03043664" not in {m.nct_id for m in open_only}  # PLANET completed
    with pytest.raises(BadInputError):
        match_trials(nec_case(), [], status="open")


def test_fully_understood_trial_can_be_eligible() -> None:
    trial = Trial(
        nct_id="NCT09999989",
        title="Simple",
        overall_status="Recruiting",
        inclusion=["Age >= 18 years", "ECOG 0-2", "Ki-67 > 20%"],
        exclusion=["Prior DLL3-targeted therapy"],
    )
    [m] = match_trials(nec_case(), [trial])
    assert m.status == "eligible" and m.score == 1.0


def test_tie_break_is_stable_by_nct_id() -> None:
    trials = [
        Trial(nct_id=f"NCT0999998{i}", title="Same", overall_status="Recruiting", inclusion=["ECOG 0-2"])
        for i in (3, 1, 2)
    ]
    assert [m.nct_id for m in match_trials(nec_case(), trials)] == [
        "NCT09999981",
        "NCT09999982",
        "NCT09999983",
    ]


def test_top_matches_for_ask_section(tmp_path: Path) -> None:
    from netnav.trials import one_line, top_matches

    top = top_matches(nec_case(), n=2, registry=TrialRegistry(tmp_path))
    assert [m.nct_id for m in top][:1] == ["NCT06893783"]
    assert len(top) == 2 and all(m.status != "ineligible" for m in top)
    assert one_line(top[0]).startswith("NCT06893783 (Recruiting, Phase 2): possibly eligible")
    assert top_matches(pnet_case(), n=3, registry=TrialRegistry(tmp_path))[0].nct_id not in DLL3_TRIALS


def test_first_line_trial_is_not_offered_after_a_full_first_line(tmp_path: Path) -> None:
    """SWOG S2012 allows one cycle of platinum/etoposide before enrolment, not a completed first line."""
    treated = nec_case(prior_therapies=["carboplatin", "etoposide"])
    crit = {c.text: c for c in _by_id(_run(treated, tmp_path))["NCT05058651"].criteria}
    first_line = crit["No prior treatment for metastatic disease (one cycle of platinum/etoposide allowed)"]
    assert first_line.label == "not_met", first_line.reason
