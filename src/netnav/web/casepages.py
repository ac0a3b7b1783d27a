"""Web pages for a patient's case: upload reports, then values (with source lines), assessment, trials."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from netnav.api.state import AppState, app_state, owner_key, session_of
from netnav.api.uploads import REPORT_SUFFIXES, collect
from netnav.types.audience import Audience
from netnav.web.markdown import case_markdown
from netnav.web.nearby import nearby_trials
from netnav.web.render import markdown_download, page
from netnav.web.view import finding_groups

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
Session = Annotated[str, Depends(session_of)]


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, state: State, session: Session) -> HTMLResponse:
    return page(
        request,
        "upload.html",
        active="upload",
        cases=state.cases.list_ids(session),
        accept=",".join(sorted(REPORT_SUFFIXES)),
    )


@router.post("/upload", response_class=RedirectResponse)
async def upload(
    state: State, session: Session, files: Annotated[list[UploadFile], File()]
) -> RedirectResponse:
    uploads = await collect(files, REPORT_SUFFIXES, sniff=True)
    profile = await run_in_threadpool(state.extract, uploads)
    state.cases.save(session, profile)
    return RedirectResponse(f"/cases/{profile.case_id}", status_code=303)


@router.get("/cases/{case_id}", response_model=None)
def case_page(
    request: Request,
    case_id: str,
    state: State,
    session: Session,
    audience: Audience = "patient",
    format: str = "html",
    near: str | None = None,
    within: str | None = None,
) -> Response:
    profile = state.cases.load(session, case_id)
    assessment = state.assess(profile, audience)
    nearby = nearby_trials(state, profile, near, within, owner_key(session))
    matches = nearby.matches
    if format == "md":
        return markdown_download(case_markdown(assessment, matches, audience), f"netnav-{profile.case_id}.md")
    return page(
        request,
        "case.html",
        active="upload",
        case=profile,
        assessment=assessment,
        groups=finding_groups(assessment),
        matches=matches,
        nearby=nearby,
        audience=audience,
    )
