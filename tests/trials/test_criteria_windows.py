"""Washout and time-window criteria decided from therapy-line dates and status (trials/therapy_windows.py).
Criteria written for these tests (not registry text); 'now' is the case's latest report date."""

from __future__ import annotations

from datetime import date

import pytest

from netnav.trials.criteria import label_criterion
from netnav.trials.therapy_windows import reference_date, window_days
from netnav.types.case import CaseProfile, FieldValue
from netnav.types.therapy import TherapyLine, TherapyStatus


def _line(agent: str, drugs: list[str], status: TherapyStatus, stop: str | None = None) -> TherapyLine:
    return TherapyLine(agent=agent, drugs=drugs, status=status, stop=stop, text=agent, source="l.txt", line=3)


def _case(*lines: TherapyLine, on: str | None = "2025-11-10") -> CaseProfile:
    fields = {
        "histology": FieldValue(
            value="neuroendocrine tumour", text="x", source="l.txt", line=1, report_date=on
        ),
        "prior_therapies": FieldValue(
            value=[d for t in lines for d in t.drugs], text="x", source="l.txt", line=2, report_date=on
        ),
    }
    return CaseProfile(case_id="w", fields=fields, therapy_lines=list(lines))


CASES: dict[str, CaseProfile] = {
    "on_lanreotide": _case(_line("lanreotide", ["lanreotide"], "ongoing")),
    "stopped_long_ago": _case(
        _line("lanreotide", ["lanreotide"], "stopped", "May 2023"),
        _line("everolimus", ["everolimus"], "stopped", "August 2025"),
    ),
    "stopped_recently": _case(
        _line("carboplatin-etoposide", ["carboplatin", "etoposide"], "stopped", "2025-10-25")
    ),
    "no_dates": _case(_line("CAPTEM", ["capecitabine", "temozolomide"], "given")),
    "no_report_date": _case(_line("everolimus", ["everolimus"], "stopped", "August 2025"), on=None),
    "stopped_this_month": _case(_line("everolimus", ["everolimus"], "stopped", "November 2025")),
}


@pytest.mark.parametrize(
    ("text", "kind", "who", "label"),
    [
        ("Antineoplastic therapy within 21 days before the first dose", "exclusion", "on_lanreotide", "met"),
        (
            "Antineoplastic therapy within 21 days before the first dose",
            "exclusion",
            "stopped_long_ago",
            "not_met",
        ),
        (
            "Antineoplastic therapy within 21 days before the first dose",
            "exclusion",
            "stopped_recently",
            "met",
        ),
        (
            "Antineoplastic therapy within 21 days before the first dose",
            "exclusion",
            "no_dates",
            "insufficient_info",
        ),
        (
            "Anti-cancer therapy within 4 weeks of enrolment",
            "exclusion",
            "no_report_date",
            "insufficient_info",
        ),
        (
            "At least 4 weeks since completion of all prior systemic therapy",
            "inclusion",
            "on_lanreotide",
            "not_met",
        ),
        (
            "At least 4 weeks since completion of all prior systemic therapy",
            "inclusion",
            "stopped_long_ago",
            "met",
        ),
        (
            "At least 4 weeks since completion of all prior systemic therapy",
            "inclusion",
            "stopped_recently",
            "not_met",
        ),
        (
            "≥ 28 days must have elapsed since the last dose of anticancer treatment",
            "inclusion",
            "on_lanreotide",
            "not_met",
        ),
        # a month named as the stop date may be inside or outside a 3-week window
        (
            "Systemic therapy within 7 days before study entry",
            "exclusion",
            "stopped_this_month",
            "insufficient_info",
        ),
        ("Systemic therapy within 3 weeks before study entry", "exclusion", "stopped_this_month", "met"),
        # a named class counts only its members
        ("Chemotherapy within 3 weeks prior to study entry", "exclusion", "on_lanreotide", "not_met"),
        ("Chemotherapy within 3 weeks prior to study entry", "exclusion", "stopped_recently", "met"),
        ("Concurrent anticancer therapy", "exclusion", "on_lanreotide", "met"),
        ("Concurrent anticancer therapy", "exclusion", "stopped_long_ago", "not_met"),
        # continuing a therapy is not a washout
        (
            "Patients on a stable dose of somatostatin analogue for at least 3 months may continue",
            "inclusion",
            "stopped_recently",
            "not_met",
        ),
    ],
)
def test_windows_from_therapy_lines(text: str, kind: str, who: str, label: str) -> None:
    got = label_criterion(text, kind, CASES[who])  # type: ignore[arg-type]
    assert got.label == label, got.reason


def test_reason_says_the_therapy_is_ongoing() -> None:
    got = label_criterion(
        "Antineoplastic therapy within 21 days before the first dose", "exclusion", CASES["on_lanreotide"]
    )
    assert "lanreotide" in got.reason and "ongoing" in got.reason


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("within 21 days", 21),
        ("at least 4 weeks since", 28),
        ("six months", 180),
        ("28 (twenty-eight) days", None),
    ],
)
def test_window_days(text: str, days: int | None) -> None:
    assert window_days(text) == days


def test_reference_date_is_the_latest_report() -> None:
    assert reference_date(CASES["on_lanreotide"]) == date(2025, 11, 10)
    assert reference_date(CASES["no_report_date"]) is None
