"""The served app on PostgreSQL: health reports the backend and migration version, session cases,
saved cases and follow-ups live in the database (so two servers share them, owners stay apart), and a
lost database connection answers 503 (JSON and web) and recovers when the server is back."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import REPORT, copy_home

TOKEN = "pg-ops-token-7Hq2xLm9Rw"


def _app(home: Path, url: str, token: str | None = None) -> Any:
    from netnav.app import create_app
    from netnav.engine import Engine
    from netnav.settings import get_settings

    return create_app(engine=Engine(settings=get_settings(home, database_url=url)), token=token)


@pytest.fixture
def pg_home(built_home: Path, tmp_path: Path) -> Path:
    return copy_home(built_home, tmp_path / "home")


@pytest.fixture
def two_servers(pg_home: Path, migrated_database: str) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps (as two server processes would be) on one database, one home."""
    from netnav.store.postgres.shared import close_pools

    with (
        TestClient(_app(pg_home, migrated_database, TOKEN)) as one,
        TestClient(_app(pg_home, migrated_database, TOKEN)) as two,
    ):
        yield one, two
    close_pools()


def _auth(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def test_health_names_sqlite_backend_and_version(built_home: Path, tmp_path: Path) -> None:
    from netnav.app import create_app

    with TestClient(create_app(copy_home(built_home, tmp_path / "home"))) as client:
        body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["backend"] == "sqlite"
    assert isinstance(body["schema_version"], int) and body["schema_version"] >= 4


@pytest.mark.slow
def test_two_servers_share_cases_and_follow_ups(
    two_servers: tuple[TestClient, TestClient], pg_home: Path, migrated_database: str
) -> None:
    one, two = two_servers
    health = one.get("/api/health").json()
    assert health["backend"] == "postgresql" and health["schema_version"] >= 50
    up = one.post(
        "/api/cases", files=[("files", ("r.txt", REPORT.encode(), "text/plain"))], headers=_auth(one)
    )
    assert up.status_code == 201, up.text
    session = up.headers.get("X-NETNav-Session") or one.cookies.get("netnav_session")
    assert session
    case_id = up.json()["case_id"]
    same_session = {**_auth(two), "X-NETNav-Session": session}
    got = two.get(f"/api/cases/{case_id}", headers=same_session)
    assert got.status_code == 200 and got.json()["fields"]["ki67_percent"]["value"] == 12
    assert not (pg_home / "cases").exists() or not any((pg_home / "cases").iterdir()), "nothing on disk"
    saved = one.post("/api/saved-cases", data={"name": "Dad"}, headers=_auth(one))
    assert saved.status_code == 201, saved.text
    assert [c["name"] for c in two.get("/api/saved-cases", headers=_auth(two)).json()] == ["Dad"]
    first = one.post(
        "/api/ask",
        json={"question": "Is lanreotide used for pancreatic NET?", "conversation_id": "c1"},
        headers=_auth(one),
    )
    assert first.status_code == 200, first.text
    follow = two.post(
        "/api/ask",
        json={"question": "what about its side effects?", "conversation_id": "c1"},
        headers=same_session,
    )
    assert follow.status_code == 200, follow.text
    assert "lanreotide" in follow.json()["question"].lower(), "the other server knew the previous question"
    import psycopg

    with psycopg.connect(migrated_database) as conn:
        assert conn.execute("SELECT COUNT(*) FROM session_cases").fetchone() == (1,)
        assert conn.execute("SELECT COUNT(*) FROM saved_cases").fetchone() == (1,)


@pytest.mark.slow
def test_another_session_cannot_read_a_case(two_servers: tuple[TestClient, TestClient]) -> None:
    one, two = two_servers
    up = one.post(
        "/api/cases", files=[("files", ("r.txt", REPORT.encode(), "text/plain"))], headers=_auth(one)
    )
    case_id = up.json()["case_id"]
    fresh = two.get(f"/api/cases/{case_id}", headers=_auth(two))  # `two` has its own session
    assert fresh.status_code == 404
    assert two.delete("/api/cases", headers=_auth(two)).json() == {"deleted_cases": 0}
    assert one.get(f"/api/cases/{case_id}", headers=_auth(one)).status_code == 200


@pytest.fixture
def own_server() -> Iterator[Any]:
    """A PostgreSQL server of this test alone, so it can be stopped and started again (in a folder the
    server's own user can enter: as root, pgserver runs PostgreSQL as an unprivileged user)."""
    # the machine's temp folder, not tempfile's current default (a private 0700 folder once a NETNAV server
    # has started in this process, see netnav.guard.sessions.private_tempdir)
    folder = Path(tempfile.mkdtemp(prefix="netnav-pg-outage-", dir=os.environ.get("TMPDIR") or "/tmp"))
    folder.chmod(0o755)
    try:
        import pgserver

        server = pgserver.get_server(folder / "data", cleanup_mode="delete")  # type: ignore[attr-defined]
    except Exception as exc:  # any failure to start is a reason to skip, stated
        pytest.skip(f"no embedded PostgreSQL could start: {type(exc).__name__}: {exc}")
    yield server
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


def _stop(server: Any) -> None:
    pid = server.get_pid()
    assert pid is not None
    os.kill(pid, signal.SIGINT)  # fast shutdown: sessions are terminated
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise AssertionError("the PostgreSQL server did not stop")


@pytest.mark.slow
def test_lost_database_gives_503_and_recovers(own_server: Any, pg_home: Path) -> None:
    from netnav.store.postgres.shared import close_pools

    url = str(own_server.get_uri())
    try:
        with TestClient(_app(pg_home, url)) as client:
            assert client.get("/api/health").json()["status"] == "ok"
            assert client.get("/api/saved-cases").status_code == 200
            _stop(own_server)
            health = client.get("/api/health")
            assert health.status_code == 503 and health.json()["status"] == "unavailable"
            assert health.json()["backend"] == "postgresql"
            listed = client.get("/api/saved-cases")
            assert listed.status_code == 503 and "database" in listed.json()["detail"]
            assert listed.headers["Retry-After"]
            page = client.get("/my-cases", headers={"Accept": "text/html"})
            assert page.status_code == 503 and "database" in page.text
            own_server.ensure_postgres_running()
            deadline = time.monotonic() + 30
            while client.get("/api/health").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.5)
            assert client.get("/api/health").json()["status"] == "ok"
            assert client.post("/api/saved-cases", data={"name": "After"}).status_code == 201
    finally:
        close_pools()
