"""After the database drops every connection (a server restart), only the request that met a dead
connection fails: the pool then tests its idle connections, so the next request works (regression:
each idle connection failed one later request with 503, for minutes after a restart)."""

from __future__ import annotations

from contextlib import ExitStack

import psycopg
import pytest

from netnav.errors import StoreUnavailable
from netnav.store.postgres.pool import open_pool
from netnav.store.postgres.store import PostgresStore


def test_one_failure_after_the_server_dropped_every_connection(pg_database: str) -> None:
    store = PostgresStore(pg_database, pool=open_pool(pg_database, max_size=4))
    try:
        with ExitStack() as stack:  # four idle connections in the pool afterwards
            for _ in range(4):
                stack.enter_context(store.pool.connection()).execute("SELECT 1")
        assert store.pool.get_stats()["pool_available"] == 4
        with psycopg.connect(pg_database, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        with pytest.raises(StoreUnavailable):
            store.count()
        for _ in range(6):  # every later call works
            assert store.count() == (0, 0)
    finally:
        store.close()
