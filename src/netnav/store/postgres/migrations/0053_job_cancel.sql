-- Cancelling a job through any server process: DELETE /api/jobs/{id} reaching a worker that does not run
-- the job sets cancel_requested; the runner that owns the job sees it (it polls its unfinished jobs' rows)
-- and cancels the job there (netnav.jobs.runner). Writing the job's state never clears the request.
ALTER TABLE job_records ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false;
CREATE INDEX job_records_cancel ON job_records (id) WHERE cancel_requested;
