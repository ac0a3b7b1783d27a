""" "Delete my data" removes every file the session uploaded to its library, also those that never became a
document (an upload whose ingest failed or whose job was cancelled before it ran): the file lives under
<home>/uploads/<session owner>-<digest>/ and nothing else would ever delete it."""

from __future__ import annotations

from pathlib import Path

from tests.api.helpers import make_client

DIARY = b"# Diary of Jane Q. Patient\n\nJane Q. Patient, born 1961-02-03, notes her octreotide doses here.\n"
BROKEN_PDF = b"%PDF-1.7\nJane Q. Patient born 1961-02-03 \x00\x01 this is not a readable PDF\n%%EOF\n"


def _files_with(home: Path, needle: bytes) -> list[Path]:
    root = home / "uploads"
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()] if root.is_dir() else []


def test_delete_my_data_removes_uploads_that_never_became_documents(api_home: Path) -> None:
    with make_client(api_home) as alice, make_client(api_home) as bob:
        kept = bob.post(
            "/api/documents", files=[("files", ("bob.md", b"# Bob\n\nBob's own notes.\n", "text/markdown"))]
        )
        assert kept.status_code == 200 and kept.json()["added"] == 1, kept.text[:300]
        ok = alice.post("/api/documents", files=[("files", ("diary.md", DIARY, "text/markdown"))])
        assert ok.status_code == 200 and ok.json()["added"] == 1, ok.text[:300]
        bad = alice.post("/api/documents", files=[("files", ("scan.pdf", BROKEN_PDF, "application/pdf"))])
        assert bad.status_code in (200, 422) and "added" not in bad.text.replace('"added":0', ""), bad.text[
            :300
        ]
        assert _files_with(api_home, b"Jane Q. Patient"), "both uploads are kept under the home meanwhile"
        gone = alice.delete("/api/my-data")
        assert gone.status_code == 200, gone.text[:300]
        left = _files_with(api_home, b"Jane Q. Patient")
        assert not left, f"Delete my data left the session's uploaded files behind: {[p.name for p in left]}"
        assert _files_with(api_home, b"Bob's own notes"), "another session's upload is never touched"


def test_a_failed_web_upload_leaves_no_file_behind(api_home: Path) -> None:
    with make_client(api_home) as carol:
        bad = carol.post(
            "/api/documents", files=[("files", ("carol.pdf", BROKEN_PDF + b"carol", "application/pdf"))]
        )
        assert bad.status_code in (200, 422) and '"added":1' not in bad.text, bad.text[:300]
        assert not _files_with(api_home, BROKEN_PDF + b"carol"), (
            "a failed upload is not kept where no one sees it"
        )
