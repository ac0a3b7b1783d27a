"""A TestClient that behaves like NETNav's own pages: every write carries the session's anti-forgery
token (netnav.api.csrf), taken from the X-CSRF-Token header of the responses it received (before its
first write to a page route it fetches /api/health to get a session, as a browser first loads a page)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from netnav.api.csrf import CSRF_HEADER
from netnav.guard.origin import UNSAFE_METHODS


class CsrfClient(TestClient):
    csrf: str = ""

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:
        if method.upper() in UNSAFE_METHODS:
            if not self.csrf and not str(url).startswith("/api/"):  # /api/ without cookies needs none
                self._remember(super().request("GET", "/api/health"))
            headers = dict(kwargs.pop("headers", None) or {})
            if not any(k.lower() == CSRF_HEADER.lower() for k in headers):
                headers[CSRF_HEADER] = self.csrf
            kwargs["headers"] = headers
        response = super().request(method, url, **kwargs)
        self._remember(response)
        return response

    def _remember(self, response: Any) -> None:
        token = response.headers.get(CSRF_HEADER)
        if token:
            self.csrf = token
