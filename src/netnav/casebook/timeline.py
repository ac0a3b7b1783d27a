"""A saved case over time: one point per report and measured value, treatments as spans.

Points come from each report's own profile (not the merged case), so a value replaced by a later
report still appears at its date. Chromogranin A and 5-HIAA are not case fields; they are read here
from the report lines with a deliberately narrow pattern (name, number, unit on one line) and shown
only when present. Treatments have no dates in the reports NETNav reads, so a treatment's span runs
from the first to the last report that mentions it and is labelled that way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netnav.types.casebook import StoredReport

SERIES: dict[str, tuple[str, str]] = {
    "ki67_percent": ("Ki-67 index", "%"),
    "mitoses_per_2mm2": ("Mitoses", "per 2 mm²"),
    "tumor_size_cm": ("Tumour size", "cm"),
    "chromogranin_a": ("Chromogranin A", ""),
    "hiaa_5": ("5-HIAA", ""),
}
_NUM = r"(\d+(?:[.,]\d{1,2})?)(?![.,]?\d)(?![\s-]*h(?:ours?|rs?)?\b)"  # "1,250" (thousands?) is ambiguous: not read
_GAP = r"(?:[^0-9\n]|24[\s-]*h(?:ours?|rs?)?\b){0,40}?"  # may step over "24 h urine"
_UNIT = (
    r"\s*(ng/ml|µg/l|ug/l|nmol/l|u/l|mg/24\s?h(?:ours?)?|mg/day|µmol/24\s?h|umol/24\s?h|mg/d|µmol/l|umol/l)?"
)
_LABS = {
    "chromogranin_a": re.compile(r"\b(?:chromogranin[\s-]*a|cga)\b" + _GAP + _NUM + _UNIT, re.I),
    "hiaa_5": re.compile(r"\b5[\s-]*hiaa\b" + _GAP + _NUM + _UNIT, re.I),
}
_NEGATED = re.compile(r"\b(?:not|no|negative|pending)\b", re.I)


@dataclass(frozen=True)
class Point:
    """One value at one date, traceable to its report line."""

    series: str
    date: str  # ISO yyyy-mm-dd (the report's date, else the day it was added)
    value: float
    unit: str
    source: str
    line: int
    text: str
    dated: bool  # False when the report states no date (the day it was added is used)


@dataclass(frozen=True)
class Span:
    """A treatment mentioned in the reports from `start` to `end` (dates of the first and last mention)."""

    name: str
    start: str
    end: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Timeline:
    points: tuple[Point, ...]
    treatments: tuple[Span, ...]
    reports: tuple[tuple[str, str, bool], ...]  # (date, report name, dated)

    def series(self, name: str) -> list[Point]:
        return sorted((p for p in self.points if p.series == name), key=lambda p: p.date)

    def present(self) -> list[str]:
        return [name for name in SERIES if any(p.series == name for p in self.points)]


def _date(report: StoredReport) -> tuple[str, bool]:
    return (report.report_date, True) if report.report_date else (report.added_at[:10], False)


def _as_float(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*[<>≤≥]=?\s*(\d+(?:\.\d+)?)\s*", value)
        return float(m.group(1)) if m else None
    return None


def _lab_points(report: StoredReport, date: str, dated: bool) -> list[Point]:
    out = []
    for n, text in enumerate(report.lines, start=1):
        for series, rx in _LABS.items():
            m = rx.search(text)
            if m is None or _NEGATED.search(text[: m.start(1)]):
                continue
            unit = (m.group(2) or "").strip()
            value = float(m.group(1).replace(",", "."))
            out.append(Point(series, date, value, unit, report.name, n, text.strip(), dated))
    return out


def build_timeline(reports: list[StoredReport]) -> Timeline:
    """Points for every report's measured values and lab results; treatment spans from mentions."""
    points: list[Point] = []
    mentions: dict[str, list[tuple[str, str]]] = {}
    dates = []
    for report in reports:
        date, dated = _date(report)
        dates.append((date, report.name, dated))
        for name in ("ki67_percent", "mitoses_per_2mm2", "tumor_size_cm"):
            fv = report.profile.fields.get(name)
            number = None if fv is None else _as_float(fv.value)
            if fv is not None and number is not None:
                unit = SERIES[name][1]
                points.append(Point(name, date, number, unit, fv.source, fv.line, fv.text.strip(), dated))
        points.extend(_lab_points(report, date, dated))
        therapies = report.profile.fields.get("prior_therapies")
        if therapies is not None and isinstance(therapies.value, list):
            for item in therapies.value:
                mentions.setdefault(item, []).append((date, report.name))
    spans = tuple(
        Span(name, min(d for d, _ in seen), max(d for d, _ in seen), tuple(dict.fromkeys(s for _, s in seen)))
        for name, seen in sorted(mentions.items())
    )
    return Timeline(tuple(points), spans, tuple(sorted(dates)))
