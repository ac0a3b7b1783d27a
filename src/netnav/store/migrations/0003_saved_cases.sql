-- Saved, named cases (netnav case ..., web "My cases"). A case belongs to one owner ("local" for the CLI and
-- loopback web, a token digest off loopback). Its reports and corrections go with it (ON DELETE CASCADE).
CREATE TABLE saved_cases (
    id          TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (owner, name)
);
CREATE TABLE case_reports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     TEXT NOT NULL REFERENCES saved_cases(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    report_date TEXT,
    added_at    TEXT NOT NULL,
    profile     TEXT NOT NULL,
    lines       TEXT NOT NULL DEFAULT '[]',
    meta        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_reports_case ON case_reports(case_id, id);
CREATE TABLE case_corrections (
    case_id     TEXT NOT NULL REFERENCES saved_cases(id) ON DELETE CASCADE,
    field       TEXT NOT NULL,
    value       TEXT NOT NULL,
    action      TEXT NOT NULL,
    at          TEXT NOT NULL,
    by          TEXT,
    PRIMARY KEY (case_id, field)
);
