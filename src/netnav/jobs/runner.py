"""JobRunner: a bounded queue of jobs run by a pool of worker processes, one process per job.

    runner = JobRunner(workers=1)
    info = runner.submit("ingest", ingest_task, {"home": "...", "paths": [...]}, owner=owner_key)
    runner.get(info.id, owner=owner_key)       # JobInfo: state, progress (stage, done, total), result, error
    runner.cancel(info.id, owner=owner_key)    # queued -> cancelled; running -> process killed, cancelled
    runner.wait(info.id, timeout=60)           # blocks until finished (tests, CLI)
    runner.close()

- Each job runs in a fresh process forked from a forkserver (so a crash, a CPU/memory bomb or a hang in
  a parser never touches the server process), at lower priority, under JobLimits (netnav.types.jobs).
- At most `workers` jobs run at once; at most `max_queued` wait (JobQueueFullError beyond: HTTP 429).
- `coalesce=True` returns the already-queued job of the same kind instead of queueing another (used for
  index rebuilds: many uploads, one rebuild).
- `on_finish(info)` is called (in a runner thread) after every job reaches done/failed/cancelled.
- Owners: `get`/`cancel`/`list` with an owner see only that owner's jobs (others raise JobNotFoundError);
  `owner=None` is the operator's view (everything).
- `records` (optional, JobRecords): where the runner also writes each job when queued and at every change
  of state, and where `get`/`list` look for jobs this runner does not know -- several server processes on
  one PostgreSQL database (netnav.store.postgres.jobs) can then report each other's jobs. Cancelling a
  job another process runs writes a cancel request there and returns the job's record as it stands; the
  owning runner polls the requests for its unfinished jobs every CANCEL_POLL_S and cancels them (a
  queued job is dropped, a running one's process killed), so the job reads "cancelled" within about a
  second. A failing record store never stops a job; it is logged.
Thread-safe. Finished jobs are kept (most recent `keep_finished`) so their result can be fetched.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import secrets
import signal
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from netnav.errors import BadInputError
from netnav.jobs.worker import Task, child_main
from netnav.types.jobs import JobInfo, JobLimits, JobProgress, JobRecords, JobState

log = logging.getLogger("netnav.jobs")
_POLL_S = 0.1
#: Seconds between two looks for cancel requests other processes wrote (only with `records`).
CANCEL_POLL_S = 0.5
_PRELOAD = ["netnav.jobs.tasks"]


class JobNotFoundError(BadInputError):
    """No job with this id (for this owner) — HTTP 404."""


class JobElsewhereError(BadInputError):
    """The job runs in another server process and cannot be reached from here (HTTP 409). Kept for the
    API's error table; with shared job records a cancel request is written instead (module docstring)."""


class JobQueueFullError(BadInputError):
    """Too many jobs are waiting — HTTP 429; retry later."""


@dataclass
class _Job:
    info: JobInfo
    task: Task
    payload: Mapping[str, Any]
    limits: JobLimits
    cancel: threading.Event = field(default_factory=threading.Event)


def _context() -> multiprocessing.context.ForkServerContext:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


