"""Treatment history: a therapy still given versus one given in the past, and progression written apart from
the drug (its own sentence) or after several therapies. Sentences invented for these tests, in the ways
clinic letters, caregivers and one-cell-per-line exports write them."""

from __future__ import annotations

import pytest

from netnav.records.reader import SourceText
from netnav.records.therapy_lines import extract_therapy_lines, lines_from_sentence
from netnav.types.therapy import TherapyLine


def _lines(text: str) -> list[TherapyLine]:
    return extract_therapy_lines(SourceText(name="letter.txt", lines=tuple(text.splitlines())))


def _by_drug(lines: list[TherapyLine]) -> dict[str, TherapyLine]:
    return {d: t for t in lines for d in t.drugs}


@pytest.mark.parametrize(
    ("sentence", "drug", "status"),
    [
        # still given when written
        ("She continues octreotide LAR 30 mg every 4 weeks.", "octreotide", "ongoing"),
        ("Remains on lanreotide 120mg monthly with good symptom control.", "lanreotide", "ongoing"),
        ("mum is still getting her lanreotide jabs every month", "lanreotide", "ongoing"),
        ("He is on Sandostatin LAR for the flushing.", "octreotide", "ongoing"),
        ("Presently receiving everolimus 10 mg daily.", "everolimus", "ongoing"),
        ("has been taking sunitinib since the spring", "sunitinib", "ongoing"),
        # given in the past, no longer
        ("Octreotide LAR was stopped in 2023.", "octreotide", "stopped"),
        ("He was on octreotide until last year.", "octreotide", "stopped"),
        ("She is no longer on lanreotide.", "lanreotide", "stopped"),
        ("Dad used to have octreotide injections but not any more", "octreotide", "stopped"),
        ("Lanreotide 2019-2022.", "lanreotide", "stopped"),
        ("Previously treated with lanreotide (discontinued 2022).", "lanreotide", "stopped"),
        ("octreotide LAR from 2018 to 2021", "octreotide", "stopped"),
        # misspelt drug names, as typed in a letter or by a carer
        ("She's been on lanreotid injections since 2021.", "lanreotide", "ongoing"),
        ("everolimous stopped because of mouth ulcers", "everolimus", "stopped"),
        ("Sunitnib 37.5 mg daily, ongoing, tolerating well.", "sunitinib", "ongoing"),
        # a stop and a start in one sentence: each drug keeps its own
        ("The lanreotide was stopped when she started PRRT.", "lanreotide", "stopped"),
        ("The lanreotide was stopped when she started PRRT.", "lutetium lu 177 dotatate", "given"),
        # nothing said about now: given (not known to be current)
        ("Prior lanreotide.", "lanreotide", "given"),
    ],
)
def test_current_versus_past_therapy(sentence: str, drug: str, status: str) -> None:
    lines = _by_drug(lines_from_sentence(sentence, "letter.txt", 1))
    assert lines[drug].status == status, lines[drug]


@pytest.mark.parametrize(
    ("text", "progressed", "not_known"),
    [
        # progression in the sentence after the therapy
        ("She had 6 cycles of CAPTEM. Scans then showed progression.", ["capecitabine"], []),
        (
            "Lanreotide started March 2023.\nCT Jan 2024: progressive disease in the liver.",
            ["lanreotide"],
            [],
        ),
        ("Dad had everolimus for a year. the liver spots got bigger after that", ["everolimus"], []),
        # a table row or list entry with PD as the response
        ("Lanreotide: Jan 2020 - Mar 2022 (PD)", ["lanreotide"], []),
        ("Best response: PD on everolimus.", ["everolimus"], []),
        ("Temozolamide + capecitabine x6. Subsequent CT: progression.", ["temozolomide", "capecitabine"], []),
        # one-cell-per-line export: the therapy and the outcome in neighbouring cells
        ("Prior therapy\nOctreotide LAR\nOutcome\nDisease progression", ["octreotide"], []),
        # several separate therapies, then progression: the last one written; the others unknown
        ("After lanreotide and everolimus, the disease progressed.", ["everolimus"], ["lanreotide"]),
        ("Progressed on octreotide and sunitinib.", ["sunitinib"], ["octreotide"]),
        (
            "She has had lanreotide and PRRT. Her latest scan shows the tumours are growing.",
            ["lutetium lu 177 dotatate"],
            ["lanreotide"],
        ),
        # stated for each: all of them
        ("The tumour grew on both lanreotide and everolimus.", ["lanreotide", "everolimus"], []),
        # drugs of one regimen are one line: both progressed
        ("Progression after carboplatin and etoposide.", ["carboplatin", "etoposide"], []),
        # progression on the first, then a new drug started: not progression on the new one
        ("Progressed on lanreotide and was switched to everolimus.", ["lanreotide"], ["everolimus"]),
        ("After progression on octreotide, CAPTEM was started.", ["octreotide"], ["capecitabine"]),
        ("Switched from octreotide to lanreotide because of progression.", ["octreotide"], ["lanreotide"]),
    ],
)
def test_progression_is_given_to_the_therapy_the_text_supports(
    text: str, progressed: list[str], not_known: list[str]
) -> None:
    lines = _by_drug(_lines(text))
    for drug in progressed:
        assert lines[drug].progressed is True, (drug, lines[drug])
    for drug in not_known:
        assert lines[drug].progressed is None, (drug, lines[drug])


def test_unclear_progression_says_so() -> None:
    lines = _by_drug(_lines("After lanreotide and everolimus, the disease progressed."))
    note = lines["lanreotide"].note or ""
    assert "without saying on which" in note and "everolimus" in note
    assert lines["everolimus"].note == note
    assert lines_from_sentence("He progressed on lanreotide.", "x", 1)[0].note is None


@pytest.mark.parametrize(
    "text",
    [
        # a drug-free sentence about something else, or too far away, or growth denied
        "She had 6 cycles of CAPTEM. Scans show no progression.",
        "Lanreotide was started. Ki-67 8%. Mitoses 2/2 mm2. Size 3 cm. Nodes 2/14. Progression of symptoms later.",
        "CAPTEM planned. Scans showed progression.",
        "Octreotide LAR was given. Median progression-free survival in CLARINET was not reached.",
        "Lanreotide started in May.\n\n\n\n\nProgression seen on CT.",
    ],
)
def test_no_progression_carried_without_support(text: str) -> None:
    assert all(t.progressed is not True for t in _lines(text)), _lines(text)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("lanreotid", "lanreotide"),
        ("everolimous", "everolimus"),
        ("temozolamide", "temozolomide"),
        ("Lutathra", "lutathera"),
        ("pembrolizumb", "pembrolizumab"),
    ],
)
def test_misspelt_drug_names_are_read_as_the_drug(written: str, read: str) -> None:
    from netnav.records.drug_spelling import correct_drug_words

    assert correct_drug_words(f"on {written} since May") == f"on {read} since May"


@pytest.mark.parametrize(
    "sentence",
    ["The patient continues treatment", "elevated chromogranin", "evaluation of lesions", "everything"],
)
def test_ordinary_words_are_not_taken_for_drugs(sentence: str) -> None:
    from netnav.records.drug_spelling import correct_drug_words

    assert correct_drug_words(sentence) == sentence
