"""The Jinja2 environment (autoescape always on) and page rendering helpers."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from netnav.settings import DISCLAIMER
from netnav.trials.render import plain_reason
from netnav.types.assessment import FINDING_LABEL_WORDS, FINDING_STATUS_LABELS, OPTION_STATUS_WORDS
from netnav.types.trials import (
    CRITERION_LABELS,
    CRITERION_PATIENT_WORDS,
    CRITERION_PATIENT_WORDS_EXCLUSION,
)
from netnav.web import TEMPLATES_DIR, view


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        disclaimer=DISCLAIMER,
        identifier_links=view.identifier_links,
        citation_details=view.citation_details,
        doc_details=view.doc_details,
        field_label=view.field_label,
        format_value=view.format_value,
        highlight=view.highlight,
        bullets=view.bullets,
        status_labels=FINDING_STATUS_LABELS,
        criterion_labels=CRITERION_LABELS,
        finding_label_words=FINDING_LABEL_WORDS,
        option_status_words=OPTION_STATUS_WORDS,
        criterion_patient_words=CRITERION_PATIENT_WORDS,
        criterion_patient_words_exclusion=CRITERION_PATIENT_WORDS_EXCLUSION,
        trial_plain_reason=plain_reason,
    )
    return env


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("active", "")
    context.setdefault("csrf", getattr(request.state, "csrf", ""))  # netnav.api.csrf: every form carries it
    html = environment().get_template(template).render(request_path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def markdown_download(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return page(request, "error.html", status=status, status_code=status, message=message)
