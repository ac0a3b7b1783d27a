"""Criterion predicates the case decides from what it records about treatment, stage and DLL3 level.

- Treatment history (`radiotherapy_history`, `recent_surgery`, `recent_treatment` = a washout period,
  `prior_toxicity`): a criterion about these is satisfied when the patient never had that treatment
  ("no prior thoracic radiotherapy", "chemotherapy within 4 weeks", "recovered from prior toxicity"). Each
  predicate is True-ish only by absence: truth False = "the patient has had none of it"; anything else is
  unknown, because the case keeps no dates or doses. The recorded treatment list speaks for radiotherapy and
  surgery only when it is empty or lists a local treatment, and no metastatic site is written as treated.
- `stage_group`: the stage groups (I-IV) a case's stage allows; extensive-stage SCLC is III-IV and
  limited-stage I-III (Veterans' Administration Lung Study Group staging mapped onto TNM groups).
- `dll3_percent`: a DLL3 IHC cut-off ("≥ 75 % of tumour cells") against a recorded percentage, or a
  recorded level word ("high") when the criterion itself asks for high expression.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from netnav.rules.history import history_fields
from netnav.rules.logic import Tri, compare
from netnav.rules.values import Interval
from netnav.trials.therapy import systemic_therapies, therapy_hits
from netnav.trials.tumour import category_truth, tumour_facts
from netnav.trials.verdict import Ctx, PredicateResult, RuleLike, field_evidence, missing
from netnav.types.case import CaseProfile

_RADIO = re.compile(
    r"radiother|radiation|irradiat|radiosurg|\bs?rt\b|sbrt|\bsrs\b|wbrt|gamma knife|cyberknife|brachy", re.I
)
_SURGERY = re.compile(r"surger|resect|ectomy|whipple|excision|operat|debulk|enucleat", re.I)
_ABLATION = re.compile(r"ablat|emboli[sz]|tace\b|\bsirt\b|radioemboli", re.I)
_TREATED_SITE = re.compile(r"(?<!un)treated|resected|irradiated|ablated|radiother|radiosurg|operated", re.I)
_HISTORY = ("prior_therapies",)


def all_treatments(case: CaseProfile) -> list[str] | None:
    """Every recorded treatment actually given (drugs and local treatments); None when none is recorded."""
    received = history_fields(case).get("received_therapies") if case.therapy_lines else None
    raw = received.value if received is not None else case.value("prior_therapies")
    if raw is None:
        return None
    return [i for i in (raw if isinstance(raw, list) else [str(raw)]) if str(i).strip()]


def _local_history_known(case: CaseProfile, items: list[str]) -> bool:
    """The recorded list speaks for local treatments: it is empty or names one, and no metastatic site is
    written as treated (a treated brain metastasis implies surgery or radiotherapy the list may not name)."""
    sites = case.value("metastatic_sites")
    listed = sites if isinstance(sites, list) else ([str(sites)] if sites else [])
    if any(_TREATED_SITE.search(str(s)) for s in listed):
        return False
    local = (_RADIO, _SURGERY, _ABLATION)
    return not items or any(rx.search(i) for i in items for rx in local)


def _local(case: CaseProfile, rx: re.Pattern[str], what: str, field: str) -> PredicateResult:
    items = all_treatments(case)
    ev = field_evidence(case, _HISTORY)
    if items is None:
        return missing("prior_therapies", f"{what} history")
    given = [i for i in items if rx.search(i)]
    if given:
        return PredicateResult(
            None, f"{what} recorded ({', '.join(given)}); its site and dates are not recorded", _HISTORY, ev
        )
    if not _local_history_known(case, items):
        return PredicateResult(
            None, f"the recorded treatments do not show whether {what} was given", _HISTORY, ev
        )
    shown = ", ".join(items) or "none"
    return PredicateResult(False, f"no {what} among the recorded treatments ({shown})", _HISTORY, ev)


def radiotherapy(case: CaseProfile, rule: RuleLike, _: Ctx) -> PredicateResult:
    return _local(case, _RADIO, "radiotherapy", rule.field)


def surgery(case: CaseProfile, rule: RuleLike, _: Ctx) -> PredicateResult:
    return _local(case, _SURGERY, "surgery", rule.field)


def washout(case: CaseProfile, rule: RuleLike, _: Ctx) -> PredicateResult:
    """A washout period after systemic therapy: met by having had none."""
    items = systemic_therapies(case)
    ev = field_evidence(case, _HISTORY)
    if items is None:
        return missing("prior_therapies", "prior systemic therapy (for the washout period)")
    if items:
        return PredicateResult(
            None, f"dates of the last dose of {', '.join(items)} are not recorded", _HISTORY, ev
        )
    return PredicateResult(
        False, "no systemic anti-cancer therapy recorded, so no washout period applies", _HISTORY, ev
    )


def toxicity(case: CaseProfile, rule: RuleLike, ctx: Ctx) -> PredicateResult:
    """Unresolved toxicity of earlier anti-cancer treatment: none only when no treatment at all is recorded
    (surgery has its own after-effects)."""
    items = all_treatments(case)
    ev = field_evidence(case, _HISTORY)
    if items is None:
        return missing("prior_therapies", "prior anti-cancer treatment (for its toxicity)")
    if items or not _local_history_known(case, items):
        return PredicateResult(
            None, "whether toxicity of earlier treatment has resolved is not recorded", _HISTORY, ev
        )
    return PredicateResult(
        False,
        "no earlier anti-cancer treatment recorded, so no treatment toxicity to recover from",
        _HISTORY,
        ev,
    )


def progression(case: CaseProfile, rule: RuleLike, ctx: Ctx) -> PredicateResult:
    """Documented progression from the case's therapy lines (a line the report says progressed). With
    `value` (drug classes or drugs the criterion names, "progression on a somatostatin analogue"), the
    progression must be on one of them; a time window ("within 6 months") is not checked, so stays unknown."""
    lines = [t for t in case.therapy_lines if t.progressed]
    ev = tuple(f"{t.agent}: {t.text} ({t.source}:{t.line})" for t in lines)
    fields = ("therapy_lines",)
    if not lines:
        return PredicateResult(None, "documented progression not recorded in the case", fields, ())
    drugs = list(dict.fromkeys(d for t in lines for d in t.drugs))
    wanted = [str(v) for v in rule.value] if isinstance(rule.value, list) else []
    hits = therapy_hits(drugs, wanted, ctx) if wanted else drugs
    if rule.qualifier:
        return PredicateResult(
            None,
            f"progression recorded on {', '.join(drugs)}; its timing ({rule.qualifier}) is not",
            fields,
            ev,
        )
    if not hits:
        return PredicateResult(
            None, f"progression recorded on {', '.join(drugs)}, not on {' or '.join(wanted)}", fields, ev
        )
    return PredicateResult(True, f"progression documented on {', '.join(hits)}", fields, ev)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_NAMES = ("I", "II", "III", "IV")
_STAGE_NAMES = ("stage", "pM", "metastatic_sites")


def case_stage_groups(case: CaseProfile) -> set[int] | None:
    """Stage groups (1-4) the case's stage allows; None when nothing tells."""
    stage = str(case.value("stage") or "").lower()
    pm = str(case.value("pM") or "").lower()
    sites = case.value("metastatic_sites")
    found = re.search(r"\b(?:stage\s*)?(iv|i{1,3}|[1-4])[abc]?[12]?\b", stage)
    if found:
        return {_ROMAN[found.group(1)]}
    if "extensive" in stage:
        return {3, 4}
    if "metasta" in stage or re.search(r"\bm1", pm) or (isinstance(sites, list) and sites):
        return {4}
    if "limited" in stage:
        return {1, 2, 3}
    return None


