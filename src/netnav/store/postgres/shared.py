"""One migrated connection pool per database URL per process, for the case, session and conversation
repositories (netnav.store.postgres.cases / sessions).

A server process serves many requests; opening a pool per request would open connections per request.
`pool_for(url)` opens the pool once (netnav.store.postgres.pool.open_pool: checked connection, bounded
size), applies the migrations once, and hands the same pool to every caller; `close_pools()` closes
them at shutdown. Raises StoreUnavailable when the server cannot be reached (nothing is cached then, so
the next call tries again).
"""

from __future__ import annotations

import threading
from typing import Any, cast

from psycopg_pool import ConnectionPool

_GUARD = threading.Lock()
_POOLS: dict[str, ConnectionPool[Any]] = {}


def pool_for(url: str) -> ConnectionPool[Any]:
    """The process's pool for `url` (opened and migrated on first use)."""
    with _GUARD:
        pool = _POOLS.get(url)
        if pool is not None and not pool.closed:
            return pool
        from netnav.store.postgres.migrate import migrate
        from netnav.store.postgres.pool import open_pool

        pool = cast("ConnectionPool[Any]", open_pool(url))
        try:
            migrate(pool)
        except BaseException:
            pool.close()
            raise
        _POOLS[url] = pool
        return pool


def close_pools() -> None:
    """Close every pool this process opened (server shutdown; tests)."""
    with _GUARD:
        for pool in _POOLS.values():
            pool.close()
        _POOLS.clear()
