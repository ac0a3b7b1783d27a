"""A report's date: never a date of birth, and n/n/yyyy read in the order the document writes it."""

from __future__ import annotations

import pytest

from netnav.records import extract_text
from netnav.records.dates import parse_date, report_date, slash_order


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Patient: DOE, John    DOB: 02/03/1954\nDate received: 14/02/2024", "2024-02-14"),
        ("Name: A Patient  D.O.B. 1950-07-01\nReport date: 2024-05-06", "2024-05-06"),
        ("Date of birth: 1 March 1950\nReported: 5 June 2024", "2024-06-05"),
        ("born 12/20/1948 (US)\nSigned out 03/04/2025", "2025-03-04"),
        ("Mrs K Ahmed, DOB 23.4.1961, Hospital no 998\nClinic date: 12 September 2024", "2024-09-12"),
        ("Dear Dr Patel,\nRe: John Doe, DOB 02/03/1954\nClinic date: 21/10/2024", "2024-10-21"),
        ("Collected: 07/08/2024\nReceived: 07/09/2024", "2024-07-08"),  # no day above 12: US order
        ("Collected 25/12/2023, reported 02/01/2024", "2023-12-25"),
        ("my notes - dads appt 3 march 2025", "2025-03-03"),
        ("Birthdate: 1949-11-30", None),
    ],
)
def test_report_date(text: str, date: str | None) -> None:
    assert report_date(tuple(text.splitlines())) == date


def test_slash_order_and_birth_dates_left_out() -> None:
    assert slash_order(("Received 14/02/2024",)) == "dmy"
    assert slash_order(("Received 02/14/2024",)) == "mdy"
    assert parse_date("DOB: 02/03/1954") is None
    assert parse_date("02/03/2024", "dmy") == "2024-03-02"


def test_a_value_carries_the_report_date_not_the_birth_date() -> None:
    profile = extract_text(
        "CELLULAR PATHOLOGY\nPatient: DOE, John  DOB: 02/03/1954\nDate reported: 21/02/2024\n"
        "Ki67 proliferation index approximately 9%\n",
        "path.txt",
    )
    assert profile.fields["ki67_percent"].report_date == "2024-02-21"
