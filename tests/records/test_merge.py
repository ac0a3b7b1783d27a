"""Several reports -> one case: later report wins, explicit beats inferred, lists unite, conflicts are warned."""

from __future__ import annotations

from pathlib import Path

from netnav.records import extract_case, extract_text, merge_profiles


def _write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


def test_later_report_wins_and_conflict_is_warned(tmp_path: Path) -> None:
    old = _write(
        tmp_path,
        "biopsy.txt",
        "Report date: 2024-01-10\nPancreas, biopsy:\nNeuroendocrine tumor, grade 1. Ki-67: 2%.\n",
    )
    new = _write(
        tmp_path,
        "resection.txt",
        "Date of procedure: 2025-06-02\nPancreas, resection:\nNeuroendocrine tumor, grade 2. Ki-67: 9%.\n",
    )
    for order in ([old, new], [new, old]):
        case = extract_case(order)
        assert case.value("ki67_percent") == 9 and case.fields["ki67_percent"].source == "resection.txt"
        assert case.value("grade") == "G2"
        assert any("ki67_percent" in w and "later report" in w for w in case.warnings)
        assert any("grade" in w for w in case.warnings)
        assert set(case.sources) == {"biopsy.txt", "resection.txt"}


def test_explicit_beats_inferred_when_dates_are_equal() -> None:
    inferred = extract_text("Mr B. was seen today.", "letter.txt")  # sex inferred from title
    explicit = extract_text("Sex: F", "demographics.txt")
    assert inferred.fields["sex"].inferred
    merged = merge_profiles([inferred, explicit], case_id="case-x")
    assert merged.value("sex") == "F"
    assert any("explicit over inferred" in w for w in merged.warnings)


def test_lists_are_united_across_reports() -> None:
    a = extract_text("Treatment history: octreotide LAR 2022-2023.\nHe has liver metastases.", "a.txt")
    b = extract_text("He then received everolimus (Afinitor).\nNew bone metastases.", "b.txt")
    merged = merge_profiles([a, b], case_id="case-y")
    assert set(merged.value("prior_therapies") or []) == {"octreotide", "everolimus"}  # type: ignore[arg-type]
    assert set(merged.value("metastatic_sites") or []) == {"liver", "bone"}  # type: ignore[arg-type]


def test_same_value_in_two_reports_is_not_a_conflict() -> None:
    a = extract_text("Ki-67: 5%", "a.txt")
    b = extract_text("Ki67 index 5 %", "b.txt")
    merged = merge_profiles([a, b], case_id="case-z")
    assert merged.value("ki67_percent") == 5 and not merged.warnings
