"""Numbered SQL migrations for the PostgreSQL backend.

Files ``NNNN_name.sql`` in ``netnav/store/postgres/migrations/`` are applied in number order, each in
its own transaction together with its row in ``schema_migrations`` (so a failed migration leaves
nothing behind and is retried on the next start). Numbers 0001-0049 hold documents, passages,
vectors and the lexical index; 0050-0099 cases, sessions, trials and jobs. A session-level advisory
lock makes concurrent starts (several workers) apply each migration exactly once.
"""

from __future__ import annotations

from importlib import resources

import psycopg
from psycopg_pool import ConnectionPool

from netnav.errors import StoreError, StoreUnavailable

#: pg_advisory_lock key held while migrating ("netnav" in ASCII).
MIGRATION_LOCK = 0x6E65746E6176


def migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) of every packaged migration, in number order."""
    folder = resources.files("netnav.store.postgres") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    numbers = [n for n, _, _ in found]
    if len(set(numbers)) != len(numbers):
        raise StoreError("two PostgreSQL migrations share a number")
    return sorted(found)


def migrate(pool: ConnectionPool) -> list[int]:
    """Apply the migrations not yet recorded; returns the numbers applied now (empty when current).

    Raises StoreError naming the migration that failed, StoreUnavailable when the server is gone."""
    applied: list[int] = []
    try:
        with pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
            try:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY,"
                    " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
                )
                done = {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}
                for number, name, sql in migrations():
                    if number in done:
                        continue
                    try:
                        with conn.transaction():
                            conn.execute(sql.encode())  # several statements, no parameters
                            conn.execute(
                                "INSERT INTO schema_migrations(version, name) VALUES (%s, %s)", (number, name)
                            )
                    except psycopg.OperationalError:
                        raise
                    except psycopg.Error as exc:
                        raise StoreError(f"PostgreSQL migration {name} failed: {exc}") from exc
                    applied.append(number)
            finally:
                if not conn.closed:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    except psycopg.OperationalError as exc:
        raise StoreUnavailable(f"lost the database connection while migrating: {exc}") from exc
    if applied:
        pool.drain()  # new connections see the types created (pgvector) and register them
    return applied


def schema_version(pool: ConnectionPool) -> int:
    """The highest applied migration number (0 for an empty database)."""
    try:
        with pool.connection() as conn:
            exists = conn.execute("SELECT to_regclass('schema_migrations')").fetchone()
            if exists is None or exists[0] is None:
                return 0
            row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    except psycopg.OperationalError as exc:
        raise StoreUnavailable(f"lost the database connection: {exc}") from exc
    return int(row[0] or 0) if row is not None else 0
