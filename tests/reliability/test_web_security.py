"""Web and API abuse: stored XSS rendered inert, path traversal in names, oversized uploads, token off loopback.

Complements tests/api (one payload each) with a battery of payloads checked structurally: the HTML of every
page that shows user or document text is parsed and must contain no script, event handler, javascript: URL
or embedded object that came from the payload, and no template expression evaluated.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

pytest.importorskip("fastapi")
try:
    from netnav.app import create_app
except ImportError as exc:  # the API lands with issue 7; without it there is nothing to attack
    pytest.skip(f"netnav.app.create_app is not available: {exc}", allow_module_level=True)

from fastapi.testclient import TestClient

from netnav.testing import netnav_command
from tests.csrf import CsrfClient

PAYLOADS = [
    "<script>alert('s1')</script>",
    "<img src=x onerror=alert('s2')>",
    "\"><svg onload=alert('s3')>",
    "'><iframe src=javascript:alert('s4')></iframe>",
    "</title></textarea><script>alert('s5')</script>",
    "<a href=\"javascript:alert('s6')\">click</a>",
    "[click](javascript:alert('s7'))",
    "<object data=\"data:text/html,<script>alert('s8')</script>\"></object>",
    "{{ 7*7 }}SSTI9 {% raw %}x{% endraw %}",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('s10')>",
]
DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "base",
    "form",
    "meta",
    "link",
    "style",
}


class _Scan(HTMLParser):
    """Collects the markup that could run code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and (values.get("src") or "").startswith("/static/"):
            return
        if tag in ("link", "meta", "form") and not any("alert" in (v or "") for v in values.values()):
            return  # the page's own stylesheet, charset/viewport and forms
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            low = (value or "").strip().lower()
            if name.startswith("on") or low.startswith(("javascript:", "data:text/html", "vbscript:")):
                self.problems.append(f"<{tag} {name}={value!r}>")


def assert_inert(html: str) -> None:
    scan = _Scan()
    scan.feed(html)
    assert scan.problems == [], f"live markup from user/document text: {scan.problems[:3]}"
    assert "49SSTI9" not in html, "a template expression in user text was evaluated"
    raw = [p for p in PAYLOADS if "<" in p and p in html]
    assert raw == [], f"payload appears unescaped: {raw[:2]}"


