"""What `netnav ingest` / `POST /api/documents` report: one item per file (or per document in a file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from netnav.types.base import Frozen


class IngestItem(Frozen):
    path: str
    outcome: Literal["added", "unchanged", "failed"]
    reason: str | None = None
    doc_id: str | None = None
    title: str | None = None
    passages: int = 0
    trials: int = 0


@dataclass
class IngestReport:
    items: list[IngestItem] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(1 for i in self.items if i.outcome == "added")

    @property
    def failed(self) -> list[IngestItem]:
        return [i for i in self.items if i.outcome == "failed"]

    def as_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "unchanged": sum(1 for i in self.items if i.outcome == "unchanged"),
            "failed": len(self.failed),
            "items": [i.model_dump() for i in self.items],
        }
