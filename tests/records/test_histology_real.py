"""Histology on 97 real one-line diagnoses (REG 2025), with the expected label from a separate simple rule."""

from __future__ import annotations

import json
import re

from netnav.records import extract_text
from tests.records.helpers import DIAGNOSES, need


def expected_histology(diagnosis: str) -> str | None:
    """Independent, deliberately simple rule on the diagnosis part (after the ';')."""
    d = diagnosis.lower()
    if "large cell neuroendocrine carcinoma" in d:
        return "large cell neuroendocrine carcinoma"
    if re.search(r"(?<!non-)small cell carcinoma", d):
        return "small cell neuroendocrine carcinoma"
    if "neuroendocrine tumor" in d or "carcinoid" in d:
        # WHO: carcinoid / NET NOS is a well-differentiated neuroendocrine tumour (lung and GI alike)
        return "well-differentiated neuroendocrine tumor"
    return None


def test_histology_accuracy_on_real_diagnoses() -> None:
    rows = [
        json.loads(line) for line in need(DIAGNOSES).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert len(rows) == 97
    scored = correct = 0
    misses = []
    for row in rows:
        want = expected_histology(row["report"].split(";", 1)[1])
        if want is None:
            continue
        scored += 1
        profile = extract_text(row["report"], row["id"])
        got = profile.value("histology")
        lines = row["report"].splitlines()
        for fv in profile.fields.values():  # every value's line holds its text
            assert fv.text and fv.text in lines[fv.line - 1], (row["id"], fv)
        if got == want:
            correct += 1
        else:
            misses.append((row["id"], row["report"], got))
    accuracy = correct / scored
    print(f"\nREG2025 diagnoses: histology accuracy {accuracy:.3f} ({correct}/{scored})")
    assert scored >= 95
    assert accuracy >= 0.95, misses[:10]


def test_grade_read_where_the_diagnosis_states_one() -> None:
    rows = [
        json.loads(line) for line in need(DIAGNOSES).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    stated = [
        r for r in rows if re.search(r"\b(?:grade 1|G1)\b", r["report"]) and "probably" not in r["report"]
    ]
    assert stated
    assert all(extract_text(r["report"], r["id"]).value("grade") == "G1" for r in stated)
    hedged = [r for r in rows if "probably grade" in r["report"]]
    for r in hedged:  # "probably grade 1" is uncertain: not taken, and a warning says so
        profile = extract_text(r["report"], r["id"])
        assert profile.value("grade") is None
        assert any("grade" in w and "uncertain" in w for w in profile.warnings)
