"""Scope and safety triage, before any retrieval: questions about other cancers, requests for a dose or to
take someone else's medicine, and symptoms that may be an emergency (rules in `data/triage.yaml`)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import Field, ValidationError

from netnav.answer.compose import Source
from netnav.datafiles import load_yaml
from netnav.errors import KnowledgeError
from netnav.knowledge.loader import card_documents
from netnav.retrieve.analyze import Analysis, find_entities
from netnav.retrieve.lexicon import load_lexicon
from netnav.types.answer import RefusalKind
from netnav.types.base import Frozen

OFF_TOPIC_SUGGESTION = (
    "Ask about neuroendocrine tumors or carcinomas, for example: "
    "'What does a Ki-67 of 15% mean for a pancreatic NET?'"
)

_NET_WORDS = re.compile(r"\b(neuro-?endocrine|carcinoid|merkel|small[- ]cell|islet)\b", re.IGNORECASE)
# "prostate cancer, not neuroendocrine", "non-small cell": a negated NET word does not bring a question into scope
_NEGATED_NET = re.compile(
    r"\b(not|non|isn'?t|is not|wasn'?t|was not|no)[- ]+(an? )?(neuro-?endocrine|carcinoid|small[- ]cell)\b",
    re.IGNORECASE,
)


class UrgentRule(Frozen):
    id: str
    cards: list[str] = Field(min_length=1)
    groups: list[list[str]] = Field(min_length=1)
    patient: str
    clinician: str


class TriageData(Frozen):
    version: str
    present: list[str]
    urgent: list[UrgentRule]
    dose: list[str]
    others_medicine: list[str]


class CompiledTriage:
    def __init__(self, data: TriageData) -> None:
        self.present = [re.compile(p, re.IGNORECASE) for p in data.present]
        self.urgent = [
            (r, [[re.compile(c, re.IGNORECASE) for c in g] for g in r.groups]) for r in data.urgent
        ]
        self.dose = [re.compile(p, re.IGNORECASE) for p in data.dose]
        self.others_medicine = [re.compile(p, re.IGNORECASE) for p in data.others_medicine]


@lru_cache(maxsize=1)
def triage_rules() -> CompiledTriage:
    path = resources.files("netnav.answer") / "data" / "triage.yaml"
    try:
        return CompiledTriage(TriageData.model_validate(load_yaml(path.read_text(encoding="utf-8"))))
    except (yaml.YAMLError, ValidationError, re.error) as exc:
        raise KnowledgeError(f"triage.yaml is invalid: {exc}") from exc


def other_cancer(text: str) -> bool:
    """True when the question names a cancer outside NETNav's scope (HER2 breast cancer, prostate
    adenocarcinoma, NSCLC...) and, outside those words, no neuroendocrine tumour type at all."""
    lex = load_lexicon()
    if lex.out_of_scope is None or not lex.out_of_scope.search(text):
        return False
    rest = _NEGATED_NET.sub(" ", lex.out_of_scope.sub(" ", text))
    if _NET_WORDS.search(rest):
        return False
    return not any(e.type in ("disease", "syndrome") for e in find_entities(rest))


def dose_request(text: str, audience: str) -> bool:
    """A request for an individual dose (patients) or to take someone else's medicine (anyone)."""
    rules = triage_rules()
    if any(p.search(text) for p in rules.others_medicine):
        return True
    return audience == "patient" and any(p.search(text) for p in rules.dose)


def urgent_rule(text: str) -> UrgentRule | None:
    """The first urgent rule whose every cue group matches, when someone is affected now."""
    rules = triage_rules()
    if not any(p.search(text) for p in rules.present):
        return None
    for rule, groups in rules.urgent:
        if all(any(c.search(text) for c in group) for group in groups):
            return rule
    return None


def urgent_text(rule: UrgentRule, audience: str) -> str:
    return rule.clinician if audience == "clinician" else rule.patient


def analysis_text(analysis: Analysis) -> str:
    """Both the typed and the spelling-corrected question, so cues match either."""
    return analysis.question if not analysis.original else f"{analysis.original}\n{analysis.question}"


Refusal = tuple[RefusalKind, str, str]  # (kind, reason, suggestion)


def triage_refusal(analysis: Analysis, audience: str) -> Refusal | None:
    """Why the question must not be answered from the evidence (other cancer, a dose request, off topic),
    or None."""
    text = analysis_text(analysis)
    if other_cancer(text):
        return (
            "other_cancer",
            "the question is about a cancer that is not a neuroendocrine neoplasm; NETNav's evidence covers "
            "only neuroendocrine tumours and carcinomas, so answering would mean borrowing evidence from a "
            "different disease",
            "Ask the team treating that cancer, or ask here about a neuroendocrine tumour or carcinoma.",
        )
    if dose_request(text, audience):
        return (
            "dose_request",
            "it asks for a dose for a particular person or about taking someone else's medicine; the right "
            "dose depends on that person's prescription, weight, kidney and liver function and other "
            "medicines, and a medicine prescribed for someone else can be unsafe for you",
            "Ask the prescribing doctor or a pharmacist; you can ask here what a medicine is for, how it "
            "works or what the approved schedule in the label is.",
        )
    if not analysis.in_domain:
        return (
            "out_of_scope",
            "the question does not appear to be about neuroendocrine neoplasms or their care",
            OFF_TOPIC_SUGGESTION,
        )
    return None


def no_evidence_reason(analysis: Analysis, missing: list[str]) -> tuple[str, str]:
    """(reason, suggestion) when the evidence does not answer the question."""
    if not missing:
        return (
            "no passage in the knowledge base or your documents answers this closely enough",
            "Rephrase with the tumor type, drug or test you mean, or ingest the documents "
            "that discuss it (netnav ingest PATH).",
        )
    named = {e.canonical for e in analysis.entities if e.matched not in missing}
    found = ", ".join(sorted(named)) or "related topics"
    return (
        f"the evidence found is about {found} but says nothing about {', '.join(repr(w) for w in missing)}",
        "Your care team or pharmacist can answer this for your situation; or ingest a document "
        "that covers it (netnav ingest PATH).",
    )


def card_sources(card_ids: list[str]) -> list[Source]:
    """The built-in cards with these ids, as citable sources (in the given order; unknown ids skipped)."""
    by_id = {doc.card.card_id: (doc, passage) for doc, passage in card_documents() if doc.card is not None}
    return [Source(by_id[c][1], by_id[c][0]) for c in card_ids if c in by_id]
