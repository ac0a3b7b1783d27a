"""Treatment history as data: one line of therapy per drug or regimen the reports mention."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from netnav.types.base import Frozen

TherapyStatus = Literal["given", "ongoing", "stopped", "declined", "planned"]
StopReason = Literal["progression", "toxicity", "completed", "patient choice"]


class TherapyLine(Frozen):
    """A drug or regimen and what happened with it, as the report states it (nothing inferred).

    `drugs` are generic names in lower case ("capecitabine", "temozolomide" for CAPTEM). `progressed` is
    True only when progression on/after it is written; None when the report does not say. `status`:
    given (received, no more said), ongoing, stopped, declined (offered, not taken) or planned (not yet
    given). Dates are as written ("2025-03", "March 2025"). `note` says what the text leaves unclear, such as
    progression written after several therapies without saying on which (it is then given to the last one)."""

    agent: str  # the drug or regimen as named in the report
    drugs: list[str] = Field(min_length=1)
    status: TherapyStatus = "given"
    progressed: bool | None = None
    stop_reason: StopReason | None = None
    cycles: int | None = None
    best_response: str | None = None  # e.g. "partial response", "stable disease"
    start: str | None = None
    stop: str | None = None
    note: str | None = None  # what the text leaves unclear (e.g. which of several therapies it grew on)
    text: str  # the sentence it came from
    source: str
    line: int

    @property
    def received(self) -> bool:
        return self.status in ("given", "ongoing", "stopped")
