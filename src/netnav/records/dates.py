"""Find a report's date (ISO) so that several reports can be ordered."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")
DMY_TEXT = re.compile(
    r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>(?:19|20)\d\d)\b"
)
MDY_TEXT = re.compile(
    r"\b(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b"
)
US = re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d\d)\b")
DATE_LINE = re.compile(r"date|dated|reported|signed|collected|received|letter|visit|procedure", re.IGNORECASE)


def _safe(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


BIRTH = re.compile(
    r"\b(?:D\.?O\.?B\.?|date of birth|birth ?date|born(?: on)?)\s*[:\-]?\s*"
    r"(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|"
    r"[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})",
    re.IGNORECASE,
)


def slash_order(lines: tuple[str, ...]) -> str:
    """ "dmy" when the document writes n/n/yyyy day first (a first number above 12 somewhere, e.g.
    "21/02/2024"), "mdy" otherwise (a second number above 12, or no evidence: the US order)."""
    for text in lines:
        for m in US.finditer(text):
            if int(m.group("m")) > 12 >= int(m.group("d")):
                return "dmy"
            if int(m.group("d")) > 12 >= int(m.group("m")):
                return "mdy"
    return "mdy"


def parse_date(text: str, order: str = "mdy") -> str | None:
    """The first date in `text` as ISO yyyy-mm-dd, dates of birth left out; n/n/yyyy read in `order`
    ("mdy" US, "dmy" day first; see `slash_order`)."""
    text = BIRTH.sub(" ", text)
    m = ISO.search(text)
    if m:
        return _safe(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    m = US.search(text)
    if m:
        a, b = int(m.group("m")), int(m.group("d"))
        month, day = (b, a) if order == "dmy" else (a, b)
        return _safe(int(m.group("y")), month, day)
    for rx in (DMY_TEXT, MDY_TEXT):
        m = rx.search(text)
        if m and m.group("mon")[:3].lower() in MONTHS:
            return _safe(int(m.group("y")), MONTHS[m.group("mon")[:3].lower()], int(m.group("d")))
    return None


def report_date(lines: tuple[str, ...]) -> str | None:
    """Date from a line that names a date (first 25 lines), else any date in the first 5 lines."""
    head = lines[:25]
    order = slash_order(head)
    for text in head:
        if DATE_LINE.search(BIRTH.sub(" ", text)):
            found = parse_date(text, order)
            if found:
                return found
    for text in head[:5]:
        found = parse_date(text, order)
        if found:
            return found
    return None
