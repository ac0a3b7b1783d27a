"""The order each cited guideline gives a pathway step's options, for the case's setting.

A step in `pathways/pathways.yaml` may carry `guideline_orders`: per guideline (and, through `when`, per setting
such as pancreatic versus small-intestinal NET) tiers of option ids, each tier ranked before the next. The step
shows every order that applies to the case; when two apply and differ, its note says so and shows both, instead
of choosing one. An order whose setting is undecided for the case is left out and the note says what is missing.
Options keep the file order in the step; the guideline orders are shown beside them, never silently merged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from pydantic import Field

from netnav.rules.logic import evaluate
from netnav.rules.schema import Condition
from netnav.rules.text import join_words, label
from netnav.types.assessment import GuidelineOrder
from netnav.types.base import Frozen
from netnav.types.case import CaseProfile


class GuidelineOrderSpec(Frozen):
    source: str  # the guideline and edition, e.g. "ESMO 2020"
    when: Condition | None = None  # the setting this order is for; absent -> the whole step
    cards: list[str] = Field(min_length=1)
    tiers: list[list[str]] = Field(min_length=1)  # option ids; each tier before the next
    note: str | None = None


class Cite(Protocol):
    def cite(self, card_ids: list[str]) -> list[int]: ...


def _name(name: str) -> str:
    """An option name inside a sentence: 'Everolimus' -> 'everolimus'; 'PRRT (...)' stays."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def _words(tier: Sequence[str]) -> str:
    names = [_name(n) for n in tier]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def describe(order: GuidelineOrder) -> str:
    """'ESMO 2020: PRRT, then everolimus' (names within a tier are alternatives: 'A or B')."""
    return f"{order.source}: " + ", then ".join(_words(t) for t in order.tiers)


def guideline_orders(
    specs: Sequence[GuidelineOrderSpec], names: Mapping[str, str], case: CaseProfile, book: Cite
) -> tuple[list[GuidelineOrder], list[str]]:
    """The orders that apply to the case (option ids turned into names) and what is missing to decide others."""
    out: list[GuidelineOrder] = []
    missing: list[str] = []
    for spec in specs:
        verdict = evaluate(spec.when, case) if spec.when is not None else None
        if verdict is not None and verdict.value is None:
            missing.extend(m for m in verdict.missing if m not in missing)
            continue
        if verdict is not None and verdict.value is False:
            continue
        tiers = [[names[i] for i in tier if i in names] for tier in spec.tiers]
        out.append(
            GuidelineOrder(
                source=spec.source,
                tiers=[t for t in tiers if t],
                note=spec.note,
                citations=book.cite(spec.cards),
                card_ids=list(spec.cards),
            )
        )
    return out, missing


def order_note(orders: Sequence[GuidelineOrder], missing: Sequence[str]) -> str | None:
    """One sentence on the guideline orders: each order, whether they differ, and what is missing."""
    if not orders and not missing:
        return None
    parts = [describe(o) + (f" ({o.note})" if o.note else "") for o in orders]
    text = "Order in the cited guidelines - " + "; ".join(parts) + "." if parts else ""
    if len({tuple(map(tuple, o.tiers)) for o in orders}) > 1:
        text += " These guidelines order the options differently; both orders are shown."
    if missing:
        text += f" The order for this setting also depends on {join_words([label(m) for m in missing])}."
    return text.strip()
