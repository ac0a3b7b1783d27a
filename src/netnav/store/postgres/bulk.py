"""Many documents into PostgreSQL in one transaction, with binary COPY: the built-in cards at start-up
and `netnav import` into a database.

    outcome = add_documents(store, items, model_id="...", progress=...)

One write transaction (holding the library write lock, so other writers queue and readers see the
library before or after, never half of it). Items are taken in chunks of about CHUNK passages, so memory
stays flat at 100k passages; per chunk: documents already stored are skipped (ids are content hashes,
as in `PostgresStore.add_document`), passage row ids are reserved from the identity sequence, and
documents, passages, BM25 postings and (when given) vectors are written with ``COPY ... (FORMAT
BINARY)``; document frequencies and corpus totals follow, and the generation is bumped once at the end.
A passage id already stored (or given twice) is written once, with the vector of its first occurrence.
Into an empty library the postings' indexes and the foreign keys are made once after the load instead of
row by row (netnav.store.postgres.deferred).

An empty database also records the text analyzer its postings are made with (metadata
'lexical_analyzer'), so they are not made a second time on the next start (netnav.store.postgres.relex).
Vectors are written only when the database's ``vector_model`` is `model_id` (or none yet, when it becomes
`model_id`); vectors of another model would be dropped by the next sync (netnav.store.postgres.search).
Raises StoreUnavailable (connection lost) or StoreError (anything else the server refuses); nothing is
written then.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import psycopg
from psycopg.types.json import Jsonb

from netnav.errors import StoreError, StoreUnavailable
from netnav.store.index import index_text, tokenize
from netnav.store.postgres.deferred import set_aside
from netnav.types.documents import Document, Passage

if TYPE_CHECKING:
    from netnav.store.postgres.store import PostgresStore

#: Into an empty library, the postings' indexes and foreign keys are made once after the load
#: (netnav.store.postgres.deferred); False keeps them up to date row by row (for comparison).
SET_ASIDE = True
#: Passages per chunk (tokenised and copied together). 2,000 passages are ~1-2 MB of text.
CHUNK = 2000
Conn = psycopg.Connection[Any]
Progress = Callable[[int, int], None]

_DOC_COPY = (
    "COPY documents (id, kind, title, source_path, format, publisher, year, version, identifiers, status,"
    " meta, builtin, owner, added_at) FROM STDIN (FORMAT BINARY)"
)
_DOC_TYPES = ["text"] * 6 + ["int4", "text", "jsonb", "text", "jsonb", "bool", "text", "text"]
_PASSAGE_COPY = (
    'COPY passages (row_id, id, doc_id, ordinal, text, start, "end", page, section, plain, meta, kind,'
    " length) FROM STDIN (FORMAT BINARY)"
)
_PASSAGE_TYPES = ["int8", "text", "text", "int4", "text", "int4", "int4", "int4", "text", "text", "jsonb"]
_PASSAGE_TYPES += ["text", "int4"]


@dataclass(frozen=True)
class NewDocument:
    """One document to add: its passages, origin, and optionally when it was added (ISO text, kept by
    an import) and one vector per passage (float32, rows in passage order)."""

    doc: Document
    passages: Sequence[Passage]
    builtin: bool = False
    owner: str | None = None
    added_at: str | None = None
    vectors: npt.NDArray[np.float32] | None = None


@dataclass
class BulkOutcome:
    """What `add_documents` did: documents added / already present, passages and vectors written."""

    added: int = 0
    unchanged: int = 0
    passages: int = 0
    vectors: int = 0
    added_ids: list[str] = field(default_factory=list)


def add_documents(
    store: PostgresStore,
    items: Iterable[NewDocument],
    model_id: str | None = None,
    progress: Progress | None = None,
    durable: bool = True,
) -> BulkOutcome:
    """Add every item in one transaction (module docstring). `durable=False` (the packaged cards, which
    can always be written again) skips waiting for the disk flush at commit. `progress(done, 0)` after
    each chunk, `done` = items read so far."""
    outcome = BulkOutcome()
    try:
        with store.transaction() as conn:
            if not durable:
                conn.execute("SET LOCAL synchronous_commit = off")
            with_vectors = model_id is not None and _claim_model(conn, model_id)
            _claim_analyzer(conn)
            seen: set[str] = set()
            setids: set[str] = set()
            read = 0
            empty = conn.execute("SELECT 1 FROM passages LIMIT 1").fetchone() is None
            with set_aside(conn, empty and SET_ASIDE):
                for chunk in _chunks(items):
                    _write_chunk(conn, chunk, seen, outcome, with_vectors)
                    setids.update(_setids(c.doc for c in chunk))
                    read += len(chunk)
                    if progress is not None:
                        progress(read, 0)
            if outcome.added:
                _finish(conn, setids)
    except psycopg.OperationalError as exc:
        raise StoreUnavailable(f"lost the connection to {store.name}: {exc}") from exc
    except psycopg.Error as exc:
        raise StoreError(f"the database {store.name} refused the documents: {exc}") from exc
    return outcome


def _chunks(items: Iterable[NewDocument]) -> Iterable[list[NewDocument]]:
    chunk: list[NewDocument] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item.passages)
        if size >= CHUNK:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _claim_model(conn: Conn, model_id: str) -> bool:
    """True when vectors of `model_id` may be written (it is the database's model, or it has none)."""
    row = conn.execute("SELECT value FROM metadata WHERE key = 'vector_model'").fetchone()
    if row is None:
        if conn.execute("SELECT 1 FROM passage_vectors LIMIT 1").fetchone() is not None:
            return False
        conn.execute("INSERT INTO metadata(key, value) VALUES ('vector_model', %s)", (model_id,))
        return True
    return str(row[0]) == model_id


def _claim_analyzer(conn: Conn) -> None:
    """An empty database records that its postings are made with today's text analyzer (as the engine's
    first index check would); otherwise netnav.store.postgres.relex would tokenise everything loaded
    here a second time on the next start."""
    from netnav.store.postgres.relex import ANALYZER_KEY
    from netnav.store.variants import analyzer_id

    if conn.execute("SELECT 1 FROM metadata WHERE key = %s", (ANALYZER_KEY,)).fetchone() is not None:
        return
    if conn.execute("SELECT 1 FROM passages LIMIT 1").fetchone() is None:
        conn.execute("INSERT INTO metadata(key, value) VALUES (%s, %s)", (ANALYZER_KEY, analyzer_id()))


def _write_chunk(
    conn: Conn, chunk: list[NewDocument], seen: set[str], outcome: BulkOutcome, with_vectors: bool
) -> None:
    ids = [c.doc.id for c in chunk]
    present = {str(r[0]) for r in conn.execute("SELECT id FROM documents WHERE id = ANY(%s)", (ids,))}
    fresh: list[NewDocument] = []
    for item in chunk:
        if item.doc.id in present or item.doc.id in seen:
            outcome.unchanged += 1
        else:
            seen.add(item.doc.id)
            fresh.append(item)
    if not fresh:
        return
    pids = [p.id for c in fresh for p in c.passages]
    stored = {str(r[0]) for r in conn.execute("SELECT id FROM passages WHERE id = ANY(%s)", (pids,))}
    rows: list[tuple[NewDocument, Passage, npt.NDArray[np.float32] | None]] = []
    for item in fresh:
        for n, passage in enumerate(item.passages):
            if passage.id in stored:
                continue
            stored.add(passage.id)
            vector = item.vectors[n] if with_vectors and item.vectors is not None else None
            rows.append((item, passage, vector))
    row_ids = _reserve(conn, len(rows))
    tokens = tokenize([index_text(p, item.doc) for item, p, _ in rows]) if rows else []
    _copy_documents(conn, fresh)
    _copy_passages(conn, rows, row_ids, tokens)
    _copy_postings(conn, row_ids, tokens)
    outcome.vectors += _copy_vectors(conn, rows, row_ids)
    outcome.added += len(fresh)
    outcome.added_ids.extend(item.doc.id for item in fresh)
    outcome.passages += len(rows)


def _reserve(conn: Conn, n: int) -> list[int]:
    """`n` new passage row ids from the identity sequence (safe beside other writers)."""
    if n == 0:
        return []
    cur = conn.execute(
        "SELECT nextval(pg_get_serial_sequence('passages', 'row_id')) FROM generate_series(1, %s)", (n,)
    )
    return [int(r[0]) for r in cur]


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _copy_documents(conn: Conn, items: list[NewDocument]) -> None:
    now = _now()
    with conn.cursor() as cur, cur.copy(_DOC_COPY) as copy:
        copy.set_types(_DOC_TYPES)
        for item in items:
            d = item.doc
            copy.write_row(
                (
                    d.id,
                    d.kind,
                    d.title,
                    d.source_path,
                    d.format,
                    d.publisher,
                    d.year,
                    d.version,
                    Jsonb(d.identifiers),
                    d.status,
                    Jsonb(d.meta),
                    item.builtin,
                    item.owner,
                    item.added_at or now,
                )
            )


def _copy_passages(
    conn: Conn,
    rows: list[tuple[NewDocument, Passage, Any]],
    row_ids: list[int],
    tokens: list[list[str]],
) -> None:
    with conn.cursor() as cur, cur.copy(_PASSAGE_COPY) as copy:
        copy.set_types(_PASSAGE_TYPES)
        for (item, p, _), row_id, toks in zip(rows, row_ids, tokens, strict=True):
            copy.write_row(
                (
                    row_id,
                    p.id,
                    item.doc.id,
                    p.ordinal,
                    p.text,
                    p.start,
                    p.end,
                    p.page,
                    p.section,
                    p.plain,
                    Jsonb(p.meta),
                    item.doc.kind,
                    len(toks),
                )
            )


def _copy_postings(conn: Conn, row_ids: list[int], tokens: list[list[str]]) -> None:
    """Postings of the new passages, then their document frequencies and the corpus totals."""
    df: Counter[str] = Counter()
    with (
        conn.cursor() as cur,
        cur.copy("COPY postings (term, row_id, tf, length) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(["text", "int8", "int4", "int4"])
        for row_id, toks in zip(row_ids, tokens, strict=True):
            counts = Counter(toks)
            df.update(counts.keys())
            for term, tf in counts.items():
                copy.write_row((term, row_id, tf, len(toks)))
    if df:
        terms = sorted(df)
        conn.execute(
            "INSERT INTO terms(term, df) SELECT * FROM unnest(%s::text[], %s::int[])"
            " ON CONFLICT (term) DO UPDATE SET df = terms.df + EXCLUDED.df",
            (terms, [df[t] for t in terms]),
        )
    total = sum(len(t) for t in tokens)
    conn.execute(
        "UPDATE lexical_stats SET passages = passages + %s, tokens = tokens + %s", (len(row_ids), total)
    )


def _copy_vectors(conn: Conn, rows: list[tuple[NewDocument, Passage, Any]], row_ids: list[int]) -> int:
    given = [(row_id, vec) for (_, _, vec), row_id in zip(rows, row_ids, strict=True) if vec is not None]
    if not given:
        return 0
    with (
        conn.cursor() as cur,
        cur.copy("COPY passage_vectors (row_id, embedding) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(["int8", "vector"])
        for row_id, vec in given:
            copy.write_row((row_id, np.asarray(vec, dtype=np.float32)))
    return len(given)


def _setids(docs: Iterable[Document]) -> set[str]:
    return {d.identifiers["setid"] for d in docs if d.format == "spl" and d.identifiers.get("setid")}


def _finish(conn: Conn, setids: set[str]) -> None:
    """Label versions of the SPL set ids touched, then one generation bump for the whole load."""
    from netnav.store.postgres.store import _bump_generation, _reconcile_label_versions

    for setid in sorted(setids):
        _reconcile_label_versions(conn, setid)
    _bump_generation(conn)
