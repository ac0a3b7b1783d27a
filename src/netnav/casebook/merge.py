"""The one place where a saved case's reports are merged (switch to the records precedence merge here).

Reports are merged with `netnav.records.merge_profiles` (later report date wins, then explicit over
inferred). Reports are passed newest-added first, so between two undated reports the one added later
wins. Every value that did not win stays in the field's `history` with its report, line and date.
"""

from __future__ import annotations

from collections.abc import Sequence

from netnav.types.case import CaseProfile, FieldValue, HistoryEntry
from netnav.types.casebook import StoredReport

GRADE_GROUP = ("grade", "ki67_percent", "mitoses_per_2mm2")


def _date_of(fv: FieldValue, report: StoredReport) -> str | None:
    return fv.report_date or report.report_date


def _history(name: str, winner: FieldValue, reports: Sequence[StoredReport]) -> list[HistoryEntry]:
    out: list[HistoryEntry] = list(winner.history)  # what the winning report itself superseded
    replaced_by = f"{winner.source}:{winner.line}"
    for report in reports:
        fv = report.profile.fields.get(name)
        if fv is None:
            continue
        if fv.source == winner.source and fv.line == winner.line and fv.value == winner.value:
            continue
        out.extend(fv.history)
        out.append(
            HistoryEntry(
                value=fv.value,
                source=fv.source,
                line=fv.line,
                report_date=_date_of(fv, report),
                superseded_by=f"{replaced_by} ({'later report' if _later(winner, fv) else 'added later'})",
            )
        )
    unique = {(h.source, h.line, repr(h.value)): h for h in out}
    return sorted(unique.values(), key=lambda h: (h.report_date or "", h.source, h.line))


def _later(winner: FieldValue, other: FieldValue) -> bool:
    return (winner.report_date or "") > (other.report_date or "")


def merge_reports(case_id: str, reports: Sequence[StoredReport]) -> CaseProfile:
    """One CaseProfile (id `case_id`) from the reports (oldest first), with per-field history."""
    from netnav.records import merge_profiles

    if not reports:
        return CaseProfile(case_id=case_id)
    newest_first = [r.profile for r in reversed(reports)]
    merged = merge_profiles(newest_first, case_id=case_id)
    fields = {
        name: fv.model_copy(update={"history": _history(name, fv, reports)})
        for name, fv in merged.fields.items()
    }
    merged = merged.model_copy(update={"fields": fields})
    fields, notes = _one_specimen_grade(merged, reports)
    sources = [r.name for r in reports]
    return merged.model_copy(
        update={"fields": fields, "sources": sources, "warnings": [*merged.warnings, *notes]}
    )


def _order(report: StoredReport) -> tuple[str, int]:
    return (report.report_date or "", report.id)


def _one_specimen_grade(
    merged: CaseProfile, reports: Sequence[StoredReport]
) -> tuple[dict[str, FieldValue], list[str]]:
    """Grade, Ki-67 and mitoses describe one specimen: take them together from the newest report that gives
    any of them. A grade stated on a 2024 resection must not sit beside the Ki-67 of a 2025 liver biopsy (the
    rules would call the pair discordant); the older value is left out of the current values with a note."""
    fields = dict(merged.fields)
    notes: list[str] = []
    with_group = [r for r in reports if any(n in r.profile.fields for n in GRADE_GROUP)]
    if not with_group:
        return fields, notes
    newest = max(with_group, key=_order)
    for name in GRADE_GROUP:
        fv = fields.get(name)
        if fv is None or name in newest.profile.fields or fv.user is not None:
            continue
        del fields[name]
        notes.append(
            f"{name} {fv.value!r} ({fv.source}, line {fv.line}, {fv.report_date or 'undated'}) is from an older "
            f"specimen than {newest.name}, which gives the newest grade/Ki-67/mitoses; it is not used as a "
            "current value"
        )
    return fields, notes
