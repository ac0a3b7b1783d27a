"""Label a criterion made of parts (cohorts, a condition, an exception, alternatives), part by part.

`label_compound(text, kind, case, plain, condition)` labels each part with `plain` (the one-clause labeller of
criteria.py) and combines the labels with the logic of the structure (clauses.py finds it):
- Cohorts: an inclusion is met when the case meets one cohort's requirement, not met when it meets none;
  an exclusion applies (met) only when it applies in every cohort and does not when it applies in none.
- A condition ("if X", "among those X", "for patients who X"): X false → not_applicable; X true → the rest
  decides; X unknown → the rest decides only when it is favourable anyway (met / not applying).
- An exception: when an exclusion's main clause does not apply, no exception can make it apply (not_met);
  when it applies, a decided exception decides. An inclusion's widening exception ("unless", "patients with
  ... are eligible") cannot undo a met main clause; when the main clause is unmet the criterion is unmet
  only if the exception is known not to hold.
- "One of the following: a; b; c" (nested bullets): met when one item holds, not met when none does.
- Alternatives (", or ..."), tried only when the whole is undecided and each alternative names a
  population of its own ("renal cell carcinoma after sunitinib, or advanced NET"): an inclusion with one
  alternative met is met.
Each reason names the part that decided, so it never contradicts the label.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from netnav.rules.logic import Tri
from netnav.trials.clauses import (
    alternatives,
    cohort_parts,
    condition_split,
    exception_split,
    one_of,
    sentences,
)
from netnav.types.case import CaseProfile
from netnav.types.trials import Criterion, CriterionLabel

Kind = Literal["inclusion", "exclusion"]
Plain = Callable[[str, Kind, CaseProfile], Criterion]
Condition = Callable[[str, CaseProfile], tuple[Tri, str]]

_NOT_UNDERSTOOD = "not understood"
_FAVOURABLE: dict[Kind, CriterionLabel] = {"inclusion": "met", "exclusion": "not_met"}
_UNFAVOURABLE: dict[Kind, CriterionLabel] = {"inclusion": "not_met", "exclusion": "met"}


def _with(base: Criterion, text: str, label: CriterionLabel, reason: str, *parts: Criterion) -> Criterion:
    fields = list(dict.fromkeys(f for p in (base, *parts) for f in p.fields))
    evidence = list(dict.fromkeys(e for p in (base, *parts) for e in p.evidence))
    return Criterion(text=text, kind=base.kind, label=label, reason=reason, fields=fields, evidence=evidence)


def label_compound(
    text: str, kind: Kind, case: CaseProfile, plain: Plain, condition: Condition, depth: int = 0
) -> Criterion:
    """The label of `text` (see the module docstring); `plain` labels a clause without parts."""
    if depth > 3:
        return plain(text, kind, case)
    parts = cohort_parts(text)
    if parts:
        return _cohorts(text, kind, case, plain, condition, depth)
    items = one_of(text)
    if items:
        return _one_of(text, kind, case, plain, condition, depth, items)
    exc = exception_split(text, kind)
    if exc is not None:
        return _exception(text, kind, case, plain, condition, depth)
    if len(sentences(text)) > 1:
        return _sentences(text, kind, case, plain, condition, depth)
    split = condition_split(text)
    if split is not None:
        return _conditional(text, kind, case, plain, condition, depth)
    whole = plain(text, kind, case)
    if whole.label != "insufficient_info":
        return whole
    return _alternatives(text, kind, case, plain, condition, depth, whole)


def _cohorts(
    text: str, kind: Kind, case: CaseProfile, plain: Plain, condition: Condition, depth: int
) -> Criterion:
    parts = cohort_parts(text)
    got = [(p.label, label_compound(p.text, kind, case, plain, condition, depth + 1)) for p in parts]
    labels = [c.label for _, c in got]
    shown = "; ".join(f"{name}: {c.label.replace('_', ' ')} ({c.reason})" for name, c in got)
    base = got[0][1]
    if all(c.reason == _NOT_UNDERSTOOD for _, c in got):
        return _with(base, text, "insufficient_info", _NOT_UNDERSTOOD)
    decided = [lab for lab in labels if lab != "not_applicable"]
    parts_ = [c for _, c in got]
    if not decided:
        return _with(base, text, "not_applicable", f"no cohort concerns this case: {shown}", *parts_)
    if kind == "inclusion" and "met" in decided:
        name, hit = next((n, c) for n, c in got if c.label == "met")
        return _with(base, text, "met", f"meets the requirement for {name}: {hit.reason}", hit)
    if all(lab == "not_met" for lab in decided):
        what = "meets no cohort's requirement" if kind == "inclusion" else "applies in no cohort"
        return _with(base, text, "not_met", f"{what}: {shown}", *parts_)
    if kind == "exclusion" and all(lab == "met" for lab in decided):
        return _with(base, text, "met", f"applies in every cohort: {shown}", *parts_)
    return _with(base, text, "insufficient_info", f"cohort by cohort: {shown}", *parts_)


_PERMISSION = re.compile(
    r"\bmay(?!\s+not)\b|\b(?:is|are|will be|remain)\s+(?:also\s+)?(?:allowed|permitted|eligible|acceptable)\b|"
    r"\bnot (?:required|excluded)\b",
    re.IGNORECASE,
)


def _sentences(
    text: str, kind: Kind, case: CaseProfile, plain: Plain, condition: Condition, depth: int
) -> Criterion:
    """Sentences of one criterion hold together like the list they sit in: an inclusion's all have to be
    met; an exclusion applies when any of them does. A sentence that permits ("may continue", "are
    eligible") sets no requirement; it can only keep the criterion open. A sentence with nothing understood
    leaves the whole criterion to the one-clause labeller (its few words may only qualify the rest)."""
    whole = plain(text, kind, case)
    said = sentences(text)
    allow = [s for s in said if _PERMISSION.search(s)]
    got = [label_compound(s, kind, case, plain, condition, depth + 1) for s in said if s not in allow]
    if any(c.reason == _NOT_UNDERSTOOD for c in got) or not got:
        return whole
    relevant = [c for c in got if c.label != "not_applicable"]
    if not relevant:
        return _with(whole, text, "not_applicable", "; ".join(c.reason for c in got), *got)
    bad = next((c for c in relevant if c.label == _UNFAVOURABLE[kind]), None)
    if bad is not None and not allow:
        return _with(whole, text, bad.label, bad.reason, bad)
    if bad is None and all(c.label == _FAVOURABLE[kind] for c in relevant):
        return _with(whole, text, _FAVOURABLE[kind], "; ".join(c.reason for c in relevant), *relevant)
    unknown = [c.reason for c in relevant if c.label != _FAVOURABLE[kind]]
    if allow:
        unknown.append(f"what it permits ({' '.join(allow)}) may change this")
    return _with(whole, text, "insufficient_info", "; ".join(unknown), *got)


def _exception(
    text: str, kind: Kind, case: CaseProfile, plain: Plain, condition: Condition, depth: int
) -> Criterion:
    exc = exception_split(text, kind)
    assert exc is not None
    main = label_compound(exc.main, kind, case, plain, condition, depth + 1)
    if main.label in ("not_applicable", _FAVOURABLE[kind]):
        note = "the exception only widens it" if kind == "inclusion" else "the exception only narrows it"
        return _with(main, text, main.label, f"{main.reason}; {note}")
    if main.label == "insufficient_info":
        return _with(main, text, "insufficient_info", main.reason)
    truth, why = condition(exc.exception, case)
    if truth is False:
        return _with(main, text, main.label, f"{main.reason}; the exception does not apply ({why})")
    if truth is True and kind == "exclusion":
        return _with(main, text, "not_met", f"the exclusion is lifted by its exception: {why}")
    return _with(
        main,
        text,
        "insufficient_info",
        f"{main.reason}; whether the exception ({exc.exception}) applies is not known",
    )


def _conditional(
    text: str, kind: Kind, case: CaseProfile, plain: Plain, condition: Condition, depth: int
) -> Criterion:
    split = condition_split(text)
    assert split is not None
    cond, then = split
    truth, why = condition(cond, case)
    rest = label_compound(then, kind, case, plain, condition, depth + 1)
    if truth is False:
        label: CriterionLabel = "not_applicable" if kind == "inclusion" else "not_met"
        return _with(rest, text, label, f"applies only to patients {cond}; not this case: {why}")
    if truth is True:
        return _with(rest, text, rest.label, f"the case is one of those it concerns ({why}); {rest.reason}")
    if rest.label == _FAVOURABLE[kind]:
        return _with(rest, text, rest.label, f"{rest.reason} (whether it concerns this case: {why})")
    if rest.reason == _NOT_UNDERSTOOD and why.endswith(_NOT_UNDERSTOOD):
        return _with(rest, text, "insufficient_info", _NOT_UNDERSTOOD)
    return _with(
        rest, text, "insufficient_info", f"{rest.reason}; whether the case is among those {cond}: {why}"
    )


def _one_of(
    text: str,
    kind: Kind,
    case: CaseProfile,
    plain: Plain,
    condition: Condition,
    depth: int,
    items: list[str],
) -> Criterion:
    """ "One of the following: a; b; c": the criterion holds when one item holds, and not when none does."""
    got = [label_compound(i, kind, case, plain, condition, depth + 1) for i in items]
    base = got[0]
    if all(c.reason == _NOT_UNDERSTOOD for c in got):
        return _with(base, text, "insufficient_info", _NOT_UNDERSTOOD)
    relevant = [c for c in got if c.label != "not_applicable"]
    if not relevant:
        return _with(base, text, "not_applicable", "; ".join(c.reason for c in got), *got)
    hit = next((c for c in relevant if c.label == "met"), None)  # for either kind: the item holds
    if hit is not None:
        return _with(base, text, "met", f"one of the listed items holds: {hit.reason}", hit)
    if all(c.label == "not_met" for c in relevant):
        shown = "; ".join(c.reason for c in relevant)
        return _with(base, text, "not_met", f"none of the listed items holds: {shown}", *relevant)
    unknown = "; ".join(c.reason for c in relevant if c.label == "insufficient_info")
    return _with(base, text, "insufficient_info", unknown, *got)


def _names_population(part: Criterion) -> bool:
    """Whether a part names a tumour or site of its own (alternatives are whole populations)."""
    return any(f in ("histology", "differentiation", "primary_site") for f in part.fields)


def _alternatives(
    text: str,
    kind: Kind,
    case: CaseProfile,
    plain: Plain,
    condition: Condition,
    depth: int,
    whole: Criterion,
) -> Criterion:
    pieces = alternatives(text)
    if not pieces:
        return whole
    got = [label_compound(p, kind, case, plain, condition, depth + 1) for p in pieces]
    if not all(_names_population(c) for c in got):
        return whole  # "4 weeks since surgery, radiation, or completion of therapy": list items, not clauses
    if kind == "inclusion":
        hit = next((c for c in got if c.label == "met"), None)
        if hit is not None:
            return _with(whole, text, "met", f"one alternative is met: {hit.reason}", hit)
    return whole
