-- Changes to passage_vectors in commit order, for the per-process vector caches
-- (netnav.store.postgres.vcache). Every statement that adds, changes or deletes vectors (also through
-- ON DELETE CASCADE and COPY) bumps vector_state.seq once and logs its rows under that number. The
-- UPDATE takes vector_state's row lock until commit, so writers commit in seq order: a reader that sees
-- seq S sees every change numbered S or less. `floor`: log entries at or below it are gone (pruned or
-- truncated); a cache older than the floor loads everything again.
CREATE TABLE vector_state (
    id     integer PRIMARY KEY CHECK (id = 1),
    seq    bigint NOT NULL,
    floor  bigint NOT NULL
);
INSERT INTO vector_state VALUES (1, 0, 0);

CREATE TABLE vector_log (
    seq     bigint NOT NULL,
    row_id  bigint NOT NULL,
    added   boolean NOT NULL   -- true: the row's vector is (now) in passage_vectors; false: deleted
);
CREATE INDEX vector_log_seq ON vector_log(seq);

CREATE FUNCTION netnav_vector_log() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        UPDATE vector_state SET seq = seq + 1 RETURNING seq INTO s;
        INSERT INTO vector_log(seq, row_id, added) SELECT s, row_id, false FROM old_rows;
    ELSE
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        UPDATE vector_state SET seq = seq + 1 RETURNING seq INTO s;
        INSERT INTO vector_log(seq, row_id, added) SELECT s, row_id, true FROM new_rows;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION netnav_vector_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE vector_state SET seq = seq + 1, floor = seq + 1;
    DELETE FROM vector_log;
    RETURN NULL;
END
$$;

CREATE TRIGGER passage_vectors_logged_insert AFTER INSERT ON passage_vectors
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION netnav_vector_log();
CREATE TRIGGER passage_vectors_logged_update AFTER UPDATE ON passage_vectors
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION netnav_vector_log();
CREATE TRIGGER passage_vectors_logged_delete AFTER DELETE ON passage_vectors
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION netnav_vector_log();
CREATE TRIGGER passage_vectors_logged_truncate AFTER TRUNCATE ON passage_vectors
    FOR EACH STATEMENT EXECUTE FUNCTION netnav_vector_truncate();
