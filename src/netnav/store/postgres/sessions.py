"""Per-session cases on PostgreSQL, shared by every server process on the database.

`PostgresSessionCases`: the cases uploaded in a browser/API session (the files backend is
netnav.cases.CaseStore), keyed by the session's digest (netnav.cases.session_digest), never the id.
`expire` also deletes the follow-up memory (netnav.conversation.PostgresConversations) and the web's
answers kept by id (netnav.store.postgres.asked) unused as long.
Connection loss raises StoreUnavailable.
"""

from __future__ import annotations

import time
from typing import Any

from psycopg_pool import ConnectionPool
from pydantic import ValidationError

from netnav.cases import CASE_MAX_AGE_DAYS, CaseStoreError, check_case_id, session_digest
from netnav.errors import CaseNotFoundError
from netnav.store.postgres.access import rows, transaction
from netnav.types.case import CaseProfile


class PostgresSessionCases:
    """Same operations as netnav.cases.CaseStore (save, load, list_ids, delete, delete_all, expire)."""

    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self.pool = pool

    def save(self, session: str, profile: CaseProfile) -> str:
        """Store (or replace) the profile under its case id; returns the case id."""
        case_id = check_case_id(profile.case_id)
        with transaction(self.pool) as conn:
            conn.execute(
                "INSERT INTO session_cases(session, case_id, profile, saved_at) VALUES (%s,%s,%s,%s)"
                " ON CONFLICT (session, case_id) DO UPDATE SET profile=EXCLUDED.profile,"
                " saved_at=EXCLUDED.saved_at",
                (session_digest(session), case_id, profile.model_dump_json(), time.time()),
            )
        return case_id

    def load(self, session: str, case_id: str) -> CaseProfile:
        found = rows(
            self.pool,
            "SELECT profile FROM session_cases WHERE session=%s AND case_id=%s",
            (session_digest(session), check_case_id(case_id)),
        )
        if not found:
            raise CaseNotFoundError("no such case in this session")
        try:
            return CaseProfile.model_validate_json(str(found[0][0]))
        except ValidationError as exc:
            raise CaseStoreError("a stored case could not be read") from exc

    def list_ids(self, session: str) -> list[str]:
        """This session's case ids, most recently saved first."""
        found = rows(
            self.pool,
            "SELECT case_id FROM session_cases WHERE session=%s ORDER BY saved_at DESC, case_id",
            (session_digest(session),),
        )
        return [str(r[0]) for r in found]

    def delete(self, session: str, case_id: str) -> bool:
        with transaction(self.pool) as conn:
            gone = conn.execute(
                "DELETE FROM session_cases WHERE session=%s AND case_id=%s",
                (session_digest(session), check_case_id(case_id)),
            ).rowcount
        return bool(gone)

    def delete_all(self, session: str) -> int:
        with transaction(self.pool) as conn:
            return int(
                conn.execute(
                    "DELETE FROM session_cases WHERE session=%s", (session_digest(session),)
                ).rowcount
            )

    def expire(self, max_age_days: float = CASE_MAX_AGE_DAYS, now: float | None = None) -> int:
        """Delete the cases of sessions with no case saved for `max_age_days`; returns how many sessions
        went (as CaseStore.expire)."""
        cutoff = (now or time.time()) - max_age_days * 86400
        with transaction(self.pool) as conn:
            stale = conn.execute(
                "SELECT session FROM session_cases GROUP BY session HAVING MAX(saved_at) < %s", (cutoff,)
            ).fetchall()
            for (session,) in stale:
                conn.execute("DELETE FROM session_cases WHERE session=%s", (session,))
            conn.execute("DELETE FROM conversations WHERE updated_at < %s", (cutoff,))
            conn.execute("DELETE FROM asked_answers WHERE created_at < %s", (cutoff,))
        return len(stale)
