"""A one-page visit summary of a saved case: the same content for the PDF, the print page and Markdown.

Content: case name, date generated, key values with their report dates and source lines, what changed
in the latest report, findings that matter (rules whose status is `met`), questions to ask, top trials.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from netnav.casebook.merge import merge_reports
from netnav.casebook.service import CaseView
from netnav.settings import DISCLAIMER
from netnav.types.assessment import Assessment
from netnav.types.case import FieldValue
from netnav.types.trials import TrialMatch, TrialStatus

KEY_FIELDS: tuple[str, ...] = (
    "primary_site",
    "histology",
    "differentiation",
    "grade",
    "ki67_percent",
    "mitoses_per_2mm2",
    "tumor_size_cm",
    "stage",
    "metastatic_sites",
    "sstr_status",
    "msi_status",
    "mmr_status",
    "tmb_mut_per_mb",
    "pdl1_cps",
    "dll3_status",
    "gene_alterations",
    "prior_therapies",
)
TRIAL_LABELS: dict[TrialStatus, str] = {
    "eligible": "may be eligible",
    "possibly_eligible": "possibly eligible (more information needed)",
    "ineligible": "probably not eligible",
    "unknown": "not enough information",
}
MAX_FINDINGS = 6
MAX_QUESTIONS = 6
MAX_TRIALS = 3


@dataclass(frozen=True)
class KeyValue:
    field: str
    label: str
    value: str
    report_date: str | None
    where: str  # "file, line N"
    line_text: str
    user: str | None  # "corrected by you on 2026-11-29" / "confirmed by you on ..."


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: new in the latest report
    after: str
    where: str


@dataclass(frozen=True)
class VisitSummary:
    case_name: str
    generated: str  # yyyy-mm-dd (UTC)
    reports: list[tuple[str, str | None]]  # (report name, its date)
    key_values: list[KeyValue]
    latest_report: str | None
    changes: list[Change]
    findings: list[str]
    questions: list[str]
    trials: list[tuple[str, str, str]]  # (NCT id, title, label)
    disclaimer: str = DISCLAIMER


def plain_label(name: str) -> str:
    """Fallback field label ("ki67_percent" -> "ki67 percent"); the edges pass their own labels."""
    return name.replace("_", " ")


def shown(fv: FieldValue) -> str:
    """A value as people read it: 12%, 2.5 cm, yes/no, comma lists."""
    value = fv.value
    if isinstance(value, bool):
        return "present" if value else "absent"
    if isinstance(value, list):
        return ", ".join(value) or "none"
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if fv.unit and fv.unit != "years":
        text += fv.unit if fv.unit == "%" else f" {fv.unit}"
    return text


def _where(fv: FieldValue) -> str:
    return "entered by you" if fv.line == 0 else f"{fv.source}, line {fv.line}"


def _user(fv: FieldValue) -> str | None:
    if fv.user is None:
        return None
    return f"{fv.user.action} by you on {fv.user.at[:10]}"


def _changes(view: CaseView, label: Callable[[str], str]) -> tuple[str | None, list[Change]]:
    reports = sorted(view.saved.reports, key=lambda r: (r.report_date or r.added_at[:10], r.id))
    if len(reports) < 2:
        return (reports[0].name if reports else None), []
    latest = reports[-1]
    before = merge_reports(view.summary.id, reports[:-1]).fields
    out = []
    for name, fv in latest.profile.fields.items():
        old = before.get(name)
        if old is not None and shown(old) == shown(fv):
            continue
        out.append(Change(label(name), None if old is None else shown(old), shown(fv), _where(fv)))
    return latest.name, out


def build_summary(
    view: CaseView,
    assessment: Assessment,
    matches: list[TrialMatch],
    label: Callable[[str], str] = plain_label,
) -> VisitSummary:
    """The visit summary of a saved case (values from `view.profile`, so corrections are used)."""
    fields = view.profile.fields
    keys = [
        KeyValue(name, label(name), shown(fv), fv.report_date, _where(fv), fv.text.strip(), _user(fv))
        for name in KEY_FIELDS
        if (fv := fields.get(name)) is not None
    ]
    latest, changes = _changes(view, label)
    findings = [f.statement for f in assessment.findings if f.status == "met"][:MAX_FINDINGS]
    trials = [
        (m.nct_id, m.title, TRIAL_LABELS.get(m.status, m.status)) for m in matches if m.status != "ineligible"
    ][:MAX_TRIALS]
    return VisitSummary(
        case_name=view.summary.name,
        generated=datetime.now(UTC).strftime("%Y-%m-%d"),
        reports=[(r.name, r.report_date) for r in view.saved.reports],
        key_values=keys,
        latest_report=latest,
        changes=changes,
        findings=findings,
        questions=assessment.questions_to_ask[:MAX_QUESTIONS],
        trials=trials,
    )


def summary_markdown(s: VisitSummary) -> str:
    """The visit summary as Markdown (same content and date as the PDF)."""
    out = [f"# Visit summary: {s.case_name}", "", f"Generated {s.generated} by NETNav.", ""]
    reports = "; ".join(f"{name} ({date or 'undated'})" for name, date in s.reports) or "none yet"
    out += [f"Reports: {reports}", "", "## Key values", ""]
    out += ["| Item | Value | Report date | Where it came from |", "|---|---|---|---|"]
    for k in s.key_values:
        flag = f" ({k.user})" if k.user else ""
        line = k.line_text.replace("|", "\\|")
        out.append(f'| {k.label} | {k.value}{flag} | {k.report_date or "undated"} | {k.where}: "{line}" |')
    out += ["", f"## What changed in the latest report ({s.latest_report or 'none'})", ""]
    if not s.changes:
        out.append("Nothing changed (or there is only one report).")
    for c in s.changes:
        was = f"was {c.before}" if c.before is not None else "new"
        out.append(f"- {c.label}: {c.after} ({was}; {c.where})")
    out += ["", "## Findings that matter", ""]
    out += [f"- {f}" for f in s.findings] or ["- None of NETNav's rules applied with the values known."]
    out += ["", "## Questions to ask", ""]
    out += [f"- {q}" for q in s.questions] or ["- (none suggested)"]
    out += ["", "## Trials to ask about", ""]
    out += [f"- {nct}: {title} ({label})" for nct, title, label in s.trials] or ["- No matching open trial."]
    out += ["", f"_{s.disclaimer}_", ""]
    return "\n".join(out)
