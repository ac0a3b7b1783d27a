-- Saved, named cases (as SQLite migration 0003), the per-session cases of the web/API, and the
-- conversation memory used for follow-up questions: shared by every server process on this database.
-- JSON columns are TEXT so that export/import copies them byte for byte.
CREATE TABLE saved_cases (
    id          TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (owner, name)
);
-- Names are unique per owner regardless of letter case, enforced here so two processes cannot race.
CREATE UNIQUE INDEX saved_cases_owner_name_ci ON saved_cases (owner, lower(name));
CREATE TABLE case_reports (
    id          BIGSERIAL PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES saved_cases(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    report_date TEXT,
    added_at    TEXT NOT NULL,
    profile     TEXT NOT NULL,
    lines       TEXT NOT NULL DEFAULT '[]',
    meta        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_reports_case ON case_reports (case_id, id);
CREATE TABLE case_corrections (
    case_id     TEXT NOT NULL REFERENCES saved_cases(id) ON DELETE CASCADE,
    field       TEXT NOT NULL,
    value       TEXT NOT NULL,
    action      TEXT NOT NULL,
    at          TEXT NOT NULL,
    "by"        TEXT,
    PRIMARY KEY (case_id, field)
);
-- Cases uploaded in a browser/API session (netnav.cases.CaseStore on files). `session` is the session's
-- digest (netnav.cases.session_digest), never the session id itself; `saved_at` is Unix seconds.
CREATE TABLE session_cases (
    session     TEXT NOT NULL,
    case_id     TEXT NOT NULL,
    profile     TEXT NOT NULL,
    saved_at    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (session, case_id)
);
CREATE INDEX session_cases_saved ON session_cases (saved_at);
-- Follow-up memory (netnav.conversation): the last question and the questions asked, per conversation.
CREATE TABLE conversations (
    session       TEXT NOT NULL,
    conversation  TEXT NOT NULL,
    last_question TEXT NOT NULL,
    asked         TEXT NOT NULL DEFAULT '[]',
    updated_at    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (session, conversation)
);
CREATE INDEX conversations_updated ON conversations (updated_at);
