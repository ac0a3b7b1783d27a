"""REST endpoints under /api. Response models are the domain types (see DESIGN.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from netnav import __version__
from netnav.api.models import AskRequest, DeleteDocumentResult, DeleteResult, ErrorBody, Health, IngestResult
from netnav.api.session import ask_with_context, ingest_files, submit_ingest
from netnav.api.state import AppState, app_state, owner_key, session_of
from netnav.api.uploads import REPORT_SUFFIXES, collect
from netnav.errors import CaseNotFoundError, DocumentNotFoundError
from netnav.types.answer import Answer
from netnav.types.assessment import Assessment
from netnav.types.audience import Audience
from netnav.types.case import CaseProfile
from netnav.types.documents import SourceRow
from netnav.types.jobs import JobInfo
from netnav.types.trials import TrialMatch, TrialScope

router = APIRouter(prefix="/api", tags=["api"])
State = Annotated[AppState, Depends(app_state)]
Session = Annotated[str, Depends(session_of)]
Files = Annotated[list[UploadFile], File(description="One or more files.")]
HEALTH_TIMEOUT_S = 2.0  # /api/health waits this long for a database connection before answering 503
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (400, 401, 404, 413, 415, 422, 500)
}


@router.post("/ask", response_model=Answer, responses=_ERRORS)
def ask(body: AskRequest, state: State, session: Session, response: Response) -> Answer:
    """Answer a question with numbered citations. With `conversation_id`, a short follow-up is combined with
    the previous question; the answer's `question` is the question actually answered."""
    if body.conversation_id:
        response.headers["X-Conversation-Id"] = body.conversation_id
    return ask_with_context(state, session, body.question, body.audience, body.case_id, body.conversation_id)


@router.post("/cases", response_model=CaseProfile, status_code=201, responses=_ERRORS)
async def upload_case(files: Files, state: State, session: Session) -> CaseProfile:
    """Upload one or more reports (txt, md, pdf, FHIR R4 JSON) of one patient; returns the CaseProfile."""
    uploads = await collect(files, REPORT_SUFFIXES, sniff=True)
    profile = await run_in_threadpool(state.extract, uploads)
    state.cases.save(session, profile)
    return profile


@router.get("/cases/{case_id}", response_model=CaseProfile, responses=_ERRORS)
def get_case(case_id: str, state: State, session: Session) -> CaseProfile:
    return state.cases.load(session, case_id)


@router.get("/cases/{case_id}/assessment", response_model=Assessment, responses=_ERRORS)
def get_assessment(
    case_id: str, state: State, session: Session, audience: Audience = "patient"
) -> Assessment:
    return state.assess(state.cases.load(session, case_id), audience)


@router.get("/cases/{case_id}/trials", response_model=list[TrialMatch], responses=_ERRORS)
def get_trials(
    case_id: str,
    state: State,
    session: Session,
    status: Annotated[TrialScope, Query()] = "recruiting",
    near: Annotated[str | None, Query(max_length=200)] = None,
    within: Annotated[str | None, Query(max_length=40)] = None,
) -> list[TrialMatch]:
    """Trials for the case; `near` ("Leeds, UK" or "lat,lon") lists sites nearest first (offline),
    `within` ("200km", "120mi") limits the distance; an unknown place is a 400 with a clear message."""
    case = state.cases.load(session, case_id)
    return state.trials(case, status, near=near, within=within, owner=owner_key(session))


@router.delete("/cases", response_model=DeleteResult, responses=_ERRORS)
def delete_my_data(state: State, session: Session) -> DeleteResult:
    """Delete every case of this session and forget its conversations ("delete my data")."""
    state.forget_session(session)
    return DeleteResult(deleted_cases=state.cases.delete_all(session))


@router.delete("/cases/{case_id}", response_model=DeleteResult, responses=_ERRORS)
def delete_case(case_id: str, state: State, session: Session) -> DeleteResult:
    """Delete one case of this session (the session cookie, or the X-NETNav-Session header returned
    with the upload, is the owner's token); 404 for any other id."""
    if not state.cases.delete(session, case_id):
        raise CaseNotFoundError("no such case in this session")
    return DeleteResult(deleted_cases=1)


@router.get("/sources", response_model=list[SourceRow], responses=_ERRORS)
def sources(state: State, session: Session) -> list[SourceRow]:
    """The shared library plus the documents this session uploaded (no one else's)."""
    return state.sources(owner_key(session))


@router.delete("/documents/{doc_id}", response_model=DeleteDocumentResult, responses=_ERRORS)
def delete_document(doc_id: str, state: State, session: Session) -> DeleteDocumentResult:
    """Delete a document this session uploaded (404 for anything else: shared or another session's)."""
    if not state.delete_document(doc_id, owner_key(session)):
        raise DocumentNotFoundError("no such document among the ones this session uploaded")
    return DeleteDocumentResult(deleted=doc_id)


@router.post("/documents", response_model=IngestResult | JobInfo, responses=_ERRORS)
async def documents(
    files: Files,
    state: State,
    session: Session,
    response: Response,
    kind: Annotated[str | None, Form()] = None,
    background: Annotated[
        bool, Query(description="Return the job at once (202) instead of waiting.")
    ] = False,
) -> IngestResult | JobInfo:
    """Ingest documents (txt, md, html, pdf, PubMed/SPL/CT.gov XML or JSON) into the library. Parsing,
    embedding and indexing run as a job in a worker process; answering never waits for them. By default
    the request waits for the job and returns the ingest report; with `?background=true` it returns the
    job (202) to follow at GET /api/jobs/{id}."""
    if background:
        response.status_code = 202
        return await submit_ingest(state, files, kind, owner_key(session))
    return await ingest_files(state, files, kind, owner_key(session))


@router.get("/jobs", response_model=list[JobInfo], responses=_ERRORS)
def list_jobs(state: State, session: Session) -> list[JobInfo]:
    """This session's jobs, newest first."""
    return state.jobs.list(owner=owner_key(session))


@router.get("/jobs/{job_id}", response_model=JobInfo, responses=_ERRORS)
def get_job(job_id: str, state: State, session: Session) -> JobInfo:
    """State, progress (stage, done, total), result or error of one of this session's jobs."""
    return state.jobs.get(job_id, owner=owner_key(session))


@router.delete("/jobs/{job_id}", response_model=JobInfo, responses=_ERRORS)
def cancel_job(job_id: str, state: State, session: Session) -> JobInfo:
    """Cancel one of this session's jobs (queued: dropped; running: its worker is stopped)."""
    return state.jobs.cancel(job_id, owner=owner_key(session))


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
def health(request: Request, response: Response) -> Health:
    """Liveness for a load balancer: the backend, its migration version and whether the database answers
    (503 with status "unavailable" when it does not; the server recovers by itself when it is back)."""
    state: AppState = request.app.state.netnav
    backend, version, problem = state.engine.storage_status(HEALTH_TIMEOUT_S)
    if problem is not None:
        response.status_code = 503
        response.headers["Retry-After"] = "5"
    return Health(
        status="unavailable" if problem else "ok",
        ready=state.ready,
        version=__version__,
        backend="postgresql" if backend == "postgresql" else "sqlite",
        schema_version=version,
        detail=problem,
    )
