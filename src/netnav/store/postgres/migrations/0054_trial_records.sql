-- Ingested trial records (netnav.trials.records / netnav.store.postgres.trials), so that every server process
-- sees a trial update or an uploaded trial record at once. owner '' = the shared registry (CLI ingest,
-- `netnav trials update`, import); otherwise the session digest of a web upload, seen by that session only.
-- record: the Trial JSON; its dates (the record's own last update, when it was checked/fetched) are kept as
-- columns too, for the registry's freshness summary and for operators reading the table.
CREATE TABLE trial_records (
    owner          text NOT NULL DEFAULT '',
    nct_id         text NOT NULL CHECK (nct_id ~ '^NCT[0-9]+$'),
    record         jsonb NOT NULL,
    last_update    text,
    snapshot_date  text,
    fetched_at     text,
    written_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner, nct_id)
);
