"""Nothing from a report reaches the logs; report and source text is rendered inert (HTML-escaped)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import MARKER, QUESTION, REPORT, XSS, XSS_REPORT
from tests.csrf import CsrfClient

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _log_text(records: list[logging.LogRecord]) -> str:
    parts = []
    for record in records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        parts.append(record.exc_text or "")
        if record.exc_info and record.exc_info[1] is not None:
            parts.append(repr(record.exc_info[1]))
    return "\n".join(parts)


def test_report_content_never_logged(
    api_home: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netnav.app import create_app

    caplog.set_level(logging.DEBUG)
    with CsrfClient(create_app(api_home), raise_server_exceptions=False) as c:
        up = c.post("/api/cases", files=[("files", (f"{MARKER}.txt", REPORT.encode(), "text/plain"))])
        assert up.status_code == 201
        case_id = up.json()["case_id"]
        assert MARKER in up.text  # the marker really went through the pipeline
        assert c.get(f"/cases/{case_id}").status_code == 200
        assert c.get(f"/api/cases/{case_id}/assessment").status_code == 200
        assert c.post("/api/ask", json={"question": QUESTION, "case_id": case_id}).status_code == 200
        bad = c.post(
            "/api/cases", files=[("files", ("r.txt", (MARKER + "\x00").encode() * 50, "text/plain"))]
        )
        assert bad.status_code == 422
        state = c.app.state.netnav  # type: ignore[attr-defined]

        def boom(_uploads: object) -> None:
            raise RuntimeError(f"extraction failed on {MARKER}")

        monkeypatch.setattr(state, "extract", boom)
        failed = c.post("/api/cases", files=[("files", ("r.txt", REPORT.encode(), "text/plain"))])
        assert failed.status_code == 500 and MARKER not in failed.text
    assert caplog.records, "the capture must see the app's own error log"
    assert any(r.name == "netnav.api" for r in caplog.records)
    assert MARKER not in _log_text(caplog.records)


def test_uploaded_report_rendered_inert(client: TestClient) -> None:
    up = client.post("/api/cases", files=[("files", ("x.txt", XSS_REPORT.encode(), "text/plain"))])
    assert up.status_code == 201
    assert XSS in up.json()["fields"]["ki67_percent"]["text"]  # stored verbatim, escaped on output
    html = client.get(f"/cases/{up.json()['case_id']}").text
    assert XSS not in html and ESCAPED in html
    assert (
        client.get(f"/cases/{up.json()['case_id']}?format=md")
        .headers["content-type"]
        .startswith("text/markdown")
    )


def test_question_rendered_inert(client: TestClient) -> None:
    html = client.post("/ask", data={"q": f"What is a NET? {XSS}"}).text
    assert XSS not in html and ESCAPED in html


def test_ingested_document_rendered_inert(client: TestClient) -> None:
    doc = (
        f"Carcinoid crisis prevention checklist {XSS}\n\nBefore surgery, patients with carcinoid syndrome "
        f"receive an octreotide infusion to prevent carcinoid crisis {XSS}; the anaesthetist keeps extra "
        "octreotide ready during the operation.\n"
    )
    r = client.post(
        "/api/documents",
        files=[("files", ("crisis-checklist.txt", doc.encode(), "text/plain"))],
        data={"kind": "guideline"},
    )
    assert r.status_code == 200 and r.json()["added"] == 1
    question = {"q": "How is carcinoid crisis prevented before surgery?", "audience": "clinician"}
    answer = client.post("/api/ask", json={"question": question["q"], "audience": "clinician"}).json()
    cited = [c for c in answer["citations"] if c["title"] == "crisis-checklist"]
    assert cited and XSS in cited[0]["quote"]  # the JSON keeps the text; HTML must neutralise it
    html = client.post("/ask", data=question).text
    assert XSS not in html and ESCAPED in html


def test_markdown_document_title_rendered_inert(client: TestClient) -> None:
    doc = f"# Somatostatin diary {XSS}\n\nLanreotide injections are recorded in a diary {XSS}.\n"
    r = client.post("/api/documents", files=[("files", ("diary.md", doc.encode(), "text/markdown"))])
    assert r.status_code == 200 and r.json()["added"] == 1
    html = client.get("/sources").text
    assert "Somatostatin diary" in html and "<script>alert" not in html
