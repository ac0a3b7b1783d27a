"""`netnav ingest`: parse files, store each document in its own transaction, report failures by path."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

from netnav.errors import BadInputError, NetNavError
from netnav.ingest import iter_input_files, parse_file_all
from netnav.store import DocumentStore
from netnav.trials import TrialRegistry
from netnav.trials.ctgov import parse_ctgov_bytes
from netnav.types.documents import Document, EvidenceKind, Passage
from netnav.types.ingest import IngestItem, IngestReport

Progress = Callable[[str, int, int], None]


def _register_trials(path: Path, registry: TrialRegistry) -> int:
    """CT.gov records also feed the structured trial registry used by `netnav trials` (a session's web
    upload: that session's view of the registry, TrialRegistry.owned)."""
    trials = parse_ctgov_bytes(path.read_bytes(), str(path))
    registry.add(trials)
    return len(trials)


def owned(doc: Document, passages: Sequence[Passage], owner: str) -> tuple[Document, list[Passage]]:
    """A session's copy of a document: ids derived from the owner too, so the same file uploaded by two
    sessions (or also ingested into the shared library) is stored once per owner, never shared."""

    def key(value: str) -> str:
        return hashlib.sha256(f"{owner}:{value}".encode()).hexdigest()[:32]

    doc_id = key(doc.id)
    return doc.model_copy(update={"id": doc_id}), [
        p.model_copy(update={"id": key(p.id), "doc_id": doc_id}) for p in passages
    ]


def ingest_file(
    store: DocumentStore,
    registry: TrialRegistry,
    path: Path,
    kind: EvidenceKind | None,
    owner: str | None = None,
) -> list[IngestItem]:
    try:
        parsed_docs = parse_file_all(path, kind)
    except BadInputError as exc:
        store.log_ingest(str(path), None, "failed", str(exc))
        return [IngestItem(path=str(path), outcome="failed", reason=str(exc))]
    items: list[IngestItem] = []
    for parsed in parsed_docs:
        doc = parsed.document if kind is None else parsed.document.model_copy(update={"kind": kind})
        passages = list(parsed.passages)
        if owner is not None:
            doc, passages = owned(doc, passages, owner)
        outcome = store.add_document(doc, passages, owner=owner)
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
            n = _register_trials(path, registry.owned(owner) if owner is not None else registry)
            items = [i.model_copy(update={"trials": n}) if k == 0 else i for k, i in enumerate(items)]
        except NetNavError as exc:
            store.log_ingest(str(path), None, "failed", f"trial registry: {exc}")
    return items


def ingest_paths(
    store: DocumentStore,
    registry: TrialRegistry,
    paths: Sequence[Path],
    kind: EvidenceKind | None,
    progress: Progress,
    owner: str | None = None,
) -> IngestReport:
    """Ingest files and folders; `owner` makes every document private to that session (web uploads)."""
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
        report.items.extend(ingest_file(store, registry, path, kind, owner))
        progress("ingest", i, len(files))
    return report
