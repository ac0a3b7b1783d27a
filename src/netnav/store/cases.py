"""The case repository: saved, named cases behind a small typed interface.

`CaseRepository` is what the rest of NETNav uses; `SqliteCaseRepository` keeps the cases in the data
home's SQLite store (tables from migration 0003). A PostgreSQL backend implements the same protocol.
Every method is scoped by `owner`: a case of another owner is indistinguishable from a missing one.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from datetime import UTC, datetime
from typing import Protocol

from pydantic import ValidationError

from netnav.errors import BadInputError, CaseNameTakenError, SavedCaseNotFoundError, StoreError
from netnav.store.db import Store
from netnav.types.case import CaseProfile, FieldData, UserValue
from netnav.types.casebook import CaseSummary, NewReport, SavedCase, StoredReport

MAX_NAME_CHARS = 120


def now_iso() -> str:
    """Current UTC time as ISO-8601 with seconds, e.g. 2026-11-29T19:40:00Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_name(name: str) -> str:
    """A case name: 1-120 printable characters after trimming; inner whitespace collapsed."""
    clean = " ".join(name.split())
    if not clean:
        raise BadInputError('a case needs a name, e.g. "Dad - pancreatic NET"')
    if len(clean) > MAX_NAME_CHARS:
        raise BadInputError(f"a case name may have at most {MAX_NAME_CHARS} characters")
    if any(not ch.isprintable() for ch in clean):
        raise BadInputError("a case name may not contain control characters")
    return clean


class CaseRepository(Protocol):
    """Saved cases of one data home. Names are unique per owner; ids are opaque random strings."""

    def create(self, owner: str, name: str) -> CaseSummary: ...
    def list_cases(self, owner: str) -> list[CaseSummary]: ...
    def find(self, owner: str, name_or_id: str) -> CaseSummary: ...
    def load(self, owner: str, case_id: str) -> SavedCase: ...
    def rename(self, owner: str, case_id: str, name: str) -> CaseSummary: ...
    def delete(self, owner: str, case_id: str) -> None: ...
    def delete_owner(self, owner: str) -> int: ...
    def add_reports(self, owner: str, case_id: str, reports: list[NewReport]) -> None: ...
    def set_correction(self, owner: str, case_id: str, field: str, value: UserValue) -> None: ...
    def remove_correction(self, owner: str, case_id: str, field: str) -> bool: ...


def saved_from_rows(
    summary: CaseSummary, rows: list[tuple[object, ...]], fixes: list[tuple[object, ...]]
) -> SavedCase:
    """A SavedCase from its report rows (id, name, report_date, added_at, profile, lines, meta; JSON as
    text) and correction rows (field, value, action, at, by): the same for every backend.
    Raises StoreError when a stored row cannot be read back."""
    try:
        reports = [
            StoredReport(
                id=int(str(r[0])),
                name=str(r[1]),
                report_date=None if r[2] is None else str(r[2]),
                added_at=str(r[3]),
                profile=CaseProfile.model_validate_json(str(r[4])),
                lines=json.loads(str(r[5])),
                meta=json.loads(str(r[6])),
            )
            for r in rows
        ]
        corrections = {
            str(f[0]): UserValue(
                value=_field_data(json.loads(str(f[1]))),
                action="corrected" if f[2] == "corrected" else "confirmed",
                at=str(f[3]),
                by=None if f[4] is None else str(f[4]),
            )
            for f in fixes
        }
    except (ValidationError, ValueError) as exc:
        raise StoreError("a saved case could not be read back") from exc
    return SavedCase(summary=summary, reports=reports, corrections=corrections)


def summary_row(row: tuple[object, ...]) -> CaseSummary:
    """A CaseSummary from (id, name, created_at, updated_at, report count)."""
    return CaseSummary(
        id=str(row[0]),
        name=str(row[1]),
        created_at=str(row[2]),
        updated_at=str(row[3]),
        reports=int(str(row[4])),
    )


def pick_case(rows: list[tuple[object, ...]], name_or_id: str) -> CaseSummary:
    """The one summary row matching by exact id, else exact name, else case-insensitive name (names are
    whitespace-normalised first). Raises SavedCaseNotFoundError when none (or several) match."""
    key = " ".join(name_or_id.split())
    for same in (
        lambda r: r[0] == key,
        lambda r: r[1] == key,
        lambda r: str(r[1]).casefold() == key.casefold(),
    ):
        found = [r for r in rows if same(r)]
        if len(found) == 1:
            return summary_row(found[0])
    raise SavedCaseNotFoundError(f"no saved case named {key!r}")


SUMMARY_SQL = (
    "SELECT c.id, c.name, c.created_at, c.updated_at, COUNT(r.id) FROM saved_cases c"
    " LEFT JOIN case_reports r ON r.case_id = c.id"
)


