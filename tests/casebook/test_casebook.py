"""Saved, named cases: repository, merge with history, corrections, owners."""

from __future__ import annotations

from pathlib import Path

import pytest

from netnav.casebook import CaseBook, open_casebook
from netnav.casebook.corrections import parse_value
from netnav.errors import BadInputError, CaseNameTakenError, SavedCaseNotFoundError
from netnav.store.cases import SqliteCaseRepository
from netnav.store.db import Store
from tests.casebook.reports import FIRST, SECOND, UNDATED


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def book(tmp_path: Path) -> CaseBook:
    return open_casebook(tmp_path / "home")


def test_migration_creates_case_tables(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    assert store.schema_version() >= 3
    assert store.query("SELECT COUNT(*) FROM saved_cases") == [(0,)]


def test_create_list_rename_delete(book: CaseBook, tmp_path: Path) -> None:
    s = book.create_from_files("Dad – pancreatic NET", [_write(tmp_path, "a.txt", FIRST)])
    assert s.name == "Dad – pancreatic NET" and s.reports == 1
    assert [c.name for c in book.cases()] == ["Dad – pancreatic NET"]
    assert book.find("  dad – PANCREATIC net ").id == s.id  # names match loosely
    with pytest.raises(CaseNameTakenError):
        book.create("Dad – pancreatic NET")
    renamed = book.rename(s.id, "Dad")
    assert renamed.name == "Dad" and book.profile("Dad").fields["ki67_percent"].value == 12
    book.delete("Dad")
    assert book.cases() == []
    with pytest.raises(SavedCaseNotFoundError):
        book.profile("Dad")
    rows = Store(tmp_path / "home" / "netnav.sqlite3").query("SELECT COUNT(*) FROM case_reports")
    assert rows == [(0,)], "the case's reports went with it"


@pytest.mark.parametrize("name", ["", "   ", "x" * 121, "bad\x00name"])
def test_bad_names_are_refused(book: CaseBook, name: str) -> None:
    with pytest.raises(BadInputError):
        book.create(name)


def test_bad_report_creates_nothing(book: CaseBook, tmp_path: Path) -> None:
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(BadInputError):
        book.create_from_files("Mum", [_write(tmp_path, "a.txt", FIRST), bad])
    assert book.cases() == []


def test_later_report_wins_and_earlier_value_stays_in_history(book: CaseBook, tmp_path: Path) -> None:
    book.create_from_files("Dad", [_write(tmp_path, "a.txt", FIRST)])
    book.add_files("Dad", [_write(tmp_path, "b.txt", SECOND)])
    profile = book.profile("Dad")
    ki67 = profile.fields["ki67_percent"]
    assert ki67.value == 25 and ki67.source == "b.txt" and ki67.report_date == "2025-06-10"
    assert [(h.value, h.source, h.line, h.report_date) for h in ki67.history] == [
        (12, "a.txt", 5, "2024-03-01")
    ]
    assert ki67.history[0].superseded_by == "b.txt:5 (later report)"
    assert profile.fields["tumor_size_cm"].value == 2.5  # only in the first report: kept
    assert profile.sources == ["a.txt", "b.txt"]


def test_an_older_report_added_later_does_not_win(book: CaseBook, tmp_path: Path) -> None:
    book.create_from_files("Dad", [_write(tmp_path, "b.txt", SECOND)])
    book.add_files("Dad", [_write(tmp_path, "a.txt", FIRST)])
    ki67 = book.profile("Dad").fields["ki67_percent"]
    assert ki67.value == 25 and [h.value for h in ki67.history] == [12]


def test_undated_reports_later_added_wins(book: CaseBook, tmp_path: Path) -> None:
    first = FIRST.replace("Date of report: 2024-03-01\n", "")
    book.create_from_files("Dad", [_write(tmp_path, "a.txt", first)])
    book.add_files("Dad", [_write(tmp_path, "addendum.txt", UNDATED)])
    assert book.profile("Dad").fields["ki67_percent"].value == 18


def test_correct_confirm_undo(book: CaseBook, tmp_path: Path) -> None:
    book.create_from_files("Dad", [_write(tmp_path, "a.txt", FIRST)])
    fixed = book.correct("Dad", "ki67_percent", "21 %")
    ki67 = fixed.fields["ki67_percent"]
    assert ki67.value == 21 and ki67.user is not None and ki67.user.action == "corrected"
    assert ki67.text == "Ki-67 proliferation index: 12%" and ki67.line == 5  # original line kept
    assert ki67.history[-1].value == 12 and ki67.history[-1].superseded_by == "user correction"
    with pytest.raises(BadInputError):
        book.confirm("Dad", "ki67_percent")  # a correction must be undone first
    back = book.undo("Dad", "ki67_percent").fields["ki67_percent"]
    assert back.value == 12 and back.user is None and back.history == []
    confirmed = book.confirm("Dad", "tumor_size_cm").fields["tumor_size_cm"]
    assert confirmed.user is not None and confirmed.user.action == "confirmed" and confirmed.value == 2.5
    with pytest.raises(BadInputError):
        book.undo("Dad", "ki67_percent")  # nothing left to undo


def test_correction_survives_a_new_report_but_a_stale_confirmation_does_not(
    book: CaseBook, tmp_path: Path
) -> None:
    book.create_from_files("Dad", [_write(tmp_path, "a.txt", FIRST)])
    book.confirm("Dad", "ki67_percent")
    book.correct("Dad", "tumor_size_cm", "25 mm")
    book.add_files("Dad", [_write(tmp_path, "b.txt", SECOND)])
    profile = book.profile("Dad")
    assert profile.fields["ki67_percent"].value == 25 and profile.fields["ki67_percent"].user is None
    assert profile.fields["tumor_size_cm"].value == 2.5 and profile.fields["tumor_size_cm"].user is not None


def test_correcting_a_field_the_reports_lack(book: CaseBook) -> None:
    book.create("Dad")
    fv = book.correct("Dad", "ecog", "1").fields["ecog"]
    assert fv.value == 1 and fv.source == "your correction" and fv.line == 0


def test_correction_is_used_by_assessment(book: CaseBook, tmp_path: Path) -> None:
    from netnav.rules import assess

    book.create_from_files("Dad", [_write(tmp_path, "a.txt", FIRST)])
    profile = book.correct("Dad", "ki67_percent", "30")
    statements = " ".join(f.statement for f in assess(profile).findings)
    assert "30%" in statements and "12%" not in statements


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("ki67_percent", "12", 12.0),
        ("ki67_percent", "12,5 %", 12.5),
        ("ki67_percent", "<2", "<2"),
        ("tumor_size_cm", "18 mm", 1.8),
        ("nodes_positive", "3", 3),
        ("necrosis", "absent", False),
        ("lymphovascular_invasion", "Yes", True),
        ("metastatic_sites", "liver, bone", ["liver", "bone"]),
        ("grade", "grade 2", "G2"),
        ("primary_site", " small  bowel ", "small bowel"),
    ],
)
def test_parse_value(field: str, raw: str, expected: object) -> None:
    assert parse_value(field, raw) == expected


