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
            "ongoing",
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


@pytest.mark.parametrize(
    ("sentence", "expect"),
    [
        ("CAPTEM 2019-2020 (PR), stopped for thrombocytopenia.", {"start": "2019", "stop": "2020"}),
        (
            "Carboplatin/etoposide x 4 cycles (Jan-Apr 2025)",
            {"start": "Jan 2025", "stop": "Apr 2025", "cycles": 4},
        ),
        ("Octreotide LAR 2018 to 2021, then lanreotide.", {"start": "2018", "stop": "2021"}),
        ("Lanreotide 120 mg every 28 days, 2021-2023 (progression).", {"start": "2021", "progressed": True}),
        ("CAPTEM 2019-2020 (PR), stopped for thrombocytopenia.", {"stop_reason": "toxicity"}),
        (
            "Everolimus from 03/2021, discontinued due to pneumonitis.",
            {"stop_reason": "toxicity", "status": "stopped"},
        ),
        ("Sunitinib stopped because of hand-foot syndrome.", {"stop_reason": "toxicity"}),
        ("Octreotide LAR 30 mg for diarrhoea since 2019.", {"stop_reason": None, "status": "given"}),
    ],
)
def test_periods_and_stops_as_written(sentence: str, expect: dict[str, object]) -> None:
    line = lines_from_sentence(sentence, "letter.txt", 1)[0]
    for key, value in expect.items():
        assert getattr(line, key) == value, key


@pytest.mark.parametrize(
    "sentence",
    ["Sunitinib was not started.", "Everolimus has never been given.", "PRRT was not yet started"],
)
def test_negation_after_the_drug_gives_no_line(sentence: str) -> None:
    assert lines_from_sentence(sentence, "letter.txt", 1) == []
