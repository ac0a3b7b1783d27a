"""Ingested trial records in PostgreSQL (table `trial_records`, migration 0054): the TrialRecordStore of
netnav.trials.records for a database backend, so that several server processes share one registry.

Each `put` is one transaction (a whole `netnav trials update` run, an import, or one upload's records):
other processes see all of it or none of it. `owner` None is stored as '' (the shared registry).
Raises StoreUnavailable when the database cannot be reached, StoreError when it refuses a write.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool
from pydantic import ValidationError

from netnav.errors import StoreError
from netnav.store.postgres.access import rows, transaction
from netnav.types.trials import Trial

log = logging.getLogger("netnav.trials")
_BATCH = 500


class PostgresTrialRecords:
    """`put` / `records` / `remove` (see the module docstring)."""

    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self.pool = pool

    def put(self, owner: str | None, trials: Iterable[Trial]) -> int:
        written = 0
        try:
            with transaction(self.pool) as conn, conn.cursor() as cur:
                batch: list[tuple[object, ...]] = []
                for trial in trials:
                    batch.append(_row(owner, trial))
                    if len(batch) >= _BATCH:
                        written += _upsert(cur, batch)
                        batch = []
                written += _upsert(cur, batch)
        except psycopg.Error as exc:
            raise StoreError(f"the database refused the trial records: {exc}") from exc
        return written

    def records(self, owner: str | None) -> list[Trial]:
        found = rows(
            self.pool,
            "SELECT nct_id, record FROM trial_records WHERE owner = %s ORDER BY nct_id",
            (owner or "",),
        )
        out: list[Trial] = []
        for nct, record in found:
            try:
                out.append(Trial.model_validate(record))
            except ValidationError:  # written by another version: skipped, not fatal
                log.warning("trial record %s in the database cannot be read and was skipped", nct)
        return out

    def remove(self, owner: str, nct_ids: Collection[str]) -> int:
        if not owner or not nct_ids:
            return 0
        with transaction(self.pool) as conn:
            cur = conn.execute(
                "DELETE FROM trial_records WHERE owner = %s AND nct_id = ANY(%s)", (owner, list(nct_ids))
            )
            return cur.rowcount


def _row(owner: str | None, trial: Trial) -> tuple[object, ...]:
    return (
        owner or "",
        trial.nct_id,
        Jsonb(trial.model_dump(mode="json")),
        trial.last_update,
        trial.snapshot_date,
        trial.fetched_at,
    )


def _upsert(cur: psycopg.Cursor[Any], batch: list[tuple[object, ...]]) -> int:
    if not batch:
        return 0
    cur.executemany(
        "INSERT INTO trial_records(owner, nct_id, record, last_update, snapshot_date, fetched_at)"
        " VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT (owner, nct_id) DO UPDATE SET record = EXCLUDED.record,"
        " last_update = EXCLUDED.last_update, snapshot_date = EXCLUDED.snapshot_date,"
        " fetched_at = EXCLUDED.fetched_at, written_at = now()",
        batch,
    )
    return len(batch)
