"""Finding 1/4 (one session's upload planted in, or quoted in, another session's answers; nothing could be
deleted): documents added through the web belong to their session — listed, cited and deletable only
there; documents an operator ingests from the command line stay shared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netnav.engine import Engine
from tests.api.helpers import make_client

PRIVATE = (
    "# Lanreotide injection diary of Jane Q. Patient\n\nJane Q. Patient, born 1961-02-03, logs her lanreotide "
    "injections and her carcinoid syndrome flushing in this diary every month.\n"
)
QUESTION = "What does Jane Q. Patient log in her lanreotide injection diary?"


def _titles(answer: dict[str, Any]) -> list[str]:
    return [str(c["title"]) for c in answer["citations"]]


def test_uploads_are_private_to_their_session(api_home: Path) -> None:
    with make_client(api_home) as alice, make_client(api_home) as bob:
        r = alice.post("/api/documents", files=[("files", ("diary.md", PRIVATE.encode(), "text/markdown"))])
        assert r.status_code == 200 and r.json()["added"] == 1, r.text[:300]
        doc_id = r.json()["items"][0]["doc_id"]
        body = {"question": QUESTION, "audience": "clinician"}
        assert any("Jane Q. Patient" in t for t in _titles(alice.post("/api/ask", json=body).json()))
        bob_answer = bob.post("/api/ask", json=body).json()
        assert not any("Jane Q. Patient" in t for t in _titles(bob_answer))
        assert "1961" not in str(bob_answer), "the date of birth must not reach another session"
        assert any(row["id"] == doc_id for row in alice.get("/api/sources").json())
        assert not any(row["id"] == doc_id for row in bob.get("/api/sources").json())
        assert "Jane Q. Patient" not in bob.get("/sources").text
        # the same file uploaded by Bob is Bob's own copy, not a way into Alice's
        mine = bob.post("/api/documents", files=[("files", ("diary.md", PRIVATE.encode(), "text/markdown"))])
        assert mine.json()["added"] == 1 and mine.json()["items"][0]["doc_id"] != doc_id
        # deletion: only by the owner
        assert bob.delete(f"/api/documents/{doc_id}").status_code == 404
        uploaded = list((api_home / "uploads").glob("*/diary.md"))
        assert uploaded
        assert alice.delete(f"/api/documents/{doc_id}").status_code == 200
        assert len(list((api_home / "uploads").glob("*/diary.md"))) < len(uploaded), "the file goes too"
        assert alice.delete(f"/api/documents/{doc_id}").status_code == 404
        assert not any(row["id"] == doc_id for row in alice.get("/api/sources").json())
        assert not any("Jane Q. Patient" in t for t in _titles(alice.post("/api/ask", json=body).json()))


def test_cli_ingest_stays_shared_and_cannot_be_deleted_from_the_web(api_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "clinic-guide.md"
    path.write_text(PRIVATE.replace("Jane Q. Patient", "Clinic Handout"), encoding="utf-8")
    engine = Engine(api_home)
    try:
        doc_id = engine.ingest([path]).items[0].doc_id
    finally:
        engine.close()
    with make_client(api_home) as anyone:
        assert any(row["id"] == doc_id for row in anyone.get("/api/sources").json())
        assert anyone.delete(f"/api/documents/{doc_id}").status_code == 404
