"""Schema for knowledge cards (YAML, one topic per file). See DESIGN.md, "Knowledge cards"."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from netnav.knowledge.sources import SETID, allowed_types, infer_source_type
from netnav.types.base import Frozen
from netnav.types.documents import SourceType

CardKind = Literal["guideline", "label", "research", "trial", "education", "experience"]
# The card kinds (evidence sections) a card may be filed under, given the type of its FIRST source.
# Background (education) and patient experience may rest on any source; the evidence sections may not.
KINDS_FOR_SOURCE: dict[str, frozenset[str]] = {
    "label": frozenset({"label", "education", "experience"}),
    "fda_notice": frozenset({"label", "education", "experience"}),
    "guideline": frozenset({"guideline", "education", "experience"}),
    "official_summary": frozenset({"guideline", "education", "experience"}),
    "journal": frozenset({"research", "trial", "education", "experience"}),
    "registry": frozenset({"trial", "education", "experience"}),
    "press": frozenset({"education", "experience"}),
    "other": frozenset({"education", "experience"}),
}
CARD_ID = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
PMID = re.compile(r"^[1-9][0-9]{0,8}$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
NCT = re.compile(r"^NCT\d{8}$")
URL = re.compile(r"^https?://[^\s]+$")


class CardSource(Frozen):
    """A real, checked source. At least one identifier is required."""

    title: str = Field(min_length=3)
    publisher: str | None = None  # journal, agency or organisation
    year: int | None = Field(default=None, ge=1900, le=2100)
    version: str | None = None
    pmid: str | None = None
    doi: str | None = None
    nct: str | None = None
    url: str | None = None
    fda_approval_date: dt.date | None = None
    guideline: str | None = None  # exact guideline name; counts as an identifier with `version`
    setid: str | None = None  # DailyMed SPL set id (a label document); `version` is the SPL version if known
    source_type: SourceType | None = None  # inferred from the identifiers when absent; checked when stated
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _infer_type(cls, data: object) -> object:
        if isinstance(data, dict) and not data.get("source_type"):
            data = dict(data)
            data["source_type"] = infer_source_type(
                title=str(data.get("title") or ""),
                url=data.get("url"),
                pmid=data.get("pmid"),
                doi=data.get("doi"),
                nct=data.get("nct"),
                setid=data.get("setid"),
                guideline=data.get("guideline"),
            )
        return data

    @field_validator("setid")
    @classmethod
    def _setid(cls, v: str | None) -> str | None:
        if v is not None and not SETID.match(v):
            raise ValueError(f"invalid DailyMed set id {v!r}")
        return v

    @field_validator("pmid")
    @classmethod
    def _pmid(cls, v: str | None) -> str | None:
        if v is not None and not PMID.match(v):
            raise ValueError(f"invalid PMID {v!r}")
        return v

    @field_validator("doi")
    @classmethod
    def _doi(cls, v: str | None) -> str | None:
        if v is not None and not DOI.match(v):
            raise ValueError(f"invalid DOI {v!r}")
        return v

    @field_validator("nct")
    @classmethod
    def _nct(cls, v: str | None) -> str | None:
        if v is not None and not NCT.match(v):
            raise ValueError(f"invalid NCT id {v!r}")
        return v

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None and not URL.match(v):
            raise ValueError(f"invalid URL {v!r}")
        return v

    @model_validator(mode="after")
    def _has_identifier(self) -> CardSource:
        has = any([self.pmid, self.doi, self.nct, self.url, self.setid])
        if not has and not (self.guideline and self.version):
            raise ValueError(
                f"source {self.title!r} has no identifier (pmid/doi/nct/url/fda date/guideline+version)"
            )
        allowed = allowed_types(
            url=self.url,
            pmid=self.pmid,
            doi=self.doi,
            nct=self.nct,
            setid=self.setid,
            guideline=self.guideline,
            title=self.title,
        )
        if self.source_type not in allowed:
            raise ValueError(
                f"source {self.title!r}: source_type {self.source_type!r} is not supported by its identifiers"
                f" (possible: {', '.join(sorted(allowed))})"
            )
        return self

    @property
    def kind(self) -> SourceType:
        """The validated source type (always set after validation)."""
        return self.source_type or "other"

    def identifiers(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for key in ("pmid", "doi", "nct", "setid", "url"):
            val = getattr(self, key)
            if val:
                out[key] = val
        if self.fda_approval_date:
            out["fda_approval_date"] = self.fda_approval_date.isoformat()
        if self.guideline:
            out["guideline"] = self.guideline
        return out


class Card(Frozen):
    id: str
    kind: CardKind
    title: str | None = None  # short heading
    claim: str = Field(min_length=20)  # clinician wording (may be 1-3 sentences)
    plain: str = Field(min_length=20)  # patient wording (secondary-school level)
    topics: list[str] = Field(min_length=1)
    applies_to: list[str] = Field(default_factory=list)
    sources: list[CardSource] = Field(min_length=1)
    status: Literal["current", "superseded", "withdrawn"] = "current"
    status_date: dt.date | None = None
    status_note: str | None = None
    superseded_by: str | None = None
    reviewed: dt.date
    questions: list[str] = Field(default_factory=list)  # "questions to ask your care team"
    approvals: list[str] = Field(
        default_factory=list
    )  # ids in knowledge/data/approvals.yaml this card states

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not CARD_ID.match(v):
            raise ValueError(f"card id {v!r} must be lowercase words joined by - or .")
        return v

    @model_validator(mode="after")
    def _status(self) -> Card:
        if self.status != "current" and self.status_date is None:
            raise ValueError(f"card {self.id}: status {self.status} needs status_date")
        if self.reviewed > dt.date(2026, 12, 31):
            raise ValueError(f"card {self.id}: reviewed date {self.reviewed} is in the future")
        first = self.sources[0].kind
        if self.kind not in KINDS_FOR_SOURCE[first]:
            raise ValueError(
                f"card {self.id}: kind {self.kind!r} cannot rest on a first source of type {first!r}"
                f" (allowed: {', '.join(sorted(KINDS_FOR_SOURCE[first]))}); cite the primary source first"
            )
        return self


class CardFile(Frozen):
    topic: str
    version: str = "1"
    cards: list[Card] = Field(min_length=1)
