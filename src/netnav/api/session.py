"""The session service shared by the REST API and the web pages: ask in a conversation (with the session's
case), and ingest uploaded documents into the library. Both edges call these; neither calls the other."""

from __future__ import annotations

from fastapi import UploadFile
from starlette.concurrency import run_in_threadpool

from netnav.api.casework import store_uploads
from netnav.api.models import IngestResult
from netnav.api.state import AppState, owner_key
from netnav.api.uploads import DOCUMENT_SUFFIXES, collect
from netnav.types.answer import Answer
from netnav.types.documents import parse_evidence_kind
from netnav.types.jobs import JobInfo


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
    answer = state.ask(resolved, audience, case, owner_key(session))
    typed = " ".join(question.split())
    return answer if resolved == typed else answer.model_copy(update={"rewritten_from": typed})


async def submit_ingest(state: AppState, files: list[UploadFile], kind: str | None, owner: str) -> JobInfo:
    """Check the kind and the files (size, type), keep them under the home and queue an ingest job
    (netnav.jobs); raises `BadInputError` subclasses, JobQueueFullError when too many jobs wait."""
    checked = parse_evidence_kind(kind) if kind else None  # checked before any upload is read
    uploads = await collect(files, DOCUMENT_SUFFIXES, sniff=False)
    paths, names = await run_in_threadpool(store_uploads, state.home, uploads, owner)
    return state.library.ingest(paths, checked, names, owner=owner)


async def ingest_files(
    state: AppState, files: list[UploadFile], kind: str | None, owner: str
) -> IngestResult:
    """Ingest as a job and wait for it (and the index swap) without holding up any other request."""
    info = await submit_ingest(state, files, kind, owner)
    return IngestResult.model_validate(await state.library.settle(info.id))
