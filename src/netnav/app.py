"""The served application: the REST API under /api and the web pages at /, over one Engine.

It sits above both `netnav.api` and `netnav.web`: it mounts their routers and hands the web error page to
the API's error handlers, so neither package needs to import the app or (for the API) the web UI.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline  # Swagger UI / ReDoc assets from the package, never a CDN
from starlette.concurrency import run_in_threadpool

from netnav import __version__
from netnav.api import errors, security
from netnav.api.asked import SharedAskedAnswers
from netnav.api.csrf import require_csrf
from netnav.api.mydata import router as mydata_router
from netnav.api.routes import router as api_router
from netnav.api.saved import router as saved_router
from netnav.api.state import AppState
from netnav.engine import Engine
from netnav.guard.body import BodyLimitMiddleware
from netnav.guard.sessions import SessionSigner
from netnav.web import STATIC_DIR
from netnav.web.pages import router as web_router
from netnav.web.render import error_page

DESCRIPTION = (
    "Offline, cited answers about neuroendocrine neoplasms; report reading, rule-based assessment and "
    "trial matching. Information, not medical advice. Cases are stored per session (cookie "
    "`netnav_session`) and deleted with `DELETE /api/cases`. When the server has a token, send "
    "`Authorization: Bearer <token>` on every route except `/api/health`."
)


def create_app(
    home: Path | None = None,
    token: str | None = None,
    engine: Engine | None = None,
    hosts: frozenset[str] | None = None,
) -> FastAPI:
    """One Engine per app (built from `home` unless given); the index is brought up to date at startup.
    `hosts`: the Host names to answer for (netnav serve passes netnav.guard.origin.allowed_hosts); None =
    any (in-process use)."""
    state = AppState(engine=engine or Engine(home), token=token or None)
    records = state.engine.answer_records()
    if records is not None:  # several server processes: web answers by id live in the database
        state.asked = SharedAskedAnswers(records)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(state.startup)
        try:
            yield
        finally:
            state.shutdown()

    app = FastAPIOffline(
        title="NETNav",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(require_csrf)],  # every state-changing route, including later ones
    )
    app.state.netnav = state
    app.include_router(api_router)
    app.include_router(saved_router)
    app.include_router(mydata_router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    errors.install(app, html_error=error_page)
    # Inside the security gate (a BaseHTTPMiddleware, which would wrap our errors raised from `receive`
    # in an exception group): bodies are counted as they stream in, before any parser sees them.
    app.add_middleware(BodyLimitMiddleware)
    security.install(app, state.token, SessionSigner.for_home(state.engine.settings.home), hosts)
    return app


#: Environment through which `netnav serve --workers N` hands its options to each worker process
#: (uvicorn starts the workers and calls `create_app_from_env` in each).
SERVE_HOSTS_ENV = "NETNAV_SERVE_HOSTS"
SERVE_HEADER_TIMEOUT_ENV = "NETNAV_SERVE_HEADER_TIMEOUT"
SERVE_MAX_CONNECTIONS_ENV = "NETNAV_SERVE_MAX_CONNECTIONS"


def create_app_from_env() -> FastAPI:
    """The app of one worker process of `netnav serve --workers N`: home (NETNAV_HOME), database
    (NETNAV_DATABASE_URL), token (NETNAV_TOKEN), allowed hosts and connection guards from the
    environment the parent set. Each worker has its own Engine; they share the database."""
    from netnav.guard.server import configure

    configure(
        float(os.environ.get(SERVE_HEADER_TIMEOUT_ENV, "10") or 10),
        int(os.environ.get(SERVE_MAX_CONNECTIONS_ENV, "200") or 200),
    )
    hosts = os.environ.get(SERVE_HOSTS_ENV)
    allowed = frozenset(h for h in hosts.split(",") if h) if hosts is not None else None
    return create_app(None, os.environ.get("NETNAV_TOKEN") or None, hosts=allowed)
