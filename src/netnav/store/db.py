"""SQLite document store with numbered migrations; one transaction per document."""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

from netnav.errors import StoreError
from netnav.store.versions import reconcile, version_of
from netnav.types.documents import Document, Passage, StoredDocument

Outcome = Literal["added", "unchanged"]


@dataclass(frozen=True)
class AddOutcome:
    doc_id: str
    outcome: Outcome
    passages: int


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("netnav.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


R = TypeVar("R")


def damaged(path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    if isinstance(exc, sqlite3.OperationalError):
        return StoreError(f"cannot read the document store {path}: {_reason(exc)}")
    return StoreError(
        f"the document store {path} is damaged ({exc}); restore it from a backup, or move it aside and "
        "ingest your documents again"
    )


def _reading(method: Callable[..., R]) -> Callable[..., R]:
    """Reads raise one StoreError naming the store (never a bare sqlite3 error) when it is damaged."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise damaged(self.path, exc) from exc

    return wrapper


class Store:
    """Documents and passages in SQLite. Safe to reopen after a crash: every write is transactional."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_only = False
        self.read_only_reason = ""
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new home: its owner's only
            self._conn = sqlite3.connect(
                str(path), timeout=30.0, isolation_level=None, check_same_thread=False
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except (sqlite3.OperationalError, OSError) as exc:
            if not path.is_file():
                raise StoreError(f"cannot create the document store {path}: {_reason(exc)}") from exc
            self._open_read_only(exc)
            self.read_only_reason = _home_problem(path.parent, exc)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from exc

    def _open_read_only(self, cause: BaseException) -> None:
        """A home we cannot write (read-only disk or folder): read the store as it is, write nothing."""
        try:
            self._conn = sqlite3.connect(
                f"file:{self.path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
            )
            self._conn.execute("SELECT COUNT(*) FROM documents").fetchone()
        except sqlite3.DatabaseError:
            try:
                self._conn = sqlite3.connect(
                    f"file:{self.path}?immutable=1", uri=True, isolation_level=None, check_same_thread=False
                )
                self._conn.execute("SELECT COUNT(*) FROM documents").fetchone()
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"cannot open store {self.path}: {_reason(cause)}") from exc
        self.read_only = True

    def close(self) -> None:
        """Close; a clean close folds the write-ahead log into the database file first."""
        if not self.read_only:
            with suppress(sqlite3.DatabaseError):  # never blocks; a busy reader just leaves some for later
                self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction. A full disk or a read-only home raises one StoreError naming the
        cause; nothing is half-written."""
        if self.read_only:
            raise StoreError(
                f"cannot write to the data home {self.path.parent} ({self.read_only_reason}): nothing can be "
                "added or changed; answers still work"
            )
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write to the document store {self.path}: {_reason(exc)}") from exc
        try:
            yield self._conn
        except sqlite3.OperationalError as exc:
            self._conn.execute("ROLLBACK")
            raise StoreError(f"cannot write to the document store {self.path}: {_reason(exc)}") from exc
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            try:
                self._conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise StoreError(f"cannot write to the document store {self.path}: {_reason(exc)}") from exc

    def _migrate(self) -> None:
        self._conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)")
        done = {row[0] for row in self._conn.execute("SELECT version FROM schema_migrations")}
        for version, sql in _migrations():
            if version in done:
                continue
            with self.transaction() as conn:
                for statement in sql.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations(version) VALUES (?)", (version,))

    @_reading
    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        """Run one read-only statement and return all its rows (used by the case repository)."""
        return [tuple(r) for r in self._conn.execute(sql, tuple(params))]

    @_reading
    def schema_version(self) -> int:
        row = self._conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # -- writes -------------------------------------------------------------------------------

    def add_document(
        self, doc: Document, passages: Sequence[Passage], builtin: bool = False, owner: str | None = None
    ) -> AddOutcome:
        """Insert a document and all its passages atomically; an existing id is left untouched. `owner`:
        the session digest a web upload belongs to (None = the shared library)."""
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE id=?", (doc.id,)).fetchone():
                return AddOutcome(doc.id, "unchanged", 0)
            conn.execute(
                "INSERT INTO documents(id, kind, title, source_path, format, publisher, year, version,"
                " identifiers, status, meta, builtin, owner) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.id,
                    doc.kind,
                    doc.title,
                    doc.source_path,
                    doc.format,
                    doc.publisher,
                    doc.year,
                    doc.version,
                    json.dumps(doc.identifiers),
                    doc.status,
                    json.dumps(doc.meta),
                    int(builtin),
                    owner,
                ),
            )
            conn.executemany(
                "INSERT OR IGNORE INTO passages"
                '(id, doc_id, ordinal, text, start, "end", page, section, plain, meta)'
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        p.id,
                        doc.id,
                        p.ordinal,
                        p.text,
                        p.start,
                        p.end,
                        p.page,
                        p.section,
                        p.plain,
                        json.dumps(p.meta),
                    )
                    for p in passages
                ],
            )
            if doc.format == "spl" and doc.identifiers.get("setid"):
                _reconcile_label_versions(conn, doc.identifiers["setid"])
            _bump_generation(conn)
        return AddOutcome(doc.id, "added", len(passages))

    def remove_builtin_except(self, keep_ids: set[str]) -> int:
        """Drop built-in documents whose content changed (their hash is no longer among `keep_ids`)."""
        with self.transaction() as conn:
            stale = [
                r[0] for r in conn.execute("SELECT id FROM documents WHERE builtin=1") if r[0] not in keep_ids
            ]
            for doc_id in stale:
                conn.execute("DELETE FROM documents WHERE id=?", (doc_id,))
            if stale:
                _bump_generation(conn)
        return len(stale)

    def log_ingest(self, path: str, doc_id: str | None, outcome: str, reason: str | None = None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO ingest_log(path, doc_id, outcome, reason) VALUES (?,?,?,?)",
                (path, doc_id, outcome, reason),
            )

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO metadata(key, value) VALUES (?,?)", (key, value))

    @_reading
    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM metadata WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    # -- reads --------------------------------------------------------------------------------

    @_reading
    def fingerprint(self) -> str:
        """Changes whenever the set of documents changes; the search index records the one it was built from.

        O(1) per call: the generation counter and the passage count are both kept in ``metadata`` by the
        transaction of every write (a store written by older code gets its count once, here)."""
        meta = dict(
            self._conn.execute(
                "SELECT key, value FROM metadata WHERE key IN ('generation', 'passages')"
            ).fetchall()
        )
        if "passages" not in meta:
            with self.transaction() as conn:
                _record_passage_count(conn)
            return self.fingerprint()
        return f"{meta['passages']}-g{meta.get('generation', 0)}"

    @_reading
    def count(self) -> tuple[int, int]:
        docs = self._conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        passages = self._conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        return int(docs), int(passages)

    def iter_passages(self) -> Iterator[tuple[Passage, Document]]:
        docs = {d.id: d for d in self.documents()}
        try:
            cur = self._conn.execute(
                'SELECT id, doc_id, ordinal, text, start, "end", page, section, plain, meta FROM passages'
                " ORDER BY doc_id, ordinal"
            )
            for row in cur:
                if row[1] in docs:  # skip docs committed after `docs` was read (other process)
                    yield _passage(row), docs[row[1]]
        except sqlite3.DatabaseError as exc:
            raise damaged(self.path, exc) from exc

    @_reading
    def documents(self) -> list[Document]:
        cur = self._conn.execute(
            "SELECT id, kind, title, source_path, format, publisher, year, version, identifiers, status, meta"
            " FROM documents ORDER BY kind, title"
        )
        return [_document(r) for r in cur]

    @_reading
    def document_rows(self, owner: str | None = None) -> list[StoredDocument]:
        """The shared library's documents, plus `owner`'s own when given, with passage count, origin and
        time added, for `netnav sources` and the web's sources page."""
        cur = self._conn.execute(
            "SELECT d.id, d.kind, d.title, d.source_path, d.format, d.publisher, d.year, d.version,"
            " d.identifiers, d.status, d.meta, COUNT(p.id), d.builtin, d.added_at FROM documents d"
            " LEFT JOIN passages p ON p.doc_id = d.id WHERE d.owner IS NULL OR d.owner = ?"
            " GROUP BY d.id ORDER BY d.builtin, d.kind, d.title",
            (owner,),
        )
        return [
            StoredDocument(
                doc=_document(r[:11]), passages=int(r[11]), builtin=bool(r[12]), added_at=str(r[13])
            )
            for r in cur
        ]

    @_reading
    def owned_documents(self) -> dict[str, str]:
        """doc id -> owner digest, for every document that belongs to a session (not the shared library)."""
        cur = self._conn.execute("SELECT id, owner FROM documents WHERE owner IS NOT NULL")
        return {str(r[0]): str(r[1]) for r in cur}

    def delete_owned(self, doc_id: str, owner: str) -> str | None:
        """Delete one document of `owner` (and its passages); returns its source path ("" when it had
        none), or None when it is not theirs or absent."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT source_path FROM documents WHERE id=? AND owner=?", (doc_id, owner)
            ).fetchone()
            if row is None:
                return None
            conn.execute("DELETE FROM documents WHERE id=? AND owner=?", (doc_id, owner))
            _bump_generation(conn)
        return str(row[0] or "")

    @_reading
    def passages_by_ids(self, ids: Sequence[str]) -> dict[str, tuple[Passage, Document]]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        cur = self._conn.execute(
            'SELECT p.id, p.doc_id, p.ordinal, p.text, p.start, p."end", p.page, p.section, p.plain, p.meta,'
            " d.id, d.kind, d.title, d.source_path, d.format, d.publisher, d.year, d.version, d.identifiers,"
            f" d.status, d.meta FROM passages p JOIN documents d ON d.id = p.doc_id WHERE p.id IN ({marks})",
            list(ids),
        )
        return {row[0]: (_passage_memo(tuple(row[:10])), _document_memo(tuple(row[10:]))) for row in cur}


def _reconcile_label_versions(conn: sqlite3.Connection, setid: str) -> None:
    """Versions of one label (same SPL set id): newest current, older superseded or withdrawn (rules in
    netnav.store.versions); runs inside the caller's write transaction."""
    rows = conn.execute(
        "SELECT id, version, meta, status FROM documents WHERE format='spl'"
        " AND json_extract(identifiers, '$.setid') = ?",
        (setid,),
    ).fetchall()
    if len(rows) < 2:
        return
    metas = {str(r[0]): dict(json.loads(r[2] or "{}")) for r in rows}
    versions = [version_of(r[1], metas[str(r[0])], str(r[0])) for r in rows]
    for doc_id, result in reconcile(versions).items():
        meta = metas[doc_id]
        meta.pop("superseded_by", None)
        meta.pop("withdrawn_indications", None)
        if result.superseded_by:
            meta["superseded_by"] = result.superseded_by
        if result.withdrawn_indications:
            meta["withdrawn_indications"] = json.dumps(list(result.withdrawn_indications))
        conn.execute(
            "UPDATE documents SET status=?, meta=? WHERE id=?", (result.status, json.dumps(meta), doc_id)
        )


def _home_problem(folder: Path, exc: BaseException) -> str:
    """Why the data home cannot be written: read-only, full, or the error's own words."""
    if not os.access(folder, os.W_OK):
        return "the data home is read-only"
    try:
        stat = os.statvfs(folder)
        if stat.f_bavail * stat.f_frsize < 1024 * 1024:
            return "the disk is full"
    except OSError:
        pass
    return _reason(exc)


def _reason(exc: BaseException) -> str:
    text = str(exc).lower()
    if "full" in text or getattr(exc, "errno", None) == 28:
        return "the disk is full"
    if "readonly" in text or "read-only" in text or getattr(exc, "errno", None) in (13, 30):
        return "the data home is read-only"
    return getattr(exc, "strerror", None) or str(exc)


def _bump_generation(conn: sqlite3.Connection) -> None:
    """Inside a write transaction, after its changes: next generation, and the passage count."""
    conn.execute(
        "INSERT INTO metadata(key, value) VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE "
        "SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
    )
    _record_passage_count(conn)


def _record_passage_count(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO metadata(key, value) VALUES ('passages', (SELECT COUNT(*) FROM passages))"
    )


def _passage(row: Sequence[object]) -> Passage:
    return Passage(
        id=str(row[0]),
        doc_id=str(row[1]),
        ordinal=int(str(row[2])),
        text=str(row[3]),
        start=int(str(row[4])),
        end=int(str(row[5])),
        page=None if row[6] is None else int(str(row[6])),
        section=None if row[7] is None else str(row[7]),
        plain=None if row[8] is None else str(row[8]),
        meta=json.loads(str(row[9])),
    )


@functools.lru_cache(maxsize=2048)
def _passage_memo(row: tuple[object, ...]) -> Passage:
    """`_passage` memoised on the row's own column values (so a changed, re-ingested or deleted row can
    never be served from the cache: its values are the key); passages are frozen and shared read-only."""
    return _passage(row)


@functools.lru_cache(maxsize=2048)
def _document_memo(row: tuple[object, ...]) -> Document:
    """`_document` memoised on the row's own column values, like `_passage_memo`: spares the JSON parse
    and pydantic validation of the same document on every search."""
    return _document(row)


def _document(row: Sequence[object]) -> Document:
    return Document.model_validate(
        {
            "id": row[0],
            "kind": row[1],
            "title": row[2],
            "source_path": row[3],
            "format": row[4],
            "publisher": row[5],
            "year": row[6],
            "version": row[7],
            "identifiers": json.loads(str(row[8])),
            "status": row[9],
            "meta": json.loads(str(row[10])),
        }
    )
