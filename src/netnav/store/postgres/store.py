"""The document store on PostgreSQL: the same contract as netnav.store.db.Store (see
netnav.store.base.DocumentStore), safe for many processes at once.

Every write is one transaction that first takes one advisory lock (writers queue; readers never
wait), writes the document, its passages and their lexical postings (same tokenizer as the embedded
bm25s index: netnav.store.index.tokenize over index_text), keeps the term document frequencies and
corpus totals, and bumps the generation. Vectors are added afterwards by
netnav.store.postgres.search.sync_vectors (embedding is slow and must not hold the write lock).
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg
from psycopg_pool import ConnectionPool

from netnav.errors import StoreError, StoreUnavailable
from netnav.store.db import AddOutcome
from netnav.store.index import index_text, tokenize
from netnav.store.postgres.migrate import migrate, schema_version
from netnav.store.postgres.pool import open_pool, redact
from netnav.store.postgres.rows import DOC_COLUMNS, PASSAGE_COLUMNS, document_of, passage_of
from netnav.store.versions import reconcile, version_of
from netnav.types.documents import Document, Passage, StoredDocument

#: pg_advisory_xact_lock key every library write takes first ("netnavwr").
WRITE_LOCK = 0x6E65746E61767772
R = TypeVar("R")
Conn = psycopg.Connection[Any]


def _guarded(method: Callable[..., R]) -> Callable[..., R]:
    """psycopg errors leave as StoreUnavailable (connection lost) or StoreError (anything else)."""

    @functools.wraps(method)
    def wrapper(self: PostgresStore, *args: Any, **kwargs: Any) -> R:
        try:
            return method(self, *args, **kwargs)
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"lost the connection to {self.name}: {exc}") from exc
        except psycopg.Error as exc:
            raise StoreError(f"the database {self.name} refused the operation: {exc}") from exc

    return wrapper


class PostgresStore:
    """Documents, passages, lexical postings and vectors in one PostgreSQL database (migrated on open).

    Raises StoreUnavailable when the server cannot be reached."""

    def __init__(self, url: str, pool: ConnectionPool | None = None) -> None:
        self.url = url
        self.name = redact(url)
        self.read_only = False
        self.pool = pool if pool is not None else open_pool(url)
        try:
            migrate(self.pool)
        except BaseException:
            if pool is None:
                self.pool.close()
            raise

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def transaction(self) -> Iterator[Conn]:
        """One write transaction holding the library write lock (writers queue, readers do not)."""
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            yield conn

    @_guarded
    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        """Run one read-only statement (``%s`` placeholders) and return all its rows."""
        with self.pool.connection() as conn:
            return [tuple(r) for r in conn.execute(sql.encode(), tuple(params))]

    @_guarded
    def schema_version(self) -> int:
        return schema_version(self.pool)

    # -- writes -------------------------------------------------------------------------------

    @_guarded
    def add_document(
        self, doc: Document, passages: Sequence[Passage], builtin: bool = False, owner: str | None = None
    ) -> AddOutcome:
        """Insert a document, its passages and their postings atomically; an existing id is left
        untouched. `owner`: the session digest a web upload belongs to (None = the shared library)."""
        tokens = tokenize([index_text(p, doc) for p in passages]) if passages else []
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE id=%s", (doc.id,)).fetchone():
                return AddOutcome(doc.id, "unchanged", 0)
            if builtin:  # packaged cards can always be written again: no wait for the disk flush
                conn.execute("SET LOCAL synchronous_commit = off")
            conn.execute(
                f"INSERT INTO documents({DOC_COLUMNS}, builtin, owner)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
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
                    builtin,
                    owner,
                ),
            )
            _insert_passages(conn, doc, passages, tokens)
            if doc.format == "spl" and doc.identifiers.get("setid"):
                _reconcile_label_versions(conn, doc.identifiers["setid"])
            _bump_generation(conn)
        return AddOutcome(doc.id, "added", len(passages))

    @_guarded
    def remove_builtin_except(self, keep_ids: set[str]) -> int:
        """Drop built-in documents whose content changed (their hash is no longer among `keep_ids`)."""
        with self.transaction() as conn:
            stale = [
                str(r[0])
                for r in conn.execute("SELECT id FROM documents WHERE builtin")
                if r[0] not in keep_ids
            ]
            if stale:
                _delete_documents(conn, stale)
                _bump_generation(conn)
        return len(stale)

    @_guarded
    def log_ingest(self, path: str, doc_id: str | None, outcome: str, reason: str | None = None) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO ingest_log(path, doc_id, outcome, reason) VALUES (%s,%s,%s,%s)",
                (path, doc_id, outcome, reason),
            )

    @_guarded
    def set_meta(self, key: str, value: str) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO metadata(key, value) VALUES (%s,%s) ON CONFLICT (key) DO UPDATE"
                " SET value = EXCLUDED.value",
                (key, value),
            )

    @_guarded
    def get_meta(self, key: str) -> str | None:
        with self.pool.connection() as conn:
            row = conn.execute("SELECT value FROM metadata WHERE key=%s", (key,)).fetchone()
        return None if row is None else str(row[0])

    @_guarded
    def delete_owned(self, doc_id: str, owner: str) -> str | None:
        """Delete one document of `owner` (passages, postings and vectors go with it); returns its source
        path ("" when it had none), or None when it is not theirs or absent."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT source_path FROM documents WHERE id=%s AND owner=%s", (doc_id, owner)
            ).fetchone()
            if row is None:
                return None
            _delete_documents(conn, [doc_id])
            _bump_generation(conn)
        return str(row[0] or "")

    # -- reads --------------------------------------------------------------------------------

    @_guarded
    def fingerprint(self) -> str:
        """``"<passages>-g<generation>"``, both kept by every write transaction (one indexed read)."""
        with self.pool.connection() as conn:
            meta: dict[str, str] = {
                str(k): str(v)
                for k, v in conn.execute(
                    "SELECT key, value FROM metadata WHERE key IN ('generation', 'passages')"
                )
            }
        return f"{meta.get('passages', 0)}-g{meta.get('generation', 0)}"

    @_guarded
    def count(self) -> tuple[int, int]:
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM passages)"
            ).fetchone()
        return (int(row[0]), int(row[1])) if row is not None else (0, 0)

    def iter_passages(self) -> Iterator[tuple[Passage, Document]]:
        """Every passage with its document (ordered by document id, ordinal), read in one snapshot with a
        server-side cursor (constant memory)."""
        try:
            with self.pool.connection() as conn, conn.transaction():
                docs = {d.id: d for d in _documents(conn)}
                with conn.cursor(name="netnav_passages") as cur:
                    cur.itersize = 2000
                    cur.execute(f"SELECT {PASSAGE_COLUMNS} FROM passages ORDER BY doc_id, ordinal")
                    for row in cur:
                        yield passage_of(row), docs[str(row[1])]
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"lost the connection to {self.name}: {exc}") from exc
        except psycopg.Error as exc:
            raise StoreError(f"cannot read passages from {self.name}: {exc}") from exc

    @_guarded
    def documents(self) -> list[Document]:
        with self.pool.connection() as conn:
            return _documents(conn)

    @_guarded
    def document_rows(self, owner: str | None = None) -> list[StoredDocument]:
        """The shared library's documents, plus `owner`'s own when given, with passage count, origin and
        time added (same order as the embedded store)."""
        cols = ", ".join(f"d.{c.strip()}" for c in DOC_COLUMNS.split(","))
        with self.pool.connection() as conn:
            cur = conn.execute(
                f"SELECT {cols}, (SELECT COUNT(*) FROM passages p WHERE p.doc_id = d.id), d.builtin,"
                " d.added_at FROM documents d WHERE d.owner IS NULL OR d.owner = %s"
                ' ORDER BY d.builtin, d.kind, d.title COLLATE "C"',
                (owner,),
            )
            return [
                StoredDocument(
                    doc=document_of(r[:11]), passages=int(r[11]), builtin=bool(r[12]), added_at=str(r[13])
                )
                for r in cur
            ]

    @_guarded
    def owned_documents(self) -> dict[str, str]:
        """doc id -> owner digest, for every document that belongs to a session (not the shared library)."""
        with self.pool.connection() as conn:
            cur = conn.execute("SELECT id, owner FROM documents WHERE owner IS NOT NULL")
            return {str(r[0]): str(r[1]) for r in cur}

    @_guarded
    def passages_by_ids(self, ids: Sequence[str]) -> dict[str, tuple[Passage, Document]]:
        if not ids:
            return {}
        pcols = ", ".join(f"p.{c.strip()}" for c in PASSAGE_COLUMNS.split(","))
        dcols = ", ".join(f"d.{c.strip()}" for c in DOC_COLUMNS.split(","))
        with self.pool.connection() as conn:
            cur = conn.execute(
                f"SELECT {pcols}, {dcols} FROM passages p JOIN documents d ON d.id = p.doc_id"
                " WHERE p.id = ANY(%s)",
                (list(ids),),
            )
            return {str(row[0]): (passage_of(row[:10]), document_of(row[10:])) for row in cur}


