"""Job records in PostgreSQL, so that every server process can report a job another one runs.

The job itself runs in the process that accepted it (netnav.jobs.runner); that runner writes the job's
JobInfo here when it is queued and at every change of state (not at every progress tick), and reads
here for a job it does not know. A cancel that reaches another process is a request written here
(`request_cancel`); the owning runner polls `cancel_requests` for its unfinished jobs and cancels them.
Owner scoping is the runner's: a record of another owner is not returned. Records older than
RECORD_DAYS are deleted as new ones are written.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from typing import Any

from psycopg_pool import ConnectionPool

from netnav.store.postgres.access import rows, transaction
from netnav.types.jobs import JobInfo

RECORD_DAYS = 1.0
_PRUNE_EVERY = 100


class PostgresJobRecords:
    """`put` / `get` / `list` of JobInfo rows (see the module docstring). Raises StoreUnavailable."""

    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self.pool = pool
        self._writes = 0

    def put(self, info: JobInfo) -> None:
        now = time.time()
        self._writes += 1
        with transaction(self.pool) as conn:
            conn.execute(
                "INSERT INTO job_records(id, owner, info, created_at, updated_at) VALUES (%s,%s,%s,%s,%s)"
                " ON CONFLICT (id) DO UPDATE SET info=EXCLUDED.info, updated_at=EXCLUDED.updated_at",
                (info.id, info.owner, info.model_dump_json(), info.created_at, now),
            )
            if self._writes % _PRUNE_EVERY == 0:
                conn.execute("DELETE FROM job_records WHERE updated_at < %s", (now - RECORD_DAYS * 86400,))

    def get(self, job_id: str, owner: str | None) -> JobInfo | None:
        """The job's latest record; None when absent or another owner's (`owner` None = any)."""
        found = rows(self.pool, "SELECT owner, info FROM job_records WHERE id=%s", (job_id,))
        if not found or (owner is not None and found[0][0] != owner):
            return None
        return _info(found[0])

    def request_cancel(self, job_id: str, owner: str | None) -> JobInfo | None:
        """Ask the process running the job to cancel it; the job's latest record, or None when absent
        or another owner's (`owner` None = any). A finished job is returned unchanged."""
        with transaction(self.pool) as conn:
            found = conn.execute(
                "UPDATE job_records SET cancel_requested = true WHERE id = %s"
                " AND (%s::text IS NULL OR owner = %s) RETURNING owner, info",
                (job_id, owner, owner),
            ).fetchone()
        return None if found is None else _info(found)

    def cancel_requests(self, job_ids: Collection[str]) -> set[str]:
        """Which of these jobs another process asked to cancel."""
        if not job_ids:
            return set()
        found = rows(
            self.pool,
            "SELECT id FROM job_records WHERE cancel_requested AND id = ANY(%s)",
            (list(job_ids),),
        )
        return {str(r[0]) for r in found}

    def list(self, owner: str | None, limit: int = 200) -> list[JobInfo]:
        """Newest first."""
        if owner is None:
            found = rows(
                self.pool, "SELECT owner, info FROM job_records ORDER BY created_at DESC LIMIT %s", (limit,)
            )
        else:
            found = rows(
                self.pool,
                "SELECT owner, info FROM job_records WHERE owner=%s ORDER BY created_at DESC LIMIT %s",
                (owner, limit),
            )
        return [_info(r) for r in found]


def _info(row: tuple[Any, ...]) -> JobInfo:
    info = JobInfo.model_validate_json(str(row[1]))
    return info.model_copy(update={"owner": None if row[0] is None else str(row[0])})