@pytest.mark.parametrize(("field", "raw"), [("ki67_percent", "twelve"), ("necrosis", "maybe"), ("age", "")])
def test_parse_value_refuses_nonsense(field: str, raw: str) -> None:
    with pytest.raises(BadInputError):
        parse_value(field, raw)


def test_unknown_field_is_refused(book: CaseBook) -> None:
    book.create("Dad")
    with pytest.raises(BadInputError, match="unknown field"):
        book.correct("Dad", "ki_67", "12")


def test_owners_cannot_see_each_other(tmp_path: Path) -> None:
    repo = SqliteCaseRepository(Store(tmp_path / "db.sqlite3"))
    alice, bob = CaseBook(repo, "owner-a"), CaseBook(repo, "owner-b")
    case = alice.create("Dad")
    bob.create("Dad")  # the same name is fine for another owner
    assert [c.name for c in bob.cases()] == ["Dad"] and bob.find("Dad").id != case.id
    for attempt in (
        lambda: bob.profile(case.id),
        lambda: bob.delete(case.id),
        lambda: bob.rename(case.id, "mine"),
        lambda: bob.correct(case.id, "ki67_percent", "1"),
    ):
        with pytest.raises(SavedCaseNotFoundError):
            attempt()
    assert alice.find(case.id).name == "Dad"


def test_cases_survive_reopening_the_store(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = open_casebook(home)
    first.create_from_files("Dad", [_write(tmp_path, "a.txt", FIRST)])
    first.correct("Dad", "ki67_percent", "14")
    again = open_casebook(home)
    assert again.profile("Dad").fields["ki67_percent"].value == 14


def test_grade_is_not_mixed_across_specimens(book: CaseBook, tmp_path: Path) -> None:
    book.create_from_files("Dad", [_write(tmp_path, "a.txt", FIRST)])
    assert book.profile("Dad").fields["grade"].value == "G2"
    book.add_files("Dad", [_write(tmp_path, "b.txt", SECOND)])
    profile = book.profile("Dad")
    assert "grade" not in profile.fields  # stated on the 2024 resection; 2025's biopsy gives new numbers
    assert any(
        "grade 'G2' (a.txt, line 4, 2024-03-01) is from an older specimen" in w for w in profile.warnings
    )
    assert profile.fields["tumor_size_cm"].value == 2.5  # not a grade value: still merged


def test_a_later_report_without_grade_values_keeps_the_grade(book: CaseBook, tmp_path: Path) -> None:
    book.create_from_files("Dad", [_write(tmp_path, "a.txt", FIRST)])
    book.add_files("Dad", [_write(tmp_path, "scan.txt", "CT report\nDate: 2025-01-05\nMetastases: liver\n")])
    assert book.profile("Dad").fields["grade"].value == "G2"
