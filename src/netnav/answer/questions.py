"""Questions to ask your care team: from the cited cards first, then intent defaults (data file)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml
from pydantic import ValidationError

from netnav.answer.sentences import content_tokens
from netnav.datafiles import load_yaml
from netnav.errors import KnowledgeError
from netnav.types.base import Frozen
from netnav.types.documents import Document

MAX_QUESTIONS = 5


class QuestionBank(Frozen):
    version: str
    by_intent: dict[str, list[str]]  # patients: "questions to ask your care team" (first person)
    clinician_by_intent: dict[str, list[str]] = {}  # clinicians: follow-up prompts (no first person)


@lru_cache(maxsize=1)
def question_bank() -> QuestionBank:
    path = resources.files("netnav.answer") / "data" / "questions.yaml"
    try:
        return QuestionBank.model_validate(load_yaml(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise KnowledgeError(f"questions.yaml is invalid: {exc}") from exc


SIMILAR = 0.33  # Jaccard of content words above which two questions ask the same thing


def _add(out: list[str], seen: list[set[str]], question: str) -> None:
    words = content_tokens(question)
    if any(len(words & w) / max(1, len(words | w)) >= SIMILAR for w in seen):
        return
    out.append(question)
    seen.append(words)


def questions_for(
    intent: str, docs: list[Document], first: list[str] | None = None, audience: str = "patient"
) -> list[str]:
    """Patients: questions to ask their care team (from the cited cards, then defaults by intent).
    Clinicians: follow-up prompts by intent; the cards' first-person patient questions are not used."""
    out: list[str] = []
    seen: list[set[str]] = []
    if audience == "clinician":
        bank = question_bank().clinician_by_intent
        for q in bank.get(intent, []) + bank.get("any", []):
            _add(out, seen, q)
        return out[:3]
    for q in first or []:
        _add(out, seen, q)
    for doc in docs:
        for q in doc.card.questions if doc.card else []:
            _add(out, seen, q)
    for q in question_bank().by_intent.get(intent, []):
        if len(out) >= 3:
            break
        _add(out, seen, q)
    return out[:MAX_QUESTIONS]
