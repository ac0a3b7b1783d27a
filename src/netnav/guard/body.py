"""BodyLimitMiddleware: request-body limits enforced while the body streams in.

Content-Length is only a hint: the bytes are counted as they arrive, so a chunked (or lying) body is
refused at the same limit. Limits by content type:
- multipart/form-data (uploads): `multipart_bytes` (default: MAX_FILES x MAX_FILE_BYTES plus framing);
- application/json: `json_bytes` (1 MiB; an ask is at most 2,000 characters) and nesting depth
  `json_depth` (netnav.ingest.limits.MAX_JSON_DEPTH), checked incrementally;
- anything else (forms, empty bodies): `other_bytes` (64 KiB).
Over the limit: HTTP 413; too deep: 422; a body that stalls for `idle_timeout_s` between chunks or takes
longer than `body_timeout_s` in total: 408. The errors are starlette HTTPExceptions raised from
`receive`, so the app's own error handlers render them (JSON under /api, an HTML page elsewhere).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from netnav.ingest.limits import MAX_JSON_DEPTH, JsonDepthScanner, JsonTooDeepError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


MAX_UPLOAD_FILES = 20  # the same number as netnav.api.uploads.MAX_FILES (files per upload)


def default_multipart_bytes() -> int:
    """Room for MAX_UPLOAD_FILES files of settings.MAX_FILE_BYTES each, plus multipart framing."""
    from netnav import settings

    return MAX_UPLOAD_FILES * (settings.MAX_FILE_BYTES + 16 * 1024)


class BodyLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        multipart_bytes: int | None = None,
        json_bytes: int = 1024 * 1024,
        other_bytes: int = 64 * 1024,
        json_depth: int = MAX_JSON_DEPTH,
        idle_timeout_s: float = 30.0,
        body_timeout_s: float = 300.0,
    ) -> None:
        self.app = app
        self.multipart_bytes = multipart_bytes
        self.json_bytes = json_bytes
        self.other_bytes = other_bytes
        self.json_depth = json_depth
        self.idle_timeout_s = idle_timeout_s
        self.body_timeout_s = body_timeout_s

    def limit_for(self, content_type: str) -> int:
        if content_type.startswith("multipart/"):
            return self.multipart_bytes if self.multipart_bytes is not None else default_multipart_bytes()
        if content_type.startswith("application/json") or content_type.endswith("+json"):
            return self.json_bytes
        return self.other_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        content_type = headers.get("content-type", "").lower()
        limit = self.limit_for(content_type)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self.app(scope, _refusing_receive(limit), send)
            return
        scanner = JsonDepthScanner(self.json_depth) if "json" in content_type else None
        await self.app(scope, self._limited(receive, limit, scanner), send)

    def _limited(self, receive: Receive, limit: int, scanner: JsonDepthScanner | None) -> Receive:
        total = 0
        deadline = time.monotonic() + self.body_timeout_s

        async def limited_receive() -> Message:
            nonlocal total
            wait = min(self.idle_timeout_s, max(0.0, deadline - time.monotonic()))
            try:
                message = await asyncio.wait_for(receive(), timeout=wait)
            except TimeoutError as exc:
                raise HTTPException(408, "the request body arrived too slowly") from exc
            if message["type"] == "http.request":
                body: bytes = message.get("body", b"")
                total += len(body)
                if total > limit:
                    raise HTTPException(413, too_large_message(limit))
                if scanner is not None:
                    try:
                        scanner.feed(body)
                    except JsonTooDeepError as exc:
                        raise HTTPException(422, str(exc)) from exc
            return message

        return limited_receive


def too_large_message(limit: int) -> str:
    return f"request too large: the limit for this request is {limit} bytes"


def _refusing_receive(limit: int) -> Receive:
    async def receive() -> Message:
        raise HTTPException(413, too_large_message(limit))

    return receive
