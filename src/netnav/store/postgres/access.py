"""One PostgreSQL transaction from a pool, with connection loss turned into StoreUnavailable.

    with transaction(pool) as conn:
        conn.execute("INSERT ...", (...))

The block commits when it ends normally and rolls back on any exception. A server that cannot be
reached, a dropped connection (psycopg.OperationalError) or a pool with no connection to give within its
timeout (psycopg_pool.PoolTimeout) raise `StoreUnavailable` (HTTP 503 at the API edge); the pool
discards the broken connection, so the next call tries a fresh one and service recovers on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from netnav.errors import StoreUnavailable

#: Seconds a request waits for a pooled connection before the database counts as unavailable (503).
#: Statements here take milliseconds, so a longer wait means the server is gone or swamped; the pool's
#: own (longer) timeout would hold a user's request for 10 s when the database is down.
WAIT_S = 5.0
Row = tuple[Any, ...]
Conn = psycopg.Connection[Row]


@contextmanager
def transaction(pool: ConnectionPool[Any]) -> Iterator[Conn]:
    """A connection inside one transaction (see the module docstring). Raises StoreUnavailable."""
    try:
        with pool.connection(timeout=WAIT_S) as conn, conn.transaction():
            yield conn
    except (psycopg.OperationalError, PoolTimeout) as exc:
        raise StoreUnavailable(f"the database cannot be reached: {type(exc).__name__}") from exc


def rows(pool: ConnectionPool[Any], sql: str, params: tuple[object, ...] = ()) -> list[Row]:
    """All rows of one read (its own short transaction)."""
    with transaction(pool) as conn:
        return list(conn.execute(sql, params).fetchall())
