"""Persistent store: SQLite documents/passages with migrations, plus the derived search index."""

from netnav.store.db import AddOutcome, Store
from netnav.store.index import SearchIndex

__all__ = ["AddOutcome", "SearchIndex", "Store"]
