"""A quick, bounded check that the database answers, for /api/health."""

from __future__ import annotations

import psycopg
from psycopg_pool import PoolTimeout

from netnav.errors import StoreUnavailable
from netnav.store.postgres.shared import pool_for


def schema_version_now(url: str, timeout: float) -> int:
    """The highest applied migration, asked of the server within `timeout` seconds.
    Raises StoreUnavailable when it cannot be reached (or the pool cannot be opened)."""
    pool = pool_for(url)
    try:
        with pool.connection(timeout=timeout) as conn:
            row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    except (psycopg.OperationalError, PoolTimeout) as exc:
        raise StoreUnavailable(f"the database cannot be reached: {type(exc).__name__}") from exc
    return int(row[0] or 0) if row is not None else 0
