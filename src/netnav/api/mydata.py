"""Delete my data: everything a session owns, listed and deleted in one place (web page /delete and the REST
API GET/DELETE /api/my-data).

What a session owns:
- the cases read from reports in this session (the session case store, `netnav.cases`);
- the saved, named cases of the requester (`owner_of`: the token's cases when the server has a token; on a
  loopback server without one, the cases saved on this computer, the same ones `netnav case list` shows);
- the documents this session uploaded to its private library (and their files under the data home);
- its jobs still queued or running (cancelled, so no job writes after the deletion; their upload folders go);
- its conversation memory (follow-up context and the conversation list, kept in memory only).
The shared library and other sessions' or tokens' data are never touched.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from netnav.api.casejobs import delete_library_uploads, delete_session_uploads
from netnav.api.models import ErrorBody
from netnav.api.saved import book_for, owner_of
from netnav.api.state import AppState, app_state, owner_key, session_of
from netnav.types.casebook import LOCAL_OWNER

router = APIRouter(prefix="/api/my-data", tags=["cases"])
State = Annotated[AppState, Depends(app_state)]
_ERRORS: dict[int | str, dict[str, object]] = {code: {"model": ErrorBody} for code in (401, 403, 500)}
JOB_WAIT_S = 5.0  # how long a running job may take to stop after its cancel flag is set


class MyData(BaseModel):
    """What a session owns (GET) or what was deleted (DELETE); names and titles as the user gave them."""

    session_cases: int = Field(description="Cases read from reports in this browser/API session.")
    saved_cases: list[str] = Field(description="Names of the saved cases deleted with everything in them.")
    saved_cases_local: bool = Field(
        description="True when the saved cases are this computer's (no server token), shared with the CLI."
    )
    documents: list[str] = Field(description="Titles of the documents this session added to its library.")
    jobs: int = Field(description="Queued or running jobs of this session (cancelled on delete).")
    conversations: int = Field(description="Conversations remembered for follow-up questions.")


def _session_jobs(state: AppState, session: str) -> list[str]:
    return [j.id for j in state.jobs.list(owner_key(session)) if not j.finished]


def inventory(request: Request, state: AppState) -> MyData:
    """What `delete_my_data` would delete for this request's session and owner."""
    session = session_of(request)
    owner = owner_key(session)
    return MyData(
        session_cases=len(state.cases.list_ids(session)),
        saved_cases=[c.name for c in book_for(request).cases()],
        saved_cases_local=owner_of(request) == LOCAL_OWNER,
        documents=[row.doc.title for row in state.locked(lambda: state.engine.owned_documents(owner))],
        jobs=len(_session_jobs(state, session)),
        conversations=len(state.conversations.history(session, limit=10_000)),
    )


def delete_my_data(request: Request, state: AppState) -> MyData:
    """Delete everything the session owns (module docstring) and say what went. Jobs are stopped first, so
    none of them writes a case or a document after the rest is gone."""
    session = session_of(request)
    owner = owner_key(session)
    jobs = _session_jobs(state, session)
    for job_id in jobs:
        state.jobs.cancel(job_id, owner)
    for job_id in jobs:
        state.jobs.wait(job_id, timeout=JOB_WAIT_S)
    delete_session_uploads(state, session)  # reports waiting for a job that will not run now
    conversations = len(state.conversations.history(session, limit=10_000))
    state.forget_session(session)  # follow-up memory and the answers kept by id (netnav.api.asked)
    session_cases = state.cases.delete_all(session)
    book = book_for(request)
    saved = [c.name for c in book.cases()]
    book.delete_all()
    documents = []
    for row in state.locked(lambda: state.engine.owned_documents(owner)):
        if state.delete_document(row.doc.id, owner):
            documents.append(row.doc.title)
    delete_library_uploads(state, session)  # files of uploads that never became a document
    return MyData(
        session_cases=session_cases,
        saved_cases=saved,
        saved_cases_local=owner_of(request) == LOCAL_OWNER,
        documents=documents,
        jobs=len(jobs),
        conversations=conversations,
    )


@router.get("", response_model=MyData, responses=_ERRORS)
def get_my_data(request: Request, state: State) -> MyData:
    """What "delete my data" would delete for this session (nothing is changed)."""
    return inventory(request, state)


@router.delete("", response_model=MyData, responses=_ERRORS)
def delete_all_my_data(request: Request, state: State) -> MyData:
    """Delete everything this session owns: its session cases, its saved cases (with their reports and
    corrections), its library uploads, its unfinished jobs and its conversation memory; returns what went."""
    return delete_my_data(request, state)
