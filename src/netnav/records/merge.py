"""Merge per-file profiles into one case; every superseded value stays in the field's `history`.

Order of precedence for a scalar field (first difference decides):
1. pathology fields (histology, grade, Ki-67, size, nodes, TNM, invasion, margins) from a pathology report
   beat the same field from a clinic letter, requisition or other document;
2. biomarker fields from tissue beat the same field from blood (a liquid biopsy is a different measure);
3. the later report date (a later report on the same specimen, an amended report);
4. explicit over inferred; then file order. Conflicts settled by file order alone are also warned.
Lists are united. Negative results stay under `negated` unless a report states the opposite.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from netnav.records.collector import LIST_FIELDS, _same
from netnav.types.case import BIOMARKER_FIELDS, CaseProfile, FieldValue, HistoryEntry, NegatedFinding

PATHOLOGY_FIELDS = frozenset(
    {
        "histology",
        "differentiation",
        "grade",
        "ki67_percent",
        "mitoses_per_2mm2",
        "tumor_size_cm",
        "necrosis",
        "lymphovascular_invasion",
        "perineural_invasion",
        "margin_status",
        "nodes_positive",
        "nodes_examined",
        "pT",
        "pN",
        "pM",
    }
)


def _ranker(name: str, pathology: Collection[str]) -> Callable[[FieldValue], tuple[int, int, str, int]]:
    def rank(fv: FieldValue) -> tuple[int, int, str, int]:
        path = 1 if name in PATHOLOGY_FIELDS and fv.source in pathology else 0
        tissue = 0 if name in BIOMARKER_FIELDS and fv.specimen == "blood" else 1
        return (path, tissue, fv.report_date or "", 0 if fv.inferred else 1)

    return rank


def _merge_list(values: list[FieldValue]) -> FieldValue:
    ordered = sorted(values, key=lambda fv: (fv.report_date or "", 0 if fv.inferred else 1), reverse=True)
    items: list[str] = []
    for fv in ordered:
        for item in fv.value if isinstance(fv.value, list) else []:
            if item not in items:
                items.append(item)
    notes = [f"{fv.source}:{fv.line}" for fv in ordered]
    note = "merged from " + ", ".join(notes) if len(ordered) > 1 else ordered[0].note
    return ordered[0].model_copy(update={"value": items, "note": note})


def _why(name: str, best: FieldValue, other: FieldValue, pathology: Collection[str]) -> str:
    if name in PATHOLOGY_FIELDS and best.source in pathology and other.source not in pathology:
        return "pathology report"
    if name in BIOMARKER_FIELDS and other.specimen == "blood" and best.specimen != "blood":
        return "tissue over blood"
    if (best.report_date or "") > (other.report_date or ""):
        return "later report"
    if other.inferred and not best.inferred:
        return "explicit over inferred"
    return "first file (no dates to order)"


def _merge_scalar(
    name: str, values: list[FieldValue], warnings: list[str], pathology: Collection[str]
) -> FieldValue:
    ordered = sorted(values, key=_ranker(name, pathology), reverse=True)
    best = ordered[0]
    history = list(best.history)
    for other in ordered[1:]:
        history.extend(other.history)
        if _same(other.value, best.value):
            continue
        why = _why(name, best, other, pathology)
        warnings.append(
            f"conflict on {name}: {best.source}:{best.line} says {best.value!r}, "
            f"{other.source}:{other.line} says {other.value!r}; kept {best.value!r} ({why})"
        )
        history.append(
            HistoryEntry(
                value=other.value,
                source=other.source,
                line=other.line,
                report_date=other.report_date,
                superseded_by=f"{best.source}:{best.line} ({why})",
            )
        )
    history.sort(key=lambda h: h.report_date or "")
    return best.model_copy(update={"history": history})


def _keep_negative(n: NegatedFinding, fields: dict[str, FieldValue]) -> bool:
    fv = fields.get(n.field)
    if fv is None:
        return True
    if n.value is None:
        return fv.value is False
    if isinstance(fv.value, list):
        return n.value not in fv.value
    return not _same(fv.value, n.value)


def merge_profiles(
    profiles: Sequence[CaseProfile], case_id: str | None = None, pathology: Collection[str] = ()
) -> CaseProfile:
    """One CaseProfile from several; every scalar conflict becomes a warning and the losing value history.
    `pathology` names the source files that are pathology reports (their pathology fields win)."""
    if len(profiles) == 1 and case_id is None:
        return profiles[0]
    by_field: dict[str, list[FieldValue]] = {}
    warnings: list[str] = []
    for p in profiles:
        warnings.extend(p.warnings)
        for name, fv in p.fields.items():
            by_field.setdefault(name, []).append(fv)
    fields = {
        name: _merge_list(vals) if name in LIST_FIELDS else _merge_scalar(name, vals, warnings, pathology)
        for name, vals in by_field.items()
    }
    negated = [n for p in profiles for n in p.negated if _keep_negative(n, fields)]
    sources = [s for p in profiles for s in p.sources]
    cid = case_id or (profiles[0].case_id if profiles else "case-empty")
    therapy = [t for p in profiles for t in p.therapy_lines]
    return CaseProfile(
        case_id=cid, fields=fields, negated=negated, warnings=warnings, sources=sources, therapy_lines=therapy
    )
