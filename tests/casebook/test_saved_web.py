"""Saved cases over HTTP (REST and web pages, test client): create, reopen after a restart, add a report,
correct, timeline SVG, visit summary PDF/Markdown, and isolation between tokens."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import copy_home, make_client
from tests.casebook.reports import FIRST, SECOND


@pytest.fixture(scope="module")
def home(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_home(built_home, tmp_path_factory.mktemp("saved") / "home")


@pytest.fixture()
def web(home: Path) -> Iterator[TestClient]:
    with make_client(home) as client:
        yield client


def _create(client: TestClient, name: str, report: str = FIRST) -> str:
    r = client.post(
        "/my-cases",
        data={"name": name},
        files=[("files", ("first.txt", report.encode(), "text/plain"))],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    match = re.fullmatch(r"/my-cases/(sc-[0-9a-f]{16})", r.headers["location"])
    assert match
    return match.group(1)


def test_web_case_lifecycle_survives_a_restart(home: Path) -> None:
    with make_client(home) as web:
        case_id = _create(web, "Dad – pancreatic NET")
        page = web.get(f"/my-cases/{case_id}").text
        assert "Dad – pancreatic NET" in page and 'id="field-ki67_percent"' in page
        r = web.post(
            f"/my-cases/{case_id}/reports",
            files=[("files", ("second.txt", SECOND.encode(), "text/plain"))],
            follow_redirects=False,
        )
        assert r.status_code == 303
    with make_client(home) as again:  # a new app on the same data home = a server restart
        listing = again.get("/my-cases").text
        assert f'href="/my-cases/{case_id}"' in listing and "2 reports" in listing
        r = again.post(
            f"/my-cases/{case_id}/values/ki67_percent",
            data={"action": "correct", "value": "22"},
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"].endswith("#field-ki67_percent")
        page = again.get(f"/my-cases/{case_id}").text
        assert "corrected by you" in page and "Ki-67 index: 25%" in page  # original line beside the fix
        assert "Earlier values" in page
        svg = again.get(f"/my-cases/{case_id}/timeline.svg")
        assert svg.headers["content-type"].startswith("image/svg+xml") and "G3" in svg.text
        pdf = again.get(f"/my-cases/{case_id}/summary.pdf")
        assert pdf.headers["content-type"] == "application/pdf"
        from pypdf import PdfReader

        text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
        assert "Visit summary: Dad – pancreatic NET" in text and "22%" in text
        md = again.get(f"/my-cases/{case_id}/summary.md").text
        assert md.startswith("# Visit summary: Dad – pancreatic NET") and "Generated " in md
        r = again.post(f"/my-cases/{case_id}/delete", follow_redirects=False)
        assert r.status_code == 303
        assert again.get(f"/my-cases/{case_id}").status_code == 404


def test_rest_api_for_saved_cases(web: TestClient) -> None:
    r = web.post(
        "/api/saved-cases",
        data={"name": "Mum"},
        files=[("files", ("first.txt", FIRST.encode(), "text/plain"))],
    )
    assert r.status_code == 201, r.text
    case_id = r.json()["case"]["id"]
    assert r.json()["profile"]["fields"]["ki67_percent"]["value"] == 12
    assert web.post("/api/saved-cases", data={"name": "mum"}).status_code == 409
    r = web.post(
        f"/api/saved-cases/{case_id}/reports", files=[("files", ("b.txt", SECOND.encode(), "text/plain"))]
    )
    ki67 = r.json()["profile"]["fields"]["ki67_percent"]
    assert ki67["value"] == 25 and ki67["history"][0]["value"] == 12
    r = web.put(
        f"/api/saved-cases/{case_id}/corrections/ki67_percent", json={"action": "correct", "value": "x"}
    )
    assert r.status_code == 400 and "needs a number" in r.json()["detail"]
    r = web.put(f"/api/saved-cases/{case_id}/corrections/ki67_percent", json={"action": "confirm"})
    assert r.json()["profile"]["fields"]["ki67_percent"]["user"]["action"] == "confirmed"
    r = web.delete(f"/api/saved-cases/{case_id}/corrections/ki67_percent")
    assert r.json()["profile"]["fields"]["ki67_percent"]["user"] is None
    assert (
        web.patch(f"/api/saved-cases/{case_id}", json={"name": "Mum (2025)"}).json()["name"] == "Mum (2025)"
    )
    assert web.delete(f"/api/saved-cases/{case_id}").status_code == 204
    assert web.get(f"/api/saved-cases/{case_id}").status_code == 404


def test_token_b_cannot_see_or_touch_token_a_cases(home: Path) -> None:
    with make_client(home, "token-A-for-tests") as a, make_client(home, "token-B-for-tests") as b:
        a.headers["Authorization"] = "Bearer token-A-for-tests"
        b.headers["Authorization"] = "Bearer token-B-for-tests"
        r = a.post(
            "/api/saved-cases", data={"name": "A's case"}, files=[("files", ("r.txt", FIRST.encode()))]
        )
        case_id = r.json()["case"]["id"]
        assert [c["id"] for c in a.get("/api/saved-cases").json()] == [case_id]
        assert all(c["id"] != case_id for c in b.get("/api/saved-cases").json())
        assert b.get(f"/api/saved-cases/{case_id}").status_code == 404
        assert b.delete(f"/api/saved-cases/{case_id}").status_code == 404
        assert b.patch(f"/api/saved-cases/{case_id}", json={"name": "mine"}).status_code == 404
        assert (
            b.put(
                f"/api/saved-cases/{case_id}/corrections/ki67_percent", json={"action": "confirm"}
            ).status_code
            == 404
        )
        assert b.get(f"/my-cases/{case_id}").status_code == 404
        assert b.get(f"/my-cases/{case_id}/summary.pdf").status_code == 404
        assert case_id not in b.get("/my-cases").text
        assert a.get(f"/api/saved-cases/{case_id}").status_code == 200  # still there, untouched


def test_api_docs_work_offline(web: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        html = web.get(path).text
        assert "cdn." not in html and "fonts.googleapis" not in html and "unpkg" not in html
        assets = re.findall(r'(?:src|href)="(/static-offline-docs/[^"]+)"', html)
        assert assets, path
        for asset in assets:
            assert web.get(asset).status_code == 200, asset
    assert "/api/saved-cases" in web.get("/openapi.json").json()["paths"]


def test_conversation_history_list(web: TestClient) -> None:
    assert 'id="history"' not in web.get("/").text
    web.post("/ask", data={"q": "What is a neuroendocrine tumour?", "conversation": "hist1"})
    web.post("/ask", data={"q": "what about for NEC?", "conversation": "hist1"})
    home = web.get("/").text
    assert 'id="history"' in home and "What is a neuroendocrine tumour?" in home
    assert home.index("What is a neuroendocrine tumour?") < home.index("NEC")
    web.post("/delete")
    assert 'id="history"' not in web.get("/").text


def test_one_error_message_on_every_edge(web: TestClient, home: Path) -> None:
    from typer.testing import CliRunner

    from netnav.cli.app import app

    expected = "no saved case named 'Nobody'"
    cli = CliRunner().invoke(app, ["case", "show", "Nobody", "--home", str(home)])
    assert cli.exit_code == 2 and cli.output.strip() == f"error: {expected}"
    api = web.put("/api/saved-cases/Nobody/corrections/ki67_percent", json={"action": "confirm"})
    assert api.status_code == 404 and api.json() == {"detail": expected}
    page = web.get("/my-cases/Nobody")
    assert page.status_code == 404 and expected.replace("'", "&#39;") in page.text


def test_reports_read_as_a_job_with_progress(web: TestClient) -> None:
    import time

    created = web.post(
        "/api/saved-cases?background=true",
        data={"name": "Job case"},
        files=[("files", ("first.txt", FIRST.encode(), "text/plain"))],
    )
    assert created.status_code == 202, created.text
    job = created.json()
    assert job["kind"] == "case-reports" and job["state"] in ("queued", "running", "done")
    seen_states = set()
    for _ in range(600):
        job = web.get(f"/api/jobs/{job['id']}").json()
        seen_states.add(job["state"])
        if job["state"] in ("done", "failed", "cancelled"):
            break
        time.sleep(0.1)
    assert job["state"] == "done", job
    case_id = json.loads(job["result"])["case_id"]
    assert web.get(f"/api/saved-cases/{case_id}").json()["profile"]["fields"]["ki67_percent"]["value"] == 12
    again = web.post(
        "/api/saved-cases?background=true",
        data={"name": "job CASE"},
        files=[("files", ("first.txt", FIRST.encode(), "text/plain"))],
    )
    assert again.status_code == 409  # refused before any job is queued
    added = web.post(
        f"/api/saved-cases/{case_id}/reports?background=true",
        files=[("files", ("second.txt", SECOND.encode(), "text/plain"))],
    )
    assert added.status_code == 202
    cancelled = web.delete(f"/api/jobs/{added.json()['id']}")
    assert cancelled.status_code == 200
