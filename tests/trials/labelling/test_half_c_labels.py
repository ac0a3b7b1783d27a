"""The half C label file is complete and well formed: every row names a case in cases/, a trial whose
eligibility text holds the criterion, a valid label and the labeller's reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.trials.labelling.agreement import HINT, LABELS, read_rows, trial_criteria

HERE = Path(__file__).parent
HALF_C = HERE / "criterion_labels_half_c.jsonl"


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def test_rows_are_complete() -> None:
    rows = read_rows(HALF_C)
    assert len(rows) >= 150
    stems = {p.stem for p in (HERE / "cases").glob("hc*.json")}
    for row in rows:
        assert row["case_id"] in stems
        assert row["kind"] in ("inclusion", "exclusion")
        assert row["label"] in LABELS
        assert row["understood"] is (row["label"] != "insufficient_info")
        assert row["reason"].strip()
    assert len({(r["case_id"], r["nct_id"], r["criterion"]) for r in rows}) == len(rows)


def test_every_criterion_is_in_its_trial_text() -> None:
    if not HINT.is_file():
        pytest.skip(f"shared HINT trials not present at {HINT}")
    trials = trial_criteria()
    for row in read_rows(HALF_C):
        whole = _words(" ".join(text for _, text in trials[row["nct_id"]]))
        assert _words(row["criterion"]) in whole, row["criterion"]
