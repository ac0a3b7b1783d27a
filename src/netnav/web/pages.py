"""Web pages: ask, sources, login (token form), delete my data. Case pages live in web.casepages."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from netnav.answer.render import render_answer
from netnav.api.security import TOKEN_COOKIE, cookie_value
from netnav.api.session import ask_with_context, ingest_files
from netnav.api.state import AppState, app_state, owner_key, session_of
from netnav.types.audience import Audience
from netnav.web.casebook import router as casebook_router
from netnav.web.casepages import router as case_router
from netnav.web.render import markdown_download, page

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
Session = Annotated[str, Depends(session_of)]


def _case_options(state: AppState, session: str) -> list[str]:
    return state.cases.list_ids(session)


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request, state: State, session: Session, audience: Audience = "patient", case: str = ""
) -> HTMLResponse:
    return page(
        request,
        "ask.html",
        active="ask",
        answer=None,
        question="",
        audience=audience,
        conversation="",
        case_id=case,
        cases=_case_options(state, session),
        asked="",
        conversations=state.conversations.history(session),
    )


@router.get("/ask", response_model=None)
def ask_page(
    request: Request,
    state: State,
    session: Session,
    q: Annotated[str, Query(max_length=2000)] = "",
    audience: Audience = "patient",
    conversation: Annotated[str, Query(pattern=r"^[A-Za-z0-9_-]{0,64}$")] = "",
    case: str = "",
    format: str = "html",
) -> Response:
    """Links (switch audience, download) still use GET; the ask forms POST (questions stay out of URLs)."""
    return _answer_page(request, state, session, q, audience, conversation, case, format)


@router.post("/ask", response_model=None)
def ask_posted(
    request: Request,
    state: State,
    session: Session,
    q: Annotated[str, Form(max_length=2000)] = "",
    audience: Annotated[Audience, Form()] = "patient",
    conversation: Annotated[str, Form(pattern=r"^[A-Za-z0-9_-]{0,64}$")] = "",
    case: Annotated[str, Form()] = "",
) -> Response:
    """The ask and follow-up forms: the question travels in the body, never in the address bar,
    history or server logs."""
    return _answer_page(request, state, session, q, audience, conversation, case, "html")


def _answer_page(
    request: Request,
    state: AppState,
    session: str,
    q: str,
    audience: Audience,
    conversation: str,
    case: str,
    format: str,
) -> Response:
    if not q.strip():
        return RedirectResponse(f"/?audience={audience}", status_code=303)
    conversation = conversation or secrets.token_hex(8)
    answer = ask_with_context(state, session, q, audience, case or None, conversation)
    if format == "md":
        return markdown_download(render_answer(answer), "netnav-answer.md")
    switch = urlencode(
        {
            "q": answer.question,
            "audience": "clinician" if audience == "patient" else "patient",
            "case": case,
            "conversation": conversation,
        }
    )
    download = urlencode({"q": answer.question, "audience": audience, "case": case, "format": "md"})
    return page(
        request,
        "ask.html",
        active="ask",
        answer=answer,
        question=" ".join(q.split()),
        audience=audience,
        conversation=conversation,
        case_id=case,
        cases=_case_options(state, session),
        asked=answer.question,
        conversations=state.conversations.history(session),
        switch_query=switch,
        download_query=download,
    )


def _sources_page(
    request: Request, state: State, owner: str, report: object = None, status: int = 200
) -> HTMLResponse:
    rows = state.documents(owner)
    builtin = [r for r in rows if r.builtin]
    yours = [r for r in rows if not r.builtin]
    kinds: dict[str, int] = {}
    for row in builtin:
        kinds[row.doc.kind] = kinds.get(row.doc.kind, 0) + 1
    return page(
        request,
        "sources.html",
        status=status,
        active="sources",
        builtin=builtin,
        yours=yours,
        kinds=sorted(kinds.items()),
        report=report,
    )


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, state: State, session: Session) -> HTMLResponse:
    return _sources_page(request, state, owner_key(session))


@router.post("/sources", response_class=HTMLResponse)
async def sources_upload(
    request: Request,
    state: State,
    session: Session,
    files: Annotated[list[UploadFile], File()],
    kind: Annotated[str, Form()] = "",
) -> HTMLResponse:
    result = await ingest_files(state, files, kind or None, owner_key(session))
    return await run_in_threadpool(_sources_page, request, state, owner_key(session), result)


@router.get("/delete", response_class=HTMLResponse)
def delete_confirm(request: Request, state: State) -> HTMLResponse:
    """What "Delete my data" will delete, listed before the user confirms (netnav.api.mydata)."""
    from netnav.api.mydata import inventory

    return page(request, "delete.html", active="delete", data=inventory(request, state), done=False)


@router.post("/delete", response_class=HTMLResponse)
def delete_now(request: Request, state: State) -> HTMLResponse:
    """Delete everything the session owns and say what was deleted."""
    from netnav.api.mydata import delete_my_data

    return page(request, "delete.html", active="delete", data=delete_my_data(request, state), done=True)


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return page(request, "login.html", next=_safe_next(next), failed=False)


@router.post("/login", response_model=None)
def login(
    request: Request, state: State, token: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
) -> Response:
    import hmac

    if not state.token:
        return RedirectResponse(_safe_next(next), status_code=303)
    limiter = request.app.state.token_failures
    client = request.client.host if request.client else "unknown"
    if limiter.blocked(client):
        return page(request, "login.html", status=429, next=_safe_next(next), failed=True)
    if not hmac.compare_digest(token.encode(), state.token.encode()):
        limiter.failed(client)
        return page(request, "login.html", status=401, next=_safe_next(next), failed=True)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        TOKEN_COOKIE, cookie_value(state.token), httponly=True, samesite="strict", max_age=60 * 60 * 12
    )
    return response


router.include_router(case_router)
router.include_router(casebook_router)
