-- Job records shared by the server processes (netnav.jobs.runner with PostgresJobRecords): a job accepted
-- by one worker can be followed (GET /api/jobs/{id}) through any other. `info` is the JobInfo JSON;
-- `owner` the owner key (a digest), kept apart because JobInfo never shows it. Rows older than a day go.
CREATE TABLE job_records (
    id          TEXT PRIMARY KEY,
    owner       TEXT,
    info        TEXT NOT NULL,
    created_at  DOUBLE PRECISION NOT NULL,
    updated_at  DOUBLE PRECISION NOT NULL
);
CREATE INDEX job_records_owner ON job_records (owner, created_at);
CREATE INDEX job_records_updated ON job_records (updated_at);
