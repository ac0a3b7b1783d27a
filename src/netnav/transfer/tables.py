"""Saved cases and session cases as raw rows, read from and written to either backend.

`Tables` hides the two differences that matter here: the placeholder (``?`` for SQLite, ``%s`` for
psycopg) and where a transaction comes from. Session cases of the embedded backend are files
(netnav.cases.CaseStore: <home>/cases/<session digest>/<case id>.json); they become rows
(session digest, case id, profile JSON, saved_at = the file's modification time) and back.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netnav.cases import CASE_ID_PATTERN
from netnav.fileio import atomic_write

CASE_COLUMNS = ("id", "owner", "name", "created_at", "updated_at")
REPORT_COLUMNS = ("id", "case_id", "name", "report_date", "added_at", "profile", "lines", "meta")
FIX_COLUMNS = ("case_id", "field", "value", "action", "at", '"by"')
DIGEST_LENGTH = 40  # netnav.cases.session_digest


@dataclass
class Tables:
    """`transaction()` yields a connection whose `execute(sql, params)` returns a cursor."""

    transaction: Callable[[], AbstractContextManager[Any]]
    placeholder: str

    def sql(self, text: str) -> str:
        return text.replace("%s", self.placeholder)

    def saved_cases(self) -> Iterator[dict[str, Any]]:
        """Every saved case with its report and correction rows (oldest report first)."""
        with self.transaction() as conn:
            cases = conn.execute(f"SELECT {', '.join(CASE_COLUMNS)} FROM saved_cases ORDER BY id").fetchall()
        for case in cases:
            with self.transaction() as conn:
                reports = conn.execute(
                    self.sql(
                        f"SELECT {', '.join(REPORT_COLUMNS)} FROM case_reports WHERE case_id=%s ORDER BY id"
                    ),
                    (case[0],),
                ).fetchall()
                fixes = conn.execute(
                    self.sql(
                        f"SELECT {', '.join(FIX_COLUMNS)} FROM case_corrections WHERE case_id=%s ORDER BY field"
                    ),
                    (case[0],),
                ).fetchall()
            yield {
                "case": list(case),
                "reports": [list(r) for r in reports],
                "corrections": [list(f) for f in fixes],
            }

    def put_saved_case(self, row: dict[str, Any]) -> bool:
        """Insert one saved case with its reports and corrections in one transaction; False (nothing
        written) when a case with its id is already there (a resumed import). Report ids are kept unless
        the target already uses one for another case, then the target numbers it."""
        case = row["case"]
        with self.transaction() as conn:
            if conn.execute(self.sql("SELECT 1 FROM saved_cases WHERE id=%s"), (case[0],)).fetchone():
                return False
            conn.execute(
                self.sql(f"INSERT INTO saved_cases({', '.join(CASE_COLUMNS)}) VALUES (%s,%s,%s,%s,%s)"), case
            )
            for report in row["reports"]:
                taken = conn.execute(
                    self.sql("SELECT 1 FROM case_reports WHERE id=%s"), (report[0],)
                ).fetchone()
                columns, values = (REPORT_COLUMNS[1:], report[1:]) if taken else (REPORT_COLUMNS, report)
                marks = ",".join(["%s"] * len(values))
                conn.execute(
                    self.sql(f"INSERT INTO case_reports({', '.join(columns)}) VALUES ({marks})"), values
                )
            for fix in row["corrections"]:
                conn.execute(
                    self.sql(
                        f"INSERT INTO case_corrections({', '.join(FIX_COLUMNS)}) VALUES (%s,%s,%s,%s,%s,%s)"
                    ),
                    fix,
                )
        return True

    def after_reports(self) -> None:
        """PostgreSQL: move the report id sequence past the ids copied in (SQLite needs nothing)."""
        if self.placeholder == "%s":
            with self.transaction() as conn:
                conn.execute(
                    "SELECT setval(pg_get_serial_sequence('case_reports', 'id'),"
                    " GREATEST((SELECT MAX(id) FROM case_reports), 1))"
                )

    def session_cases(self) -> Iterator[list[Any]]:
        with self.transaction() as conn:
            yield from (
                list(r)
                for r in conn.execute(
                    "SELECT session, case_id, profile, saved_at FROM session_cases ORDER BY session, case_id"
                ).fetchall()
            )

    def put_session_case(self, row: list[Any]) -> bool:
        with self.transaction() as conn:
            done = conn.execute(
                self.sql(
                    "INSERT INTO session_cases(session, case_id, profile, saved_at) VALUES (%s,%s,%s,%s)"
                    " ON CONFLICT DO NOTHING"
                ),
                tuple(row),
            ).rowcount
        return bool(done)

    def count(self, table: str) -> int:
        with self.transaction() as conn:
            return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def file_session_cases(cases_dir: Path) -> Iterator[list[Any]]:
    """Session cases stored as files, as rows (session digest, case id, profile JSON, saved_at)."""
    if not cases_dir.is_dir():
        return
    for folder in sorted(cases_dir.iterdir()):
        if not folder.is_dir() or len(folder.name) != DIGEST_LENGTH:
            continue
        for path in sorted(folder.glob("*.json")):
            if CASE_ID_PATTERN.fullmatch(path.stem):
                yield [folder.name, path.stem, path.read_text(encoding="utf-8"), path.stat().st_mtime]


def put_file_session_case(cases_dir: Path, row: list[Any]) -> bool:
    """Write one session case file (keeping its time); False when it is already there."""
    digest, case_id, profile, saved_at = row
    if len(str(digest)) != DIGEST_LENGTH or not CASE_ID_PATTERN.fullmatch(str(case_id)):
        return False
    folder = cases_dir / str(digest)
    path = folder / f"{case_id}.json"
    if path.exists():
        return False
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    atomic_write(path, str(profile))
    os.utime(path, (float(saved_at), float(saved_at)))
    return True


def count_file_session_cases(cases_dir: Path) -> int:
    return sum(1 for _ in file_session_cases(cases_dir))
