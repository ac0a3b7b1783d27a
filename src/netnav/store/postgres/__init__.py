"""The PostgreSQL backend (selected by ``NETNAV_DATABASE_URL=postgresql://…`` or ``--database-url``):
a psycopg 3 connection pool (pool.py), numbered migrations (migrate.py, migrations/), the document
store (store.py) and in-database retrieval: BM25 from postings tables and pgvector vectors
(search.py). Importing this package needs psycopg; the embedded default never imports it."""

from netnav.store.postgres.migrate import migrate, schema_version
from netnav.store.postgres.pool import open_pool

__all__ = ["migrate", "open_pool", "schema_version"]
