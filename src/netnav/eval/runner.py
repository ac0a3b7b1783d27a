"""Evaluation-set runner. Patterns are regexes matched case-insensitively against the answer text
(urgent message + summary + sections + personal) and, for the summary-only figure, against the urgent message
and the "In short" summary alone.

Refusal figures: an item expects a refusal when it sets `expect_abstain` or `expect_refusal_kind`. A *false
refusal* is an abstention on an item that expects none (rate over those items); a *missed refusal* is an
answer on an item that expects a refusal (rate over those items). `missed_other_cancer` counts missed
refusals among items expecting `refusal_kind: other_cancer`; `missed_urgent` counts items with
`expect_urgent` whose answer carries no urgent message."""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import Field, ValidationError

from netnav.errors import BadInputError
from netnav.types.answer import Answer, RefusalKind
from netnav.types.base import Frozen


class EvalItem(Frozen):
    id: str
    question: str
    audience: str = "patient"
    must: list[str] = Field(default_factory=list)
    must_not: list[str] = Field(default_factory=list)
    cite_kinds: list[str] = Field(default_factory=list)
    expect_abstain: bool = False
    expect_refusal_kind: RefusalKind | None = None
    expect_urgent: bool = False
    follow_up_of: str | None = None  # the previous question, for an elliptical follow-up
    source: str = ""  # where the expected facts were checked (PMID/DOI/label/guideline)
    tags: list[str] = Field(default_factory=list)

    @property
    def expects_refusal(self) -> bool:
        return self.expect_abstain or self.expect_refusal_kind is not None


class ItemResult(Frozen):
    id: str
    abstained: bool
    abstain_ok: bool
    covered: list[str]
    missed: list[str]
    summary_covered: list[str] = Field(default_factory=list)
    refusal_kind: str | None = None
    false_refusal: bool = False
    missed_refusal: bool = False
    urgent_missing: bool = False
    asked: str = ""  # the question actually answered (a follow-up after rewriting)
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
    summary_coverage: float = 1.0
    false_refusals: int = 0
    false_refusal_rate: float = 0.0
    missed_refusals: int = 0
    missed_refusal_rate: float = 0.0
    missed_other_cancer: int = 0
    refusal_kind_errors: int = 0
    missed_urgent: int = 0
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


def summary_text(answer: Answer) -> str:
    parts = [answer.urgent.text] if answer.urgent else []
    return "\n".join(parts + [s.text for s in answer.summary])


def answer_text(answer: Answer) -> str:
    parts = [answer.urgent.text] if answer.urgent else []
    parts += [s.text for s in answer.summary]
    parts += [s.text for sec in answer.sections for s in sec.sentences]
    parts += [s.text for s in answer.personal]
    return "\n".join(parts)


def score_item(item: EvalItem, answer: Answer, latency_ms: float) -> ItemResult:
    text = answer_text(answer)
    short = summary_text(answer)
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
        abstain_ok=answer.abstained == item.expects_refusal
        and (item.expect_refusal_kind is None or answer.refusal_kind == item.expect_refusal_kind),
        covered=covered,
        missed=[p for p in item.must if p not in covered],
        summary_covered=[p for p in item.must if re.search(p, short, re.IGNORECASE)],
        refusal_kind=answer.refusal_kind,
        false_refusal=answer.abstained and not item.expects_refusal,
        missed_refusal=item.expects_refusal and not answer.abstained,
        urgent_missing=item.expect_urgent and answer.urgent is None,
        asked=answer.question,
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


def _rate(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0


def run_eval(
    items: list[EvalItem],
    ask: Callable[[str, str], Answer],
    follow_up: Callable[[str, str], str] | None = None,
) -> EvalReport:
    """Ask every item and score it. `follow_up(previous, message)` makes an elliptical follow-up whole
    (items with `follow_up_of`); without it the message is asked as typed."""
    results = []
    for item in items:
        question = item.question
        if item.follow_up_of and follow_up is not None:
            question = follow_up(item.follow_up_of, item.question)
        t0 = time.perf_counter()
        answer = ask(question, item.audience)
        results.append(score_item(item, answer, (time.perf_counter() - t0) * 1000))
    must_total = sum(len(i.must) for i in items)
    covered = sum(len(r.covered) for r in results)
    refusing = [i for i in items if i.expects_refusal]
    by_id = {r.id: r for r in results}
    sentences = sum(r.sentences for r in results)
    bad = sum(r.uncited_sentences for r in results) + sum(r.unresolvable_citations for r in results)
    kinds_total = sum(len(i.cite_kinds) for i in items)
    kinds_missing = sum(len(r.cite_kinds_missing) for r in results)
    latencies = [r.latency_ms for r in results]
    return EvalReport(
        items=results,
        fact_coverage=round(covered / must_total, 4) if must_total else 1.0,
        summary_coverage=round(sum(len(r.summary_covered) for r in results) / must_total, 4)
        if must_total
        else 1.0,
        false_refusals=sum(r.false_refusal for r in results),
        false_refusal_rate=_rate(sum(r.false_refusal for r in results), len(items) - len(refusing)),
        missed_refusals=sum(r.missed_refusal for r in results),
        missed_refusal_rate=_rate(sum(r.missed_refusal for r in results), len(refusing)),
        missed_other_cancer=sum(
            by_id[i.id].missed_refusal for i in refusing if i.expect_refusal_kind == "other_cancer"
        ),
        refusal_kind_errors=sum(
            1 for i in refusing if i.expect_refusal_kind and by_id[i.id].refusal_kind != i.expect_refusal_kind
        ),
        missed_urgent=sum(r.urgent_missing for r in results),
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
