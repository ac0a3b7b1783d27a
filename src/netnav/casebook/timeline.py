"""A saved case over time: one point per report and measured value, treatments as spans.

Points come from each report's own profile (not the merged case), so a value replaced by a later
report still appears at its date. Chromogranin A and 5-HIAA are not case fields; they are read here
from the report lines with a deliberately narrow pattern (name, number, unit on one line) and shown
only when present.

Treatments come from the reports' lines of therapy (records/therapy_lines.py): a bar runs from the start date
the report writes ("since 2023-05", "started March 2024") to the stop date it writes; an ongoing treatment with
no stop date runs to the date of the latest dated report that says it is ongoing ("as of"), drawn open-ended.
A written month or year is placed at its first day and shown as written. A treatment with neither a start
nor a stop date is never placed on the time axis: it is listed separately, as are treatments declined or only
planned (not given).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from netnav.types.casebook import StoredReport
from netnav.types.therapy import TherapyLine

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
class Treatment:
    """A drug or regimen over time, with the dates the reports write (None when not written).

    `start`/`stop` are ISO dates placed on the axis (a written month or year at its first day);
    `start_written`/`stop_written` keep the words of the report. `as_of` is, for an ongoing treatment
    without a stop date, the date of the latest dated report that says it is ongoing. `status` is the
    latest report's (given, ongoing, stopped, declined, planned)."""

    name: str
    drugs: tuple[str, ...]
    status: str
    start: str | None
    stop: str | None
    start_written: str | None
    stop_written: str | None
    as_of: str | None
    source: str
    line: int
    text: str

    @property
    def given(self) -> bool:
        return self.status not in ("declined", "planned")

    @property
    def dated(self) -> bool:
        """Placed on the time axis: given, with a written start or stop date."""
        return self.given and (self.start is not None or self.stop is not None)

    @property
    def end(self) -> str | None:
        """Where its bar ends: the stop date, else (ongoing) the as-of date; None when not known."""
        return self.stop or self.as_of

    def when(self) -> str:
        """The dates in words, as the reports give them."""
        if not self.given:
            return f"{self.status}, not given"
        if self.start_written and self.stop_written:
            return f"{self.start_written} to {self.stop_written}"
        if self.start_written:
            tail = f"ongoing as of {self.as_of}" if self.as_of else "end not stated"
            return f"from {self.start_written} ({tail})"
        if self.stop_written:
            return f"until {self.stop_written} (start not stated)"
        return "dates not stated in the reports"


@dataclass(frozen=True)
class Timeline:
    points: tuple[Point, ...]
    treatments: tuple[Treatment, ...]
    reports: tuple[tuple[str, str, bool], ...]  # (date, report name, dated)

    def dated_treatments(self) -> list[Treatment]:
        return [t for t in self.treatments if t.dated]

    def undated_treatments(self) -> list[Treatment]:
        """Given but with no written date, or not given at all: listed beside the plot, never on its axis."""
        return [t for t in self.treatments if not t.dated]

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


def _lab_points(report: StoredReport, day: str, dated: bool) -> list[Point]:
    out = []
    for n, text in enumerate(report.lines, start=1):
        for series, rx in _LABS.items():
            m = rx.search(text)
            if m is None or _NEGATED.search(text[: m.start(1)]):
                continue
            unit = (m.group(2) or "").strip()
            value = float(m.group(1).replace(",", "."))
            out.append(Point(series, day, value, unit, report.name, n, text.strip(), dated))
    return out


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}


_FULL = ("uary", "ruary", "ch", "il", "", "e", "y", "ust", "tember", "ober", "ember", "ember")


def _month(head: str, rest: str) -> bool:
    """A month's name or abbreviation ("Sep", "Sept", "September"), never another word ("Octreotide")."""
    if head not in _MONTHS:
        return False
    full = _FULL[_MONTHS[head] - 1]
    return full.startswith(rest) or (head == "sep" and "tember".startswith(rest[1:]) and rest[:1] == "t")


def written_date(text: str) -> str | None:
    """A date as therapy lines write it ("2024-03-05", "2024-03", "03/2024", "March 2024", "2024") as an ISO
    date, a month or year at its first day; None when it is not a real date."""
    t = text.strip().lower().rstrip(".")
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", t):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)).isoformat()
        if m := re.fullmatch(r"(\d{1,2})/(\d{4})", t):
            return date(int(m.group(2)), int(m.group(1)), 1).isoformat()
        if (m := re.fullmatch(r"([a-z]{3})([a-z]*)\.?\s+(\d{4})", t)) and _month(m.group(1), m.group(2)):
            return date(int(m.group(3)), _MONTHS[m.group(1)], 1).isoformat()
        if (m := re.fullmatch(r"(\d{4})", t)) and 1950 <= int(m.group(1)) <= 2100:
            return date(int(m.group(1)), 1, 1).isoformat()
    except ValueError:
        return None
    return None


