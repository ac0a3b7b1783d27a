"""The ask pages. Questions never travel in a URL (netnav.api.asked):

- GET /            the ask form (and this session's earlier questions, as links to their answers);
- POST /ask        answer (a follow-up within its conversation), keep it under an opaque id, and
                   redirect (303) to GET /answers/{id}: reloading does not ask again, back/forward
                   move between answers, and a bookmark works as long as the session and server do;
- GET /answers/{id}[?audience=...][&format=md]  the answer, in the other audience (asked again, same
                   question, without touching the conversation) or as a Markdown download;
- GET /ask         (old links with ?q=...) redirected to the form; the question is neither answered
                   nor kept.
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from netnav.answer.render import render_answer
from netnav.api.asked import Asked
from netnav.api.session import ask_with_context
from netnav.api.state import AppState, app_state, owner_key, session_of
from netnav.types.answer import Answer
from netnav.types.audience import Audience
from netnav.web.render import error_page, markdown_download, page

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
Session = Annotated[str, Depends(session_of)]
GONE = (
    "this answer is no longer kept: answers are kept only in this server's memory, for your browser "
    "session, and go when you delete your data or the server restarts. Please ask again."
)


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request, state: State, session: Session, audience: Audience = "patient", case: str = ""
) -> HTMLResponse:
    return _page(request, state, session, None, "", audience, "", case)


@router.get("/ask", response_class=RedirectResponse)
def old_ask_link(audience: Audience = "patient") -> RedirectResponse:
    """Links from before questions left URLs: back to the form, the question dropped."""
    return RedirectResponse(f"/?{urlencode({'audience': audience})}", status_code=303)


@router.post("/ask", response_model=None)
def ask_posted(
    state: State,
    session: Session,
    q: Annotated[str, Form(max_length=2000)] = "",
    audience: Annotated[Audience, Form()] = "patient",
    conversation: Annotated[str, Form(pattern=r"^[A-Za-z0-9_-]{0,64}$")] = "",
    case: Annotated[str, Form()] = "",
) -> Response:
    """The ask and follow-up forms: the question travels in the body, never in the address bar,
    history or server logs."""
    if not q.strip():
        return RedirectResponse(f"/?{urlencode({'audience': audience})}", status_code=303)
    conversation = conversation or secrets.token_hex(8)
    answer = ask_with_context(state, session, q, audience, case or None, conversation)
    entry = state.asked.remember(session, answer, " ".join(q.split()), audience, case, conversation)
    return RedirectResponse(f"/answers/{entry.id}", status_code=303)


@router.get("/answers/{answer_id}", response_model=None)
def answer_page(
    request: Request,
    answer_id: str,
    state: State,
    session: Session,
    audience: Audience | None = None,
    format: str = "html",
) -> Response:
    entry = state.asked.get(session, answer_id)
    if entry is None:
        return error_page(request, 404, GONE)
    answer = _in_audience(state, session, entry, audience or entry.audience)
    if format == "md":
        return markdown_download(render_answer(answer), "netnav-answer.md")
    return _page(
        request, state, session, entry, entry.typed, answer.audience, entry.conversation, entry.case, answer
    )


def _in_audience(state: AppState, session: str, entry: Asked, audience: str) -> Answer:
    if audience == entry.audience:
        return entry.answer
    case = state.cases.load(session, entry.case) if entry.case else None
    answer = state.ask(entry.question, audience, case, owner_key(session))
    return (
        answer if entry.question == entry.typed else answer.model_copy(update={"rewritten_from": entry.typed})
    )


def _page(
    request: Request,
    state: AppState,
    session: str,
    entry: Asked | None,
    question: str,
    audience: str,
    conversation: str,
    case: str,
    answer: Answer | None = None,
) -> HTMLResponse:
    other = "clinician" if audience == "patient" else "patient"
    return page(
        request,
        "ask.html",
        active="ask",
        answer=answer,
        question=question,
        audience=audience,
        conversation=conversation,
        case_id=case,
        cases=state.cases.list_ids(session),
        asked=answer.question if answer else "",
        history=state.asked.history(session),
        switch_url=f"/answers/{entry.id}?{urlencode({'audience': other})}" if entry else "",
        download_url=f"/answers/{entry.id}?{urlencode({'audience': audience, 'format': 'md'})}"
        if entry
        else "",
    )
