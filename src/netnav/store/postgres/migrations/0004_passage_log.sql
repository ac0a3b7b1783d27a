-- Changes to passages in commit order, for the per-process lexical caches
-- (netnav.store.postgres.lcache), as 0003 does for vectors: every statement that adds, changes or
-- deletes passages bumps lexical_state.seq once and logs its rows under that number. Passages are only
-- written inside the library write transaction (one writer at a time), so this counter never waits.
-- A passage's postings are written in the same transaction as the passage and never change on their own;
-- when the text analyzer changes, every passage's length is rewritten too, which logs every row.
CREATE TABLE lexical_state (
    id     integer PRIMARY KEY CHECK (id = 1),
    seq    bigint NOT NULL,
    floor  bigint NOT NULL
);
INSERT INTO lexical_state VALUES (1, 0, 0);

CREATE TABLE passage_log (
    seq     bigint NOT NULL,
    row_id  bigint NOT NULL,
    added   boolean NOT NULL
);
CREATE INDEX passage_log_seq ON passage_log(seq);

CREATE FUNCTION netnav_passage_log() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        UPDATE lexical_state SET seq = seq + 1 RETURNING seq INTO s;
        INSERT INTO passage_log(seq, row_id, added) SELECT s, row_id, false FROM old_rows;
    ELSE
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE lexical_state SET seq = seq + 1 RETURNING seq INTO s;
        INSERT INTO passage_log(seq, row_id, added) SELECT s, row_id, true FROM new_rows;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION netnav_passage_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lexical_state SET seq = seq + 1, floor = seq + 1;
    DELETE FROM passage_log;
    RETURN NULL;
END
$$;

CREATE TRIGGER passages_logged_insert AFTER INSERT ON passages
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION netnav_passage_log();
CREATE TRIGGER passages_logged_update AFTER UPDATE ON passages
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION netnav_passage_log();
CREATE TRIGGER passages_logged_delete AFTER DELETE ON passages
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION netnav_passage_log();
CREATE TRIGGER passages_logged_truncate AFTER TRUNCATE ON passages
    FOR EACH STATEMENT EXECUTE FUNCTION netnav_passage_truncate();
