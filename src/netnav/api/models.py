"""Request and response models of the REST API that are not domain types."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from netnav.types.audience import Audience
from netnav.types.ingest import IngestItem, IngestReport


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=2000, description="Your question.")
    audience: Audience = "patient"
    case_id: str | None = Field(default=None, description="A case uploaded in this session.")
    conversation_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="Any id you choose; short follow-ups ('what about for NEC?') are combined with the "
        "previous question of the same conversation (see netnav.conversation).",
    )


class IngestResult(BaseModel):
    added: int
    unchanged: int
    failed: int
    items: list[IngestItem]

    @classmethod
    def from_report(cls, report: IngestReport) -> IngestResult:
        unchanged = sum(1 for i in report.items if i.outcome == "unchanged")
        return cls(added=report.added, unchanged=unchanged, failed=len(report.failed), items=report.items)


class DeleteDocumentResult(BaseModel):
    deleted: str


class DeleteResult(BaseModel):
    deleted_cases: int


class Health(BaseModel):
    """`backend`: where documents, cases and sessions live ("sqlite" = embedded in the data home,
    "postgresql"); `schema_version`: the highest migration applied to that store (None when it cannot
    be read); `status` "unavailable" (HTTP 503) when the database cannot be reached."""

    status: Literal["ok", "unavailable"] = "ok"
    ready: bool
    version: str
    backend: Literal["sqlite", "postgresql"] = "sqlite"
    schema_version: int | None = None
    detail: str | None = None


class ErrorBody(BaseModel):
    detail: str
