"""Accuracy on the shared evaluation reports (data we did not write) and source-line correctness."""

from __future__ import annotations

from pathlib import Path

import pytest

from netnav.records import extract_case
from netnav.records.scoring import score_all, score_profile
from netnav.types.case import CaseProfile
from tests.records.helpers import eval_pairs, eval_reports, fixture_pairs

PRECISION_MIN, RECALL_MIN = 0.97, 0.95


def _lines_ok(profile: CaseProfile, folder: Path) -> list[str]:
    bad = []
    for name, fv in profile.fields.items():
        lines = (folder / fv.source).read_text(encoding="utf-8").splitlines()
        if not (1 <= fv.line <= len(lines)) or fv.text not in lines[fv.line - 1] or not fv.text:
            bad.append(f"{fv.source}:{fv.line} {name}: {fv.text!r}")
    for neg in profile.negated:
        lines = (folder / str(neg.source)).read_text(encoding="utf-8").splitlines()
        if neg.text not in lines[neg.line - 1]:
            bad.append(f"negated {neg.field} line {neg.line}")
    return bad


def test_field_level_precision_and_recall_meet_thresholds() -> None:
    pairs = eval_pairs()
    score = score_all((p.name, extract_case([p]), exp) for p, exp in pairs)
    print(
        f"\neval/reports: precision={score.precision:.3f} recall={score.recall:.3f} "
        f"({score.correct}/{score.predicted} predicted, {score.expected} expected)"
    )
    assert score.precision >= PRECISION_MIN, score.errors
    assert score.recall >= RECALL_MIN, score.errors


@pytest.mark.parametrize("report", eval_reports(), ids=lambda p: p.name)
def test_every_value_points_at_a_line_containing_its_text(report: Path) -> None:
    profile = extract_case([report])
    assert profile.fields, "expected some values"
    assert _lines_ok(profile, report.parent) == []


@pytest.mark.parametrize(
    "pair", [p for p in fixture_pairs() if p[0].suffix == ".txt"], ids=lambda p: p[0].name
)
def test_own_fixtures_are_read_exactly(pair: tuple[Path, dict[str, object]]) -> None:
    report, expected = pair
    profile = extract_case([report])
    score = score_profile(profile, expected, report.name)
    assert score.errors == []
    assert _lines_ok(profile, report.parent) == []
