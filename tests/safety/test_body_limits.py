"""Finding 3 (unbounded resources): body limits while streaming (chunked included), JSON depth 422,
deeply nested FHIR exit 2 / 422 — with property tests for the streaming limit and the depth scanner."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from netnav.guard.body import BodyLimitMiddleware
from netnav.ingest.limits import JsonDepthScanner, JsonTooDeepError


def _run(limit: int, chunks: list[bytes], content_type: bytes) -> tuple[int, int]:
    """Drive the middleware (multipart limit `limit`) with `chunks` as a chunked body; returns (status,
    bytes the app received)."""
    received = 0
    sent: list[dict[str, Any]] = []
    queue = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)
    ]

    async def app(scope: Any, receive: Any, send: Any) -> None:
        nonlocal received
        from starlette.exceptions import HTTPException

        try:
            while True:
                message = await receive()
                received += len(message.get("body", b""))
                if not message.get("more_body"):
                    break
            status = 200
        except HTTPException as exc:
            status = exc.status_code
        await send({"type": "http.response.start", "status": status, "headers": []})

    async def receive() -> dict[str, Any]:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "headers": [(b"content-type", content_type)]}  # no content-length: chunked
    asyncio.run(BodyLimitMiddleware(app, multipart_bytes=limit)(scope, receive, send))
    return int(sent[0]["status"]), received


@settings(max_examples=200, deadline=None)
@given(chunks=st.lists(st.binary(max_size=700), max_size=30), limit=st.integers(min_value=0, max_value=4000))
def test_streaming_limit_property(chunks: list[bytes], limit: int) -> None:
    """Whatever the chunking: accepted iff the total is within the limit, and the app never sees more
    than the limit plus the one chunk that crossed it."""
    total = sum(len(c) for c in chunks)
    status, received = _run(limit, chunks or [b""], b"multipart/form-data; boundary=x")
    assert status == (200 if total <= limit else 413)
    assert received <= limit, "the app must never be handed bytes beyond the limit"


def _nested(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


def _true_depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_true_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_true_depth(v) for v in value), default=0)
    return 0


tricky_text = st.text(alphabet=st.sampled_from(list('ab"\\[]{}:, \n\u00e9\u2603')), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | tricky_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(tricky_text, inner, max_size=4),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values, cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=8))
def test_depth_scanner_matches_the_real_depth_for_any_chunking(value: Any, cuts: list[int]) -> None:
    data = json.dumps(value, ensure_ascii=False).encode()
    points = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    scanner = JsonDepthScanner(limit=10_000)
    for a, b in zip(points, points[1:], strict=False):
        scanner.feed(data[a:b])
    assert scanner.max_depth == _true_depth(value)
    assert scanner.depth == 0


@settings(max_examples=50, deadline=None)
@given(depth=st.integers(min_value=0, max_value=200))
def test_depth_limit_property(depth: int) -> None:
    data = json.dumps(_nested(depth)).encode()
    scanner = JsonDepthScanner(limit=64)
    if depth > 64:
        with pytest.raises(JsonTooDeepError):
            scanner.feed(data)
    else:
        scanner.feed(data)


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    head = b'--x\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n'
    yield head
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size
    yield b"\r\n--x--\r\n"


def test_chunked_upload_over_the_limit_is_413(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size limit used to be checked only against Content-Length: a chunked body was read whole."""
    from netnav import settings as netnav_settings

    monkeypatch.setattr(netnav_settings, "MAX_FILE_BYTES", 64 * 1024)
    r = client.post(
        "/api/documents",
        content=_chunks(4 * 1024 * 1024),
        headers={"content-type": "multipart/form-data; boundary=x", "transfer-encoding": "chunked"},
    )
    assert r.status_code == 413, r.text[:200]
    assert "too large" in r.json()["detail"]


def test_deeply_nested_json_body_is_422(client: TestClient) -> None:
    body = '{"question": "What is a NET?", "x": ' + "[" * 50_000 + "]" * 50_000 + "}"
    r = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422 and "nested too deeply" in r.json()["detail"]


def test_oversized_json_body_is_413(client: TestClient) -> None:
    body = json.dumps({"question": "What is a NET?" + " x" * 1_000_000})
    r = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 413


def _deep_fhir() -> bytes:
    inner = "[" * 20_000 + "]" * 20_000
    return ('{"resourceType": "Observation", "status": "final", "extension": ' + inner + "}").encode()


def test_deeply_nested_fhir_upload_is_422(client: TestClient) -> None:
    r = client.post("/api/cases", files=[("files", ("deep.json", _deep_fhir(), "application/json"))])
    assert r.status_code == 422, r.text[:200]
    assert "nested too deeply" in r.json()["detail"]


def test_deeply_nested_fhir_in_the_cli_is_exit_2(tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from netnav.cli.app import app

    path = tmp_path / "deep.json"
    path.write_bytes(_deep_fhir())
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 2, result.output[-300:]
    assert "nested too deeply" in result.output and "Traceback" not in result.output
