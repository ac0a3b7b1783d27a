"""Pool, migrations and backend selection on a real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from netnav.errors import BadInputError, StoreUnavailable
from netnav.settings import get_settings
from netnav.store import open_backend
from netnav.store.db import Store
from netnav.store.postgres import migrate, open_pool, schema_version
from netnav.store.postgres.migrate import migrations
from netnav.store.postgres.store import PostgresStore


def test_migrations_apply_once_and_record_the_version(pg_database: str) -> None:
    pool = open_pool(pg_database)
    try:
        assert schema_version(pool) == 0
        applied = migrate(pool)
        assert applied == [n for n, _, _ in migrations()]
        assert schema_version(pool) == max(applied)
        assert migrate(pool) == []  # a second start applies nothing
        with pool.connection() as conn:
            ext = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()
        assert ext is not None
    finally:
        pool.close()


def test_migration_numbers_are_unique_and_in_the_core_range() -> None:
    numbers = [n for n, _, _ in migrations()]
    assert numbers == sorted(set(numbers))
    assert all(1 <= n <= 99 for n in numbers)


def test_an_unreachable_server_is_a_typed_error(tmp_path: Path) -> None:
    url = f"postgresql://nobody@/netnav?host={tmp_path}&port=1"
    with pytest.raises(StoreUnavailable, match="cannot reach the database server"):
        open_pool(url, timeout=2)


def test_the_backend_follows_the_database_url(
    pg_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NETNAV_DATABASE_URL", raising=False)
    embedded = open_backend(get_settings(tmp_path))
    assert isinstance(embedded, Store)
    embedded.close()
    monkeypatch.setenv("NETNAV_DATABASE_URL", pg_database)
    settings = get_settings(tmp_path)
    assert settings.backend == "postgresql"
    store = open_backend(settings)
    try:
        assert isinstance(store, PostgresStore)
        assert store.schema_version() >= 1
    finally:
        store.close()


def test_a_database_url_that_is_not_postgresql_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="postgresql://"):
        open_backend(get_settings(tmp_path, database_url="mysql://x/y"))
