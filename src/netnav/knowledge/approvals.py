"""The structured table of US FDA approvals (drug x indication x date x type x status x source) that cards cite,
and a consistency check that finds cards contradicting it or each other.

Table: `knowledge/data/approvals.yaml`. A card lists the rows it states in `approvals: [id, ...]`.
The check reads each card sentence that names a drug from the table together with an approval word and a
date: the date must match a row of that drug (month and year, or year alone when only a year is written), an
"accelerated" approval must be an accelerated row, and a card that cites a withdrawn row must say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator

from netnav.datafiles import load_yaml
from netnav.errors import KnowledgeError
from netnav.knowledge.schema import Card
from netnav.types.base import Frozen

ApprovalType = Literal["accelerated", "regular"]
ApprovalStatus = Literal["current", "withdrawn", "converted", "discontinued"]
_DATE = re.compile(r"^\d{4}(-\d{2}){0,2}$")
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES)}


class Approval(Frozen):
    id: str
    drug: str
    indication: str
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    type: ApprovalType
    status: ApprovalStatus
    status_date: str | None = None
    source: dict[str, str] = Field(min_length=1)

    @field_validator("date", "status_date", mode="before")
    @classmethod
    def _date(cls, v: object) -> str | None:
        if v is None:
            return None
        text = str(v)  # YAML reads 2020-06-16 as a date
        if not _DATE.match(text):
            raise ValueError(f"date {text!r} must be YYYY, YYYY-MM or YYYY-MM-DD")
        return text

    @property
    def year(self) -> int:
        return int(self.date[:4])

    @property
    def month(self) -> int | None:
        return int(self.date[5:7]) if len(self.date) >= 7 else None


class ApprovalTable(Frozen):
    version: str = "1"
    approvals: list[Approval] = Field(min_length=1)


def table_path() -> Path:
    return Path(str(resources.files("netnav.knowledge") / "data" / "approvals.yaml"))


def load_approvals(path: Path | None = None) -> tuple[Approval, ...]:
    """All rows, validated; ids unique. Raises KnowledgeError."""
    return _load(str(path or table_path()))


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[Approval, ...]:
    try:
        raw = load_yaml(Path(path).read_text(encoding="utf-8"))
        rows = ApprovalTable.model_validate(raw).approvals
    except (OSError, ValidationError, ValueError) as exc:
        raise KnowledgeError(f"approvals table {Path(path).name}: {exc}") from exc
    ids = [r.id for r in rows]
    if len(ids) != len(set(ids)):
        raise KnowledgeError("approvals table: duplicate id")
    return tuple(rows)


@dataclass(frozen=True)
class Mention:
    """A card sentence stating an approval of `drug` with a date."""

    card_id: str
    drug: str
    year: int
    month: int | None
    accelerated: bool
    sentence: str


@dataclass(frozen=True)
class Contradiction:
    card_id: str
    problem: str


_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
_MONTH_YEAR = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(?:\d{1,2},\s+)?(\d{4})\b", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(r"\b\d{1,2}\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
_APPROVAL_WORD = re.compile(r"\b(approv\w*|granted|indicat\w*|label)", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-Z(])")


def _aliases(rows: Sequence[Approval]) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in rows:
        out[r.drug.lower()] = r.drug
    extra = {"lutathera": "lutetium Lu 177 dotatate", "177lu-dotatate": "lutetium Lu 177 dotatate"}
    out.update({k: v for k, v in extra.items() if v in out.values()})
    return out


def mentions(card: Card, rows: Sequence[Approval]) -> list[Mention]:
    """Approval statements with a date in the card's clinician wording, one per (drug, date) in a sentence that
    names exactly one drug of the table (a sentence naming several drugs is ambiguous and skipped)."""
    aliases = _aliases(rows)
    out: list[Mention] = []
    for sentence in _SENTENCE.split(card.claim):
        low = sentence.lower()
        drugs = {
            canon for alias, canon in aliases.items() if re.search(r"\b" + re.escape(alias) + r"\b", low)
        }
        if len(drugs) != 1 or not _APPROVAL_WORD.search(sentence) or "not approved" in low:
            continue
        (drug,) = drugs
        dated: set[tuple[int, int | None]] = set()
        for m in list(_DAY_MONTH_YEAR.finditer(sentence)) + list(_MONTH_YEAR.finditer(sentence)):
            dated.add((int(m.group(2)), MONTHS[m.group(1).lower()]))
        years_with_month = {y for y, _ in dated}
        for y in _YEAR.findall(sentence):
            if int(y) not in years_with_month:
                dated.add((int(y), None))
        accelerated = "accelerated" in low
        out.extend(Mention(card.id, drug, y, mo, accelerated, sentence) for y, mo in sorted(dated, key=str))
    return out


def _matches(m: Mention, row: Approval) -> bool:
    dates = [(row.year, row.month)]
    if row.status_date:
        dates.append(
            (int(row.status_date[:4]), int(row.status_date[5:7]) if len(row.status_date) >= 7 else None)
        )
    return any(y == m.year and (m.month is None or mo is None or mo == m.month) for y, mo in dates)


def check(cards: Iterable[Card], rows: Sequence[Approval]) -> list[Contradiction]:
    """Contradictions between current cards and the table (dates, accelerated vs regular, withdrawn rows)."""
    by_id = {r.id: r for r in rows}
    out: list[Contradiction] = []
    for card in cards:
        for ref in card.approvals:
            row = by_id.get(ref)
            if row is None:
                out.append(Contradiction(card.id, f"cites unknown approval {ref!r}"))
            elif row.status == "withdrawn" and not re.search(r"withdr|no longer|removed", card.claim, re.I):
                out.append(Contradiction(card.id, f"cites withdrawn approval {ref} without saying so"))
        if card.status != "current":
            continue
        for m in mentions(card, rows):
            candidates = [r for r in rows if r.drug == m.drug]
            dated = [r for r in candidates if _matches(m, r)]
            when = f"{m.year}-{m.month:02d}" if m.month else str(m.year)
            if candidates and not dated and not _is_other_event(m.sentence):
                out.append(
                    Contradiction(card.id, f"{m.drug} approval dated {when}: no such row in the table")
                )
            elif dated and m.accelerated and not any(r.type == "accelerated" for r in dated):
                out.append(
                    Contradiction(card.id, f"{m.drug} {when} called accelerated; the table says regular")
                )
    return out


_FULL = re.compile(r"\b(full|regular|traditional)\s+approv", re.IGNORECASE)


def cross_card(cards: Iterable[Card], rows: Sequence[Approval]) -> list[Contradiction]:
    """Cards that contradict each other: the same drug and approval date called accelerated in one card and
    full/regular/traditional in another."""
    kinds: dict[tuple[str, int, int | None], dict[str, set[str]]] = {}
    for card in cards:
        if card.status != "current":
            continue
        for m in mentions(card, rows):
            if m.month is None:
                continue
            label = "accelerated" if m.accelerated else "regular" if _FULL.search(m.sentence) else ""
            if label:
                kinds.setdefault((m.drug, m.year, m.month), {}).setdefault(label, set()).add(m.card_id)
    out: list[Contradiction] = []
    for (drug, year, month), seen in sorted(kinds.items(), key=str):
        if len(seen) > 1:
            ids = ", ".join(sorted(seen["accelerated"] | seen["regular"]))
            out.append(Contradiction(ids, f"{drug} {year}-{month:02d} called both accelerated and regular"))
    return out


_OTHER_EVENT = re.compile(
    r"\b(trial|study|published|presented|reported|analysis|follow-up|enrol|randomi[sz]ed|NCCN|ESMO|EMA|China|"
    r"Europe|NMPA|Japan)\b",
    re.IGNORECASE,
)


def _is_other_event(sentence: str) -> bool:
    """A dated sentence about a trial, a publication or another regulator is not an FDA approval date."""
    return bool(_OTHER_EVENT.search(sentence))
