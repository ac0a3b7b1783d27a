"""Web pages: ask, sources, login (token form), delete my data. Case pages live in web.casepages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from netnav.api.security import TOKEN_COOKIE, cookie_value
from netnav.api.session import ingest_files
from netnav.api.state import AppState, app_state, owner_key, session_of
from netnav.web.asking import router as asking_router
from netnav.web.casebook import router as casebook_router
from netnav.web.casepages import router as case_router
from netnav.web.render import page

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
Session = Annotated[str, Depends(session_of)]


def _case_options(state: AppState, session: str) -> list[str]:
    return state.cases.list_ids(session)


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


router.include_router(asking_router)
router.include_router(case_router)
router.include_router(casebook_router)
