"""Progression on a treatment as patients and carers write it, and a started treatment that stays given
whatever is said about what happens if the tumour grows."""

from __future__ import annotations

import pytest

from netnav.records.therapy_lines import lines_from_sentence


@pytest.mark.parametrize(
    ("sentence", "drugs", "status", "progressed"),
    [
        (
            "she was on lanreotide since last summer, scan in december showed it's growing.",
            ["lanreotide"],
            "given",
            True,
        ),
        (
            "Dad has been on octreotide for a year and the liver spots got bigger",
            ["octreotide"],
            "given",
            True,
        ),
        ("On everolimus; CT confirmed new lesions", ["everolimus"], "given", True),
        ("on octreotide, the cancer has spread to the bones", ["octreotide"], "given", True),
        ("lanreotide since 2022 and the tumours are growing again", ["lanreotide"], "given", True),
        # no growth, or growth only as a condition: not progression
        ("on lanreotide, scan shows it is not growing", ["lanreotide"], "given", None),
        ("lanreotide since 2022 and the tumour hasn't grown", ["lanreotide"], "given", None),
        ("CAPTEM x6, tumours are stable, no new growth", ["capecitabine", "temozolomide"], "given", None),
        ("started lanreotide last month, they will check if it grows", ["lanreotide"], "given", None),
        ("they said PRRT later if it starts growing", ["lutetium lu 177 dotatate"], "planned", None),
        ("lanreotide will be started; everolimus if it gets bigger", ["lanreotide"], "planned", None),
    ],
)
def test_lay_progression(sentence: str, drugs: list[str], status: str, progressed: bool | None) -> None:
    line = lines_from_sentence(sentence, "notes.txt", 1)[0]
    assert line.drugs == drugs
    assert line.status == status
    assert line.progressed is progressed
