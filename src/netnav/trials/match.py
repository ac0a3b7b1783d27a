"""Match a case against trials, criterion by criterion, and rank the results."""

from __future__ import annotations

from collections.abc import Sequence

from netnav.trials.compound import Kind
from netnav.trials.criteria import label_criterion, label_rules, parse_criterion
from netnav.trials.places import sites_near
from netnav.trials.predicates import Predicate, check
from netnav.trials.registry import TrialRegistry, builtin_populations, builtin_rules
from netnav.trials.schema import load_builtin, load_patterns
from netnav.types.case import CaseProfile
from netnav.types.trials import Criterion, Trial, TrialMatch, TrialStatus, parse_trial_scope

ENROLLING_STATUSES = frozenset({"recruiting", "not yet recruiting", "enrolling by invitation", "available"})
OPEN_STATUSES = ENROLLING_STATUSES | {"active, not recruiting", "active"}
_RANK: dict[TrialStatus, int] = {"eligible": 0, "possibly_eligible": 1, "unknown": 2, "ineligible": 3}


def is_enrolling(trial: Trial | TrialMatch) -> bool:
    """Taking patients now or soon (recruiting, not yet recruiting, enrolling by invitation)."""
    return (trial.overall_status or "").strip().lower() in ENROLLING_STATUSES


def is_open(trial: Trial) -> bool:
    """Not finished: enrolling, or active without enrolling."""
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


def _names_tumour(trial: Trial) -> bool:
    """A registry record whose own inclusion criteria name the tumour type needs no population gate."""
    for text in trial.inclusion:
        if any(r.field == "tumour_type" and not r.negate for r in parse_criterion(text).rules):
            return True
    return False


def _condition_criterion(trial: Trial, case: CaseProfile) -> Criterion | None:
    cats, where = _populations(trial)
    if not cats or (trial.source != "builtin" and _names_tumour(trial)):
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
    """One trial, criterion by criterion. `last_update` is the record's own date (never the day we looked)."""
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
        last_update=trial.last_update,
        fetched_at=trial.fetched_at,
        sites=list(trial.sites),
    )


def _nearby(match: TrialMatch, near: Near | None) -> TrialMatch | None:
    if near is None:
        return match
    sites = sites_near(match.sites, near[0], near[1])
    return match.model_copy(update={"sites": sites}) if sites else None


Near = tuple[tuple[float, float], float | None]  # (lat, lon), radius in km (None: any distance)


def _rank_key(m: TrialMatch) -> tuple[int, int, float, float, str]:
    nearest = m.sites[0].distance_km if m.sites and m.sites[0].distance_km is not None else 0.0
    return (0 if is_enrolling(m) else 1, _RANK[m.status], -m.score, nearest, m.nct_id)


def match_trials(
    case: CaseProfile,
    trials: Sequence[Trial] | None = None,
    status: str = "recruiting",
    registry: TrialRegistry | None = None,
    near: Near | None = None,
) -> list[TrialMatch]:
    """Ranked matches: trials taking patients first, then eligible > possibly eligible > unknown >
    ineligible, then score, then (with `near`) the nearest site, then NCT id.

    The pool is `trials` if given, else `registry.all()`, else the built-in entries only. `status`:
    "recruiting" keeps trials that enrol (recruiting, not yet recruiting, by invitation); "all" keeps every
    trial (closed ones after the enrolling ones). `near`: ((lat, lon), radius km) keeps trials with an open
    site in reach and lists their sites nearest first, with distances. Raises BadInputError for another
    status."""
    scope = parse_trial_scope(status)
    pool = list(trials) if trials is not None else (registry or TrialRegistry()).all()
    if scope == "recruiting":
        pool = [t for t in pool if is_enrolling(t)]
    snapshot = load_builtin().snapshot_date
    matches = [m for m in (_nearby(match_trial(case, t, snapshot), near) for t in pool) if m is not None]
    return sorted(matches, key=_rank_key)
