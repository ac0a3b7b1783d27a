"""Saved-case reports read as a background job (netnav.jobs): OCR of scans and large PDFs never hold a
request, the page shows the job's progress (GET /api/jobs/{id}) and can cancel it (DELETE /api/jobs/{id}).

The uploaded bytes are written to a private folder under the data home (mode 0700) for the worker process,
which deletes it when the job ends (netnav.casebook.tasks.add_reports_task); the folder's name starts with the
session's digest, so "Delete my data" removes the folders of jobs cancelled before they ran.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Sequence
from pathlib import Path

from netnav.api.state import AppState, owner_key
from netnav.types.jobs import JobInfo

JOB_KIND = "case-reports"


def upload_root(state: AppState) -> Path:
    """Where queued case reports wait for their job: `<home>/case-uploads/<session digest>-<random>/`."""
    return state.home / "case-uploads"


def delete_session_uploads(state: AppState, session: str) -> int:
    """Remove the session's waiting upload folders (a job cancelled before it ran never removes its own)."""
    root = upload_root(state)
    folders = list(root.glob(f"{owner_key(session)}-*")) if root.is_dir() else []
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    return len(folders)


def delete_library_uploads(state: AppState, session: str) -> int:
    """Remove the session's library upload folders (<owner[:16]>-<digest>, netnav.api.casework), also those
    of uploads that never became a document (failed or cancelled ingest). Call after its documents are
    deleted: deleting a document reads its file first (a trial record takes its private trials along)."""
    root = state.home / "uploads"
    folders = list(root.glob(f"{owner_key(session)[:16]}-*")) if root.is_dir() else []
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    return len(folders)


def submit_case_reports(
    state: AppState,
    session: str,
    case_owner: str,
    files: Sequence[tuple[str, bytes]],
    case_id: str | None = None,
    name: str | None = None,
) -> JobInfo:
    """Queue reading `files` into case `case_id` (or into a new case `name`); the job belongs to the session."""
    from netnav.casebook.tasks import add_reports_task

    folder = upload_root(state) / f"{owner_key(session)}-{secrets.token_hex(8)}"  # the session's, by name
    folder.mkdir(parents=True, mode=0o700)
    os.chmod(folder.parent, 0o700)
    paths = []
    for upload_name, data in files:
        path = folder / upload_name
        path.write_bytes(data)
        paths.append(str(path))
    payload = {
        "home": str(state.home),
        "owner": case_owner,
        "case_id": case_id,
        "name": name,
        "paths": paths,
        "names": {p: os.path.basename(p) for p in paths},
        "database_url": state.engine.settings.database_url,
    }
    return state.jobs.submit(JOB_KIND, add_reports_task, payload, owner=owner_key(session))
