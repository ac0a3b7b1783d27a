"""The connection pool (psycopg 3 + psycopg_pool) for a ``postgresql://`` URL.

Connections are in autocommit mode and are not pinged on checkout (a round trip per use): one that
broke (server restart, network) fails its statement with psycopg.OperationalError, which the store
raises as StoreUnavailable. The first broken connection returned makes the pool test all its idle
ones (:class:`RecoveringPool`), so after a server restart only the requests that were using a
connection at the time fail, not one request per idle connection long afterwards. A unit of work
that must be atomic uses ``conn.transaction()`` (see PostgresStore.transaction). The pgvector type is registered
on every new connection once the extension exists (migration 0001 creates it).
"""

from __future__ import annotations

import logging
import os
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from netnav.errors import StoreUnavailable

log = logging.getLogger("netnav.store.postgres")

#: Connections per process: enough for the server's worker threads; ``$NETNAV_DB_POOL_MAX`` overrides.
POOL_MAX = 8
#: Seconds to wait for the first connection (and for a free one later) before StoreUnavailable.
CONNECT_TIMEOUT = 10.0


def _pool_max() -> int:
    raw = os.environ.get("NETNAV_DB_POOL_MAX", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else POOL_MAX


#: HNSW candidates per search (pgvector's default is 40): at least the 40 candidates retrieval takes
#: per retriever, with room for the re-ranking pool of the embedded ANN index (netnav.store.vectors).
EF_SEARCH = 100


def _configure(conn: psycopg.Connection[Any]) -> None:
    """Per connection: HNSW search settings (iterative scan: a filtered search still fills its k) and
    pgvector's types once the extension is installed (before migration 0001 it is not)."""
    from pgvector.psycopg import register_vector

    conn.execute(f"SET hnsw.ef_search = {EF_SEARCH}")
    conn.execute("SET hnsw.iterative_scan = strict_order")
    row = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone()
    if row is not None:
        register_vector(conn)


class RecoveringPool(ConnectionPool):
    """A pool that, when a connection comes back broken, tests every idle connection at once and
    replaces the broken ones (psycopg_pool's ``check``). Without it, each idle connection of a pool
    whose server restarted failed one later request with 503, for minutes after the restart."""

    def putconn(self, conn: Any) -> None:
        broken = bool(conn.closed)
        super().putconn(conn)
        if broken:
            try:
                self.check()
            except Exception as exc:  # noqa: BLE001 - a failed check only delays recovery
                log.warning("checking the pool's connections failed: %s", exc)


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the configured database"
    host = info.get("host") or "localhost"
    return f"postgresql://{info.get('user') or ''}@{host}/{info.get('dbname') or ''}"


def open_pool(url: str, max_size: int | None = None, timeout: float = CONNECT_TIMEOUT) -> ConnectionPool:
    """An open pool for `url`, after checking one connection works.

    Raises StoreUnavailable (a StoreError) when the server cannot be reached within `timeout` seconds,
    refuses the login, or the URL is malformed; the message names the server without the password."""
    try:
        pool: ConnectionPool = RecoveringPool(
            url,
            min_size=1,
            max_size=max_size or _pool_max(),
            kwargs={"autocommit": True, "connect_timeout": max(1, int(timeout))},
            configure=_configure,
            timeout=timeout,
            open=False,
            name="netnav",
        )
    except psycopg.ProgrammingError as exc:
        raise StoreUnavailable(f"the database URL is not valid: {exc}") from exc
    try:
        pool.open(wait=True, timeout=timeout)
    except (PoolTimeout, psycopg.OperationalError) as exc:
        pool.close()
        raise StoreUnavailable(
            f"cannot reach the database server {redact(url)} (is PostgreSQL running and the URL right?)"
        ) from exc
    return pool
