"""Washout and time-window criteria decided from the dates and status of the case's therapy lines.

"Antineoplastic therapy within 21 days before the first dose" (an exclusion) and "at least 4 weeks since the
last dose of prior systemic therapy" (an inclusion) ask whether a therapy of some kind was given inside a
window ending now. From the therapy lines (records/therapy_lines.py):
- a line still given (status `ongoing`) was given inside any window: the exclusion applies, the inclusion is
  not met;
- a line stopped with a stop date: inside the window when even its earliest possible stop day is inside,
  outside when even its latest possible stop day ("August 2025" = the 31st) is before the window; the window
  ends at the case's latest report date ("now" is the date of the letters, not the day the program runs);
- otherwise (no dates, a bare list of drugs, no report date) the criterion stays undecided, as before.
Only lines of the kind the criterion names count: "anticancer / antineoplastic / systemic therapy" means
every systemic line (a somatostatin analogue included); a named class ("chemotherapy", "immunotherapy",
"somatostatin analogue", a class of data/drug_classes.yaml) only its members; any other wording
("investigational agent", "radiotherapy") is left to the other checks.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta

from netnav.rules.logic import Tri
from netnav.trials.therapy import systemic_therapies, therapy_hits
from netnav.trials.verdict import PredicateResult, RuleLike
from netnav.types.case import CaseProfile
from netnav.types.therapy import TherapyLine

_MONTHS = {m: i + 1 for i, m in enumerate(calendar.month_abbr[1:]) for m in [m.lower()]}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_WORD_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "twelve": 12}
_WINDOW = re.compile(
    r"(?P<n>\d+|one|two|three|four|five|six|eight|twelve)\s*(?:\(\d+\)\s*)?(?:calendar\s+)?"
    r"(?P<unit>day|week|month|year)s?\b",
    re.IGNORECASE,
)
_ANY_SYSTEMIC = re.compile(
    r"anti-?cancer|anti-?neoplastic|anti-?tumou?r|systemic|cancer[- ](?:directed|therapy|treatment)|"
    r"\b(?:any|all)\s+(?:prior\s+|previous\s+)?(?:therap|treatment)|cancer therapy",
    re.IGNORECASE,
)
_NAMED = {
    "chemotherapy": re.compile(r"chemotherap|cytotoxic", re.IGNORECASE),
    "checkpoint": re.compile(r"immunotherap|checkpoint|anti-?pd-?l?1|anti-?ctla", re.IGNORECASE),
    "ssa": re.compile(r"somatostatin analog|\bssas?\b|octreotide|lanreotide", re.IGNORECASE),
}
_NOW = re.compile(r"concurrent|concomitant|\bcurrent(?:ly)?\b|ongoing|\breceiving\b", re.IGNORECASE)
# an inclusion satisfied by NOT having had the therapy inside the window ("at least 4 weeks since ...")
_SINCE = re.compile(
    r"\bsince\b|elapsed|\binterval\b|wash-?out|\bat least\b|≥|>=|\bmore than\b|\bprior to\b|\bbefore\b|"
    r"\bfrom (?:the )?(?:last|end|completion)|\bcomplet",
    re.IGNORECASE,
)


def _period(text: str | None) -> tuple[date, date] | None:
    """The first and last day a written date can mean: "2025-08-14", "2025-08", "August 2025", "08/2025"."""
    if not text:
        return None
    raw = text.strip().lower()
    if m := re.search(r"\b((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})\b", raw):
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return day, day
    year_month = re.search(r"\b((?:19|20)\d\d)-(\d{1,2})\b", raw) or re.search(
        r"\b(\d{1,2})/((?:19|20)\d\d)\b", raw
    )
    if year_month:
        a, b = int(year_month[1]), int(year_month[2])
        year, month = (a, b) if a > 1900 else (b, a)
    elif m := re.search(r"\b([a-z]{3,9})\.?\s+((?:19|20)\d\d)\b", raw):
        month = _MONTHS.get(m[1][:3], 0)
        year = int(m[2])
    elif m := re.search(r"\b((?:19|20)\d\d)\b", raw):
        return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    else:
        return None
    if not 1 <= month <= 12:
        return None
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def reference_date(case: CaseProfile) -> date | None:
    """'Now' for a case: its latest report date."""
    dates = [p[1] for p in (_period(fv.report_date) for fv in case.fields.values()) if p is not None]
    return max(dates) if dates else None


def window_days(text: str) -> int | None:
    """The window a criterion names, in days ("within 21 days" → 21, "4 weeks" → 28); the first one."""
    m = _WINDOW.search(text)
    if m is None:
        return None
    raw = m["n"].lower()
    n = int(raw) if raw.isdigit() else _WORD_NUM[raw]
    return n * _UNIT_DAYS[m["unit"].lower()]


# wording this module does not decide: continuing a therapy is allowed, or an exception is made
_LEFT_ALONE = re.compile(
    r"stable dose|on a stable|continu|allowed|permitted|acceptable|\bmay\b|(?:are|is) eligible|except|"
    r"other than|unless|provided|apart from|with the exception",
    re.IGNORECASE,
)


def _wanted(text: str) -> list[str] | None:
    """Drug classes the criterion's window is about; [] = every systemic therapy; None = not read here."""
    if _LEFT_ALONE.search(text):
        return None
    named = [name for name, rx in _NAMED.items() if rx.search(text)]
    if named:
        return named
    return [] if _ANY_SYSTEMIC.search(text) else None


