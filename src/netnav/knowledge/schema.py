"""Schema for knowledge cards (YAML, one topic per file). See DESIGN.md, "Knowledge cards"."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from netnav.types.base import Frozen

CardKind = Literal["guideline", "label", "research", "trial", "education", "experience"]
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
    note: str | None = None

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
        has = any([self.pmid, self.doi, self.nct, self.url, self.fda_approval_date])
        if not has and not (self.guideline and self.version):
            raise ValueError(
                f"source {self.title!r} has no identifier (pmid/doi/nct/url/fda date/guideline+version)"
            )
        return self

    def identifiers(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for key in ("pmid", "doi", "nct", "url"):
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
        return self


class CardFile(Frozen):
    topic: str
    version: str = "1"
    cards: list[Card] = Field(min_length=1)