@pytest.fixture(scope="module")
def web_home(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("web-sec") / "home"
    shutil.copytree(built_home, home, ignore=shutil.ignore_patterns("cases", "uploads"))
    return home


@pytest.fixture(scope="module")
def client(web_home: Path) -> Iterator[TestClient]:
    with CsrfClient(create_app(web_home)) as c:
        yield c


def test_stored_xss_in_uploaded_reports_is_inert(client: TestClient) -> None:
    lines = ["SURGICAL PATHOLOGY REPORT", "Diagnosis: well-differentiated neuroendocrine tumor, grade 2"]
    lines += [
        f"Ki-67 proliferation index: 15% {p}" if i == 0 else f"Note {i}: {p}" for i, p in enumerate(PAYLOADS)
    ]
    report = "\n".join(lines) + "\n"
    r = client.post(
        "/api/cases", files=[("files", ("<img src=x onerror=alert(1)>.txt", report.encode(), "text/plain"))]
    )
    assert r.status_code == 201, r.text[:300]
    case = r.json()
    assert "<" not in case["fields"]["ki67_percent"]["source"], "the upload's name must be sanitised"
    for audience in ("patient", "clinician"):
        html = client.get(f"/cases/{case['case_id']}", params={"audience": audience}).text
        assert_inert(html)
        assert "&lt;script&gt;alert(" in html, "the page must show the report line, escaped"
    assert_inert(client.get("/upload").text)


def test_stored_xss_in_ingested_documents_is_inert(client: TestClient) -> None:
    body = "\n\n".join(
        f"Lanreotide and octreotide control carcinoid syndrome flushing {p} in many patients."
        for p in PAYLOADS
    )
    files = [
        (
            "files",
            (
                "evil-notes.md",
                f"# Carcinoid notes {PAYLOADS[0]} {PAYLOADS[8]}\n\n{body}\n".encode(),
                "text/markdown",
            ),
        ),
        (
            "files",
            (
                '"><svg onload=alert(1)>.txt',
                f"Octreotide for carcinoid crisis {PAYLOADS[1]}.\n".encode(),
                "text/plain",
            ),
        ),
    ]
    r = client.post("/api/documents", files=files, data={"kind": "guideline"})
    assert r.status_code == 200 and r.json()["added"] == 2, r.text[:300]
    answer = client.post(
        "/api/ask",
        json={"question": "Does lanreotide control carcinoid syndrome flushing?", "audience": "clinician"},
    ).json()
    assert any("Carcinoid notes" in c["title"] for c in answer["citations"]), (
        "the hostile document must be cited"
    )
    sources = client.get("/sources").text
    assert_inert(sources)
    assert "Carcinoid notes" in sources and "{{ 7*7 }}SSTI9" in sources, (
        "the hostile title must be listed as text"
    )
    for audience in ("patient", "clinician"):
        assert_inert(
            client.post(
                "/ask",
                data={"q": "Does lanreotide control carcinoid syndrome flushing?", "audience": audience},
            ).text
        )


def test_question_echo_is_inert(client: TestClient) -> None:
    for payload in PAYLOADS:
        r = client.post("/ask", data={"q": f"What is a carcinoid tumor? {payload}"})
        assert r.status_code in (200, 400, 422)
        assert_inert(r.text)
    r = client.get("/login", params={"next": "javascript:alert('s11')"})
    assert_inert(r.text)


TRAVERSAL_NAMES = [
    "../../../../escape-1.txt",
    "..\\..\\..\\escape-2.txt",
    "/tmp/escape-3.txt",
    "....//....//escape-4.txt",
    "%2e%2e%2fescape-5.txt",
    "C:\\Windows\\escape-6.txt",
    "escape-7.txt\x00.pdf",
    "./../escape-8.txt",
]


def test_path_traversal_names_never_escape_the_home(client: TestClient, web_home: Path) -> None:
    roots = [web_home.parent, web_home.parent.parent, Path("/tmp")]
    before = {p for root in roots for p in root.glob("escape-*")}
    for i, name in enumerate(TRAVERSAL_NAMES):
        report = f"Ki-67 index: {i + 3}%\nWell-differentiated neuroendocrine tumour, grade 2.\n".encode()
        up = client.post("/api/cases", files=[("files", (name, report, "text/plain"))])
        assert up.status_code in (201, 400, 415, 422), up.text[:200]
        if up.status_code == 201:
            source = up.json()["fields"]["ki67_percent"]["source"]
            assert "/" not in source and "\\" not in source and ".." not in source and "\x00" not in source
        doc = f"Somatostatin analogue diary entry {i} about octreotide dosing {name!r}.\n".encode()
        r = client.post("/api/documents", files=[("files", (name, doc, "text/plain"))])
        assert r.status_code in (200, 400, 415, 422), r.text[:200]
        for item in r.json().get("items", []) if r.status_code == 200 else []:
            assert ".." not in Path(item["path"]).name and "\x00" not in item["path"]
    after = {p for root in roots for p in root.glob("escape-*")}
    assert after == before, f"files written outside the home: {sorted(after - before)}"
    for path in web_home.rglob("*"):
        assert path.resolve().is_relative_to(web_home.resolve())
    for bad in ["../../etc/passwd", "..%2F..%2Fnetnav.sqlite3", "%00", "x" * 300]:
        r = client.get(f"/api/cases/{bad}")
        assert r.status_code in (400, 404, 422), (bad, r.status_code)
    r = client.get("/static/../netnav.sqlite3")
    assert r.status_code == 404 or b"SQLite format" not in r.content
    r = client.get("/static/%2e%2e/netnav.sqlite3")
    assert r.status_code == 404 or b"SQLite format" not in r.content


def test_oversized_uploads_are_refused(
    client: TestClient, web_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netnav import settings

    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 256 * 1024)
    big = b"Ki-67 15%\n" + b"x" * (256 * 1024)
    docs_before = client.get("/api/sources").json()
    r = client.post("/api/cases", files=[("files", ("big.txt", big, "text/plain"))])
    assert r.status_code == 413, r.status_code
    r = client.post("/api/documents", files=[("files", ("big.txt", big, "text/plain"))])
    assert r.status_code == 413, r.status_code
    assert client.get("/api/sources").json() == docs_before
    r = client.post(
        "/api/documents",
        content=b"x",
        headers={"content-length": str(10**12), "content-type": "multipart/form-data; boundary=x"},
    )
    assert r.status_code == 413


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow  # starts the command line in subprocesses
def test_serve_refuses_public_address_without_token(tmp_path: Path) -> None:
    netnav = netnav_command()
    env = {k: v for k, v in __import__("os").environ.items() if k != "NETNAV_TOKEN"}
    for host in ("0.0.0.0", "::", "192.0.2.10"):
        proc = subprocess.run(
            [*netnav, "serve", "--host", host, "--port", str(_free_port()), "--home", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )
        assert proc.returncode == 2, (host, proc.stderr[-300:])
        assert "NETNAV_TOKEN" in proc.stderr


@pytest.mark.slow  # starts a server subprocess
def test_served_api_with_token_refuses_requests_without_it(web_home: Path) -> None:
    import os

    netnav = netnav_command()
    port = _free_port()
    token = "s3cret-token-for-test"
    proc = subprocess.Popen(
        [*netnav, "serve", "--port", str(port), "--home", str(web_home)],
        env={**os.environ, "NETNAV_TOKEN": token},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read()[-500:] if proc.stderr else ""
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)
        body = {"question": "What is a carcinoid tumor?"}
        assert httpx.post(base + "/api/ask", json=body, timeout=30).status_code == 401
        assert (
            httpx.post(
                base + "/api/ask", json=body, timeout=30, headers={"Authorization": "Bearer wrong"}
            ).status_code
            == 401
        )
        assert httpx.get(base + "/api/sources", timeout=30).status_code == 401
        assert httpx.get(base + "/sources", timeout=30, follow_redirects=False).status_code in (303, 401)
        ok = httpx.post(
            base + "/api/ask", json=body, timeout=60, headers={"Authorization": f"Bearer {token}"}
        )
        assert ok.status_code == 200 and ok.json()["citations"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_hostile_questions_through_the_api_are_answered_or_refused(client: TestClient) -> None:
    from tests.reliability.test_query_injection import HOSTILE

    for question in HOSTILE:
        r = client.post("/api/ask", json={"question": question, "audience": "clinician"})
        assert r.status_code in (200, 400, 422), (question[:40], r.status_code, r.text[:200])
        if r.status_code == 200:
            body = r.json()
            assert body["abstained"] or all(s["citations"] for s in body["summary"])
    for bad in (
        {"question": "NET?", "audience": "'; DROP TABLE documents; --"},
        {"question": 5},
        {"question": "NET?", "case_id": "../../../etc/passwd"},
        {"question": "NET?", "extra": 1},
    ):
        r = client.post("/api/ask", json=bad)
        assert r.status_code in (400, 404, 422), (bad, r.status_code)
    assert client.get("/api/health").status_code == 200
