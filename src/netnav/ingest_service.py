"""`netnav ingest`: parse files, store each document in its own transaction, report failures by path."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from netnav.errors import BadInputError, NetNavError
from netnav.settings import Settings
from netnav.store import Store
from netnav.types.base import Frozen
from netnav.types.documents import EvidenceKind

Progress = Callable[[str, int, int], None]


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


def _register_trials(path: Path, settings: Settings) -> int:
    """CT.gov records also feed the structured trial registry used by `netnav trials`."""
    from netnav.trials import TrialRegistry
    from netnav.trials.ctgov import parse_ctgov_bytes

    trials = parse_ctgov_bytes(path.read_bytes(), str(path))
    TrialRegistry(settings.home).add(trials)
    return len(trials)


def ingest_file(store: Store, settings: Settings, path: Path, kind: EvidenceKind | None) -> list[IngestItem]:
    from netnav.ingest import parse_file_all

    try:
        parsed_docs = parse_file_all(path, kind)
    except BadInputError as exc:
        store.log_ingest(str(path), None, "failed", str(exc))
        return [IngestItem(path=str(path), outcome="failed", reason=str(exc))]
    items: list[IngestItem] = []
    for parsed in parsed_docs:
        doc = parsed.document if kind is None else parsed.document.model_copy(update={"kind": kind})
        outcome = store.add_document(doc, parsed.passages)
        store.log_ingest(str(path), doc.id, outcome.outcome)
        items.append(
            IngestItem(
                path=str(path),
                outcome=outcome.outcome,
                doc_id=doc.id,
                title=doc.title,
                passages=len(parsed.passages),
            )
        )
    if items and parsed_docs[0].document.format.startswith("ctgov"):
        try:
            n = _register_trials(path, settings)
            items = [i.model_copy(update={"trials": n}) if k == 0 else i for k, i in enumerate(items)]
        except NetNavError as exc:
            store.log_ingest(str(path), None, "failed", f"trial registry: {exc}")
    return items


def ingest_paths(
    store: Store, settings: Settings, paths: Sequence[Path], kind: EvidenceKind | None, progress: Progress
) -> IngestReport:
    from netnav.ingest import iter_input_files

    report = IngestReport()
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            report.items.append(
                IngestItem(path=str(path), outcome="failed", reason="no such file or directory")
            )
        else:
            files.extend(iter_input_files([path]))
    for i, path in enumerate(files, start=1):
        report.items.extend(ingest_file(store, settings, path, kind))
        progress("ingest", i, len(files))
    return report
