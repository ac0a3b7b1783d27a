"""Typed errors → HTTP status codes and bodies. Internal errors get a generic message; nothing is logged
except the exception's type name (messages can quote user input).

Requests under /api/ get JSON; other paths get the HTML error page the app installed with
`install(app, html_error=...)` (the web UI's page; JSON when none was given)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from netnav import settings
from netnav.api.csrf import CsrfError
from netnav.errors import (
    CaseNameTakenError,
    CaseNotFoundError,
    CorruptFileError,
    DecodeError,
    DocumentNotFoundError,
    EmptyDocumentError,
    FileTooLargeError,
    InvalidQuestionError,
    NetNavError,
    NoTextLayerError,
    SavedCaseNotFoundError,
    StoreUnavailable,
    UnsupportedFormatError,
)
from netnav.jobs import JobElsewhereError, JobNotFoundError, JobQueueFullError
from netnav.jobs.library import JobFailedError

log = logging.getLogger("netnav.api")
HtmlError = Callable[[Request, int, str], Response]
GENERIC = "internal error: the request could not be completed"
UNAVAILABLE = "the database is unavailable at the moment; nothing was changed, please try again shortly"
RETRY_AFTER_S = "5"
_STATUS: tuple[tuple[type[NetNavError], int], ...] = (
    (CsrfError, 403),
    (CaseNotFoundError, 404),
    (SavedCaseNotFoundError, 404),
    (CaseNameTakenError, 409),
    (FileTooLargeError, 413),
    (UnsupportedFormatError, 415),
    (DecodeError, 422),
    (CorruptFileError, 422),
    (NoTextLayerError, 422),
    (EmptyDocumentError, 422),
    (InvalidQuestionError, 422),
    (JobNotFoundError, 404),
    (JobElsewhereError, 409),
    (DocumentNotFoundError, 404),
    (JobQueueFullError, 429),
    (JobFailedError, 422),
)


def status_for(exc: NetNavError) -> int:
    if isinstance(exc, StoreUnavailable):
        return 503
    if exc.exit_code != 2:
        return 500
    for cls, code in _STATUS:
        if isinstance(exc, cls):
            return code
    return 400


def message_for(exc: Exception) -> str:
    if isinstance(exc, StoreUnavailable):
        return UNAVAILABLE
    if isinstance(exc, NetNavError) and exc.exit_code == 2:
        return " ".join(str(exc).split())
    return GENERIC


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _respond(request: Request, status: int, message: str) -> Response:
    html_error: HtmlError | None = getattr(request.app.state, "html_error", None)
    if _wants_json(request) or html_error is None:
        return JSONResponse({"detail": message}, status_code=status)
    return html_error(request, status, message)


def respond(request: Request, status: int, message: str) -> Response:
    """An error response: JSON under /api/, the web's error page elsewhere (when one was installed)."""
    return _respond(request, status, message)


def install(app: FastAPI, html_error: HtmlError | None = None) -> None:
    """Register the handlers; `html_error(request, status, message)` renders errors outside /api/."""
    app.state.html_error = html_error

    @app.exception_handler(NetNavError)
    async def netnav_error(request: Request, exc: NetNavError) -> Response:
        status = status_for(exc)
        if status == 500:
            log.error("internal error (%s) on %s", type(exc).__name__, request.url.path)
        if status == 503:
            return unavailable(request)
        return _respond(request, status, message_for(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = "page not found" if exc.status_code == 404 else str(exc.detail)
        response = _respond(request, exc.status_code, message)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return _respond(request, 422, f"invalid request: {where}: {first.get('msg', 'invalid value')}")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        if is_connection_loss(exc):
            return unavailable(request)
        return internal_error(request, exc)


def is_connection_loss(exc: BaseException) -> bool:
    """A PostgreSQL connection that failed or was lost (psycopg OperationalError, e.g. server gone, or
    psycopg_pool PoolTimeout: no connection could be had in time). psycopg is only imported if the
    PostgreSQL backend already imported it."""
    if isinstance(exc, StoreUnavailable):
        return True
    psycopg = sys.modules.get("psycopg")
    pool = sys.modules.get("psycopg_pool")
    return (psycopg is not None and isinstance(exc, psycopg.OperationalError)) or (
        pool is not None and isinstance(exc, pool.PoolTimeout)
    )


def unavailable(request: Request) -> Response:
    """503 with Retry-After: the database cannot be reached; the request changed nothing."""
    log.warning("database unavailable on %s", request.url.path)
    response = _respond(request, 503, UNAVAILABLE)
    response.headers["Retry-After"] = RETRY_AFTER_S
    return response


def internal_error(request: Request, exc: Exception) -> Response:
    """A generic 500; only the exception's type is logged (its message may quote a report)."""
    log.error("internal error (%s) on %s", type(exc).__name__, request.url.path)
    return _respond(request, 500, GENERIC)


def too_large(request: Request) -> Response:
    return _respond(
        request, 413, f"request too large: each file may be at most {settings.MAX_FILE_BYTES} bytes"
    )
