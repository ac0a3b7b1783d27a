"""Loading into an empty library: the postings' indexes and the foreign keys of the tables that grow
fastest are dropped inside the load's transaction and made again once after it, which is much cheaper
than keeping them up to date row by row (at 10k passages the postings are ~750k rows).

    with set_aside(conn, empty=True):
        ... COPY rows ...

The definitions are read from the catalog (pg_get_constraintdef / pg_get_indexdef), so what is made
again is exactly what the migrations made. Everything happens inside the caller's transaction: if the
load fails, the rollback restores the indexes and constraints too. Meanwhile the load holds an exclusive
lock on those tables, so readers of the same database wait for it; that is why this is only done when
the library is empty (nothing to read yet). Constraint validation is one join per foreign key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql

Conn = psycopg.Connection[Any]

#: Tables whose indexes (postings) or foreign keys (both) are set aside during a load into an empty library.
INDEXED = ("postings",)
REFERENCING = ("postings", "passage_vectors")
#: Memory for the index builds after the load (PostgreSQL's default 64 MB sorts on disk at 100k passages).
BUILD_MEMORY = "256MB"


@contextmanager
def set_aside(conn: Conn, empty: bool) -> Iterator[None]:
    """Drop, then after the block re-create, the indexes of INDEXED and the foreign keys of REFERENCING
    (only when `empty`; otherwise the block runs with everything in place)."""
    if not empty:
        yield
        return
    keys = [(t, n, d) for t in REFERENCING for n, d in _constraints(conn, t, "f")]
    primary = [(t, n, d) for t in INDEXED for n, d in _constraints(conn, t, "p")]
    plain = [(t, n, d) for t in INDEXED for n, d in _plain_indexes(conn, t)]
    for table, name, _ in keys + primary:
        conn.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.Identifier(table), sql.Identifier(name))
        )
    for _, name, _ in plain:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    yield
    conn.execute(sql.SQL("SET LOCAL maintenance_work_mem = {}").format(sql.Literal(BUILD_MEMORY)))
    for table, name, definition in primary + keys:
        conn.execute(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(sql.Identifier(table), sql.Identifier(name))
            + sql.SQL(definition)  # from pg_get_constraintdef, not user input
        )
    for _, _, definition in plain:
        conn.execute(sql.SQL(definition))  # from pg_get_indexdef, not user input


def _constraints(conn: Conn, table: str, kind: str) -> list[tuple[str, str]]:
    cur = conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype = %s ORDER BY conname",
        (table, kind),
    )
    return [(str(r[0]), str(r[1])) for r in cur]


def _plain_indexes(conn: Conn, table: str) -> list[tuple[str, str]]:
    """Indexes of `table` that no constraint owns (those go with their constraint)."""
    cur = conn.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        " WHERE x.indrelid = %s::regclass"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
        " ORDER BY i.relname",
        (table,),
    )
    return [(str(r[0]), str(r[1])) for r in cur]
