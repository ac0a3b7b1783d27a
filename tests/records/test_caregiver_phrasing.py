"""Age and ECOG as patients and carers write them down (notes typed after a clinic visit)."""

from __future__ import annotations

import pytest

from netnav.records import extract_text


@pytest.mark.parametrize(
    ("line", "age"),
    [
        ("- she is 71", 71),
        ("Dad's 68 and still working", 68),
        ("Patient is 64.", 64),
        ("mum is 80, lives alone", 80),
        ("he is 5 days post-op", None),
        ("she is 1 of 3 children", None),
        ("He is 3/5 on the pain scale", None),
        ("he was 59 when diagnosed", None),  # age at diagnosis, not today's age
        ("she is 2 weeks into treatment", None),
    ],
)
def test_age_as_written_by_a_carer(line: str, age: int | None) -> None:
    fields = extract_text(f"notes from the visit\n{line}\n", "notes.txt").fields
    assert (fields["age"].value if "age" in fields else None) == age


@pytest.mark.parametrize(
    ("line", "ecog"),
    [
        ("- ecog he said 1", 1),
        ("ECOG the doctor says is 2", 2),
        ("ECOG score 0", 0),
        ("ECOG was not documented, 2 scans planned", None),
        ("ecog?? not sure, asked for 3 copies", None),
    ],
)
def test_ecog_as_written_by_a_carer(line: str, ecog: int | None) -> None:
    fields = extract_text(f"notes from the visit\n{line}\n", "notes.txt").fields
    assert (fields["ecog"].value if "ecog" in fields else None) == ecog
