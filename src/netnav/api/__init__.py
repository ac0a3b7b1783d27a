"""REST API (FastAPI) over the Engine; the web UI is served by the same app (see netnav.web)."""

from __future__ import annotations

from netnav.api.app import create_app

__all__ = ["create_app"]
