"""Two served apps on one PostgreSQL database (as two server processes): a trial record uploaded through
one is matched for that session's case through the other, and deleted through the other; the upload's
job runs against the app's own database even when the environment names none."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import REPORT, copy_home
from tests.pgops.test_api_postgres import TOKEN, _app, _auth

RECORD = Path(__file__).resolve().parents[1] / "ingest" / "fixtures" / "trial_v2.json"
NCT = "NCT09999991"


@pytest.fixture
def two_apps(
    built_home: Path, tmp_path: Path, migrated_database: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[TestClient, TestClient]]:
    from netnav.store.postgres.shared import close_pools

    monkeypatch.delenv("NETNAV_DATABASE_URL", raising=False)  # the jobs must use the app's database
    homes = [copy_home(built_home, tmp_path / name) for name in ("one", "two")]  # two machines
    with TestClient(_app(homes[0], migrated_database, TOKEN)) as one:
        shutil.copy(homes[0] / "session.key", homes[1] / "session.key")  # as deploy.md asks
        with TestClient(_app(homes[1], migrated_database, TOKEN)) as two:
            yield one, two
    close_pools()


def _trial_ids(client: TestClient, headers: dict[str, str], case_id: str) -> set[str]:
    got = client.get(f"/api/cases/{case_id}/trials", params={"status": "all"}, headers=headers)
    assert got.status_code == 200, got.text
    return {m["nct_id"] for m in got.json()}


@pytest.mark.slow
def test_an_uploaded_trial_is_seen_and_deleted_through_another_server(
    two_apps: tuple[TestClient, TestClient],
) -> None:
    one, two = two_apps
    case = one.post(
        "/api/cases", files=[("files", ("r.txt", REPORT.encode(), "text/plain"))], headers=_auth(one)
    )
    assert case.status_code == 201, case.text
    session = case.headers.get("X-NETNav-Session") or one.cookies.get("netnav_session")
    assert session
    mine = {**_auth(one), "X-NETNav-Session": session}
    case_id = case.json()["case_id"]
    assert NCT not in _trial_ids(two, mine, case_id)
    job = one.post(
        "/api/documents",
        params={"background": "true"},
        files=[("files", (RECORD.name, RECORD.read_bytes(), "application/json"))],
        headers=mine,
    )
    assert job.status_code == 202, job.text
    deadline = time.monotonic() + 120
    while (info := two.get(f"/api/jobs/{job.json()['id']}", headers=mine).json())["state"] not in (
        "done",
        "failed",
        "cancelled",
    ):
        assert time.monotonic() < deadline, info
        time.sleep(0.2)
    assert info["state"] == "done", info
    assert NCT in _trial_ids(two, mine, case_id), "the other server did not see the uploaded trial"
    other = two.post(
        "/api/cases", files=[("files", ("r.txt", REPORT.encode(), "text/plain"))], headers=_auth(two)
    )
    stranger = {**_auth(two), "X-NETNav-Session": other.headers.get("X-NETNav-Session") or ""}
    assert NCT not in _trial_ids(two, stranger, other.json()["case_id"]), "another session saw the upload"
    rows = two.get("/api/sources", headers=mine).json()
    [doc_id] = [r["id"] for r in rows if r["identifiers"].get("nct") == NCT and not r["builtin"]]
    assert two.delete(f"/api/documents/{doc_id}", headers=mine).status_code == 200
    assert NCT not in _trial_ids(one, mine, case_id), "the deleted upload's trial stayed"
