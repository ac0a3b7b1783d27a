"""One-cell-per-line exports (PDF tables as text) that put a label, its value and the unit in separate cells."""

from __future__ import annotations

from typing import Any

import pytest

from netnav.records import extract_text


@pytest.mark.parametrize(
    ("cells", "field", "value"),
    [
        (["Ki-67 index", "9", "%"], "ki67_percent", 9),
        (["Ki-67", "< 1", "%"], "ki67_percent", "<1"),
        (["Mitotic rate", "2", "/2 mm2"], "mitoses_per_2mm2", 2),
        (["Size", "3.1", "cm"], "tumor_size_cm", 3.1),
        (["Tumor Mutational Burden", "12", "Muts/Mb"], "tmb_mut_per_mb", 12),
        (["Tumor Mutational Burden", "12 Muts/Mb"], "tmb_mut_per_mb", 12),
        (["Gastrin", "980", "pg/mL"], "gastrin", 980.0),
    ],
)
def test_value_and_unit_in_their_own_cells(cells: list[str], field: str, value: Any) -> None:
    text = "\n".join(["Pathology Report", "Diagnosis", "Neuroendocrine tumour", *cells, "End of report"])
    profile = extract_text(text, "cells.txt")
    assert profile.fields[field].value == value
    assert profile.fields[field].line == 4  # the label's line, where the row starts