def _documents(conn: Conn) -> list[Document]:
    cur = conn.execute(f'SELECT {DOC_COLUMNS} FROM documents ORDER BY kind, title COLLATE "C"')
    return [document_of(r) for r in cur]


def _insert_passages(conn: Conn, doc: Document, passages: Sequence[Passage], tokens: list[list[str]]) -> None:
    """Passages (an id already stored elsewhere is skipped, as in the embedded store), their postings,
    the document frequencies of their terms and the corpus totals."""
    if not passages:
        return
    cols = list(
        zip(*(_passage_row(doc, p, toks) for p, toks in zip(passages, tokens, strict=True)), strict=True)
    )
    conn.execute(  # one statement (the passage log's trigger fires once per statement, migration 0004)
        'INSERT INTO passages(id, doc_id, ordinal, text, start, "end", page, section, plain, meta, kind, length)'
        " SELECT * FROM unnest(%s::text[], %s::text[], %s::int[], %s::text[], %s::int[], %s::int[], %s::int[],"
        " %s::text[], %s::text[], %s::jsonb[], %s::text[], %s::int[]) ON CONFLICT (id) DO NOTHING",
        [list(c) for c in cols],
    )
    stored = {
        str(r[0]): int(r[1])
        for r in conn.execute("SELECT id, row_id FROM passages WHERE doc_id=%s", (doc.id,))
    }
    new_rows = len(stored)
    rows: list[tuple[str, int, int, int]] = []
    df: Counter[str] = Counter()
    total = 0
    for passage, toks in zip(passages, tokens, strict=True):
        row_id = stored.pop(passage.id, None)  # a passage id given twice is stored (and counted) once
        if row_id is None:
            continue
        counts = Counter(toks)
        rows.extend((term, row_id, tf, len(toks)) for term, tf in counts.items())
        df.update(counts.keys())
        total += len(toks)
    with conn.cursor() as cur, cur.copy("COPY postings (term, row_id, tf, length) FROM STDIN") as copy:
        for item in rows:
            copy.write_row(item)
    if df:
        terms = sorted(df)
        conn.execute(
            "INSERT INTO terms(term, df) SELECT * FROM unnest(%s::text[], %s::int[])"
            " ON CONFLICT (term) DO UPDATE SET df = terms.df + EXCLUDED.df",
            (terms, [df[t] for t in terms]),
        )
    conn.execute("UPDATE lexical_stats SET passages = passages + %s, tokens = tokens + %s", (new_rows, total))


