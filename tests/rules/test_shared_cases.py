"""Cases in ../shared/eval/cases/ (if that folder exists): each JSON file is a CaseProfile, or an object
{"case": CaseProfile, "expect": {rule_id: status}}. Every case must assess under the contract; expectations
must hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netnav.rules import assess
from netnav.types.case import CaseProfile
from tests.rules.rules_helpers import SHARED

CASES_DIR = SHARED / "eval" / "cases"
CASE_FILES = sorted(CASES_DIR.glob("*.json")) if CASES_DIR.is_dir() else []


@pytest.mark.skipif(not CASE_FILES, reason=f"no shared evaluation cases at {CASES_DIR}")
@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_shared_case(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    raw_case, expect = (data["case"], data.get("expect", {})) if "case" in data else (data, {})
    assessment = assess(CaseProfile.model_validate(raw_case), "clinician")
    statuses = {f.rule_id: f.status for f in assessment.findings}
    for finding in assessment.findings:
        assert finding.inputs and finding.citations
    for rule_id, status in expect.items():
        assert statuses.get(rule_id) == status, f"{path.name}: {rule_id}"