def stage_group(case: CaseProfile, rule: RuleLike, _: Ctx) -> PredicateResult:
    """Stage groups required ("1", "2", "3b": a sub-stage only partly covers its group) against the case's."""
    values = [str(v) for v in rule.value] if isinstance(rule.value, list) else []
    full = {int(v) for v in values if v.isdigit()}
    partial = {int(v[0]) for v in values if v[:1].isdigit() and not v.isdigit()}
    have = case_stage_groups(case)
    ev = field_evidence(case, _STAGE_NAMES)
    if have is None or not values:
        return missing("stage", "stage group (I-IV)")
    shown = " or ".join(_NAMES[g - 1] for g in sorted(have))
    need = " or ".join(v.upper().replace(v[:1], _NAMES[int(v[0]) - 1], 1) for v in values if v[:1].isdigit())
    truth: Tri = True if have <= full else (False if not have & (full | partial) else None)
    return PredicateResult(truth, f"stage group {shown}; required: stage {need}", _STAGE_NAMES, ev)


_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_NEGATIVE = re.compile(r"neg|not detected|absent|\bnone\b|\b0\s*%", re.I)


def dll3_level(case: CaseProfile, rule: RuleLike, _: Ctx) -> PredicateResult:
    raw = case.value("dll3_status")
    if raw is None:
        return missing("dll3_status", "DLL3 status")
    text = str(raw).lower()
    ev = field_evidence(case, ("dll3_status",))
    need = f">= {rule.value:g} % of tumour cells" if isinstance(rule.value, float) else "high expression"
    pct = _PERCENT.search(text)
    truth: Tri = None
    if pct and isinstance(rule.value, float):
        truth = compare(Interval.point(float(pct.group(1))), rule.op, rule.value)
    elif _NEGATIVE.search(text):
        truth = False
    elif "high" in (rule.qualifier or "") and re.search(r"\bhigh\b", text):
        truth = True
    elif "high" in (rule.qualifier or "") and re.search(r"\blow\b", text):
        truth = False
    return PredicateResult(truth, f"DLL3 {raw}; required: {need}", ("dll3_status",), ev)