class JobRunner:
    def __init__(
        self,
        workers: int = 1,
        limits: JobLimits | None = None,
        max_queued: int = 32,
        keep_finished: int = 200,
        on_finish: Callable[[JobInfo], None] | None = None,
        records: JobRecords | None = None,
    ) -> None:
        self.limits = limits or JobLimits()
        self.records = records
        self.max_queued = max_queued
        self.keep_finished = keep_finished
        self.on_finish = on_finish
        self._jobs: OrderedDict[str, _Job] = OrderedDict()
        self._queue: deque[str] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._stopped = threading.Event()  # set by close(): the cancel-request watcher stops
        self._ctx = _context()
        self._threads = [
            threading.Thread(target=self._work, name=f"netnav-job-{i}", daemon=True) for i in range(workers)
        ]
        if records is not None:
            self._threads.append(threading.Thread(target=self._watch, name="netnav-job-cancels", daemon=True))
        for thread in self._threads:
            thread.start()

    # -- public interface ------------------------------------------------------------------------

    def submit(
        self,
        kind: str,
        task: Task,
        payload: Mapping[str, Any],
        *,
        owner: str | None = None,
        limits: JobLimits | None = None,
        coalesce: bool = False,
    ) -> JobInfo:
        """Queue a job; `task` must be a module-level function (it is pickled by reference)."""
        with self._cond:
            if self._closed:
                raise JobQueueFullError("the server is shutting down")
            if coalesce:
                for job_id in self._queue:
                    queued = self._jobs[job_id]
                    if queued.info.kind == kind and queued.info.owner == owner:
                        return queued.info
            if len(self._queue) >= self.max_queued:
                raise JobQueueFullError(f"too many jobs waiting ({self.max_queued}); try again shortly")
            info = JobInfo(id=secrets.token_hex(16), kind=kind, owner=owner, created_at=time.time())
            self._jobs[info.id] = _Job(info, task, dict(payload), limits or self.limits)
            self._queue.append(info.id)
            self._trim()
            self._cond.notify()
        self._record(info)
        return info

    def get(self, job_id: str, owner: str | None = None) -> JobInfo:
        with self._cond:
            job = self._jobs.get(job_id)
            if job is not None or self.records is None:
                return self._find(job_id, owner).info
        remote = self._remote(job_id, owner)
        if remote is None:
            raise JobNotFoundError("no such job")
        return remote

    def list(self, owner: str | None = None) -> list[JobInfo]:
        """Jobs, newest first (with `records`: also those of the other server processes)."""
        with self._cond:
            jobs = [j.info for j in self._jobs.values() if owner is None or j.info.owner == owner]
        if self.records is not None:
            mine = {j.id for j in jobs}
            try:
                jobs += [j for j in self.records.list(owner) if j.id not in mine]
            except Exception as exc:  # noqa: BLE001 - the local jobs are still worth listing
                log.warning("job records unavailable (%s)", type(exc).__name__)
            return sorted(jobs, key=lambda j: j.created_at, reverse=True)
        return jobs[::-1]

    def _remote(self, job_id: str, owner: str | None) -> JobInfo | None:
        assert self.records is not None
        return self.records.get(job_id, owner)

    def _record(self, info: JobInfo) -> None:
        if self.records is None:
            return
        try:
            self.records.put(info)
        except Exception as exc:  # noqa: BLE001 - a record store that fails must not stop the job
            log.warning("job record not written (%s)", type(exc).__name__)

    def cancel(self, job_id: str, owner: str | None = None) -> JobInfo:
        """Cancel a queued or running job (a finished one is returned unchanged)."""
        with self._cond:
            known = job_id in self._jobs
        if not known and self.records is not None:
            remote = self.records.request_cancel(job_id, owner)
            if remote is None:
                raise JobNotFoundError("no such job")
            return remote
        with self._cond:
            job = self._find(job_id, owner)
            if job.info.state == "queued":
                self._queue.remove(job_id)
                self._update(job, state="cancelled", finished_at=time.time())
                finished = True
            else:
                job.cancel.set()
                finished = False
            info = job.info
        if finished:
            self._notify_finish(info)
        return info

    def wait(self, job_id: str, timeout: float | None = None) -> JobInfo:
        """Block until the job is finished (or `timeout` seconds pass); returns its latest JobInfo (a job
        of another process: polled in the shared records)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            local = job_id in self._jobs
        if not local and self.records is not None:
            return self._wait_remote(job_id, deadline)
        with self._cond:
            while True:
                job = self._find(job_id, None)
                left = None if deadline is None else deadline - time.monotonic()
                if job.info.finished or (left is not None and left <= 0):
                    return job.info
                self._cond.wait(timeout=left)

    def close(self, timeout: float = 10.0) -> None:
        """Stop accepting jobs, cancel the queued ones, kill the running ones, join the threads."""
        self._stopped.set()
        with self._cond:
            self._closed = True
            for job_id in list(self._queue):
                self._update(self._jobs[job_id], state="cancelled", finished_at=time.time())
            self._queue.clear()
            for job in self._jobs.values():
                job.cancel.set()
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(timeout=timeout)

    # -- internals -------------------------------------------------------------------------------

    def _wait_remote(self, job_id: str, deadline: float | None) -> JobInfo:
        while True:
            info = self._remote(job_id, None)
            if info is None:
                raise JobNotFoundError("no such job")
            if info.finished or (deadline is not None and time.monotonic() >= deadline):
                return info
            time.sleep(CANCEL_POLL_S)

    def _watch(self) -> None:
        """Cancel this runner's unfinished jobs that another process asked to cancel (records only)."""
        assert self.records is not None
        while not self._stopped.wait(CANCEL_POLL_S):
            with self._cond:
                ids = [k for k, j in self._jobs.items() if not j.info.finished]
            if ids:
                try:
                    asked = self.records.cancel_requests(ids)
                except Exception as exc:  # noqa: BLE001 - the database may be away; look again later
                    log.warning("job cancel requests unavailable (%s)", type(exc).__name__)
                    asked = set()
                for job_id in asked:
                    with contextlib.suppress(JobNotFoundError):
                        self.cancel(job_id)

    def _find(self, job_id: str, owner: str | None) -> _Job:
        job = self._jobs.get(job_id)
        if job is None or (owner is not None and job.info.owner != owner):
            raise JobNotFoundError("no such job")
        return job

    def _update(self, job: _Job, **changes: Any) -> None:
        job.info = job.info.model_copy(update=changes)
        self._cond.notify_all()
        if "state" in changes:
            self._record(job.info)

    def _trim(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.info.finished]
        for job_id in finished[: max(0, len(finished) - self.keep_finished)]:
            del self._jobs[job_id]

    def _notify_finish(self, info: JobInfo) -> None:
        if self.on_finish is not None:
            with contextlib.suppress(Exception):  # a callback must not stop the worker thread
                self.on_finish(info)

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                job = self._jobs[self._queue.popleft()]
                self._update(
                    job, state="running", started_at=time.time(), progress=JobProgress(stage="start")
                )
            state, result, error = self._run(job)
            with self._cond:
                self._update(job, state=state, result=result, error=error, finished_at=time.time())
                info = job.info
            self._notify_finish(info)

    def _run(self, job: _Job) -> tuple[JobState, str | None, str | None]:
        parent, child = self._ctx.Pipe(duplex=False)
        process = self._ctx.Process(
            target=child_main, args=(job.task, job.payload, job.limits, child), daemon=True
        )
        try:
            process.start()
        except OSError as exc:
            return "failed", None, f"could not start a worker process ({type(exc).__name__})"
        finally:
            child.close()
        outcome = self._monitor(job, process, parent)
        parent.close()
        return outcome

    def _monitor(
        self, job: _Job, process: BaseProcess, conn: Connection
    ) -> tuple[JobState, str | None, str | None]:
        deadline = time.monotonic() + job.limits.wall_seconds
        final: tuple[JobState, str | None, str | None] | None = None
        while final is None:
            if job.cancel.is_set():
                _kill(process)
                return "cancelled", None, None
            if time.monotonic() > deadline:
                _kill(process)
                return "failed", None, f"the job exceeded its time limit of {job.limits.wall_seconds:.0f} s"
            try:
                ready = conn.poll(_POLL_S)
                message = conn.recv() if ready else None
            except (EOFError, OSError):
                break
            if message is None:
                continue
            if message[0] == "progress":
                with self._cond:
                    self._update(
                        job, progress=JobProgress(stage=message[1], done=message[2], total=message[3])
                    )
            elif message[0] == "done":
                final = ("done", message[1], None)
            else:
                final = ("failed", None, str(message[1]))
        process.join(timeout=30)
        if final is not None:
            return final
        return "failed", None, _exit_reason(process.exitcode, job.limits)


def _kill(process: BaseProcess) -> None:
    process.terminate()
    process.join(timeout=5)
    if process.is_alive():
        process.kill()
        process.join(timeout=5)


def _exit_reason(code: int | None, limits: JobLimits) -> str:
    if code is not None and code < 0 and -code in (signal.SIGXCPU, signal.SIGKILL):
        if -code == signal.SIGXCPU:
            return f"the job exceeded its CPU time limit of {limits.cpu_seconds} s"
        return "the job was killed (out of memory or CPU time)"
    return f"the worker process ended unexpectedly (exit code {code})"