def _passage_row(doc: Document, p: Passage, toks: list[str]) -> tuple[object, ...]:
    return (
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
        doc.kind,
        len(toks),
    )


def _delete_documents(conn: Conn, doc_ids: list[str]) -> None:
    """Delete documents with their passages, postings and vectors; document frequencies and corpus
    totals follow. Runs inside the caller's write transaction. The vector log's counter is locked first
    (a vector batch does the same), so deleting passages while their vectors are written queues."""
    conn.execute("SELECT 1 FROM vector_state FOR UPDATE")
    conn.execute(
        "UPDATE terms t SET df = t.df - c.n FROM (SELECT po.term, COUNT(*) AS n FROM postings po"
        " JOIN passages p ON p.row_id = po.row_id WHERE p.doc_id = ANY(%s) GROUP BY po.term) c"
        " WHERE t.term = c.term",
        (doc_ids,),
    )
    conn.execute("DELETE FROM terms WHERE df <= 0")
    conn.execute(
        "UPDATE lexical_stats SET passages = passages - s.n, tokens = tokens - s.t FROM (SELECT COUNT(*) AS n,"
        " COALESCE(SUM(length), 0) AS t FROM passages WHERE doc_id = ANY(%s)) s",
        (doc_ids,),
    )
    conn.execute("DELETE FROM documents WHERE id = ANY(%s)", (doc_ids,))


def _bump_generation(conn: Conn) -> None:
    """Inside a write transaction, after its changes: next generation, and the passage count."""
    conn.execute(
        "UPDATE metadata SET value = CASE key WHEN 'generation' THEN (value::bigint + 1)::text"
        " ELSE (SELECT passages FROM lexical_stats)::text END WHERE key IN ('generation', 'passages')"
    )


def _reconcile_label_versions(conn: Conn, setid: str) -> None:
    """Versions of one label (same SPL set id): newest current, older superseded or withdrawn (rules in
    netnav.store.versions), as in the embedded store."""
    rows = conn.execute(
        "SELECT id, version, meta, status FROM documents WHERE format='spl' AND identifiers->>'setid' = %s",
        (setid,),
    ).fetchall()
    if len(rows) < 2:
        return
    metas = {str(r[0]): dict(r[2] or {}) for r in rows}
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
            "UPDATE documents SET status=%s, meta=%s WHERE id=%s", (result.status, json.dumps(meta), doc_id)
        )