# Treatment-history predicates whose only decided answer is "none given" (history_checks.py): a criterion
# about such history (no prior radiotherapy; a washout; recovered from toxicity) is then satisfied.
BY_ABSENCE = frozenset(
    {
        "radiotherapy_history",
        "recent_surgery",
        "recent_treatment",
        "prior_toxicity",
        "prior_reaction",
        "recent_investigational",
    }
)


_ABSENCE_SATISFIES = re.compile(
    r"\b(?:no|not|without|never|none|free of)\b|since|elapsed|interval|wash-?out|recover|resolv|complet|"
    r"allowed|permitted|acceptable|at least \d|prior to (?:the )?(?:first|start|enrol|random|registr|study|day)",
    re.IGNORECASE,
)
_REQUIRES_HISTORY = re.compile(
    r"must have (?:received|had|undergone)|previously (?:received|treated with|irradiated)|\brequired\b", re.I
)


def by_absence(
    kind: str, rules: Sequence[RuleLike], verdicts: list[PredicateResult], text: str
) -> list[PredicateResult]:
    """Absence of a treatment history decides a criterion about it: an exclusion ("radiotherapy within 2
    weeks") does not apply; an inclusion worded as a prohibition, washout or recovery ("no prior
    radiotherapy", "4 weeks since the last dose", "recovered from toxicity") is met, one requiring the
    treatment ("must have received prior radiotherapy") is not, and other wording stays undecided."""
    if kind == "exclusion":
        return verdicts
    truth = True if _ABSENCE_SATISFIES.search(text) else (False if _REQUIRES_HISTORY.search(text) else None)
    return [
        replace(v, truth=truth) if r.field in BY_ABSENCE and v.truth is False else v
        for r, v in zip(rules, verdicts, strict=True)
    ]


def prior_reaction(case: CaseProfile, rule: RuleLike, ctx: Ctx) -> PredicateResult:
    """ "Previous hypersensitivity reaction to octreotide": only someone given the drug can have had one, so a
    recorded treatment history without it decides the criterion; once given, reactions are not recorded."""
    items = systemic_therapies(case)
    drugs = [str(v) for v in rule.value] if isinstance(rule.value, list) else []
    ev = field_evidence(case, _HISTORY)
    if items is None:
        return missing("prior_therapies", "prior therapies (for a reaction to an earlier drug)")
    given = therapy_hits(items, drugs, ctx)
    if given:
        return PredicateResult(
            None, f"{', '.join(given)} given; reactions to it are not recorded", _HISTORY, ev
        )
    kin = [
        c
        for c, terms in ctx.items()
        if ":" not in c and c != "approved_drugs" and any(d in terms for d in drugs)
    ]
    related = therapy_hits(items, kin, ctx)
    if related:  # a drug of the same class (lanreotide for octreotide) may have caused the reaction meant
        return PredicateResult(
            None,
            f"a related drug was given ({', '.join(related)}); reactions to it are not recorded",
            _HISTORY,
            ev,
        )
    shown = ", ".join(items) or "none"
    return PredicateResult(
        False, f"{' or '.join(drugs)} never given ({shown}), so no previous reaction to it", _HISTORY, ev
    )


