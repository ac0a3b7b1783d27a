"""Structured eligibility rules over case fields, evaluated three-valued (True / False / unknown)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from netnav.trials import casefacts as cf
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


class Rule(Frozen):
    """One predicate over the case. `negate` flips it ("no prior platinum")."""

    field: str
    op: Op
    value: float | str | list[str] | list[float] | None = None
    negate: bool = False
    qualifier: str | None = None  # e.g. "untreated", "symptomatic" for brain metastases
    label: str | None = None  # short human description of the predicate


@dataclass(frozen=True)
class Verdict:
    truth: cf.Tri
    reason: str
    fields: tuple[str, ...]
    evidence: tuple[str, ...]
    not_applicable: bool = False


Ctx = Mapping[str, Sequence[str]]  # drug class → terms


def _ev(case: CaseProfile, names: Sequence[str]) -> tuple[str, ...]:
    return tuple(e for e in (cf.evidence(case, n) for n in names) if e)


def _missing(name: str, what: str | None = None) -> Verdict:
    return Verdict(None, f"{what or name} not recorded in the case", (name,), ())


# --- tumour type and site -------------------------------------------------------------------


def _category(facts: cf.TumourFacts, cat: str) -> cf.Tri:
    fam, site, cell = facts.family, facts.site, facts.cell
    if fam is None:
        return None
    families = {
        "net": "net",
        "net_g3": "net",
        "gep_net": "net",
        "gi_net": "net",
        "pnet": "net",
        "lung_net": "net",
        "nec": "nec",
        "sclc": "nec",
        "lcnec": "nec",
        "lung_nec": "nec",
        "ep_nec": "nec",
        "gep_nec": "nec",
        "gep_unknown_nec": "nec",
        "merkel": "merkel",
        "pheo_pgl": "pheo_pgl",
        "mtc": "mtc",
        "small_cell": "nec",
    }
    if cat in ("any_nen", "solid_tumor"):
        return cat == "solid_tumor" or fam in ("net", "nec", "merkel", "pheo_pgl", "mtc")
    if families.get(cat) != fam:
        return False
    site_need = {
        "gep_net": {"pancreas", "gi"},
        "gi_net": {"gi"},
        "pnet": {"pancreas"},
        "lung_net": {"lung"},
        "sclc": {"lung"},
        "lcnec": {"lung"},
        "lung_nec": {"lung"},
        "gep_nec": {"pancreas", "gi"},
        "gep_unknown_nec": {"pancreas", "gi", "unknown_primary"},
    }
    cell_need = {"sclc": "small", "lcnec": "large", "small_cell": "small"}
    checks: list[cf.Tri] = []
    if cat in site_need:
        checks.append(None if site is None else site in site_need[cat])
    if cat == "ep_nec":
        checks.append(None if site is None else site != "lung")
    if cat in cell_need:
        checks.append(None if cell is None else cell == cell_need[cat])
    if False in checks:
        return False
    return None if None in checks else True


def _tumour(case: CaseProfile, rule: Rule, _: Ctx) -> Verdict:
    facts = cf.tumour_facts(case)
    cats = [str(v) for v in (rule.value if isinstance(rule.value, list) else [rule.value])]
    if facts.family is None:
        return Verdict(
            None,
            "tumour type cannot be told from the case (histology/differentiation)",
            ("histology", "differentiation"),
            _ev(case, ("histology", "differentiation")),
        )
    results = [_category(facts, c) for c in cats]
    truth: cf.Tri = True if True in results else (None if None in results else False)
    described = (
        f"case tumour: {facts.family}"
        + (f", site {facts.site}" if facts.site else "")
        + (f", {facts.cell} cell" if facts.cell else "")
    )
    reason = f"{described}; required: {' or '.join(cats)}"
    return Verdict(truth, reason, facts.fields or ("histology",), _ev(case, facts.fields))


def _site(case: CaseProfile, rule: Rule, _: Ctx) -> Verdict:
    facts = cf.tumour_facts(case)
    wanted = [str(v) for v in (rule.value if isinstance(rule.value, list) else [rule.value])]
    if facts.site is None:
        return _missing("primary_site", "primary site")
    expand = {"gep": {"pancreas", "gi"}, "extrapulmonary": {"pancreas", "gi", "other", "unknown_primary"}}
    ok = any(facts.site in expand.get(w, {w}) for w in wanted)
    return Verdict(
        ok,
        f"primary site {facts.site}; required: {' or '.join(wanted)}",
        ("primary_site",),
        _ev(case, ("primary_site", "histology")),
    )


# --- numbers ----------------------------------------------------------------------------------

_KPS_FLOOR = {0: 90.0, 1: 70.0, 2: 50.0, 3: 30.0, 4: 10.0}


def _numeric(case: CaseProfile, rule: Rule, ctx: Ctx) -> Verdict:
    name = rule.field
    if name == "karnofsky":
        return _karnofsky(case, rule)
    if name == "prior_lines":
        items = cf.systemic_therapies(case)
        iv = None if items is None else cf.line_interval(items)
        src = "prior_therapies"
    else:
        iv, src = cf.interval(case.value(name)), name
    if iv is None:
        return _missing(src)
    truth = _apply(iv, rule)
    shown = f"{iv[0]:g}" if iv[0] == iv[1] else f"{iv[0]:g}..{iv[1]:g}"
    what = "prior lines of systemic therapy" if name == "prior_lines" else name
    return Verdict(truth, f"{what} {shown}; required {rule.op} {rule.value}", (src,), _ev(case, (src,)))


def _apply(iv: tuple[float, float], rule: Rule) -> cf.Tri:
    if rule.op == "between" and isinstance(rule.value, list):
        lo, hi = (float(v) for v in rule.value[:2])
        low, high = cf.compare(iv, "ge", lo), cf.compare(iv, "le", hi)
        return False if False in (low, high) else (True if low and high else None)
    if rule.op == "eq":
        target = float(str(rule.value))
        if iv[0] == iv[1]:
            return iv[0] == target
        return None if iv[0] <= target <= iv[1] else False
    return cf.compare(iv, rule.op, float(str(rule.value)))


def _karnofsky(case: CaseProfile, rule: Rule) -> Verdict:
    iv = cf.interval(case.value("ecog"))
    if iv is None:
        return _missing("ecog", "performance status (ECOG)")
    need = float(str(rule.value))
    floors = [_KPS_FLOOR.get(int(e), 0.0) for e in range(int(iv[0]), int(min(iv[1], 4)) + 1)]
    tops = [f + 10.0 for f in floors]
    truth: cf.Tri = True if min(floors) >= need else (False if max(tops) < need else None)
    return Verdict(
        truth,
        f"ECOG {iv[0]:g} ~ Karnofsky {min(floors):g}-{max(tops):g}; required >= {need:g}",
        ("ecog",),
        _ev(case, ("ecog",)),
    )


# --- categorical --------------------------------------------------------------------------------


def _categorical(case: CaseProfile, rule: Rule, _: Ctx) -> Verdict:
    raw = case.value(rule.field)
    if raw is None:
        return _missing(rule.field)
    have = str(raw).lower().replace(" ", "")
    wanted = [
        str(v).lower().replace(" ", "")
        for v in (rule.value if isinstance(rule.value, list) else [rule.value])
    ]
    ok = any(have == w or (len(w) > 2 and w in have) for w in wanted)
    return Verdict(
        ok,
        f"{rule.field} {raw}; required: {' or '.join(str(w) for w in wanted)}",
        (rule.field,),
        _ev(case, (rule.field,)),
    )


def _grade(case: CaseProfile, rule: Rule, ctx: Ctx) -> Verdict:
    if case.value("grade") is not None:
        return _categorical(case, rule, ctx)
    facts = cf.tumour_facts(case)
    if facts.family != "nec":
        return _missing("grade", "tumour grade")
    wanted = [str(v).upper() for v in (rule.value if isinstance(rule.value, list) else [rule.value])]
    return Verdict(
        "G3" in wanted,
        f"grade not recorded; a neuroendocrine carcinoma is G3 by definition; "
        f"required: {' or '.join(wanted)}",
        facts.fields,
        _ev(case, facts.fields),
    )


_POS = re.compile(r"pos|\+|high|express|detected|present|avid|strong|moderate|weak|\b[1-9]\d*\s*%")
_NEG = re.compile(r"neg|not detected|absent|no express|\b0\s*%|\bnone\b|-$")


def _positive(case: CaseProfile, rule: Rule, _: Ctx) -> Verdict:
    raw = case.value(rule.field)
    if raw is None:
        return _missing(rule.field)
    text = str(raw).lower()
    truth: cf.Tri = False if _NEG.search(text) else (True if _POS.search(text) else None)
    return Verdict(truth, f"{rule.field} {raw}; required: positive", (rule.field,), _ev(case, (rule.field,)))


def _therapy(case: CaseProfile, rule: Rule, ctx: Ctx) -> Verdict:
    items = cf.systemic_therapies(case)
    classes = [str(v) for v in (rule.value if isinstance(rule.value, list) else [rule.value])]
    if items is None:
        return _missing("prior_therapies", "prior therapies")
    hits = cf.therapy_hits(items, classes, ctx)
    reason = (
        f"prior therapy {', '.join(hits)} is {'/'.join(classes)}"
        if hits
        else f"no {'/'.join(classes)} among prior systemic therapies ({', '.join(items) or 'none'})"
    )
    return Verdict(bool(hits), reason, ("prior_therapies",), _ev(case, ("prior_therapies",)))


def _brain(case: CaseProfile, rule: Rule, _: Ctx) -> Verdict:
    sites = case.value("metastatic_sites")
    if sites is None:
        return _missing("metastatic_sites", "metastatic sites (brain/CNS)")
    listed = sites if isinstance(sites, list) else [str(sites)]
    brain = [s for s in listed if re.search(r"brain|cns|cerebr|lepto|intracran", s, re.IGNORECASE)]
    ev = _ev(case, ("metastatic_sites",))
    if not brain:
        return Verdict(
            None,
            "no brain/CNS site among metastatic_sites, but brain imaging is not recorded",
            ("metastatic_sites",),
            ev,
        )
    if rule.qualifier:
        return Verdict(
            None,
            f"brain metastases recorded; whether they are {rule.qualifier} is not recorded",
            ("metastatic_sites",),
            ev,
        )
    return Verdict(True, f"brain metastases recorded ({', '.join(brain)})", ("metastatic_sites",), ev)


def _pregnancy(case: CaseProfile, rule: Rule, _: Ctx) -> Verdict:
    sex = case.value("sex")
    qual = rule.qualifier or ""
    women_only = not re.search(r"\bm[ae]n\b|\bmale\b|partner|patients|participants|subjects", qual)
    if sex is not None and str(sex).lower().startswith("m") and women_only:
        return Verdict(None, "applies to women only; case sex is male", ("sex",), _ev(case, ("sex",)), True)
    return Verdict(
        None, "pregnancy / childbearing status not recorded in the case", ("sex",), _ev(case, ("sex",))
    )


def _stage(case: CaseProfile, rule: Rule, _: Ctx) -> Verdict:
    stage, pm, sites = (case.value(n) for n in ("stage", "pM", "metastatic_sites"))
    text = f"{stage or ''} {pm or ''}".lower()
    names = ("stage", "pM", "metastatic_sites")
    if rule.op == "extensive":
        truth: cf.Tri = True if "extensive" in text else (False if "limited" in text else None)
        return Verdict(
            truth,
            f"stage {stage or 'not recorded'}; required: extensive stage",
            ("stage",),
            _ev(case, ("stage",)),
        )
    metastatic = bool(re.search(r"\biv\b|4|m1|extensive|metasta", text)) or bool(sites)
    return Verdict(
        True if metastatic else None,
        "metastatic disease recorded" if metastatic else "advanced/unresectable status not recorded",
        names,
        _ev(case, names),
    )


def _unavailable(case: CaseProfile, rule: Rule, _: Ctx) -> Verdict:
    what = rule.label or rule.field.replace("_", " ")
    return Verdict(None, f"needs {what}, which is not recorded in the case", (rule.field,), ())


_DISPATCH: dict[str, Callable[[CaseProfile, Rule, Ctx], Verdict]] = {
    "tumour_type": _tumour,
    "primary_site": _site,
    "prior_therapy": _therapy,
    "brain_metastases": _brain,
    "pregnancy": _pregnancy,
    "stage": _stage,
    "grade": _grade,
}


def evaluate(rule: Rule, case: CaseProfile, ctx: Ctx) -> Verdict:
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
        return Verdict(
            not verdict.truth, verdict.reason, verdict.fields, verdict.evidence, verdict.not_applicable
        )
    return verdict
