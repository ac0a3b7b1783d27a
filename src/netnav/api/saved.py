"""REST endpoints for saved, named cases under /api/saved-cases (see docs/DESIGN.md "Saved cases").

Ownership: without a server token (loopback), cases belong to "local", the same owner as the CLI's.
With a token, a case belongs to the token that made it: the owner is a digest of that token (or
`request.state.token_owner` when the security layer has identified the token itself), so no other
token can list, read, change or delete it; another owner's case answers 404 like a missing one.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from netnav.api.models import ErrorBody
from netnav.api.state import AppState, app_state
from netnav.api.uploads import collect
from netnav.casebook.formats import DOCX_SUFFIXES, IMAGE_SUFFIXES
from netnav.engine import CaseBook
from netnav.types.case import CaseProfile
from netnav.types.casebook import LOCAL_OWNER, CaseSummary, NewReport
from netnav.types.jobs import JobInfo

CASE_SUFFIXES = (
    frozenset({".txt", ".md", ".markdown", ".text", ".pdf", ".json"}) | DOCX_SUFFIXES | IMAGE_SUFFIXES
)
router = APIRouter(prefix="/api/saved-cases", tags=["saved cases"])
State = Annotated[AppState, Depends(app_state)]
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (400, 401, 404, 409, 413, 415, 422, 500)
}


def owner_of(request: Request) -> str:
    """Who owns the cases this request may see (see the module docstring)."""
    state: AppState = request.app.state.netnav
    given = getattr(request.state, "token_owner", None)
    if isinstance(given, str) and given:
        return given
    if not state.token:
        return LOCAL_OWNER
    return "t-" + hashlib.sha256(("netnav-owner:" + state.token).encode("utf-8")).hexdigest()[:32]


def book_for(request: Request) -> CaseBook:
    """The requester's saved cases, through the Engine (Engine.casebook)."""
    state: AppState = request.app.state.netnav
    return state.engine.casebook(owner_of(request))


async def read_reports(request: Request, files: list[UploadFile]) -> list[NewReport]:
    """Uploaded reports read through the Engine (Engine.read_reports), off the event loop."""
    state: AppState = request.app.state.netnav
    return await run_in_threadpool(state.engine.read_reports, await read_case_uploads(files))


Book = Annotated[CaseBook, Depends(book_for)]
Background = Annotated[bool, Query(description="Return the reading job at once (202) instead of waiting.")]


class SavedCaseOut(BaseModel):
    """A saved case: its summary row and its profile (history and user corrections included)."""

    case: CaseSummary
    profile: CaseProfile


class RenameIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=120)


class CorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["correct", "confirm"]
    value: str | None = Field(default=None, max_length=200, description="Required for action=correct.")


async def read_case_uploads(files: list[UploadFile]) -> list[tuple[str, bytes]]:
    uploads = await collect(files, CASE_SUFFIXES, sniff=True)
    return [(u.name, u.data) for u in uploads]


def _submit(
    request: Request,
    book: CaseBook,
    files: list[tuple[str, bytes]],
    case_id: str | None = None,
    name: str | None = None,
) -> JobInfo:
    from netnav.api.casejobs import submit_case_reports
    from netnav.api.state import session_of

    state: AppState = request.app.state.netnav
    return submit_case_reports(state, session_of(request), book.owner, files, case_id=case_id, name=name)


def _out(book: CaseBook, case_id: str) -> SavedCaseOut:
    view = book.view(case_id)
    return SavedCaseOut(case=view.summary, profile=view.profile)


@router.get("", response_model=list[CaseSummary], responses=_ERRORS)
def list_saved(book: Book) -> list[CaseSummary]:
    """Your saved cases, most recently changed first."""
    return book.cases()


@router.post("", response_model=SavedCaseOut | JobInfo, status_code=201, responses=_ERRORS)
async def create_saved(
    request: Request,
    response: Response,
    book: Book,
    name: Annotated[str, Form(min_length=1, max_length=120)],
    files: Annotated[list[UploadFile] | None, File(description="Optional reports.")] = None,
    background: Background = False,
) -> SavedCaseOut | JobInfo:
    """Create a named case, optionally from reports (txt, md, pdf, docx, images, FHIR JSON). With
    `?background=true` and reports, returns the reading job (202) to follow at GET /api/jobs/{id}."""
    real = [f for f in files or [] if f.filename]
    if background and real:
        response.status_code = 202
        book.check_new_name(name)
        return _submit(request, book, await read_case_uploads(real), name=name)
    reports = await read_reports(request, real) if real else []
    summary = await run_in_threadpool(book.create, name, reports)
    return await run_in_threadpool(_out, book, summary.id)


@router.get("/{case_id}", response_model=SavedCaseOut, responses=_ERRORS)
def get_saved(case_id: str, book: Book) -> SavedCaseOut:
    return _out(book, case_id)


@router.patch("/{case_id}", response_model=CaseSummary, responses=_ERRORS)
def rename_saved(case_id: str, body: RenameIn, book: Book) -> CaseSummary:
    return book.rename(book.find(case_id).id, body.name)


@router.delete("/{case_id}", status_code=204, responses=_ERRORS)
def delete_saved(case_id: str, book: Book) -> Response:
    """Delete the case with its reports and corrections."""
    book.delete(book.find(case_id).id)
    return Response(status_code=204)


@router.post("/{case_id}/reports", response_model=SavedCaseOut | JobInfo, responses=_ERRORS)
async def add_reports(
    request: Request,
    response: Response,
    case_id: str,
    book: Book,
    files: Annotated[list[UploadFile], File(description="Reports to add.")],
    background: Background = False,
) -> SavedCaseOut | JobInfo:
    """Add reports; values merge (later report wins) and earlier values stay in `history`. With
    `?background=true`, returns the reading job (202) to follow at GET /api/jobs/{id}."""
    found = book.find(case_id)
    if background:
        response.status_code = 202
        return _submit(request, book, await read_case_uploads(files), case_id=found.id)
    reports = await read_reports(request, files)
    await run_in_threadpool(book.add, found.id, reports)
    return await run_in_threadpool(_out, book, found.id)


@router.put("/{case_id}/corrections/{field}", response_model=SavedCaseOut, responses=_ERRORS)
def put_correction(case_id: str, field: str, body: CorrectionIn, book: Book) -> SavedCaseOut:
    """Correct a value (`{"action": "correct", "value": "12"}`) or confirm it (`{"action": "confirm"}`)."""
    from netnav.errors import BadInputError

    found = book.find(case_id)
    if body.action == "confirm":
        book.confirm(found.id, field)
    elif body.value is None:
        raise BadInputError("give the corrected value")
    else:
        book.correct(found.id, field, body.value)
    return _out(book, found.id)


@router.delete("/{case_id}/corrections/{field}", response_model=SavedCaseOut, responses=_ERRORS)
def undo_correction(case_id: str, field: str, book: Book) -> SavedCaseOut:
    """Undo your correction or confirmation: the report's value comes back."""
    found = book.find(case_id)
    book.undo(found.id, field)
    return _out(book, found.id)
