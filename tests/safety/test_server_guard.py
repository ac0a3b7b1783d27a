"""Finding 3 (no read timeout: 300 slow sockets made the server unreachable; 189 MB of tracebacks in
45 s): the header timeout, the connection cap and rate-limited logs without exception text."""

from __future__ import annotations

import io
import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from netnav.guard.logs import RateLimitFilter
from netnav.guard.server import GuardedH11Protocol, configure


async def tiny_app(scope: dict[str, object], receive: object, send: object) -> None:
    assert scope["type"] in ("http", "lifespan")
    if scope["type"] == "lifespan":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})  # type: ignore[operator]
    await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(protocol: type[H11Protocol]) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        tiny_app, host="127.0.0.1", port=port, http=protocol, log_config=None, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "test server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture()
def guarded() -> Iterator[str]:
    yield from _serve(configure(header_timeout_s=1.0, max_connections=20))
    configure(10.0, 200)


@pytest.fixture()
def plain() -> Iterator[str]:
    yield from _serve(H11Protocol)


def _slow_sockets(base: str, n: int) -> list[socket.socket]:
    port = int(base.rsplit(":", 1)[1])
    out = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # headers never finish
        out.append(s)
    return out


def _closed_by_server(s: socket.socket, wait: float) -> bool:
    s.settimeout(wait)
    try:
        data = s.recv(1024)
    except TimeoutError:
        return False
    except OSError:
        return True
    return data == b"" or data.startswith(b"HTTP/1.1 503")


def test_slow_header_sockets_are_closed_and_the_server_stays_reachable(guarded: str) -> None:
    sockets = _slow_sockets(guarded, 30)
    try:
        busy = [s for s in sockets[20:] if _closed_by_server(s, 0.5)]
        assert len(busy) >= 9, "connections beyond the cap must be refused at once"
        assert all(_closed_by_server(s, 5.0) for s in sockets[:19]), "slow headers must time out"
        assert httpx.get(guarded + "/", timeout=5).text == "ok"
    finally:
        for s in sockets:
            s.close()


def test_without_the_guard_a_slow_socket_stays_open(plain: str) -> None:
    """The old server's behaviour, kept as the contrast: nothing closes a socket that never finishes."""
    (s,) = _slow_sockets(plain, 1)
    try:
        assert not _closed_by_server(s, 2.0)
    finally:
        s.close()


def test_logs_are_rate_limited_and_carry_no_exception_text() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RateLimitFilter(per_window=5, window_s=60))
    logger = logging.getLogger("netnav.test-flood")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for i in range(1000):
            try:
                raise ValueError(f"Patient note: MARKER-SECRET-{i}")
            except ValueError:
                logger.exception("internal error on /api/cases")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert text.count("internal error") == 5, "1000 records must be cut to the window's 5"
    assert "MARKER-SECRET" not in text and "Traceback" not in text
    assert "(ValueError)" in text
    assert len(text) < 2000


def test_guarded_protocol_is_what_serve_uses(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from typer.testing import CliRunner

    from netnav.cli.app import app

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: seen.update(kw))
    monkeypatch.delenv("NETNAV_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--home", str(tmp_path), "--max-connections", "50"])
    assert result.exit_code == 0, result.output
    assert GuardedH11Protocol.max_connections == 50
    assert seen["http"] is GuardedH11Protocol
    assert seen["log_config"] is None and seen["access_log"] is False
    configure(10.0, 200)
