"""Delete my data deletes everything the session owns and says what went (netnav.api.mydata): its saved cases,
its session cases, its library uploads, its conversation memory; another session's or token's data stays."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.api.helpers import REPORT, copy_home, make_client
from tests.casebook.reports import FIRST

DIARY = """Injection diary kept by a carer for lanreotide

Each deep subcutaneous lanreotide injection is written down with the date, the side used and any
soreness afterwards, and the diary goes to every neuroendocrine tumour clinic visit.
"""
OTHER = """Another family's notes on somatostatin analogue injections

Octreotide LAR injections every four weeks; the clinic nurse checks the injection site each time.
"""


@pytest.fixture()
def home(built_home: Path, tmp_path: Path) -> Path:
    return copy_home(built_home, tmp_path / "home")


def _titles(rows: list[dict[str, object]]) -> set[object]:
    return {row["title"] for row in rows if not row["builtin"]}


def test_delete_my_data_deletes_everything_the_session_owns(home: Path) -> None:
    with make_client(home) as web, make_client(home) as other:
        r = web.post(
            "/my-cases",
            data={"name": "Dad – pancreatic NET"},
            files=[("files", ("first.txt", FIRST.encode(), "text/plain"))],
            follow_redirects=False,
        )
        assert r.status_code == 303
        saved = r.headers["location"]
        session_case = web.post(
            "/api/cases", files=[("files", ("report.txt", REPORT.encode(), "text/plain"))]
        )
        assert session_case.status_code == 201
        case_url = f"/api/cases/{session_case.json()['case_id']}"
        r = web.post("/api/documents", files=[("files", ("diary.txt", DIARY.encode(), "text/plain"))])
        assert r.status_code == 200 and r.json()["added"] == 1
        r = other.post("/api/documents", files=[("files", ("notes.txt", OTHER.encode(), "text/plain"))])
        assert r.status_code == 200 and r.json()["added"] == 1
        web.post("/ask", data={"q": "What is a neuroendocrine tumour?", "conversation": "c1"})

        listed = web.get("/api/my-data").json()
        assert listed["saved_cases"] == ["Dad – pancreatic NET"] and listed["session_cases"] == 1
        assert listed["documents"] == ["diary"] and listed["conversations"] == 1
        page = web.get("/delete").text
        assert "Dad – pancreatic NET" in page and "diary" in page and "1 conversation " in page
        assert "netnav case" in page  # loopback without a token: the saved cases are this computer's

        done = web.post("/delete").text
        assert "Done: these were deleted." in done
        assert re.search(r"1 saved case:\s*<q>Dad – pancreatic NET</q>", done)
        assert "1 document you added" in done and "<q>diary</q>" in done

        assert web.get(saved).status_code == 404 and web.get("/api/saved-cases").json() == []
        assert web.get(case_url).status_code == 404
        assert "diary" not in _titles(web.get("/api/sources").json())
        assert not list((home / "uploads").glob("*/diary.txt"))
        assert 'id="history"' not in web.get("/").text
        left = web.get("/api/my-data").json()
        assert (left["saved_cases"], left["session_cases"], left["documents"], left["conversations"]) == (
            [],
            0,
            [],
            0,
        )
        assert "notes" in _titles(other.get("/api/sources").json()), "another session's upload stays"


def test_delete_my_data_leaves_another_tokens_saved_cases(home: Path) -> None:
    with make_client(home, "token-A-for-tests") as a, make_client(home, "token-B-for-tests") as b:
        a.headers["Authorization"] = "Bearer token-A-for-tests"
        b.headers["Authorization"] = "Bearer token-B-for-tests"
        assert a.post("/api/saved-cases", data={"name": "Mum"}).status_code == 201
        assert b.post("/api/saved-cases", data={"name": "Dad"}).status_code == 201
        gone = b.delete("/api/my-data").json()
        assert gone["saved_cases"] == ["Dad"] and gone["saved_cases_local"] is False
        assert [c["name"] for c in a.get("/api/saved-cases").json()] == ["Mum"]
        assert b.get("/api/saved-cases").json() == []


def test_delete_my_data_stops_reading_jobs_and_removes_their_uploads(home: Path) -> None:
    """Two reading jobs on a one-worker runner: the second waits; deleting stops both, and the uploads of a job
    cancelled before it ran (which never removes its own folder) go too."""
    with make_client(home) as web:
        for name in ("Dad – pancreatic NET", "Mum"):
            r = web.post(
                "/api/saved-cases",
                params={"background": "true"},
                data={"name": name},
                files=[("files", ("first.txt", FIRST.encode(), "text/plain"))],
            )
            assert r.status_code == 202, r.text
        gone = web.delete("/api/my-data").json()
        assert gone["jobs"] >= 1  # at least the waiting one
        assert web.get("/api/saved-cases").json() == []
        assert list((home / "case-uploads").glob("*")) == []
        assert all(j["state"] in ("done", "cancelled", "failed") for j in web.get("/api/jobs").json())
