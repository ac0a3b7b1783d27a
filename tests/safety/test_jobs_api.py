"""Finding 2 (one upload freezes everyone) and the jobs API: ingest runs as a job in a worker process,
answering does not wait for it, and a job is visible only to the session that started it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.helpers import make_client
from tests.reliability.helpers import WORDS


def _big_document(n_paragraphs: int) -> bytes:
    parts = ["# Injection diary handbook\n"]
    for k in range(n_paragraphs):
        words = " ".join(WORDS[(k * 7 + j) % len(WORDS)] for j in range(45))
        parts.append(f"{words}. Diary paragraph {k} about somatostatin analogue injections.\n")
    return "\n".join(parts).encode()


def test_asking_does_not_wait_for_an_upload(api_home: Path) -> None:
    with make_client(api_home) as c:
        c.post("/api/ask", json={"question": "What is lanreotide used for?"})  # warm
        upload_done: list[float] = []

        def upload() -> None:
            files = [("files", ("handbook.md", _big_document(120), "text/markdown"))]
            r = c.post("/api/documents", files=files)
            assert r.status_code == 200 and r.json()["added"] == 1, r.text[:300]
            upload_done.append(time.monotonic())

        thread = threading.Thread(target=upload)
        thread.start()
        time.sleep(0.5)  # the upload is being parsed/embedded now
        t0 = time.monotonic()
        r = c.post("/api/ask", json={"question": "How is a pancreatic NET graded?"})
        asked = time.monotonic()
        thread.join(timeout=600)
        assert r.status_code == 200
        assert upload_done, "the upload did not finish"
        assert asked < upload_done[0], "the ask waited for the whole upload (head-of-line blocking)"
        assert asked - t0 < 10


def test_background_upload_returns_a_job_with_progress_for_its_session_only(api_home: Path) -> None:
    with make_client(api_home) as alice, make_client(api_home) as bob:
        files = [("files", ("notes.md", _big_document(30), "text/markdown"))]
        r = alice.post("/api/documents", params={"background": "true"}, files=files)
        assert r.status_code == 202, r.text[:300]
        job = r.json()
        assert job["state"] in ("queued", "running") and job["kind"] == "ingest"
        assert "owner" not in job
        assert bob.get(f"/api/jobs/{job['id']}").status_code == 404
        assert bob.delete(f"/api/jobs/{job['id']}").status_code == 404
        deadline = time.monotonic() + 300
        while (info := alice.get(f"/api/jobs/{job['id']}").json())["state"] not in ("done", "failed"):
            assert time.monotonic() < deadline, info
            time.sleep(0.2)
        assert info["state"] == "done", info
        assert info["result"] and '"added": 1' in info["result"]
        assert [j["id"] for j in alice.get("/api/jobs").json()] == [job["id"]]
        assert bob.get("/api/jobs").json() == []


def test_unknown_job_is_404(client: TestClient) -> None:
    assert client.get("/api/jobs/" + "0" * 32).status_code == 404
