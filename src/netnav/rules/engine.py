"""Apply the rules to a case: findings with their inputs, status and numbered card citations."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from netnav.knowledge.loader import add_card_passage, card_by_id, card_citation, card_source_key
from netnav.rules.loader import KIND_ORDER, load_rules
from netnav.rules.logic import Verdict, evaluate
from netnav.rules.pathway import build_pathway
from netnav.rules.schema import Outcome, Rule, Wording
from netnav.rules.text import join_words, label, render
from netnav.settings import DISCLAIMER
from netnav.types.answer import Citation
from netnav.types.assessment import Assessment, Finding, FindingLabel, FindingStatus
from netnav.types.audience import parse_audience
from netnav.types.case import CaseProfile

log = logging.getLogger(__name__)
MAX_QUESTIONS = 10


@dataclass(frozen=True)
class RuleResult:
    """A rule's verdict on a case, before wording and citations."""

    status: FindingStatus
    outcome: Outcome | None  # the outcome that was met (None for not_met / unknown)
    missing: tuple[str, ...]
    possible: tuple[str, ...]  # outcome labels still possible when unknown


def evaluate_rule(rule: Rule, case: CaseProfile) -> RuleResult | None:
    """The rule's status on the case, or None when the rule does not apply to it."""
    scope = Verdict(True) if rule.applies is None else evaluate(rule.applies, case)
    if scope.value is False or (scope.value is None and rule.on_scope_unknown == "skip"):
        return None
    verdicts = [(o, Verdict(True) if o.when is None else evaluate(o.when, case)) for o in rule.outcomes]
    decided = next((o for o, v in verdicts if v.value is True), None)
    if scope.value is True and decided is not None:
        return RuleResult(decided.status, decided, (), ())
    open_ = [(o, v) for o, v in verdicts if v.value is None or o is decided]
    if scope.value is True and not open_:
        return RuleResult("not_met", None, (), ())
    missing = list(scope.missing)
    for _, verdict in open_:
        missing.extend(m for m in verdict.missing if m not in missing)
    return RuleResult("unknown", None, tuple(missing), tuple(o.label for o, _ in open_))


def finding_label(rule: Rule, result: RuleResult) -> FindingLabel:
    """What the finding means for the patient: `unknown` when undecided; an outcome's own `patient_label`
    when set (or, for a binary rule decided not met, its `not_met` wording's); a risk outcome decided as not
    met (e.g. "no invasion", "Ki-67 below 3%") is `reassuring`;
    otherwise met → `applies`, not met → `does_not_apply`."""
    if result.status == "unknown":
        return "unknown"
    if result.outcome is not None and result.outcome.patient_label is not None:
        return result.outcome.patient_label
    binary_not_met = result.outcome is None and result.status == "not_met"
    if binary_not_met and rule.not_met is not None and rule.not_met.patient_label is not None:
        return rule.not_met.patient_label  # "no spread outside the liver" is reassuring
    if result.status == "met":
        return "applies"
    if rule.kind == "risk" and result.outcome is not None:
        return "reassuring"
    return "does_not_apply"


def _wording(rule: Rule, result: RuleResult) -> Wording:
    if result.outcome is not None:
        return result.outcome.wording()
    if result.status == "not_met":
        assert rule.not_met is not None
        return rule.not_met
    return rule.unknown


def statement(rule: Rule, result: RuleResult, case: CaseProfile, audience: str) -> str:
    wording = _wording(rule, result)
    template = wording.patient if audience == "patient" else wording.clinician
    extras = {
        "label": result.outcome.label if result.outcome else "",
        "possible": join_words(sorted(result.possible), "or") or "not determinable",
        "missing": join_words([label(m) for m in result.missing]),
    }
    return render(template, case, extras)


def rule_questions(rule: Rule, result: RuleResult, case: CaseProfile) -> list[str]:
    out = list(rule.questions.get(result.status, []))
    if result.outcome is not None:
        out.extend(result.outcome.questions)
    if result.status == "unknown":
        out.extend(q for name, q in rule.ask_if_missing.items() if name in result.missing)
    return [render(q, case, {}) for q in out]


def finding_cards(rule: Rule, result: RuleResult) -> list[str]:
    extra = result.outcome.cards if result.outcome is not None else []
    return [*rule.cards, *(c for c in extra if c not in rule.cards)]


class CitationBook:
    """Numbers card citations in order of first use, one number per source (cards citing the same label
    or article share it; their wordings are the citation's passages)."""

    def __init__(self, audience: str) -> None:
        self.audience = audience
        self._numbers: dict[str, int] = {}
        self._by_source: dict[str, int] = {}
        self.citations: list[Citation] = []

    def cite(self, card_ids: list[str]) -> list[int]:
        out: list[int] = []
        for card_id in card_ids:
            n = self._numbers.get(card_id) or self._add(card_id)
            if n and n not in out:
                out.append(n)
        return out

    def _add(self, card_id: str) -> int:
        card = card_by_id(card_id)
        if card is None:
            log.warning("rule cites unknown card %s", card_id)
            return 0
        key = card_source_key(card)
        n = self._by_source.get(key, 0)
        if n:
            self.citations[n - 1] = add_card_passage(self.citations[n - 1], card, self.audience)
        else:
            n = len(self.citations) + 1
            self._by_source[key] = n
            self.citations.append(card_citation(card, n, self.audience))
        self._numbers[card_id] = n
        return n


def assess(case: CaseProfile, audience: str = "patient", rules: tuple[Rule, ...] | None = None) -> Assessment:
    """Apply every rule to the case (three-valued; missing inputs give `unknown`, never a guess)."""
    parse_audience(audience)
    book = CitationBook(audience)
    findings: list[Finding] = []
    questions: list[str] = []
    for rule in rules if rules is not None else load_rules():
        result = evaluate_rule(rule, case)
        if result is None or result.status not in rule.report:
            continue
        cards = finding_cards(rule, result)
        findings.append(
            Finding(
                rule_id=rule.id,
                kind=rule.kind,
                status=result.status,
                statement=statement(rule, result, case, audience),
                inputs=rule.inputs(),
                citations=book.cite(cards),
                missing=list(result.missing),
                card_ids=cards,
                label=finding_label(rule, result),
            )
        )
        questions.extend(q for q in rule_questions(rule, result, case) if q not in questions)
    pathway = build_pathway(case, audience, book) if rules is None else None
    return Assessment(
        case=case,
        findings=findings,
        questions_to_ask=questions[:MAX_QUESTIONS],
        citations=book.citations,
        disclaimer=DISCLAIMER,
        pathway=pathway,
    )


PERSONAL_UNKNOWN_KINDS = frozenset({"classification", "grade", "immunotherapy"})


def personal_sentences(
    assessment: Assessment, kinds: Sequence[str] | None = None, limit: int | None = None
) -> list[tuple[str, list[int]]]:
    """Short cited sentences for the answer's `personal` section: met findings, and unknown ones where the
    missing input matters (classification, grade, immunotherapy). Uncited findings are left out.

    `kinds` (optional) keeps only those finding kinds, in that order of priority
    (e.g. ["immunotherapy", "grade"] for an immunotherapy question); `limit` caps the number of sentences."""
    order = list(kinds) if kinds is not None else list(KIND_ORDER)
    out: list[tuple[str, list[int]]] = []
    for kind in order:
        for f in assessment.findings:
            relevant = f.status == "met" or (f.status == "unknown" and f.kind in PERSONAL_UNKNOWN_KINDS)
            if f.kind == kind and relevant and f.citations:
                out.append((f.statement, list(f.citations)))
    return out if limit is None else out[:limit]
