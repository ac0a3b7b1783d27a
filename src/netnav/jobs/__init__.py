"""Background jobs: long work (parse, OCR, embed, index) off the request path, in worker processes.

Public interface (typed; see each docstring):
- JobRunner (netnav.jobs.runner): submit / get / list / cancel / wait / close.
- JobInfo, JobProgress, JobLimits, JobState (netnav.types.jobs): what a job looks like from outside —
  `state` in queued | running | done | failed | cancelled; `progress` = (stage, done, total);
  `result` = a kind-specific JSON text once done; `error` = one sentence once failed.
- JobContext (netnav.jobs.worker): what a task receives; call `ctx.progress(stage, done, total)`.
- Tasks (netnav.jobs.tasks): ingest_task, index_task.
- Errors: JobNotFoundError (404), JobQueueFullError (429).
"""

from netnav.jobs.runner import JobElsewhereError, JobNotFoundError, JobQueueFullError, JobRunner
from netnav.jobs.worker import JobContext, Task
from netnav.types.jobs import JobInfo, JobLimits, JobProgress, JobState

__all__ = [
    "JobElsewhereError",
    "JobContext",
    "JobInfo",
    "JobLimits",
    "JobNotFoundError",
    "JobProgress",
    "JobQueueFullError",
    "JobRunner",
    "JobState",
    "Task",
]
