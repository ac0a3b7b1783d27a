"""Token gate, `netnav serve` refusing non-loopback binds without a token, security headers."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from netnav.cli import serve
from tests.api.helpers import QUESTION, make_client

TOKEN = "s3cret-token-for-tests"


def test_token_required_everywhere_but_health(api_home: Path) -> None:
    with make_client(api_home, TOKEN) as c:
        assert c.get("/api/health").status_code == 200
        for path in ("/api/sources", "/api/cases/case-1", "/openapi.json", "/docs"):
            r = c.get(path)
            assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
        assert c.post("/api/ask", json={"question": QUESTION}).status_code == 401
        assert c.delete("/api/cases").status_code == 401
        page = c.get("/sources", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")


def test_bearer_token_opens_the_api(api_home: Path) -> None:
    with make_client(api_home, TOKEN) as c:
        ok = c.get("/api/sources", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200
        wrong = c.get("/api/sources", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401


def test_token_form_sets_cookie(api_home: Path) -> None:
    with make_client(api_home, TOKEN) as c:
        assert c.get("/login").status_code == 200
        bad = c.post("/login", data={"token": "nope", "next": "/sources"}, follow_redirects=False)
        assert bad.status_code == 401
        good = c.post("/login", data={"token": TOKEN, "next": "/sources"}, follow_redirects=False)
        assert good.status_code == 303 and good.headers["location"] == "/sources"
        assert TOKEN not in good.headers["set-cookie"]
        assert c.get("/sources").status_code == 200
        assert c.get("/api/sources").status_code == 200


def test_login_next_cannot_leave_the_site(api_home: Path) -> None:
    with make_client(api_home, TOKEN) as c:
        r = c.post("/login", data={"token": TOKEN, "next": "//evil.example/"}, follow_redirects=False)
        assert r.headers["location"] == "/"


def test_security_headers(client: object) -> None:
    from fastapi.testclient import TestClient

    assert isinstance(client, TestClient)
    r = client.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "netnav_session" in r.headers.get("set-cookie", "") or client.cookies.get("netnav_session")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
        ("::", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert serve.is_loopback(host) is loopback


def _cli() -> typer.Typer:
    app = typer.Typer()
    serve.register(app)

    @app.command()
    def noop() -> None:  # a second command keeps `serve` addressable by name
        return None

    return app


def test_serve_refuses_public_bind_without_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETNAV_TOKEN", raising=False)
    result = CliRunner().invoke(_cli(), ["serve", "--host", "0.0.0.0", "--port", "8765"])
    assert result.exit_code == 2
    assert "NETNAV_TOKEN" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_serve_passes_token_to_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    seen: dict[str, object] = {}

    def fake_run(app: object, **kwargs: object) -> None:
        seen["app"] = app
        seen.update(kwargs)

    monkeypatch.setenv("NETNAV_TOKEN", TOKEN)
    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = CliRunner().invoke(
        _cli(), ["serve", "--host", "0.0.0.0", "--port", "8765", "--home", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert seen["host"] == "0.0.0.0" and seen["port"] == 8765 and seen["access_log"] is False
    assert seen["app"].state.netnav.token == TOKEN  # type: ignore[attr-defined]
