"""Session cookie, optional bearer-token gate and security headers (one HTTP middleware)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from netnav import settings
from netnav.api import uploads
from netnav.api.cookies import SESSION_COOKIE, SESSION_HEADER, TOKEN_COOKIE
from netnav.api.csrf import CSRF_HEADER
from netnav.api.errors import internal_error, respond, too_large
from netnav.guard.attempts import FailureLimiter
from netnav.guard.origin import cross_site_write, host_ok
from netnav.guard.sessions import SessionSigner

OPEN_PATHS = frozenset({"/api/health", "/login"})
OPEN_PREFIXES = ("/static/",)  # public CSS/JS only: no data is served there
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
Handler = Callable[[Request], Awaitable[Response]]
# names re-exported for the routes and tests that import them from here
__all__ = ["SESSION_COOKIE", "SESSION_HEADER", "TOKEN_COOKIE", "cookie_value", "install", "token_ok"]


def cookie_value(token: str) -> str:
    """What the token form stores in the cookie: a digest, not the token itself."""
    return hashlib.sha256(("netnav-cookie:" + token).encode("utf-8")).hexdigest()


def token_ok(request: Request, token: str) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    cookie = request.cookies.get(TOKEN_COOKIE, "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), cookie_value(token).encode())


def _is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def _refuse(request: Request) -> Response:
    if request.url.path.startswith("/api/") or request.url.path in ("/docs", "/openapi.json", "/redoc"):
        return JSONResponse(
            {"detail": "a valid token is required (Authorization: Bearer <token>)"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def _too_large(request: Request) -> bool:
    """Refuse bodies over MAX_FILES files of the size limit before they are spooled to disk."""
    declared = request.headers.get("content-length", "")
    return declared.isdigit() and int(declared) > uploads.MAX_FILES * (settings.MAX_FILE_BYTES + 16 * 1024)


def _plain(request: Request, status: int, message: str) -> Response:
    return respond(request, status, message)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _presented(request: Request) -> bool:
    return bool(request.headers.get("authorization") or request.cookies.get(TOKEN_COOKIE))


def _headers(response: Response, path: str) -> None:
    if not path.startswith(OPEN_PREFIXES):  # answers, cases, sources: personal, never stored by caches
        response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if path not in ("/docs", "/redoc"):
        response.headers.setdefault("Content-Security-Policy", _CSP)


def _precheck(request: Request, token: str | None, hosts: frozenset[str] | None) -> Response | None:
    """Host, cross-site writes, token (with its failure rate limit): a refusal, or None to go on."""
    headers = {k.lower(): v for k, v in request.headers.items()}
    if not host_ok(headers, hosts):
        return _plain(request, 421, "this server does not answer for that host name")
    if cross_site_write(request.method, headers):
        return _plain(request, 403, "cross-site request refused: submit the form from NETNav's own pages")
    path = request.url.path
    limiter: FailureLimiter = request.app.state.token_failures
    if token and not _is_open(path):
        if limiter.blocked(_client(request)):
            return _plain(request, 429, "too many failed token attempts: wait a minute and try again")
        if not token_ok(request, token):
            if _presented(request):
                limiter.failed(_client(request))
            return _refuse(request)
    return None


def install(
    app: FastAPI, token: str | None, signer: SessionSigner, hosts: frozenset[str] | None = None
) -> None:
    """`signer` issues and verifies session ids (netnav.guard.sessions); `hosts`: allowed Host names
    (netnav.guard.origin.allowed_hosts), None = no Host check."""
    app.state.token_failures = FailureLimiter()

    @app.middleware("http")
    async def gate(request: Request, call_next: Handler) -> Response:
        path = request.url.path
        refusal = _precheck(request, token, hosts)
        if refusal is not None:
            _headers(refusal, path)
            return refusal
        if _too_large(request):
            response = too_large(request)
            _headers(response, path)
            return response
        given = request.headers.get(SESSION_HEADER) or request.cookies.get(SESSION_COOKIE)
        session = signer.verify(given)
        fresh = session is None
        cookie = ""
        if session is None:  # none, or not one this server issued: a new one (no session fixation)
            session, cookie = signer.issue()
        request.state.session = session
        request.state.csrf = signer.csrf_token(session)  # netnav.api.csrf
        try:
            response = await call_next(request)
        except Exception as exc:  # noqa: BLE001 - last line of defence; messages may quote user input
            response = internal_error(request, exc)
        response.headers[CSRF_HEADER] = request.state.csrf
        if fresh:
            response.headers[SESSION_HEADER] = cookie  # for API clients that keep no cookies
            response.set_cookie(
                SESSION_COOKIE,
                cookie,
                httponly=True,
                samesite="lax",
                max_age=60 * 60 * 24 * 30,
            )
        _headers(response, path)
        return response