@dataclass
class _Acc:
    first: TherapyLine
    source: str
    status: str
    start: tuple[str, str] | None = None  # (ISO, as written)
    stop: tuple[str, str] | None = None
    as_of: str | None = None
    names: list[str] = field(default_factory=list)


def _group_for(
    groups: dict[tuple[tuple[str, ...], str | None], _Acc], drugs: tuple[str, ...], start: str | None
) -> _Acc | None:
    """The treatment a line of therapy continues: same drugs and start; a dated line takes over the undated
    group of its drugs; an undated line continues the latest group of its drugs."""
    if start is not None:
        return groups.get((drugs, start)) or groups.pop((drugs, None), None)
    same = [acc for (d, _), acc in groups.items() if d == drugs]
    return same[-1] if same else None


def _treatments(reports: list[StoredReport], dates: dict[int, tuple[str, bool]]) -> tuple[Treatment, ...]:
    """One Treatment per drug set (and written start): dates merged over the reports, latest status kept."""
    groups: dict[tuple[tuple[str, ...], str | None], _Acc] = {}
    for report in sorted(reports, key=lambda r: dates[r.id]):
        report_date, dated = dates[report.id]
        for tl in report.profile.therapy_lines:
            drugs = tuple(sorted(set(tl.drugs)))
            start = written_date(tl.start) if tl.start else None
            acc = _group_for(groups, drugs, start)
            if acc is None:
                acc = _Acc(tl, report.name, tl.status)
            if start is not None and acc.start is None and tl.start:
                acc.start = (start, tl.start)
            groups[(drugs, acc.start[0] if acc.start else None)] = acc
            acc.status = tl.status
            if tl.stop and (stop := written_date(tl.stop)) is not None:
                acc.stop = (stop, tl.stop)
            if tl.status == "ongoing" and dated and (acc.as_of is None or report_date > acc.as_of):
                acc.as_of = report_date
    out = []
    for (drugs, _), acc in groups.items():
        as_of = acc.as_of if acc.stop is None and acc.status == "ongoing" else None
        if acc.start is not None and as_of is not None and as_of < acc.start[0]:
            as_of = None
        out.append(
            Treatment(
                name=acc.first.agent,
                drugs=drugs,
                status=acc.status,
                start=acc.start[0] if acc.start else None,
                stop=acc.stop[0] if acc.stop else None,
                start_written=acc.start[1] if acc.start else None,
                stop_written=acc.stop[1] if acc.stop else None,
                as_of=as_of,
                source=acc.source,
                line=acc.first.line,
                text=acc.first.text,
            )
        )
    return tuple(sorted(out, key=lambda t: (t.start or t.stop or "9999", t.name.lower())))


def _mentioned_only(reports: list[StoredReport], known: tuple[Treatment, ...]) -> list[Treatment]:
    """prior_therapies items no line of therapy covers (e.g. a FHIR medication): undated mentions."""
    covered = {d for t in known for d in t.drugs}
    out: dict[str, Treatment] = {}
    for report in reports:
        fv = report.profile.fields.get("prior_therapies")
        if fv is None or not isinstance(fv.value, list):
            continue
        for item in fv.value:
            name = str(item)
            if name.lower() not in covered and name not in out:
                out[name] = Treatment(
                    name, (name.lower(),), "given", None, None, None, None, None, fv.source, fv.line, fv.text
                )
    return list(out.values())


def build_timeline(reports: list[StoredReport]) -> Timeline:
    """Points for every report's measured values and lab results; treatments with their written dates."""
    points: list[Point] = []
    dates = []
    for report in reports:
        day, dated = _date(report)
        dates.append((day, report.name, dated))
        for name in ("ki67_percent", "mitoses_per_2mm2", "tumor_size_cm"):
            fv = report.profile.fields.get(name)
            number = None if fv is None else _as_float(fv.value)
            if fv is not None and number is not None:
                unit = SERIES[name][1]
                points.append(Point(name, day, number, unit, fv.source, fv.line, fv.text.strip(), dated))
        points.extend(_lab_points(report, day, dated))
    treatments = _treatments(reports, {r.id: _date(r) for r in reports})
    treatments += tuple(_mentioned_only(reports, treatments))
    return Timeline(tuple(points), treatments, tuple(sorted(dates)))
