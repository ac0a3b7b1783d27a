"""The invented cases of the criterion-labelling check are valid CaseProfiles the matcher can use."""

from __future__ import annotations

from pathlib import Path

import pytest

from netnav.records import load_case_json
from netnav.trials.match import match_trials

CASES = sorted((Path(__file__).parent / "cases").glob("*.json"))


def test_ten_cases_and_five_half_c_cases() -> None:
    assert len([p for p in CASES if p.stem.startswith("lc")]) == 10
    assert len([p for p in CASES if p.stem.startswith("hc")]) == 5


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case_loads_and_matches(path: Path) -> None:
    profile = load_case_json(path)
    assert profile.case_id == path.stem
    assert {"age", "sex", "histology", "ecog"} <= set(profile.fields)
    assert match_trials(profile, status="all")