class SqliteCaseRepository:
    """CaseRepository over the SQLite store (one connection; writes are single transactions)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _rows(self, sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
        try:
            return [tuple(r) for r in self.store.query(sql, params)]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot read saved cases: {exc}") from exc

    def create(self, owner: str, name: str) -> CaseSummary:
        clean = check_name(name)
        case_id = "sc-" + secrets.token_hex(8)
        at = now_iso()
        with self.store.transaction() as conn:
            if _name_taken(conn, owner, clean, None):
                raise CaseNameTakenError(f"a case named {clean!r} already exists")
            conn.execute(
                "INSERT INTO saved_cases(id, owner, name, created_at, updated_at) VALUES (?,?,?,?,?)",
                (case_id, owner, clean, at, at),
            )
        return CaseSummary(id=case_id, name=clean, created_at=at, updated_at=at, reports=0)

    def list_cases(self, owner: str) -> list[CaseSummary]:
        rows = self._rows(
            SUMMARY_SQL + " WHERE c.owner=? GROUP BY c.id ORDER BY c.updated_at DESC, c.name", (owner,)
        )
        return [summary_row(r) for r in rows]

    def find(self, owner: str, name_or_id: str) -> CaseSummary:
        """By exact id, else by name (whitespace-normalised, then case-insensitive)."""
        rows = self._rows(SUMMARY_SQL + " WHERE c.owner=? GROUP BY c.id", (owner,))
        return pick_case(rows, name_or_id)

    def load(self, owner: str, case_id: str) -> SavedCase:
        summary = self.find_id(owner, case_id)
        rows = self._rows(
            "SELECT id, name, report_date, added_at, profile, lines, meta FROM case_reports"
            " WHERE case_id=? ORDER BY id",
            (case_id,),
        )
        fixes = self._rows(
            "SELECT field, value, action, at, by FROM case_corrections WHERE case_id=?", (case_id,)
        )
        return saved_from_rows(summary, rows, fixes)

    def find_id(self, owner: str, case_id: str) -> CaseSummary:
        rows = self._rows(SUMMARY_SQL + " WHERE c.owner=? AND c.id=? GROUP BY c.id", (owner, case_id))
        if not rows:
            raise SavedCaseNotFoundError("no such saved case")
        return summary_row(rows[0])

    def rename(self, owner: str, case_id: str, name: str) -> CaseSummary:
        clean = check_name(name)
        self.find_id(owner, case_id)
        with self.store.transaction() as conn:
            if _name_taken(conn, owner, clean, case_id):
                raise CaseNameTakenError(f"a case named {clean!r} already exists")
            conn.execute(
                "UPDATE saved_cases SET name=?, updated_at=? WHERE id=? AND owner=?",
                (clean, now_iso(), case_id, owner),
            )
        return self.find_id(owner, case_id)

    def delete(self, owner: str, case_id: str) -> None:
        with self.store.transaction() as conn:
            gone = conn.execute("DELETE FROM saved_cases WHERE id=? AND owner=?", (case_id, owner)).rowcount
        if not gone:
            raise SavedCaseNotFoundError("no such saved case")

    def delete_owner(self, owner: str) -> int:
        with self.store.transaction() as conn:
            return int(conn.execute("DELETE FROM saved_cases WHERE owner=?", (owner,)).rowcount)

    def add_reports(self, owner: str, case_id: str, reports: list[NewReport]) -> None:
        self.find_id(owner, case_id)
        at = now_iso()
        with self.store.transaction() as conn:
            conn.executemany(
                "INSERT INTO case_reports(case_id, name, report_date, added_at, profile, lines, meta)"
                " VALUES (?,?,?,?,?,?,?)",
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
            conn.execute("UPDATE saved_cases SET updated_at=? WHERE id=?", (at, case_id))

    def set_correction(self, owner: str, case_id: str, field: str, value: UserValue) -> None:
        self.find_id(owner, case_id)
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO case_corrections(case_id, field, value, action, at, by)"
                " VALUES (?,?,?,?,?,?)",
                (case_id, field, json.dumps(value.value), value.action, value.at, value.by),
            )
            conn.execute("UPDATE saved_cases SET updated_at=? WHERE id=?", (value.at, case_id))

    def remove_correction(self, owner: str, case_id: str, field: str) -> bool:
        self.find_id(owner, case_id)
        with self.store.transaction() as conn:
            gone = conn.execute(
                "DELETE FROM case_corrections WHERE case_id=? AND field=?", (case_id, field)
            ).rowcount
            if gone:
                conn.execute("UPDATE saved_cases SET updated_at=? WHERE id=?", (now_iso(), case_id))
        return bool(gone)


def _name_taken(conn: sqlite3.Connection, owner: str, name: str, other_than: str | None) -> bool:
    """Names are unique per owner regardless of letter case ("Mum" and "mum" would be ambiguous)."""
    key = name.casefold()
    rows = conn.execute("SELECT id, name FROM saved_cases WHERE owner=?", (owner,))
    return any(str(n).casefold() == key and i != other_than for i, n in rows)


def _field_data(raw: object) -> FieldData:
    if isinstance(raw, str | int | float | bool):
        return raw
    if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
        return [str(x) for x in raw]
    raise ValueError("stored correction has an unexpected type")
