"""Anti-forgery (CSRF) tokens on every state-changing route, besides the Origin/Referer checks of
netnav.guard.origin (which a browser bug, a missing header or a same-site page on another port might
let through).

Synchronizer token, stateless: token = SessionSigner.csrf_token(session id) (an HMAC of the session id
under the server key). The security middleware puts it on `request.state.csrf` and in the response
header `X-CSRF-Token`; every page carries it in `<meta name="csrf-token">` and in a hidden `csrf_token`
field of each form; the page script sends it as the `X-CSRF-Token` header on its fetch calls.

`require_csrf` is an app-wide dependency, so every POST/PUT/PATCH/DELETE route has it, including routes
added later. It passes when:
- the request carries a valid bearer token (`Authorization: Bearer <NETNAV_TOKEN>`: API clients);
- it is an /api/ request without ambient credentials (neither the session cookie nor the token cookie):
  what a forged cross-site request could borrow is exactly those cookies; a client without them (curl,
  scripts) acts only on a session of its own;
- it is an /api/ request naming its session in the X-NETNav-Session header: a page on another site
  cannot add a custom header without a CORS preflight, which this server never grants;
- it is an /api/ request that no browser sent: no `Origin`, no `Referer` and no `Sec-Fetch-Site`. Every
  current browser sends `Sec-Fetch-Site` (and `Origin` on a POST) with every request, and a page cannot
  remove them, so a forged request always carries them; API clients that keep cookies (httpx.Client,
  requests.Session, scripts) send none and keep working without the token;
- the `X-CSRF-Token` header or the `csrf_token` form field equals the session's token.
Otherwise it raises CsrfError: 403 with a clear page (web) or JSON (API).
"""

from __future__ import annotations

import hmac

from fastapi import Request

from netnav.api.cookies import SESSION_COOKIE, SESSION_HEADER, TOKEN_COOKIE
from netnav.errors import BadInputError
from netnav.guard.origin import UNSAFE_METHODS

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class CsrfError(BadInputError):
    """A state-changing request without this session's anti-forgery token — HTTP 403."""


def _bearer_ok(request: Request, token: str | None) -> bool:
    if not token:
        return False
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _ambient(request: Request) -> bool:
    return bool(request.cookies.get(SESSION_COOKIE) or request.cookies.get(TOKEN_COOKIE))


def _from_browser(request: Request) -> bool:
    headers = request.headers
    return any(headers.get(name) for name in ("origin", "referer", "sec-fetch-site", "sec-fetch-mode"))


def _names_session(request: Request) -> bool:
    return bool(request.headers.get(SESSION_HEADER))


async def _given(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER, "")
    if header:
        return header
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type not in _FORMS:
        return ""
    form = await request.form()  # already parsed (and cached) by the route when it takes form fields
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else ""


async def require_csrf(request: Request) -> None:
    """The app-wide dependency (see the module docstring). Raises CsrfError."""
    if request.method.upper() not in UNSAFE_METHODS:
        return
    token: str | None = request.app.state.netnav.token
    if _bearer_ok(request, token):
        return
    if request.url.path.startswith("/api/") and (
        not _ambient(request) or _names_session(request) or not _from_browser(request)
    ):
        return
    expected: str = getattr(request.state, "csrf", "")
    given = await _given(request)
    if not (expected and given and hmac.compare_digest(given.encode(), expected.encode())):
        raise CsrfError(
            "this form was not sent from NETNav's own page in this session (its security token is "
            "missing or out of date): go back, reload the page and try again"
        )
