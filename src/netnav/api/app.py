"""The FastAPI application: REST API under /api, web pages at /, static files at /static."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from netnav import __version__
from netnav.api import errors, security
from netnav.api.state import AppState

DESCRIPTION = (
    "Offline, cited answers about neuroendocrine neoplasms; report reading, rule-based assessment and "
    "trial matching. Information, not medical advice. Cases are stored per session (cookie "
    "`netnav_session`) and deleted with `DELETE /api/cases`. When the server has a token, send "
    "`Authorization: Bearer <token>` on every route except `/api/health`."
)


def create_app(home: Path | None = None, token: str | None = None) -> FastAPI:
    """One Engine per app; the index is brought up to date at startup."""
    from netnav.engine import Engine
    from netnav.web import STATIC_DIR
    from netnav.web.pages import router as web_router

    state = AppState(engine=Engine(home), token=token or None)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(state.startup)
        try:
            yield
        finally:
            state.locked(state.engine.close)

    from fastapi_offline import FastAPIOffline  # Swagger UI / ReDoc assets from the package, never a CDN

    app = FastAPIOffline(title="NETNav", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.netnav = state
    from netnav.api.routes import router as api_router
    from netnav.api.saved import router as saved_router

    app.include_router(api_router)
    app.include_router(saved_router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    errors.install(app)
    security.install(app, state.token)
    return app
