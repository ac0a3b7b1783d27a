"""Evaluation-set runner. Patterns are regexes matched case-insensitively against the answer text
(summary + sections + personal)."""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import Field, ValidationError

from netnav.errors import BadInputError
from netnav.types.answer import Answer
from netnav.types.base import Frozen


class EvalItem(Frozen):
    id: str
    question: str
    audience: str = "patient"
    must: list[str] = Field(default_factory=list)
    must_not: list[str] = Field(default_factory=list)
    cite_kinds: list[str] = Field(default_factory=list)
    expect_abstain: bool = False


class ItemResult(Frozen):
    id: str
    abstained: bool
    abstain_ok: bool
    covered: list[str]
    missed: list[str]
    contradictions: list[str]
    cite_kinds_missing: list[str]
    sentences: int
    uncited_sentences: int
    unresolvable_citations: int
    dropped_sentences: int
    latency_ms: float


class EvalReport(Frozen):
    items: list[ItemResult]
    fact_coverage: float
    contradictions: int
    abstentions: int
    abstention_errors: int
    sentences: int
    uncited_sentences: int
    unresolvable_citations: int
    citation_validity: float
    cite_kind_coverage: float
    latency_p50_ms: float
    latency_p95_ms: float


def load_eval_set(path: Path) -> list[EvalItem]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: cannot read evaluation set: {exc}") from exc
    items = []
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            items.append(EvalItem.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise BadInputError(f"{path}:{no}: not a valid evaluation item: {exc}".splitlines()[0]) from exc
    if not items:
        raise BadInputError(f"{path}: the evaluation set is empty")
    return items


def answer_text(answer: Answer) -> str:
    parts = [s.text for s in answer.summary]
    parts += [s.text for sec in answer.sections for s in sec.sentences]
    parts += [s.text for s in answer.personal]
    return "\n".join(parts)


def score_item(item: EvalItem, answer: Answer, latency_ms: float) -> ItemResult:
    text = answer_text(answer)
    covered = [p for p in item.must if re.search(p, text, re.IGNORECASE)]
    contradictions = [p for p in item.must_not if re.search(p, text, re.IGNORECASE)]
    sentences = (
        list(answer.summary) + [s for sec in answer.sections for s in sec.sentences] + list(answer.personal)
    )
    numbers = {c.n for c in answer.citations}
    cited_kinds = {c.kind for c in answer.citations}
    return ItemResult(
        id=item.id,
        abstained=answer.abstained,
        abstain_ok=answer.abstained == item.expect_abstain,
        covered=covered,
        missed=[p for p in item.must if p not in covered],
        contradictions=contradictions,
        cite_kinds_missing=[k for k in item.cite_kinds if k not in cited_kinds],
        sentences=len(sentences),
        uncited_sentences=sum(1 for s in sentences if not s.citations),
        unresolvable_citations=sum(1 for s in sentences for n in s.citations if n not in numbers),
        dropped_sentences=answer.dropped_sentences,
        latency_ms=round(latency_ms, 2),
    )


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def run_eval(items: list[EvalItem], ask: Callable[[str, str], Answer]) -> EvalReport:
    results = []
    for item in items:
        t0 = time.perf_counter()
        answer = ask(item.question, item.audience)
        results.append(score_item(item, answer, (time.perf_counter() - t0) * 1000))
    must_total = sum(len(i.must) for i in items)
    covered = sum(len(r.covered) for r in results)
    sentences = sum(r.sentences for r in results)
    bad = sum(r.uncited_sentences for r in results) + sum(r.unresolvable_citations for r in results)
    kinds_total = sum(len(i.cite_kinds) for i in items)
    kinds_missing = sum(len(r.cite_kinds_missing) for r in results)
    latencies = [r.latency_ms for r in results]
    return EvalReport(
        items=results,
        fact_coverage=round(covered / must_total, 4) if must_total else 1.0,
        contradictions=sum(len(r.contradictions) for r in results),
        abstentions=sum(1 for r in results if r.abstained),
        abstention_errors=sum(1 for r in results if not r.abstain_ok),
        sentences=sentences,
        uncited_sentences=sum(r.uncited_sentences for r in results),
        unresolvable_citations=sum(r.unresolvable_citations for r in results),
        citation_validity=round(1 - bad / sentences, 4) if sentences else 1.0,
        cite_kind_coverage=round(1 - kinds_missing / kinds_total, 4) if kinds_total else 1.0,
        latency_p50_ms=round(statistics.median(latencies), 2) if latencies else 0.0,
        latency_p95_ms=round(_percentile(latencies, 0.95), 2),
    )
