-- Key/value metadata (index fingerprint, knowledge version) and an ingest log.
CREATE TABLE metadata (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE ingest_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    path      TEXT NOT NULL,
    doc_id    TEXT,
    outcome   TEXT NOT NULL,          -- added | unchanged | failed
    reason    TEXT,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
