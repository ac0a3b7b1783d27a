"""Match a case against trials, criterion by criterion, and rank the results."""

from __future__ import annotations

from collections.abc import Sequence

from netnav.trials.criteria import Kind, label_criterion, label_rules, parse_criterion
from netnav.trials.predicates import Predicate, check
from netnav.trials.registry import TrialRegistry, builtin_populations, builtin_rules
from netnav.trials.schema import load_builtin, load_patterns
from netnav.types.case import CaseProfile
from netnav.types.trials import Criterion, Trial, TrialMatch, TrialStatus, parse_trial_scope

OPEN_STATUSES = frozenset(
    {"recruiting", "not yet recruiting", "active, not recruiting", "active", "enrolling by invitation"}
)
_RANK: dict[TrialStatus, int] = {"eligible": 0, "possibly_eligible": 1, "unknown": 2, "ineligible": 3}


def is_open(trial: Trial) -> bool:
    return (trial.overall_status or "").strip().lower() in OPEN_STATUSES


def _populations(trial: Trial) -> tuple[list[str], str]:
    if trial.source == "builtin" and trial.nct_id in builtin_populations():
        return builtin_populations()[trial.nct_id]
    cats: list[str] = []
    for condition in trial.conditions:
        for rule in parse_criterion(condition).rules:
            if rule.field == "tumour_type" and isinstance(rule.value, list) and not rule.negate:
                cats.extend(str(v) for v in rule.value)
    return list(dict.fromkeys(cats)), ", ".join(trial.conditions)


def _condition_criterion(trial: Trial, case: CaseProfile) -> Criterion | None:
    cats, where = _populations(trial)
    if not cats:
        return None
    verdict = check(Predicate(field="tumour_type", op="in", value=cats), case, load_patterns().drug_classes)
    label = {True: "met", False: "not_met", None: "insufficient_info"}[verdict.truth]
    reason = verdict.reason if verdict.truth is not False else f"condition mismatch: {verdict.reason}"
    return Criterion(
        text=f"Trial population: {where or ', '.join(cats)}",
        kind="inclusion",
        label=label,
        reason=reason,
        fields=list(verdict.fields),
        evidence=list(verdict.evidence),
    )


def _label_all(trial: Trial, case: CaseProfile) -> list[Criterion]:
    encoded = builtin_rules().get(trial.nct_id, {}) if trial.source == "builtin" else {}
    out: list[Criterion] = []
    gate = _condition_criterion(trial, case)
    if gate is not None:
        out.append(gate)
    pairs: list[tuple[Kind, str]] = [("inclusion", t) for t in trial.inclusion] + [
        ("exclusion", t) for t in trial.exclusion
    ]
    for kind, text in pairs:
        rules: list[Predicate] | None = encoded.get((kind, text))
        out.append(
            label_rules(text, kind, rules, case) if rules is not None else label_criterion(text, kind, case)
        )
    return out


def _adverse(c: Criterion) -> bool:
    return (c.kind == "inclusion" and c.label == "not_met") or (c.kind == "exclusion" and c.label == "met")


def _favourable(c: Criterion) -> bool:
    return (c.kind == "inclusion" and c.label == "met") or (c.kind == "exclusion" and c.label == "not_met")


def _status(criteria: Sequence[Criterion]) -> tuple[TrialStatus, str]:
    adverse = [c for c in criteria if _adverse(c)]
    if adverse:
        parts = [
            f"{'fails' if c.kind == 'inclusion' else 'excluded by'}: {c.text[:90]} ({c.reason[:120]})"
            for c in adverse[:3]
        ]
        return "ineligible", "; ".join(parts)
    considered = [c for c in criteria if c.label != "not_applicable"]
    if not considered:
        return "unknown", "no criteria could be assessed"
    unknown = [c for c in considered if c.label == "insufficient_info"]
    if not unknown:
        return "eligible", "every listed criterion is satisfied by the case"
    return (
        "possibly_eligible",
        f"{len(unknown)} of {len(considered)} criteria need information not in the case",
    )


def _score(criteria: Sequence[Criterion]) -> float:
    considered = [c for c in criteria if c.label != "not_applicable"]
    if not considered:
        return 0.0
    return round(sum(1 for c in considered if _favourable(c)) / len(considered), 3)


def match_trial(case: CaseProfile, trial: Trial, snapshot_date: str | None = None) -> TrialMatch:
    criteria = _label_all(trial, case)
    status, reason = _status(criteria)
    return TrialMatch(
        nct_id=trial.nct_id,
        title=trial.title,
        status=status,
        score=_score(criteria),
        criteria=criteria,
        overall_status=trial.overall_status,
        phase=trial.phase,
        snapshot_date=trial.snapshot_date or snapshot_date,
        reason=reason,
    )


def match_trials(
    case: CaseProfile,
    trials: Sequence[Trial] | None = None,
    status: str = "recruiting",
    registry: TrialRegistry | None = None,
) -> list[TrialMatch]:
    """Ranked matches: eligible > possibly eligible > unknown > ineligible, then score, then NCT id.

    The pool is `trials` if given, else `registry.all()`, else the built-in entries only."""
    scope = parse_trial_scope(status)
    pool = list(trials) if trials is not None else (registry or TrialRegistry()).all()
    if scope == "recruiting":
        pool = [t for t in pool if is_open(t)]
    snapshot = load_builtin().snapshot_date
    matches = [match_trial(case, t, snapshot) for t in pool]
    return sorted(matches, key=lambda m: (_RANK[m.status], -m.score, m.nct_id))
