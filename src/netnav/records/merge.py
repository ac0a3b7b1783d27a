"""Merge per-file profiles into one case: later report date wins, then explicit over inferred; warn on conflicts."""

from __future__ import annotations

from collections.abc import Sequence

from netnav.records.collector import LIST_FIELDS, _same
from netnav.types.case import CaseProfile, FieldValue


def _rank(fv: FieldValue) -> tuple[str, int]:
    return (fv.report_date or "", 0 if fv.inferred else 1)


def _merge_list(values: list[FieldValue]) -> FieldValue:
    ordered = sorted(values, key=_rank, reverse=True)
    items: list[str] = []
    for fv in ordered:
        for item in fv.value if isinstance(fv.value, list) else []:
            if item not in items:
                items.append(item)
    notes = [f"{fv.source}:{fv.line}" for fv in ordered]
    note = "merged from " + ", ".join(notes) if len(ordered) > 1 else ordered[0].note
    return ordered[0].model_copy(update={"value": items, "note": note})


def _merge_scalar(name: str, values: list[FieldValue], warnings: list[str]) -> FieldValue:
    ordered = sorted(values, key=_rank, reverse=True)
    best = ordered[0]
    for other in ordered[1:]:
        if _same(other.value, best.value):
            continue
        why = (
            "later report"
            if (best.report_date or "") > (other.report_date or "")
            else (
                "explicit over inferred"
                if other.inferred and not best.inferred
                else "first file (no dates to order)"
            )
        )
        warnings.append(
            f"conflict on {name}: {best.source}:{best.line} says {best.value!r}, "
            f"{other.source}:{other.line} says {other.value!r}; kept {best.value!r} ({why})"
        )
    return best


def merge_profiles(profiles: Sequence[CaseProfile], case_id: str | None = None) -> CaseProfile:
    """One CaseProfile from several; every scalar conflict becomes a warning."""
    if len(profiles) == 1 and case_id is None:
        return profiles[0]
    by_field: dict[str, list[FieldValue]] = {}
    warnings: list[str] = []
    for p in profiles:
        warnings.extend(p.warnings)
        for name, fv in p.fields.items():
            by_field.setdefault(name, []).append(fv)
    fields = {
        name: _merge_list(vals) if name in LIST_FIELDS else _merge_scalar(name, vals, warnings)
        for name, vals in by_field.items()
    }
    negated = [
        n for p in profiles for n in p.negated if n.field not in fields or fields[n.field].value is False
    ]
    sources = [s for p in profiles for s in p.sources]
    cid = case_id or (profiles[0].case_id if profiles else "case-empty")
    return CaseProfile(case_id=cid, fields=fields, negated=negated, warnings=warnings, sources=sources)
