"""Finding 1 (any website can write into the library; DNS rebinding reaches the API), finding 6 (weak
tokens, unlimited guesses) and the no-store part of finding 4."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from netnav.cli.serve import token_problem
from netnav.guard.origin import allowed_hosts
from tests.api.helpers import make_client
from tests.csrf import CsrfClient

DOC = (
    "files",
    ("fake-guideline.md", b"# Fake guideline\n\nLanreotide cures every tumour at once.\n", "text/markdown"),
)
EVIL = "https://evil.example"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": EVIL},
        {"Origin": "null"},
        {"Referer": EVIL + "/page.html"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://127.0.0.1:9"},  # another port on this machine is another site
    ],
)
def test_cross_site_writes_are_refused(client: TestClient, headers: dict[str, str]) -> None:
    before = client.get("/api/sources").json()
    r = client.post("/api/documents", files=[DOC], data={"kind": "guideline"}, headers=headers)
    assert r.status_code == 403, r.text[:200]
    assert client.get("/api/sources").json() == before, "nothing may be written"
    assert client.delete("/api/cases", headers=headers).status_code == 403
    assert client.post("/api/ask", json={"question": "What is a NET?"}, headers=headers).status_code == 403
    page = client.post("/delete", headers=headers)
    assert page.status_code == 403 and "cross-site" in page.text


def test_same_site_and_non_browser_writes_pass(client: TestClient) -> None:
    same = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    assert client.post("/api/ask", json={"question": "What is a NET?"}, headers=same).status_code == 200
    assert client.post("/api/ask", json={"question": "What is a NET?"}).status_code == 200  # curl, CLI
    # Chromium's plain same-origin form POST under Referrer-Policy: no-referrer carries Origin: null
    chromium_form = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    assert (
        client.post("/api/ask", json={"question": "What is a NET?"}, headers=chromium_form).status_code == 200
    )


def test_host_header_must_be_an_allowed_name(api_home: Path) -> None:
    """DNS rebinding: a page whose own name now resolves to 127.0.0.1 still sends that name as Host."""
    from netnav.app import create_app

    hosts = allowed_hosts("127.0.0.1")
    with CsrfClient(create_app(api_home, hosts=hosts), base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/health").status_code == 200
        assert c.get("/api/sources", headers={"Host": "localhost:8000"}).status_code == 200
        for bad in ("attacker.example", "attacker.example:8000", "127.0.0.1.nip.io"):
            r = c.get("/api/sources", headers={"Host": bad})
            assert r.status_code == 421, (bad, r.status_code)


def test_personal_pages_are_not_cached(client: TestClient) -> None:
    for path in ("/", "/api/sources", "/delete"):
        assert client.get(path).headers["cache-control"] == "no-store", path
    r = client.post("/api/ask", json={"question": "What is a NET?"})
    assert r.headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/static/style.css").headers.get("cache-control", "")


@pytest.mark.parametrize(
    ("token", "ok"),
    [
        ("x", False),
        ("short-token", False),
        ("aaaaaaaaaaaaaaaaaaaaaaaa", False),
        ("1212121212121212", False),
        ("s3cret-token-for-tests", True),
        ("Zq8_Vb1-Lr0yWm3nQk7tXa", True),
    ],
)
def test_token_strength(token: str, ok: bool) -> None:
    assert (token_problem(token) is None) is ok


def test_failed_token_guesses_are_rate_limited(api_home: Path) -> None:
    token = "s3cret-token-for-tests"
    with make_client(api_home, token) as c:
        codes = [
            c.get("/api/sources", headers={"Authorization": f"Bearer guess-{i}"}).status_code
            for i in range(12)
        ]
        assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
        right = c.get("/api/sources", headers={"Authorization": f"Bearer {token}"})
        assert right.status_code == 429, "even the right token waits out the window after 10 failures"
        assert c.post("/login", data={"token": token, "next": "/"}, follow_redirects=False).status_code == 429
