"""Prior systemic therapy as trial criteria see it: the drug list, drug classes, and lines of therapy."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from netnav.rules.history import history_fields
from netnav.rules.values import Interval
from netnav.types.case import CaseProfile

_LOCAL = re.compile(r"surger|resect|ectomy|radiother|radiation|\brt\b|sbrt|ablation|embolization|whipple")

_PARTNERS = (
    "platin",
    "etoposide",
    "irinotecan",
    "paclitaxel",
    "pemetrexed",
    "gemcitabine",
    "fluorouracil",
    "5-fu",
    "atezolizumab",
    "durvalumab",
    "serplulimab",
    "adebrelimab",
    "benmelstobart",
    "toripalimab",
)


def evidence(case: CaseProfile, name: str) -> str | None:
    """'field=value (source:line)' for a field present in the case."""
    fv = case.fields.get(name)
    if fv is None:
        return None
    value = ", ".join(fv.value) if isinstance(fv.value, list) else fv.value
    note = " [inferred]" if fv.inferred else ""
    return f"{name}={value}{note} ({fv.source}:{fv.line})"


def systemic_therapies(case: CaseProfile) -> list[str] | None:
    """Prior drugs/regimens actually given (surgery, radiotherapy and ablation left out; declined or planned
    therapies in the case's therapy lines left out); None when not recorded."""
    raw = case.value("prior_therapies")
    received = history_fields(case).get("received_therapies") if case.therapy_lines else None
    if received is not None:
        raw = received.value  # declined or planned therapies are not prior therapy
    if raw is None:
        return None
    items = raw if isinstance(raw, list) else [str(raw)]
    return [i for i in items if i.strip() and not _LOCAL.search(i.lower())]


def therapy_hits(
    items: Sequence[str], classes: Sequence[str], drug_classes: Mapping[str, Sequence[str]]
) -> list[str]:
    """Items of prior_therapies that belong to any of the named drug classes."""
    terms = [t.lower() for c in classes for t in drug_classes.get(c, [c])]
    return [item for item in items if any(t in item.lower() for t in terms)]


def line_interval(items: Sequence[str]) -> Interval:
    """Lines of therapy from a drug/regimen list, as [fewest, most]: drugs usually given together
    (platinum + etoposide ± first-line PD-L1 antibody; capecitabine + temozolomide) may be one line."""
    if not items:
        return Interval.point(0.0)
    lowered = [i.lower() for i in items]
    merges = 0
    if any("platin" in i for i in lowered):
        partners = [i for i in lowered if any(p in i for p in _PARTNERS)]
        merges += max(len(partners) - 1, 0)
    if any("capecitabine" in i for i in lowered) and any("temozolomide" in i for i in lowered):
        merges += 1
    return Interval(float(max(len(items) - merges, 1)), float(len(items)))
