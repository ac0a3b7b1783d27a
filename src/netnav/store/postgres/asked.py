"""Web answers kept by opaque id, in PostgreSQL (migration 0052), for several server processes.

The web keeps each answered question under a random id so that no question travels in a URL; the POST
that answers and the GET it redirects to may reach different workers, so on PostgreSQL the entries live
here. Entries are opaque JSON text to this module (the web layer owns their shape), keyed by the
session's digest (never the session id) and the entry id; each session keeps its newest `per_session`.
They go with "Delete my data" (`forget`) and with the session's other data after CASE_MAX_AGE_DAYS
(netnav.store.postgres.sessions.PostgresSessionCases.expire). Raises StoreUnavailable.
"""

from __future__ import annotations

import time

from netnav.cases import session_digest
from netnav.store.postgres.access import rows, transaction
from netnav.store.postgres.shared import pool_for


class PostgresAnswerRecords:
    """put / get / list / forget of one session's entries (see the module docstring)."""

    def __init__(self, url: str) -> None:
        self.url = url  # the process's shared pool is looked up per call (it may have been reopened)

    def put(self, session: str, entry_id: str, payload: str, per_session: int) -> None:
        digest = session_digest(session)
        with transaction(pool_for(self.url)) as conn:
            conn.execute(
                "INSERT INTO asked_answers(session, id, payload, created_at) VALUES (%s,%s,%s,%s)"
                " ON CONFLICT (session, id) DO UPDATE SET payload=EXCLUDED.payload",
                (digest, entry_id, payload, time.time()),
            )
            conn.execute(
                "DELETE FROM asked_answers WHERE session=%s AND id NOT IN (SELECT id FROM asked_answers"
                " WHERE session=%s ORDER BY created_at DESC LIMIT %s)",
                (digest, digest, per_session),
            )

    def get(self, session: str, entry_id: str) -> str | None:
        found = rows(
            pool_for(self.url),
            "SELECT payload FROM asked_answers WHERE session=%s AND id=%s",
            (session_digest(session), entry_id),
        )
        return str(found[0][0]) if found else None

    def list(self, session: str) -> list[str]:
        """The session's entries, oldest first."""
        found = rows(
            pool_for(self.url),
            "SELECT payload FROM asked_answers WHERE session=%s ORDER BY created_at, id",
            (session_digest(session),),
        )
        return [str(r[0]) for r in found]

    def forget(self, session: str) -> None:
        with transaction(pool_for(self.url)) as conn:
            conn.execute("DELETE FROM asked_answers WHERE session=%s", (session_digest(session),))