def _lines(case: CaseProfile, classes: list[str], ctx: Mapping[str, Sequence[str]]) -> list[TherapyLine]:
    received = [t for t in case.therapy_lines if t.received]
    return [t for t in received if not classes or therapy_hits(t.drugs, classes, ctx)]


def recent_therapy(case: CaseProfile, text: str, ctx: Mapping[str, Sequence[str]]) -> tuple[Tri, str] | None:
    """Whether therapy of the kind `text` names was given inside its window: (truth, reason), or None when
    this cannot be read from the therapy lines."""
    classes = _wanted(text)
    if classes is None or not case.therapy_lines:
        return None
    lines = _lines(case, classes, ctx)
    kind = "/".join(classes) or "systemic therapy"
    ongoing = [t for t in lines if t.status == "ongoing"]
    if ongoing:
        names = ", ".join(t.agent for t in ongoing)
        return True, f"{names} is ongoing (no stop recorded), so {kind} is being given inside the window"
    if not lines:
        given = systemic_therapies(case) or []
        if classes and not therapy_hits(given, classes, ctx):
            return False, f"no {kind} among the recorded therapies ({', '.join(given) or 'none'})"
        return None
    if all(t.status == "stopped" for t in lines) and _NOW.search(text) and not _WINDOW.search(text):
        return False, f"no {kind} is being given now ({', '.join(f'{t.agent} stopped' for t in lines)})"
    days, now = window_days(text), reference_date(case)
    if days is None or now is None:
        return None
    start = now - timedelta(days=days)
    stops = [(t, _period(t.stop)) for t in lines]
    if any(p is None or t.status != "stopped" for t, p in stops):
        return None
    inside = [t for t, p in stops if p is not None and p[0] > start]
    if inside:
        return (
            True,
            f"{', '.join(f'{t.agent} (stopped {t.stop})' for t in inside)}: inside {days} days of {now}",
        )
    if all(p is not None and p[1] <= start for _, p in stops):
        shown = ", ".join(f"{t.agent} stopped {t.stop}" for t, _ in stops)
        return False, f"last {kind}: {shown}; more than {days} days before {now}"
    return None


_WINDOW_FIELDS = frozenset({"recent_treatment"})


def timed_washouts(
    text: str,
    kind: str,
    case: CaseProfile,
    rules: Sequence[RuleLike],
    verdicts: Sequence[PredicateResult],
    ctx: Mapping[str, Sequence[str]],
) -> list[PredicateResult]:
    """Washout verdicts decided from therapy-line dates and status (see the module docstring); for an
    inclusion worded as a washout ("at least 4 weeks since"), therapy inside the window means not met."""
    found = recent_therapy(case, text, ctx) if any(r.field in _WINDOW_FIELDS for r in rules) else None
    if found is None:
        return list(verdicts)
    truth, reason = found
    if kind == "inclusion":
        if not _SINCE.search(text):
            return list(verdicts)
        truth = None if truth is None else not truth
    return [
        replace(v, truth=truth, reason=reason, fields=("therapy_lines",)) if r.field in _WINDOW_FIELDS else v
        for r, v in zip(rules, verdicts, strict=True)
    ]
