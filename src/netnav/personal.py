"""The case-specific parts of an answer: assessment findings (`personal`) and trial matches (`trial` section)."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from netnav.answer.case_focus import case_lead, drop_held_tests, finding_kinds, select_findings
from netnav.answer.compose import PersonalItem, Source
from netnav.knowledge.loader import card_documents
from netnav.retrieve.analyze import Analysis
from netnav.rules import assess, personal_sentences
from netnav.trials import TrialRegistry, match_trials
from netnav.types.case import CaseProfile
from netnav.types.documents import Document, Passage
from netnav.types.trials import Trial, TrialMatch, TrialStatus

TOP_TRIALS = 3
_STATUS_WORDS: dict[TrialStatus, str] = {
    "eligible": "a likely match",
    "possibly_eligible": "a possible match",
    "ineligible": "not a match",
    "unknown": "unclear",
}


@lru_cache(maxsize=1)
def _cards_by_passage() -> dict[str, Source]:
    return {passage.id: Source(passage, doc) for doc, passage in card_documents()}


def case_context(case: CaseProfile) -> tuple[str, ...]:
    return tuple(f"{name}: {fv.value} ({fv.text})" for name, fv in case.fields.items())


def assessment_items(
    case: CaseProfile, audience: str, analysis: Analysis | None = None
) -> tuple[list[PersonalItem], list[str]]:
    """The case's findings that answer the question (a few, decisive ones first), led by a sentence that
    answers it for this case when the findings settle it; and the assessment's questions to ask, minus
    any that suggest a test the case already holds."""
    assessment = assess(case, audience)
    by_n = {c.n: c for c in assessment.citations}
    cards = _cards_by_passage()
    context = case_context(case)

    def sources_of(numbers: list[int]) -> tuple[Source, ...]:
        return tuple(cards[by_n[n].passage_id] for n in numbers if n in by_n and by_n[n].passage_id in cards)

    items: list[PersonalItem] = []
    if analysis is None:
        for text, numbers in personal_sentences(assessment):
            items.append(PersonalItem(text=text, sources=sources_of(numbers), context=context))
    else:
        concepts = frozenset(e.concept_id for e in analysis.entities)
        chosen = select_findings(assessment.findings, finding_kinds(analysis), concepts)
        lead = case_lead(chosen, audience)
        if lead is not None:
            numbers = [n for f in lead[1] for n in f.citations]
            items.append(PersonalItem(text=lead[0], sources=sources_of(numbers), context=context))
        for f in chosen:
            items.append(
                PersonalItem(text=f.statement, sources=sources_of(list(f.citations)), context=context)
            )
    return items, drop_held_tests(assessment.questions_to_ask, case)


def trial_source(trial: Trial) -> Source:
    summary = " ".join(
        x
        for x in (
            trial.title,
            f"Phase: {trial.phase}." if trial.phase else "",
            f"Status: {trial.overall_status}." if trial.overall_status else "",
            f"Conditions: {', '.join(trial.conditions)}." if trial.conditions else "",
            f"Interventions: {', '.join(trial.interventions)}." if trial.interventions else "",
            trial.summary or "",
        )
        if x
    )
    doc_id = hashlib.sha256(f"trial:{trial.nct_id}:{summary}".encode()).hexdigest()[:32]
    doc = Document(
        id=doc_id,
        kind="trial",
        title=trial.title,
        source_path=trial.source,
        format="registry",
        identifiers={"nct": trial.nct_id},
        meta={"snapshot_date": trial.snapshot_date or ""},
    )
    passage = Passage(
        id=hashlib.sha256(f"{doc_id}:0".encode()).hexdigest()[:32],
        doc_id=doc_id,
        ordinal=0,
        text=summary,
        start=0,
        end=len(summary),
    )
    return Source(passage, doc)


def trial_sentence(match: TrialMatch, audience: str) -> str:
    met = sum(1 for c in match.criteria if c.label == "met" and c.kind == "inclusion")
    unknown = sum(1 for c in match.criteria if c.label == "insufficient_info")
    when = f", registry record last updated {match.last_update}" if match.last_update else ""
    if audience == "patient":
        return (
            f"{match.title} ({match.nct_id}) looks like {_STATUS_WORDS[match.status]} for you: "
            f"{met} entry requirements are met by your records and {unknown} need information your records "
            f"do not give{when}."
        )
    return (
        f"{match.nct_id} ({match.title}; {match.phase or 'phase n/a'}, {match.overall_status or 'status n/a'}"
        f"{when}): {match.status.replace('_', ' ')}, {met} inclusion criteria met, {unknown} insufficient."
    )


def trial_items(case: CaseProfile, audience: str, registry: TrialRegistry) -> list[PersonalItem]:
    trials = {t.nct_id: t for t in registry.all()}
    matches = [m for m in match_trials(case, list(trials.values())) if m.status != "ineligible"][:TOP_TRIALS]
    items = []
    for m in matches:
        text = trial_sentence(m, audience)
        context = (text,)  # counts are computed from the criterion labels shown by `netnav trials`
        items.append(
            PersonalItem(
                text=text, sources=(trial_source(trials[m.nct_id]),), context=context, section="trial"
            )
        )
    return items


def personal_items(
    case: CaseProfile, analysis: Analysis, audience: str, registry: TrialRegistry
) -> tuple[list[PersonalItem], list[str]]:
    items, questions = assessment_items(case, audience, analysis)
    if analysis.intent == "trial" or analysis.has("trial-names"):
        items.extend(trial_items(case, audience, registry))
    return items, questions
