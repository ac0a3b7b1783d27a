"""The session service shared by the REST API and the web pages: ask in a conversation (with the session's
case), and ingest uploaded documents into the library. Both edges call these; neither calls the other."""

from __future__ import annotations

from fastapi import UploadFile
from starlette.concurrency import run_in_threadpool

from netnav.api.casework import ingest_uploads
from netnav.api.models import IngestResult
from netnav.api.state import AppState
from netnav.api.uploads import DOCUMENT_SUFFIXES, collect
from netnav.types.answer import Answer
from netnav.types.documents import parse_evidence_kind


def ask_with_context(
    state: AppState,
    session: str,
    question: str,
    audience: str,
    case_id: str | None,
    conversation_id: str | None,
) -> Answer:
    """Resolve a follow-up within its conversation, load the session's case (if named), ask the Engine.

    Raises `CaseNotFoundError` for an unknown case id and `BadInputError` for a bad audience or question."""
    case = state.cases.load(session, case_id) if case_id else None
    resolved = state.conversations.resolve(session, conversation_id, question)
    answer = state.ask(resolved, audience, case)
    typed = " ".join(question.split())
    return answer if resolved == typed else answer.model_copy(update={"rewritten_from": typed})


async def ingest_files(state: AppState, files: list[UploadFile], kind: str | None) -> IngestResult:
    """Check the kind and the files (size, type), then ingest them; raises `BadInputError` subclasses."""
    checked = parse_evidence_kind(kind) if kind else None  # checked before any upload is read
    uploads = await collect(files, DOCUMENT_SUFFIXES, sniff=False)
    report = await run_in_threadpool(state.locked, lambda: ingest_uploads(state.engine, uploads, checked))
    return IngestResult.from_report(report)
