"""Saved, named cases on PostgreSQL: the `CaseRepository` of netnav.store.cases over a connection pool.

Tables from migration 0050 (same columns as the SQLite store's 0003, so export/import copies them as
they are). Every write is one transaction; every statement is scoped by `owner`, so another owner's case
reads as missing. Case-insensitive name uniqueness is enforced by a unique index on (owner, lower(name)),
so two server processes creating the same name at once get one case and one CaseNameTakenError.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from netnav.errors import CaseNameTakenError, SavedCaseNotFoundError
from netnav.store.cases import check_name, now_iso, pick_case, saved_from_rows, summary_row
from netnav.store.postgres.access import Conn, rows, transaction
from netnav.types.case import UserValue
from netnav.types.casebook import CaseSummary, NewReport, SavedCase

_SUMMARY = (
    "SELECT c.id, c.name, c.created_at, c.updated_at, COUNT(r.id) FROM saved_cases c"
    " LEFT JOIN case_reports r ON r.case_id = c.id"
)


class PostgresCaseRepository:
    """CaseRepository over PostgreSQL (see the module docstring). Raises StoreUnavailable when
    the server cannot be reached, SavedCaseNotFoundError / CaseNameTakenError / BadInputError as the
    SQLite repository does."""

    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self.pool = pool

    def create(self, owner: str, name: str) -> CaseSummary:
        clean = check_name(name)
        case_id = "sc-" + secrets.token_hex(8)
        at = now_iso()
        try:
            with transaction(self.pool) as conn:
                _check_free(conn, owner, clean, None)
                conn.execute(
                    "INSERT INTO saved_cases(id, owner, name, created_at, updated_at)"
                    " VALUES (%s,%s,%s,%s,%s)",
                    (case_id, owner, clean, at, at),
                )
        except psycopg.errors.UniqueViolation as exc:  # the same name created by another process meanwhile
            raise CaseNameTakenError(f"a case named {clean!r} already exists") from exc
        return CaseSummary(id=case_id, name=clean, created_at=at, updated_at=at, reports=0)

    def list_cases(self, owner: str) -> list[CaseSummary]:
        found = rows(
            self.pool,
            _SUMMARY + " WHERE c.owner=%s GROUP BY c.id ORDER BY c.updated_at DESC, c.name",
            (owner,),
        )
        return [summary_row(r) for r in found]

    def find(self, owner: str, name_or_id: str) -> CaseSummary:
        """By exact id, else by name (whitespace-normalised, then case-insensitive). An id (what the API
        and web send) is looked up alone, by primary key; only a name reads the owner's whole list."""
        key = " ".join(name_or_id.split())
        if key.startswith("sc-"):
            found = rows(self.pool, _SUMMARY + " WHERE c.owner=%s AND c.id=%s GROUP BY c.id", (owner, key))
            if found:
                return summary_row(found[0])
        return pick_case(rows(self.pool, _SUMMARY + " WHERE c.owner=%s GROUP BY c.id", (owner,)), name_or_id)

    def find_id(self, owner: str, case_id: str) -> CaseSummary:
        found = rows(self.pool, _SUMMARY + " WHERE c.owner=%s AND c.id=%s GROUP BY c.id", (owner, case_id))
        if not found:
            raise SavedCaseNotFoundError("no such saved case")
        return summary_row(found[0])

    def load(self, owner: str, case_id: str) -> SavedCase:
        with transaction(self.pool) as conn:  # one snapshot: summary, reports and corrections agree
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            head = conn.execute(
                _SUMMARY + " WHERE c.owner=%s AND c.id=%s GROUP BY c.id", (owner, case_id)
            ).fetchall()
            if not head:
                raise SavedCaseNotFoundError("no such saved case")
            reports = conn.execute(
                "SELECT id, name, report_date, added_at, profile, lines, meta FROM case_reports"
                " WHERE case_id=%s ORDER BY id",
                (case_id,),
            ).fetchall()
            fixes = conn.execute(
                'SELECT field, value, action, at, "by" FROM case_corrections WHERE case_id=%s', (case_id,)
            ).fetchall()
        return saved_from_rows(summary_row(head[0]), list(reports), list(fixes))

    def rename(self, owner: str, case_id: str, name: str) -> CaseSummary:
        clean = check_name(name)
        try:
            with transaction(self.pool) as conn:
                _check_free(conn, owner, clean, case_id)
                done = conn.execute(
                    "UPDATE saved_cases SET name=%s, updated_at=%s WHERE id=%s AND owner=%s",
                    (clean, now_iso(), case_id, owner),
                ).rowcount
        except psycopg.errors.UniqueViolation as exc:
            raise CaseNameTakenError(f"a case named {clean!r} already exists") from exc
        if not done:
            raise SavedCaseNotFoundError("no such saved case")
        return self.find_id(owner, case_id)

    def delete(self, owner: str, case_id: str) -> None:
        with transaction(self.pool) as conn:
            gone = conn.execute("DELETE FROM saved_cases WHERE id=%s AND owner=%s", (case_id, owner)).rowcount
        if not gone:
            raise SavedCaseNotFoundError("no such saved case")

    def delete_owner(self, owner: str) -> int:
        with transaction(self.pool) as conn:
            return int(conn.execute("DELETE FROM saved_cases WHERE owner=%s", (owner,)).rowcount)

    def add_reports(self, owner: str, case_id: str, reports: list[NewReport]) -> None:
        at = now_iso()
        with transaction(self.pool) as conn:
            _lock_case(conn, owner, case_id)
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO case_reports(case_id, name, report_date, added_at, profile, lines, meta)"
                    " VALUES (%s,%s,%s,%s,%s,%s,%s)",
                    [
                        (
                            case_id,
                            r.name,
                            r.report_date,
                            at,
                            r.profile.model_dump_json(),
                            json.dumps(r.lines, ensure_ascii=False),
                            json.dumps(r.meta),
                        )
                        for r in reports
                    ],
                )
            conn.execute("UPDATE saved_cases SET updated_at=%s WHERE id=%s", (at, case_id))

    def set_correction(self, owner: str, case_id: str, field: str, value: UserValue) -> None:
        with transaction(self.pool) as conn:
            _lock_case(conn, owner, case_id)
            conn.execute(
                'INSERT INTO case_corrections(case_id, field, value, action, at, "by")'
                " VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT (case_id, field) DO UPDATE SET"
                ' value=EXCLUDED.value, action=EXCLUDED.action, at=EXCLUDED.at, "by"=EXCLUDED."by"',
                (case_id, field, json.dumps(value.value), value.action, value.at, value.by),
            )
            conn.execute("UPDATE saved_cases SET updated_at=%s WHERE id=%s", (value.at, case_id))

    def remove_correction(self, owner: str, case_id: str, field: str) -> bool:
        with transaction(self.pool) as conn:
            _lock_case(conn, owner, case_id)
            gone = conn.execute(
                "DELETE FROM case_corrections WHERE case_id=%s AND field=%s", (case_id, field)
            ).rowcount
            if gone:
                conn.execute("UPDATE saved_cases SET updated_at=%s WHERE id=%s", (now_iso(), case_id))
        return bool(gone)


def _lock_case(conn: Conn, owner: str, case_id: str) -> None:
    """Lock the owner's case row for this transaction (a concurrent delete waits); missing -> not found."""
    found = conn.execute(
        "SELECT 1 FROM saved_cases WHERE id=%s AND owner=%s FOR UPDATE", (case_id, owner)
    ).fetchone()
    if found is None:
        raise SavedCaseNotFoundError("no such saved case")


def _check_free(conn: Conn, owner: str, name: str, other_than: str | None) -> None:
    """Names are unique per owner regardless of letter case ("Mum" and "mum" would be ambiguous)."""
    key = name.casefold()
    for case_id, taken in conn.execute("SELECT id, name FROM saved_cases WHERE owner=%s", (owner,)):
        if str(taken).casefold() == key and case_id != other_than:
            raise CaseNameTakenError(f"a case named {name!r} already exists")
