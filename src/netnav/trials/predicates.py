"""Trial-criterion predicates over case fields, evaluated with the three-valued logic of rules/logic.py.

A `Predicate` is one structured test ("ECOG <= 1", "no prior platinum"); `check` gives a `PredicateResult`
(truth True / False / None, a reason, the case fields read and their evidence). Numbers are read as
intervals (rules/values.py), so "Ki-67 <1" against "< 2" is decided and "3-5" against "<= 4" is not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Literal

from netnav.rules.logic import Tri, all_of, compare
from netnav.rules.values import Interval, parse_interval
from netnav.trials import demographic_checks as demo
from netnav.trials import history_checks as hist
from netnav.trials import marker_checks as marker
from netnav.trials.therapy import (
    CURRENT,
    current_therapy,
    describe_lines,
    line_interval,
    systemic_therapies,
    therapy_hits,
)
from netnav.trials.tumour import category_truth, site_matches, tumour_facts
from netnav.trials.verdict import Ctx, PredicateResult, field_evidence, missing
from netnav.types.base import Frozen
from netnav.types.case import CaseProfile

Op = Literal[
    "in",
    "eq",
    "ge",
    "gt",
    "le",
    "lt",
    "between",
    "any_of",
    "positive",
    "present",
    "possible",
    "advanced",
    "extensive",
    "unavailable",
]
NUMERIC = (
    "age",
    "ecog",
    "ki67_percent",
    "tmb_mut_per_mb",
    "pdl1_cps",
    "pdl1_tps_percent",
    "mitoses_per_2mm2",
    "karnofsky",
    "prior_lines",
)


class Predicate(Frozen):
    """One predicate over the case. `negate` flips it ("no prior platinum")."""

    field: str
    op: Op
    value: float | str | list[str] | list[float] | None = None
    negate: bool = False
    qualifier: str | None = None  # e.g. "untreated", "symptomatic" for brain metastases
    label: str | None = None  # short human description of the predicate


def _ev(case: CaseProfile, names: Sequence[str]) -> tuple[str, ...]:
    return field_evidence(case, names)


def _missing(name: str, what: str | None = None) -> PredicateResult:
    return missing(name, what)


# --- tumour type and site -------------------------------------------------------------------


def _tumour(case: CaseProfile, rule: Predicate, _: Ctx) -> PredicateResult:
    facts = tumour_facts(case)
    cats = [str(v) for v in (rule.value if isinstance(rule.value, list) else [rule.value])]
    if facts.family is None:
        return PredicateResult(
            None,
            "tumour type cannot be told from the case (histology/differentiation)",
            ("histology", "differentiation"),
            _ev(case, ("histology", "differentiation")),
        )
    results = [category_truth(facts, c) for c in cats]
    truth: Tri = True if True in results else (None if None in results else False)
    reason = f"{facts.describe()}; required: {' or '.join(cats)}"
    return PredicateResult(truth, reason, facts.fields or ("histology",), _ev(case, facts.fields))


def _site(case: CaseProfile, rule: Predicate, _: Ctx) -> PredicateResult:
    facts = tumour_facts(case)
    wanted = [str(v) for v in (rule.value if isinstance(rule.value, list) else [rule.value])]
    if facts.site is None:
        return _missing("primary_site", "primary site")
    site = facts.site
    ok = any(site_matches(site, w) for w in wanted)
    if site == "unknown_primary" and not ok:  # the unknown primary may be at a site the criterion names
        return PredicateResult(
            None,
            f"primary site unknown; required: {' or '.join(wanted)}",
            ("primary_site",),
            _ev(case, ("primary_site",)),
        )
    return PredicateResult(
        ok,
        f"primary site {facts.site}; required: {' or '.join(wanted)}",
        ("primary_site",),
        _ev(case, ("primary_site", "histology")),
    )


# --- numbers ----------------------------------------------------------------------------------

_KPS_FLOOR = {0: 90.0, 1: 70.0, 2: 50.0, 3: 30.0, 4: 10.0}


def _numeric(case: CaseProfile, rule: Predicate, ctx: Ctx) -> PredicateResult:
    name = rule.field
    if name == "karnofsky":
        return _karnofsky(case, rule)
    items: list[str] | None = None
    if name == "prior_lines":
        items = systemic_therapies(case)
        iv = None if items is None else line_interval(items)
        src = "prior_therapies"
    else:
        iv, src = _interval(case, name), name
    if iv is None:
        return _missing(src)
    truth = _apply(iv, rule)
    shown = f"{iv.lo:g}" if iv.is_point else _show(iv)
    if name == "prior_lines" and items:
        shown = describe_lines(items)
    what = "prior lines of systemic therapy" if name == "prior_lines" else name
    return PredicateResult(
        truth, f"{what} {shown}; required {rule.op} {rule.value}", (src,), _ev(case, (src,))
    )


def _interval(case: CaseProfile, name: str) -> Interval | None:
    raw = case.value(name)
    return None if raw is None else parse_interval(raw)


def _show(iv: Interval) -> str:
    if iv.lo == float("-inf"):
        return f"{'<' if iv.hi_open else '<='}{iv.hi:g}"
    if iv.hi == float("inf"):
        return f"{'>' if iv.lo_open else '>='}{iv.lo:g}"
    return f"{iv.lo:g}..{iv.hi:g}"


def _apply(iv: Interval, rule: Predicate) -> Tri:
    if rule.op == "between" and isinstance(rule.value, list):
        lo, hi = (float(v) for v in rule.value[:2])
        return all_of([compare(iv, "ge", lo), compare(iv, "le", hi)])
    return compare(iv, rule.op, float(str(rule.value)))


def _karnofsky(case: CaseProfile, rule: Predicate) -> PredicateResult:
    iv = _interval(case, "ecog")
    if iv is None or iv.lo == float("-inf") or iv.hi == float("inf"):
        return _missing("ecog", "performance status (ECOG)")
    need = float(str(rule.value))
    floors = [_KPS_FLOOR.get(int(e), 0.0) for e in range(int(iv.lo), int(min(iv.hi, 4)) + 1)]
    tops = [f + 10.0 for f in floors]
    truth: Tri = True if min(floors) >= need else (False if max(tops) < need else None)
    return PredicateResult(
        truth,
        f"ECOG {f'{iv.lo:g}' if iv.is_point else _show(iv)} ~ Karnofsky {min(floors):g}-{max(tops):g}; "
        f"required >= {need:g}",
        ("ecog",),
        _ev(case, ("ecog",)),
    )


# --- categorical --------------------------------------------------------------------------------


def _categorical(case: CaseProfile, rule: Predicate, _: Ctx) -> PredicateResult:
    raw = case.value(rule.field)
    if raw is None:
        return _missing(rule.field)
    have = str(raw).lower().replace(" ", "")
    wanted = [
        str(v).lower().replace(" ", "")
        for v in (rule.value if isinstance(rule.value, list) else [rule.value])
    ]
    ok = any(have == w or (len(w) > 2 and w in have) for w in wanted)
    return PredicateResult(
        ok,
        f"{rule.field} {raw}; required: {' or '.join(str(w) for w in wanted)}",
        (rule.field,),
        _ev(case, (rule.field,)),
    )


def _grade(case: CaseProfile, rule: Predicate, ctx: Ctx) -> PredicateResult:
    if case.value("grade") is not None:
        return _categorical(case, rule, ctx)
    facts = tumour_facts(case)
    if facts.family != "nec":
        return _missing("grade", "tumour grade")
    wanted = [str(v).upper() for v in (rule.value if isinstance(rule.value, list) else [rule.value])]
    return PredicateResult(
        "G3" in wanted,
        f"grade not recorded; a neuroendocrine carcinoma is G3 by definition; "
        f"required: {' or '.join(wanted)}",
        facts.fields,
        _ev(case, facts.fields),
    )


_POS = re.compile(r"pos|\+|high|express|detected|present|avid|strong|moderate|weak|\b[1-9]\d*\s*%")
_NEG = re.compile(r"neg|not detected|absent|no express|\b0\s*%|\bnone\b|-$")


def _positive(case: CaseProfile, rule: Predicate, _: Ctx) -> PredicateResult:
    raw = case.value(rule.field)
    if raw is None:
        return _missing(rule.field)
    text = str(raw).lower()
    truth: Tri = False if _NEG.search(text) else (True if _POS.search(text) else None)
    return PredicateResult(
        truth, f"{rule.field} {raw}; required: positive", (rule.field,), _ev(case, (rule.field,))
    )


def _therapy(case: CaseProfile, rule: Predicate, ctx: Ctx) -> PredicateResult:
    items = systemic_therapies(case)
    classes = [str(v) for v in (rule.value if isinstance(rule.value, list) else [rule.value])]
    if rule.qualifier == CURRENT:  # "receiving a stable dose of ...": past use is not current use
        truth, why = current_therapy(case, classes, ctx)
        return PredicateResult(truth, why, ("prior_therapies",), _ev(case, ("prior_therapies",)))
    if items is None:
        return _missing("prior_therapies", "prior therapies")
    hits = therapy_hits(items, classes, ctx)
    reason = (
        f"prior therapy {', '.join(hits)} is {'/'.join(classes)}"
        if hits
        else f"no {'/'.join(classes)} among prior systemic therapies ({', '.join(items) or 'none'})"
    )
    return PredicateResult(bool(hits), reason, ("prior_therapies",), _ev(case, ("prior_therapies",)))


_ACTIVE = frozenset({"untreated", "symptomatic", "active", "unstable", "progressive", "uncontrolled"})


def _brain(case: CaseProfile, rule: Predicate, _: Ctx) -> PredicateResult:
    """Brain/CNS metastases from the recorded metastatic sites. A recorded site list without a brain/CNS
    site means none is known (criteria say "known brain metastases"); a site written as treated and stable
    is not active; a leptomeningeal criterion needs a leptomeningeal site."""
    sites = case.value("metastatic_sites")
    if sites is None:
        return _missing("metastatic_sites", "metastatic sites (brain/CNS)")
    listed = sites if isinstance(sites, list) else [str(sites)]
    brain = [s for s in listed if re.search(r"brain|cns|cerebr|lepto|intracran", s, re.IGNORECASE)]
    ev = _ev(case, ("metastatic_sites",))
    fields = ("metastatic_sites",)
    qualifier = set((rule.qualifier or "").split())
    if not brain:
        return PredicateResult(
            False, "no brain/CNS metastases among the recorded metastatic sites", fields, ev
        )
    if "leptomening" in qualifier and not any(re.search(r"lepto|mening", b, re.IGNORECASE) for b in brain):
        return PredicateResult(
            False, f"brain metastases recorded ({', '.join(brain)}), none leptomeningeal", fields, ev
        )
    calm = all(re.search(r"(?<!un)treated", b, re.IGNORECASE) and "stable" in b.lower() for b in brain)
    if qualifier & _ACTIVE and calm:
        return PredicateResult(
            False, f"brain metastases recorded as treated and stable ({', '.join(brain)})", fields, ev
        )
    active = qualifier & _ACTIVE
    if active and all(any(re.search(rf"(?<![a-z]){q}", b, re.IGNORECASE) for q in active) for b in brain):
        return PredicateResult(
            True, f"brain metastases recorded as {rule.qualifier} ({', '.join(brain)})", fields, ev
        )
    if qualifier - {"leptomening"}:
        return PredicateResult(
            None, f"brain metastases recorded; whether they are {rule.qualifier} is not recorded", fields, ev
        )
    return PredicateResult(True, f"brain metastases recorded ({', '.join(brain)})", fields, ev)


def _stage(case: CaseProfile, rule: Predicate, _: Ctx) -> PredicateResult:
    stage, pm, sites = (case.value(n) for n in ("stage", "pM", "metastatic_sites"))
    text = f"{stage or ''} {pm or ''}".lower()
    names = ("stage", "pM", "metastatic_sites")
    if rule.op == "extensive":
        truth: Tri = True if "extensive" in text else (False if "limited" in text else None)
        return PredicateResult(
            truth,
            f"stage {stage or 'not recorded'}; required: extensive stage",
            ("stage",),
            _ev(case, ("stage",)),
        )
    metastatic = (
        bool(re.search(r"\biv\b|4|m1|extensive|metasta", text))
        or bool(sites)
        or hist.case_stage_groups(case) == {4}
    )
    return PredicateResult(
        True if metastatic else None,
        "metastatic disease recorded" if metastatic else "advanced/unresectable status not recorded",
        names,
        _ev(case, names),
    )


def _unavailable(case: CaseProfile, rule: Predicate, _: Ctx) -> PredicateResult:
    what = rule.label or rule.field.replace("_", " ")
    return PredicateResult(None, f"needs {what}, which is not recorded in the case", (rule.field,), ())


_DISPATCH: dict[str, Callable[[CaseProfile, Predicate, Ctx], PredicateResult]] = {
    "tumour_type": _tumour,
    "primary_site": _site,
    "prior_therapy": _therapy,
    "brain_metastases": _brain,
    "pregnancy": demo.childbearing,
    "stage": _stage,
    "grade": _grade,
    "radiotherapy_history": hist.radiotherapy,
    "recent_surgery": hist.surgery,
    "recent_treatment": hist.washout,
    "prior_toxicity": hist.toxicity,
    "stage_group": hist.stage_group,
    "dll3_percent": hist.dll3_level,
    "documented_progression": hist.progression,
    "prior_reaction": hist.prior_reaction,
    "curable_disease": hist.curable,
    "standard_options": hist.standard_options,
    "recent_investigational": hist.investigational_washout,
    "gene_alterations": marker.gene_alteration,
    "functional_syndrome": marker.functional,
}


def check(rule: Predicate, case: CaseProfile, ctx: Ctx) -> PredicateResult:
    if rule.op == "unavailable":
        return _unavailable(case, rule, ctx)
    if rule.field in _DISPATCH:
        handler = _DISPATCH[rule.field]
    elif rule.field in NUMERIC:
        handler = _numeric
    elif rule.op == "positive":
        handler = _positive
    else:
        handler = _categorical
    verdict = handler(case, rule, ctx)
    if rule.negate and verdict.truth is not None:
        reason = re.sub(r"\brequired(:?) ", r"required\1 not ", verdict.reason)  # "no prior X": the opposite
        return PredicateResult(
            not verdict.truth, reason, verdict.fields, verdict.evidence, verdict.not_applicable
        )
    return verdict
