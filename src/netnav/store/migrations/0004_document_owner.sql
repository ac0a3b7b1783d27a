-- Documents added through the web belong to the session that added them (owner = a digest of its id);
-- NULL = the shared library (built-in cards and everything an operator ingests from the command line).
ALTER TABLE documents ADD COLUMN owner TEXT;
CREATE INDEX documents_owner ON documents(owner);
