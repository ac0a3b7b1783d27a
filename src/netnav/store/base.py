"""The storage interface: what the engine, retrieval and ingest use from a backend, and the factory that
chooses one.

Two backends implement it:

* embedded (default): :class:`netnav.store.db.Store` (SQLite in the data home) with the file-based
  :class:`netnav.store.index.SearchIndex` (bm25s + numpy vectors) built from it;
* PostgreSQL (``NETNAV_DATABASE_URL=postgresql://…`` or ``--database-url``):
  :class:`netnav.store.postgres.store.PostgresStore`, whose lexical postings and pgvector vectors live
  in the database itself (:class:`netnav.store.postgres.search.PgSearchIndex`), so several processes
  read and write one library safely.

Both are structural (typing.Protocol): the SQLite classes conform unchanged.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from netnav.errors import BadInputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from netnav.settings import Settings
    from netnav.store.db import AddOutcome
    from netnav.store.vectors import Hit
    from netnav.types.documents import Document, Passage, StoredDocument


class DocumentStore(Protocol):
    """Documents and passages with their owners, status and metadata. Every write is one transaction
    (a document and all its passages, or nothing); raises StoreError (StoreUnavailable when a database
    server cannot be reached)."""

    read_only: bool

    def close(self) -> None: ...

    def schema_version(self) -> int:
        """The highest applied migration number."""
        ...

    def add_document(
        self, doc: Document, passages: Sequence[Passage], builtin: bool = False, owner: str | None = None
    ) -> AddOutcome:
        """Insert a document and its passages atomically; an existing id is left untouched."""
        ...

    def remove_builtin_except(self, keep_ids: set[str]) -> int: ...

    def log_ingest(self, path: str, doc_id: str | None, outcome: str, reason: str | None = None) -> None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def get_meta(self, key: str) -> str | None: ...

    def fingerprint(self) -> str:
        """``"<passages>-g<generation>"``: changes with every write of documents (O(1))."""
        ...

    def count(self) -> tuple[int, int]:
        """(documents, passages)."""
        ...

    def iter_passages(self) -> Iterator[tuple[Passage, Document]]:
        """Every passage with its document, ordered by document id then ordinal."""
        ...

    def documents(self) -> list[Document]: ...

    def document_rows(self, owner: str | None = None) -> list[StoredDocument]: ...

    def owned_documents(self) -> dict[str, str]:
        """doc id -> owner digest of every session-owned document."""
        ...

    def delete_owned(self, doc_id: str, owner: str) -> str | None: ...

    def passages_by_ids(self, ids: Sequence[str]) -> dict[str, tuple[Passage, Document]]: ...


class RetrievalIndex(Protocol):
    """What hybrid retrieval needs from a search index. A "row" is an int naming one passage inside
    this index (an array position for SearchIndex, a database row id for PostgreSQL); `mask` is
    whatever :meth:`visible_mask` returned (None = every row)."""

    fingerprint: str
    model_id: str

    def __len__(self) -> int: ...

    def vocabulary(self, hidden_docs: Collection[str] = ()) -> frozenset[str]:
        """The lexical index's terms (stemmed, as netnav.store.index.tokenize produces them); with
        `hidden_docs`, only terms found in at least one passage of another document (a word known only
        from another session's upload must not reach this one)."""
        ...

    def visible_mask(self, kinds: Sequence[str] | None, hidden_docs: Collection[str] = ()) -> Any: ...

    def search_lexical(self, tokens: list[str], k: int, mask: Any = None) -> list[Hit]:
        """Top ``k`` rows by BM25 (Lucene variant, k1 1.5, b 0.75; score > 0), best first."""
        ...

    def search_dense(self, query: npt.NDArray[Any], k: int, mask: Any = None) -> list[Hit]:
        """Top ``k`` rows by cosine (vectors are L2-normalised), best first."""
        ...

    def cosines(self, rows: Sequence[int], query: npt.NDArray[Any]) -> npt.NDArray[np.float32]: ...

    def row_info(self, rows: Collection[int]) -> dict[int, tuple[str, str]]:
        """row -> (passage id, document status) for the given rows (rows no longer stored are absent)."""
        ...


def open_backend(settings: Settings) -> DocumentStore:
    """The document store `settings` select: PostgreSQL when ``settings.database_url`` is set, else the
    embedded SQLite store in the data home. Raises BadInputError for a URL that is not
    ``postgresql://``, StoreError (StoreUnavailable: server unreachable)."""
    from netnav.settings import DATABASE_SCHEMES

    if settings.database_url and not settings.database_url.startswith(DATABASE_SCHEMES):
        raise BadInputError("the database URL must start with postgresql:// (or leave it unset for SQLite)")
    if settings.database_url:
        from netnav.store.postgres.store import PostgresStore  # lazy: psycopg only when used

        return PostgresStore(settings.database_url)
    from netnav.store.db import Store

    return Store(settings.db_path)
