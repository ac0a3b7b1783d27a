-- BM25 reads the postings of the query terms alone: the passage length sits beside each posting, and
-- the primary key carries tf and length, so a query term's postings come from an index-only scan
-- (no heap visit per posting, no join to passages).
ALTER TABLE postings ADD COLUMN length integer;
UPDATE postings po SET length = p.length FROM passages p WHERE p.row_id = po.row_id;
ALTER TABLE postings ALTER COLUMN length SET NOT NULL;
ALTER TABLE postings DROP CONSTRAINT postings_pkey;
ALTER TABLE postings ADD CONSTRAINT postings_pkey PRIMARY KEY (term, row_id) INCLUDE (tf, length);
