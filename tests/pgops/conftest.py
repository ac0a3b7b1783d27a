"""Fixtures for the PostgreSQL operations tests (cases, sessions, transfer, several servers), on the
server of tests/postgres/conftest.py (`pg_url`; `pg_database`: a fresh database per test).

`migrated_database`: `pg_database` with every PostgreSQL migration applied; `pg_pool`: an open pool
on it, as netnav opens them (autocommit; transactions are explicit)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.postgres.conftest import pg_database, pg_url

__all__ = ["pg_database", "pg_url"]


@pytest.fixture
def migrated_database(pg_database: str) -> str:
    from netnav.store.postgres.migrate import migrate
    from netnav.store.postgres.pool import open_pool

    pool = open_pool(pg_database, max_size=1)
    try:
        migrate(pool)
    finally:
        pool.close()
    return pg_database


@pytest.fixture
def pg_pool(migrated_database: str) -> Iterator[Any]:
    from netnav.store.postgres.pool import open_pool

    pool = open_pool(migrated_database, max_size=4, timeout=5)
    yield pool
    pool.close()
