"""What a criterion's rules mean in context, before they are checked: a disease name that only says what a
treatment was for, another cancer named in an exclusion, a class subsumed by the drug it names, progression on
the therapy the criterion names, therapy given now rather than ever."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from netnav.trials.compound import Kind
from netnav.trials.predicates import Predicate
from netnav.trials.schema import load_patterns
from netnav.trials.therapy import CURRENT, asks_current, systemic_therapies
from netnav.trials.verdict import PredicateResult
from netnav.types.case import CaseProfile

CONTEXT_FIELDS = frozenset({"tumour_type", "stage", "primary_site", "differentiation"})


_FOR_DISEASE = re.compile(
    r"\b(?:treatment|therapy|therapies|regimens?|chemotherapy)\s+(?:given\s+)?for\b", re.I
)
_ABOUT_TREATMENT = re.compile(
    r"\b(?:treat(?:ment|ed)|therap(?:y|ies)|regimens?|chemotherapy|history of)\b", re.I
)
THERAPY_FIELDS = frozenset({"prior_therapy", "prior_lines", "recent_treatment", "radiotherapy_history"})


def drop_context(kind: Kind, rules: Sequence[Predicate], text: str = "") -> list[Predicate]:
    """A disease name is context, not the condition, in an exclusion about something else (surgery,
    washout: "biopsy to diagnose SCLC is permitted") and in any criterion about treatment given FOR it
    ("no prior systemic treatment for ES-SCLC"). An exclusion about a treatment that was understood only
    through its disease name ("history of topotecan treatment for SCLC") keeps no rule: it is not decided."""
    context = [r for r in rules if r.field in CONTEXT_FIELDS]
    other = [r for r in rules if r.field not in CONTEXT_FIELDS]
    about_therapy = any(r.field in THERAPY_FIELDS for r in other)
    if context and about_therapy and _FOR_DISEASE.search(text):
        return other
    if kind != "exclusion":
        return list(rules)
    if not other:
        return [] if _ABOUT_TREATMENT.search(text) else list(rules)
    return other


def when_current(rule: Predicate, text: str) -> Predicate:
    """A therapy criterion about treatment given now ("receiving a stable dose of octreotide LAR") is decided
    from current therapy, not from any past use (trials/therapy.py `asks_current`)."""
    if rule.field == "prior_therapy" and rule.qualifier is None and asks_current(text):
        return rule.model_copy(update={"qualifier": CURRENT})
    return rule


_ANOTHER_CANCER = Predicate(field="other_malignancy", op="unavailable", label="history of other malignancy")


def other_cancer(kind: Kind, rules: Sequence[Predicate]) -> list[Predicate]:
    """A non-neuroendocrine cancer named in an exclusion ("acute or chronic leukaemia") is a second
    malignancy the case does not record, not the tumour being studied."""
    if kind != "exclusion":
        return list(rules)
    out: list[Predicate] = []
    for r in rules:
        values = r.value if r.field == "tumour_type" and isinstance(r.value, list) else []
        if "other_cancer" not in values:
            out.append(r)
            continue
        rest = [v for v in values if v != "other_cancer"]
        out += [r.model_copy(update={"value": rest})] if rest else []
        if _ANOTHER_CANCER not in out:
            out.append(_ANOTHER_CANCER)
    return out


_ABOUT_REACTION = frozenset({"hypersensitivity", "prior_toxicity", "prior_reaction"})


def progression_on(rules: list[Predicate]) -> list[Predicate]:
    """ "Progression on a somatostatin analogue": the progression must be on the therapy the criterion names."""
    named = [
        str(v) for r in rules if r.field == "prior_therapy" and isinstance(r.value, list) for v in r.value
    ]
    return [
        r.model_copy(update={"value": named}) if r.field == "documented_progression" and named else r
        for r in rules
    ]


_EXAMPLE = re.compile(
    r"\b(?:such as|e\.g\.?|eg\b|for example|for instance|like|i\.e\.?|including|includ(?:es|ed)|incl\.?)\s*,?\s*$",
    re.I,
)


def _examples_only(named: list[str], text: str) -> bool:
    """Every named drug is given as an example of its class ("an anti-PD-1 antibody such as nivolumab")."""
    lowered = text.lower()
    starts = [lowered.find(n) for n in named]
    return all(i > 0 and _EXAMPLE.search(lowered[max(0, i - 40) : i]) for i in starts)


def subsume_generic(rules: list[Predicate], text: str = "") -> list[Predicate]:
    """A criterion naming a specific drug ("prior chemotherapy containing irinotecan", "stable dose of
    octreotide") is about that drug: a class predicate covering it (chemotherapy, ssa) is dropped. A
    criterion about a reaction to a drug ("hypersensitivity to octreotide") is about the reaction: having
    had the drug is context."""
    if any(r.field in _ABOUT_REACTION for r in rules):
        return [r for r in rules if r.field != "prior_therapy"]
    if any(r.field == "recent_investigational" for r in rules):
        # "investigational agents within 14 days": the washout concerns those agents only
        rules = [r for r in rules if r.field != "recent_treatment"]
    if any(r.field == "prior_lines" and r.op in ("gt", "ge", "le", "lt", "between") for r in rules):
        # "more than one prior regimen of chemotherapy": the class is what is counted, not a condition
        rules = [r for r in rules if not (r.field == "prior_therapy" and r.value == ["chemotherapy"])]
    classes = load_patterns().drug_classes
    named = [
        str(v).lower()
        for r in rules
        if r.field == "prior_therapy" and isinstance(r.value, list)
        for v in r.value
        if str(v) not in classes
    ]
    if not named or _examples_only(named[:1], text):
        return rules

    def covers(rule: Predicate) -> bool:
        values = rule.value if isinstance(rule.value, list) else []
        return rule.field == "prior_therapy" and any(
            str(v) in classes and (str(v) == "chemotherapy" or any(n in classes[str(v)] for n in named))
            for v in values
        )

    return [r for r in rules if not covers(r)]


_WITHOUT_DRUG = re.compile(
    r"\b(?:regimens?|therapy|therapies|treatments?|chemotherapy)\s+(?:that|which)\s+(?:did|does|do)\s+not\s+"
    r"(?:contain|include)|\b(?:regimens?|therapy|chemotherapy)\s+(?:without|not containing|lacking)\b",
    re.IGNORECASE,
)


def regimen_without(
    text: str, rules: Sequence[Predicate], verdicts: list[PredicateResult], case: CaseProfile
) -> list[PredicateResult]:
    """ "A prior regimen that did not contain platinum" needs a prior regimen: with none recorded it is false;
    with some recorded, which regimen the criterion means (chemotherapy only?) is not told, so it is unknown."""
    if not _WITHOUT_DRUG.search(text):
        return verdicts
    none_given = systemic_therapies(case) == []
    return [
        replace(
            v,
            truth=False if none_given else None,
            reason=v.reason + "; no earlier regimen at all"
            if none_given
            else v.reason + "; which earlier regimen is meant is not told",
        )
        if r.field == "prior_therapy" and r.negate and v.truth is True
        else v
        for r, v in zip(rules, verdicts, strict=True)
    ]
