"""Criterion parsing and labelling over the 37 real HINT eligibility texts (read at test time only:
the HINT file is non-commercial, test use only, never copied into the project)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from netnav.trials.criteria import label_criterion, parse_criterion
from netnav.trials.eligibility import split_eligibility
from tests.trials.helpers import nec_case, pnet_case, sclc_case

HINT = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "clinical_trials" / "hint_trials_net_sclc.jsonl"
)
LABELS = {"met", "not_met", "not_applicable", "insufficient_info"}


@pytest.fixture(scope="module")
def criteria() -> list[tuple[str, str, str]]:
    if not HINT.is_file():
        pytest.skip(f"HINT trial file not found at {HINT} (shared material, test use only)")
    out: list[tuple[str, str, str]] = []
    for line in HINT.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        inclusion, exclusion = split_eligibility(record["criteria"])
        out += [(record["nctid"], "inclusion", t) for t in inclusion]
        out += [(record["nctid"], "exclusion", t) for t in exclusion]
    return out


def test_all_37_trials_split_into_criteria(criteria: list[tuple[str, str, str]]) -> None:
    trials = {nct for nct, _, _ in criteria}
    assert len(trials) == 37
    assert len(criteria) > 700
    assert all(len(text) >= 3 for _, _, text in criteria)
    with_exclusions = {nct for nct, kind, _ in criteria if kind == "exclusion"}
    assert len(with_exclusions) >= 30


@pytest.mark.slow  # labels every criterion of 37 real trials three times
def test_every_criterion_gets_a_label_for_three_cases(criteria: list[tuple[str, str, str]]) -> None:
    for profile in (nec_case(), pnet_case(), sclc_case()):
        for _, kind, text in criteria:
            got = label_criterion(text, kind, profile)  # type: ignore[arg-type]
            assert got.label in LABELS
            assert got.reason
            if got.label == "insufficient_info" and not parse_criterion(text).understood:
                assert got.reason == "not understood"


def test_mapped_share_above_half(criteria: list[tuple[str, str, str]]) -> None:
    mapped = sum(1 for _, _, text in criteria if parse_criterion(text).understood)
    share = mapped / len(criteria)
    print(f"\nHINT criteria: {len(criteria)}, mapped to a field/concept: {mapped} ({share:.1%})")
    assert share > 0.5


def test_sclc_trials_recognise_sclc_case(criteria: list[tuple[str, str, str]]) -> None:
    """Criteria naming SCLC are met by the SCLC case and not met by the pNET case."""
    sclc_texts = [
        (k, t)
        for _, k, t in criteria
        if k == "inclusion"
        and "small cell lung" in t.lower()
        and "non-small" not in t.lower()
        and len(t) < 120
        and not re.search(r"prior|previous|chemo|treat|therap|no ", t, re.IGNORECASE)
    ]
    assert sclc_texts
    for kind, text in sclc_texts:
        assert label_criterion(text, kind, pnet_case()).label == "not_met", text  # type: ignore[arg-type]
        assert label_criterion(text, kind, sclc_case()).label != "not_met", text  # type: ignore[arg-type]
