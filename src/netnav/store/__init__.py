"""Persistent store behind one interface (netnav.store.base): embedded SQLite documents/passages with
migrations plus the derived search index (default), or PostgreSQL with pgvector (netnav.store.postgres)."""

from netnav.store.base import DocumentStore, RetrievalIndex, open_backend
from netnav.store.db import AddOutcome, Store
from netnav.store.index import SearchIndex

__all__ = ["AddOutcome", "DocumentStore", "RetrievalIndex", "SearchIndex", "Store", "open_backend"]
