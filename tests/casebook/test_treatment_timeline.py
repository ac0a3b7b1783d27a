"""Treatments on the timeline at the dates the reports write (start/stop of each line of therapy); a treatment
without a written date, or one declined or only planned, is listed separately and never placed on the axis."""

from __future__ import annotations

from pathlib import Path

import pytest

from netnav.casebook import CaseBook, open_casebook
from netnav.casebook.plots import render_svg
from netnav.casebook.timeline import Timeline, build_timeline, written_date
from netnav.records.therapy_lines import lines_from_sentence

LETTER_2023 = """ONCOLOGY CLINIC LETTER
Date of clinic: 2023-06-01
Dear Dr Okafor,
I saw Mrs Jones today for her pancreatic neuroendocrine tumour (grade 2, Ki-67 8%).
She started lanreotide 120 mg in May 2023 and is tolerating it well.
Previously she took sunitinib for a few months.
"""
NOTE_2024 = """Oncology follow-up note
Date: 2024-10-09
CT shows progression in the liver. Lanreotide was stopped in 08/2024 because of progression.
Everolimus started 2024-09-15; she is currently on everolimus.
She declined PRRT for now.
Ki-67 on the liver biopsy: 15%
"""
CAREGIVER_2025 = """notes from my dad's appointment (written by me, his daughter)
date 2025-02-20
dad is still on everolimus, the doctor said keep going
they talked about maybe CAPTEM later if it grows
"""


@pytest.fixture()
def timeline(tmp_path: Path) -> Timeline:
    book = open_casebook(tmp_path / "home")
    paths = []
    for name, text in (("a.txt", LETTER_2023), ("b.txt", NOTE_2024), ("c.txt", CAREGIVER_2025)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    book.create_from_files("Dad – pancreatic NET", paths[:1])
    book.add_files("Dad – pancreatic NET", paths[1:])
    return build_timeline(_reports(book))


def _reports(book: CaseBook) -> list:  # type: ignore[type-arg]
    return book.view("Dad – pancreatic NET").saved.reports


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03", "2024-03-01"),
        ("03/2024", "2024-03-01"),
        ("March 2024", "2024-03-01"),
        ("Sept. 2022", "2022-09-01"),
        ("2021", "2021-01-01"),
        ("2024-13", None),
        ("13/2024", None),
        ("1000", None),
        ("Octreotide 2024", None),
    ],
)
def test_written_dates(written: str, iso: str | None) -> None:
    assert written_date(written) == iso


def test_treatment_bars_use_the_written_start_and_stop(timeline: Timeline) -> None:
    by_name = {t.drugs: t for t in timeline.treatments}
    lanreotide = by_name[("lanreotide",)]
    assert (lanreotide.start, lanreotide.stop, lanreotide.status) == ("2023-05-01", "2024-08-01", "stopped")
    assert lanreotide.when() == "May 2023 to 08/2024" and lanreotide.dated
    assert (lanreotide.source, lanreotide.line) == ("a.txt", 5)
    everolimus = by_name[("everolimus",)]
    assert (everolimus.start, everolimus.stop) == ("2024-09-15", None)
    assert (
        everolimus.status == "ongoing" and everolimus.as_of == "2025-02-20"
    )  # still on it in the 2025 notes
    assert everolimus.end == "2025-02-20"


def test_undated_and_not_given_treatments_are_never_on_the_axis(timeline: Timeline) -> None:
    undated = {t.drugs: t for t in timeline.undated_treatments()}
    assert undated[("sunitinib",)].start is None and undated[("sunitinib",)].end is None
    assert undated[("sunitinib",)].when() == "dates not stated in the reports"
    assert undated[("lutetium lu 177 dotatate",)].status == "declined"
    assert ("capecitabine", "temozolomide") in undated  # "maybe CAPTEM later": planned, not given
    assert {t.drugs for t in timeline.dated_treatments()} == {("lanreotide",), ("everolimus",)}


def test_plot_draws_dated_bars_and_lists_the_rest(timeline: Timeline) -> None:
    svg = render_svg(timeline, "Dad")
    assert "lanreotide (May 2023 to 08/2024)" in svg
    assert "Everolimus (from 2024-09-15 (ongoing as of 2025-02-20))" in svg
    assert "No dates in the reports: sunitinib" in svg
    assert "Not given:" in svg and "PRRT (declined)" in svg


def test_a_dated_line_gives_its_date_to_an_earlier_undated_mention(tmp_path: Path) -> None:
    book = open_casebook(tmp_path / "home")
    first, second = tmp_path / "1.txt", tmp_path / "2.txt"
    first.write_text("Clinic note\nDate: 2024-01-10\nHe is on octreotide LAR.\n", encoding="utf-8")
    second.write_text("Clinic note\nDate: 2024-06-02\nOn octreotide LAR since 2023-11.\n", encoding="utf-8")
    book.create_from_files("Dad – pancreatic NET", [first, second])
    [octreotide] = build_timeline(_reports(book)).treatments
    assert (octreotide.start, octreotide.start_written) == ("2023-11-01", "2023-11")


@pytest.mark.parametrize(
    ("sentence", "start", "stop"),
    [
        ("She started lanreotide 120 mg in May 2023.", "May 2023", None),
        ("Started octreotide 1000 mcg daily.", None, None),  # a dose, not a year
        ("He started lanreotide on 2023-05-04 and is tolerating it.", "2023-05-04", None),
        ("Everolimus was discontinued in August 2024 because of mouth ulcers.", None, "August 2024"),
        ("We began CAPTEM in 2021.", "2021", None),
        ("Sunitinib started in the spring.", None, None),
        (
            "He started lanreotide 120 mg every 28 days in March 2024 and tolerates it well.",
            "March 2024",
            None,
        ),
        ("stopping the lanreotide injections (last one was feb 2025)", None, "feb 2025"),
        ("He came off sunitinib in 2022.", None, "2022"),
        ("Last dose of octreotide LAR given on 2024-11-02.", None, "2024-11-02"),
    ],
)
def test_therapy_line_dates_after_the_drug_and_dose(
    sentence: str, start: str | None, stop: str | None
) -> None:
    [line] = lines_from_sentence(sentence, "note.txt", 1)
    assert (line.start, line.stop) == (start, stop)


@pytest.mark.parametrize(
    "sentence",
    [
        "they talked about maybe CAPTEM later if it grows",
        "The doctor mentioned PRRT as a next option.",
        "Dad might start everolimus next month.",
        "Sunitinib could be an option if it progresses.",
        "We discussed lutathera for the future.",
    ],
)
def test_talk_of_a_treatment_is_not_a_treatment_given(sentence: str) -> None:
    [line] = lines_from_sentence(sentence, "note.txt", 1)
    assert line.status == "planned" and not line.received


@pytest.mark.parametrize(
    ("sentence", "status", "progressed"),
    [
        ("We talked about PRRT if there is progression.", "planned", None),
        ("Continue lanreotide until progression.", "given", None),
        ("She progressed on everolimus.", "given", True),
        ("Lanreotide will continue unless it gets worse.", "given", None),
    ],
)
def test_progression_spoken_of_as_a_condition_has_not_happened(
    sentence: str, status: str, progressed: bool | None
) -> None:
    [line] = lines_from_sentence(sentence, "note.txt", 1)
    assert (line.status, line.progressed) == (status, progressed)
