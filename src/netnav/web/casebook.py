"""Web pages for saved, named cases ("My cases"): list/create, the case page (reports, values with their
lines, corrections, timeline plot, assessment, trials), rename/delete, visit summary (PDF, Markdown, print).

Every form posts back and redirects (works without JavaScript); ownership as in netnav.api.saved.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from netnav.api.saved import CASE_SUFFIXES, Book, book_for, read_reports
from netnav.api.state import AppState, app_state, owner_key
from netnav.casebook.summary import VisitSummary, build_summary, summary_markdown
from netnav.engine import CaseBook, CaseView
from netnav.types.audience import Audience
from netnav.web.nearby import nearby_trials
from netnav.web.render import markdown_download, page
from netnav.web.view import field_label, finding_groups

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
_ = book_for  # the dependency behind `Book`


def _see(case_id: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/my-cases/{case_id}{anchor}", status_code=303)


@router.get("/my-cases", response_class=HTMLResponse)
def my_cases(request: Request, book: Book) -> HTMLResponse:
    return page(
        request,
        "my_cases.html",
        active="my-cases",
        cases=book.cases(),
        accept=",".join(sorted(CASE_SUFFIXES)),
    )


@router.post("/my-cases", response_class=RedirectResponse)
async def create_case(
    request: Request,
    book: Book,
    name: Annotated[str, Form(max_length=200)],
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> RedirectResponse:
    real = [f for f in files or [] if f.filename]
    reports = await read_reports(request, real) if real else []
    summary = await run_in_threadpool(book.create, name, reports)
    return _see(summary.id)


def _timeline_rows(view: CaseView) -> list[tuple[str, str, str, str, str]]:
    """(date, what, value, where, line) rows: the text alternative of the plot."""
    from netnav.casebook.timeline import SERIES, build_timeline

    timeline = build_timeline(view.saved.reports)
    rows = [
        (
            p.date + ("" if p.dated else " (date added)"),
            SERIES[p.series][0],
            f"{p.value:g} {p.unit}".strip(),
            f"{p.source}, line {p.line}",
            p.text,
        )
        for p in sorted(timeline.points, key=lambda p: (p.date, p.series))
    ]
    rows += [
        (t.when(), "Treatment", t.name, f"{t.source}, line {t.line}", t.text)
        for t in timeline.treatments  # dated ones are bars on the plot; the rest are only listed here
    ]
    return rows


@router.get("/my-cases/{case_id}", response_model=None)
def case_page(
    request: Request,
    case_id: str,
    book: Book,
    state: State,
    audience: Audience = "patient",
    near: str | None = None,
    within: str | None = None,
) -> Response:
    view = book.view(case_id)
    assessment = state.assess(view.profile, audience)
    nearby = nearby_trials(state, view.profile, near, within, owner_key(request.state.session))
    matches = nearby.matches
    return page(
        request,
        "saved_case.html",
        active="my-cases",
        view=view,
        case=view.profile,
        assessment=assessment,
        groups=finding_groups(assessment),
        matches=matches,
        nearby=nearby,
        audience=audience,
        timeline_rows=_timeline_rows(view),
        accept=",".join(sorted(CASE_SUFFIXES)),
    )


@router.post("/my-cases/{case_id}/reports", response_class=RedirectResponse)
async def add_reports(
    request: Request, case_id: str, book: Book, files: Annotated[list[UploadFile], File()]
) -> RedirectResponse:
    found = book.find(case_id)
    reports = await read_reports(request, files)
    await run_in_threadpool(book.add, found.id, reports)
    return _see(found.id, "#values-h")


@router.post("/my-cases/{case_id}/values/{field}", response_class=RedirectResponse)
def change_value(
    case_id: str,
    field: str,
    book: Book,
    action: Annotated[str, Form(pattern="^(correct|confirm|undo)$")],
    value: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    found = book.find(case_id)
    if action == "confirm":
        book.confirm(found.id, field)
    elif action == "undo":
        book.undo(found.id, field)
    else:
        book.correct(found.id, field, value)
    return _see(found.id, f"#field-{field}")


@router.post("/my-cases/{case_id}/rename", response_class=RedirectResponse)
def rename_case(case_id: str, book: Book, name: Annotated[str, Form(max_length=200)]) -> RedirectResponse:
    return _see(book.rename(book.find(case_id).id, name).id)


@router.post("/my-cases/{case_id}/delete", response_class=RedirectResponse)
def delete_case(case_id: str, book: Book) -> RedirectResponse:
    book.delete(book.find(case_id).id)
    return RedirectResponse("/my-cases", status_code=303)


@router.get("/my-cases/{case_id}/timeline.svg", response_model=None)
def timeline_svg(case_id: str, book: Book) -> Response:
    from netnav.casebook.plots import render_svg
    from netnav.casebook.timeline import build_timeline

    view = book.view(case_id)
    svg = render_svg(build_timeline(view.saved.reports), f"{view.summary.name}: values over time")
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


def _summary(book: CaseBook, state: AppState, case_id: str) -> tuple[CaseView, VisitSummary]:
    view = book.view(case_id)
    summary = build_summary(
        view, state.assess(view.profile, "patient"), state.trials(view.profile), field_label
    )
    return view, summary


def _filename(view: CaseView, suffix: str) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in view.summary.name.encode("ascii", "ignore").decode())
    return f"netnav-visit-{safe.strip('-')[:40] or view.summary.id}{suffix}"


@router.get("/my-cases/{case_id}/summary.pdf", response_model=None)
def summary_pdf(case_id: str, book: Book, state: State) -> Response:
    from netnav.casebook.pdf import summary_pdf as render_pdf
    from netnav.casebook.plots import render_png
    from netnav.casebook.timeline import build_timeline

    view, summary = _summary(book, state, case_id)
    timeline = build_timeline(view.saved.reports)
    plot = (
        render_png(timeline, "Values over time") if len(view.saved.reports) > 1 and timeline.points else None
    )
    return Response(
        render_pdf(summary, plot),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_filename(view, ".pdf")}"'},
    )


@router.get("/my-cases/{case_id}/summary.md", response_model=None)
def summary_md(case_id: str, book: Book, state: State) -> Response:
    view, summary = _summary(book, state, case_id)
    return markdown_download(summary_markdown(summary), _filename(view, ".md"))


@router.get("/my-cases/{case_id}/summary", response_class=HTMLResponse)
def summary_page(request: Request, case_id: str, book: Book, state: State) -> HTMLResponse:
    """The visit summary as a printable page (print CSS: one page, no navigation)."""
    view, summary = _summary(book, state, case_id)
    return page(request, "visit_summary.html", active="my-cases", view=view, s=summary)
