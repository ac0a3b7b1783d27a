-- The library on PostgreSQL: documents, passages, the lexical postings behind BM25 and pgvector vectors.
-- Ids are content hashes (as in the embedded store), so re-ingesting the same content is a no-op.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE documents (
    id           text PRIMARY KEY,
    kind         text NOT NULL,
    title        text NOT NULL,
    source_path  text,
    format       text NOT NULL,
    publisher    text,
    year         integer,
    version      text,
    identifiers  jsonb NOT NULL DEFAULT '{}',
    status       text NOT NULL DEFAULT 'current',
    meta         jsonb NOT NULL DEFAULT '{}',
    builtin      boolean NOT NULL DEFAULT false,
    owner        text,           -- a session digest (private web upload); NULL = the shared library
    added_at     text NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX documents_kind ON documents(kind);
CREATE INDEX documents_owner ON documents(owner) WHERE owner IS NOT NULL;
CREATE INDEX documents_setid ON documents((identifiers->>'setid')) WHERE format = 'spl';

-- row_id: the passage's row number for retrieval (postings and vectors refer to it); kind is the
-- document's (fixed at ingest) so searches filter without a join; length = BM25 document length.
CREATE TABLE passages (
    id        text PRIMARY KEY,
    row_id    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    doc_id    text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal   integer NOT NULL,
    text      text NOT NULL,
    start     integer NOT NULL,
    "end"     integer NOT NULL,
    page      integer,
    section   text,
    plain     text,
    meta      jsonb NOT NULL DEFAULT '{}',
    kind      text NOT NULL,
    length    integer NOT NULL
);
CREATE INDEX passages_doc ON passages(doc_id, ordinal);

-- BM25 postings: term frequency of each (stemmed) term in each passage; terms holds document
-- frequencies and lexical_stats the corpus size and total length, all kept by the write transactions.
CREATE TABLE postings (
    term    text NOT NULL,
    row_id  bigint NOT NULL REFERENCES passages(row_id) ON DELETE CASCADE,
    tf      integer NOT NULL,
    PRIMARY KEY (term, row_id)
) WITH (fillfactor = 100);
CREATE INDEX postings_row ON postings(row_id);
CREATE TABLE terms (
    term  text PRIMARY KEY,
    df    integer NOT NULL
);
CREATE TABLE lexical_stats (
    id        integer PRIMARY KEY CHECK (id = 1),
    passages  bigint NOT NULL,
    tokens    bigint NOT NULL
);
INSERT INTO lexical_stats VALUES (1, 0, 0);

-- One L2-normalised embedding per passage, for the model named in metadata 'vector_model'.
CREATE TABLE passage_vectors (
    row_id     bigint PRIMARY KEY REFERENCES passages(row_id) ON DELETE CASCADE,
    embedding  vector(384) NOT NULL
);

CREATE TABLE metadata (
    key    text PRIMARY KEY,
    value  text NOT NULL
);
INSERT INTO metadata VALUES ('generation', '0'), ('passages', '0');

CREATE TABLE ingest_log (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    path     text NOT NULL,
    doc_id   text,
    outcome  text NOT NULL,
    reason   text,
    at       text NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
