"""Questions to ask your care team: from the cited cards first, then intent defaults (data file)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import ValidationError

from netnav.errors import KnowledgeError
from netnav.types.base import Frozen
from netnav.types.documents import Document

MAX_QUESTIONS = 5


class QuestionBank(Frozen):
    version: str
    by_intent: dict[str, list[str]]


@lru_cache(maxsize=1)
def question_bank() -> QuestionBank:
    path = resources.files("netnav.answer") / "data" / "questions.yaml"
    try:
        return QuestionBank.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise KnowledgeError(f"questions.yaml is invalid: {exc}") from exc


def questions_for(intent: str, docs: list[Document], first: list[str] | None = None) -> list[str]:
    out: list[str] = []
    for q in first or []:
        if q not in out:
            out.append(q)
    for doc in docs:
        for q in json.loads(doc.meta.get("questions", "[]")):
            if q not in out:
                out.append(q)
    for q in question_bank().by_intent.get(intent, []):
        if len(out) >= 3:
            break
        if q not in out:
            out.append(q)
    return out[:MAX_QUESTIONS]
