-- Documents and passages. Ids are content hashes, so re-ingesting the same content is a no-op.
CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    source_path  TEXT,
    format       TEXT NOT NULL,
    publisher    TEXT,
    year         INTEGER,
    version      TEXT,
    identifiers  TEXT NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'current',
    meta         TEXT NOT NULL DEFAULT '{}',
    builtin      INTEGER NOT NULL DEFAULT 0,
    added_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE passages (
    id        TEXT PRIMARY KEY,
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal   INTEGER NOT NULL,
    text      TEXT NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    page      INTEGER,
    section   TEXT,
    plain     TEXT,
    meta      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX passages_doc ON passages(doc_id, ordinal);
CREATE INDEX documents_kind ON documents(kind);
