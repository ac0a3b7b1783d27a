"""GET /api/sources and POST /api/documents (ingest an upload into the shared library)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

GUIDE = """Somatostatin analogue injection diary for neuroendocrine tumour patients

Patients on lanreotide in this clinic keep an injection diary of the day, the site and
any injection-site reactions, and bring it to every neuroendocrine tumour clinic visit.
"""


def test_sources_lists_builtin_cards(client: TestClient) -> None:
    rows = client.get("/api/sources").json()
    assert rows and all(r["builtin"] for r in rows if r["format"] == "card")
    assert {"id", "kind", "title", "identifiers", "status", "passages"} <= set(rows[0])


def test_ingest_document_then_it_is_listed(client: TestClient, api_home: Path) -> None:
    r = client.post(
        "/api/documents",
        files=[("files", ("../diary.txt", GUIDE.encode(), "text/plain"))],
        data={"kind": "education"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["added"] == 1 and body["failed"] == 0
    assert body["items"][0]["path"] == "diary.txt"
    rows = client.get("/api/sources").json()
    mine = [row for row in rows if not row["builtin"]]
    assert any(row["kind"] == "education" and row["title"] == "diary" for row in mine)
    assert list((api_home / "uploads").glob("*/diary.txt"))
    again = client.post("/api/documents", files=[("files", ("diary.txt", GUIDE.encode(), "text/plain"))])
    assert again.json()["unchanged"] == 1


def test_ingest_rejects_bad_kind_and_type(client: TestClient) -> None:
    bad_kind = client.post(
        "/api/documents", files=[("files", ("a.txt", b"text", "text/plain"))], data={"kind": "gossip"}
    )
    assert bad_kind.status_code == 400
    bad_type = client.post("/api/documents", files=[("files", ("a.exe", b"MZ", "application/octet-stream"))])
    assert bad_type.status_code == 415


def test_ingest_failure_is_reported_per_file(client: TestClient) -> None:
    r = client.post(
        "/api/documents", files=[("files", ("broken.pdf", b"%PDF-1.4 garbage", "application/pdf"))]
    )
    assert r.status_code == 200
    body = r.json()
    assert body["failed"] == 1 and body["items"][0]["reason"]