def investigational_washout(case: CaseProfile, rule: RuleLike, ctx: Ctx) -> PredicateResult:
    """A washout limited to investigational / unapproved agents: decided (none) when every recorded systemic
    drug is an approved one (`approved_drugs` of criteria_patterns.yaml) or none was given; unknown when a
    recorded drug is not on that list or the history is not recorded."""
    items = systemic_therapies(case)
    ev = field_evidence(case, _HISTORY)
    if items is None:
        return missing("prior_therapies", "prior systemic therapy (for the washout period)")
    approved = [str(a).lower() for a in ctx.get("approved_drugs", [])]
    other = [i for i in items if not any(a in i.lower() for a in approved)]
    if other:
        return PredicateResult(
            None, f"whether {', '.join(other)} was investigational, and when, is not recorded", _HISTORY, ev
        )
    shown = ", ".join(items) or "none"
    return PredicateResult(
        False, f"no investigational or unapproved drug among the recorded therapies ({shown})", _HISTORY, ev
    )


_DISTANT = re.compile(
    r"bone|osse|skelet|spine|spinal|vertebr|brain|cerebr|\bcns\b|lung|pulmon|pleur|marrow|lepto|mening",
    re.IGNORECASE,
)


def curable(case: CaseProfile, rule: RuleLike, _: Ctx) -> PredicateResult:
    """Whether the disease is one standard treatment aims to cure. Decided only as 'no': extensive-stage
    small-cell cancer, a metastatic neuroendocrine carcinoma, or spread to the lungs, pleura, bone, marrow or
    brain, which standard care treats without curative intent. Localised disease and spread to the liver, lymph
    nodes, mesentery or peritoneum (where resection may still aim at cure) stay unknown."""
    stage = str(case.value("stage") or "").lower()
    sites = case.value("metastatic_sites")
    listed = [str(x) for x in sites] if isinstance(sites, list) else ([str(sites)] if sites else [])
    distant = [x for x in listed if _DISTANT.search(x)]
    ev = field_evidence(case, _STAGE_NAMES)
    nec = re.search(
        r"poor|small[- ]cell|large[- ]cell|carcinoma", str(case.value("differentiation") or ""), re.I
    )
    if "extensive" in stage:
        return PredicateResult(
            False, "extensive-stage disease: not treated with curative intent", _STAGE_NAMES, ev
        )
    if distant:
        return PredicateResult(
            False,
            f"distant spread ({', '.join(distant)}): not treated with curative intent",
            _STAGE_NAMES,
            ev,
        )
    if nec and (listed or case_stage_groups(case) == {4}):
        return PredicateResult(
            False, "metastatic neuroendocrine carcinoma: not treated with curative intent", _STAGE_NAMES, ev
        )
    return PredicateResult(None, "whether the disease could still be cured is not recorded", _STAGE_NAMES, ev)


def standard_options(case: CaseProfile, rule: RuleLike, ctx: Ctx) -> PredicateResult:
    """Whether a standard systemic option the case has not had remains for its tumour (`standard_options` of
    criteria_patterns.yaml, most specific category first). True while one remains; unknown once all were given,
    or for a tumour the table does not cover."""
    facts = tumour_facts(case)
    items = systemic_therapies(case)
    if items is None:
        return missing("prior_therapies", "prior therapies (for the standard options left)")
    tables = [
        c for c in ctx if c.startswith("options:") and category_truth(facts, c.split(":", 1)[1]) is True
    ]
    ev = field_evidence(case, ("histology", "primary_site", "prior_therapies"))
    fields = ("histology", "prior_therapies")
    if not tables:
        return PredicateResult(
            None, f"standard options for this tumour ({facts.describe()}) are not listed", fields, ev
        )
    options = [str(o) for o in ctx[tables[0]]]
    left = [o for o in options if not therapy_hits(items, [o], ctx)]
    if left:
        return PredicateResult(
            True,
            f"standard options not yet given remain for this tumour ({', '.join(left)}); "
            f"given: {', '.join(items) or 'none'}",
            fields,
            ev,
        )
    return PredicateResult(None, f"every listed standard option was given ({', '.join(items)})", fields, ev)
