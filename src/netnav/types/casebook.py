"""Saved, named cases: what the case repository stores and lists (see netnav.store.cases)."""

from __future__ import annotations

from pydantic import Field

from netnav.types.base import Frozen
from netnav.types.case import CaseProfile, UserValue

LOCAL_OWNER = "local"  # the owner of saved cases on this computer (CLI, and the web/API without a token)


class CaseSummary(Frozen):
    """One row of `netnav case list`: id, the user's name for the case, times (ISO-8601 UTC), report count."""

    id: str
    name: str
    created_at: str
    updated_at: str
    reports: int = 0


class StoredReport(Frozen):
    """One report read into a saved case: its own per-report profile and, for OCR input, the confidence.

    `report_date` is the report's own date (ISO, None when it states none); `lines` is the report text
    as read (so a value's line can be shown again); `meta` holds e.g. {"ocr_confidence": 91.2}.
    """

    id: int
    name: str
    report_date: str | None = None
    added_at: str
    profile: CaseProfile
    lines: list[str] = Field(default_factory=list)
    meta: dict[str, float | str] = Field(default_factory=dict)


class NewReport(Frozen):
    """A report about to be stored (no id or added_at yet)."""

    name: str
    report_date: str | None = None
    profile: CaseProfile
    lines: list[str] = Field(default_factory=list)
    meta: dict[str, float | str] = Field(default_factory=dict)


class SavedCase(Frozen):
    """A saved case as stored: its summary, every report (oldest first) and the user's corrections."""

    summary: CaseSummary
    reports: list[StoredReport] = Field(default_factory=list)
    corrections: dict[str, UserValue] = Field(default_factory=dict)
