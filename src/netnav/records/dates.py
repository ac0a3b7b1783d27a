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


def parse_date(text: str) -> str | None:
    """The first date in `text` as ISO yyyy-mm-dd (US order for n/n/yyyy)."""
    for rx in (ISO, US):
        m = rx.search(text)
        if m:
            return _safe(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    for rx in (DMY_TEXT, MDY_TEXT):
        m = rx.search(text)
        if m and m.group("mon")[:3].lower() in MONTHS:
            return _safe(int(m.group("y")), MONTHS[m.group("mon")[:3].lower()], int(m.group("d")))
    return None


def report_date(lines: tuple[str, ...]) -> str | None:
    """Date from a line that names a date (first 25 lines), else any date in the first 5 lines."""
    head = lines[:25]
    for text in head:
        if DATE_LINE.search(text):
            found = parse_date(text)
            if found:
                return found
    for text in head[:5]:
        found = parse_date(text)
        if found:
            return found
    return None
