"""What runs inside a job's worker process: limits, progress reporting, the outcome message.

The parent (netnav.jobs.runner) starts one process per job. The child lowers its priority, applies the
job's rlimits, runs the task and sends messages over a pipe:
    ("progress", stage, done, total) | ("done", result or None) | ("failed", one sentence)
Nothing here logs; failure messages never include the task's input.
"""

from __future__ import annotations

import contextlib
import os
import resource
import time
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from typing import Any

from netnav.errors import NetNavError, StoreUnavailable
from netnav.types.jobs import JobLimits

NICE_INCREMENT = 10  # jobs yield the CPU to answering
_PROGRESS_EVERY_S = 0.1


class JobContext:
    """Handed to a task: its limits and a progress callback (cheap to call often; throttled)."""

    def __init__(self, conn: Connection | None, limits: JobLimits) -> None:
        self.limits = limits
        self._conn = conn
        self._last = 0.0
        self._stage = ""

    def progress(self, stage: str, done: int, total: int) -> None:
        """Report `done` of `total` units of `stage` (sent at most every 0.1 s, plus stage changes/ends)."""
        now = time.monotonic()
        if stage == self._stage and done < total and now - self._last < _PROGRESS_EVERY_S:
            return
        self._stage, self._last = stage, now
        if self._conn is not None:
            self._conn.send(("progress", stage, max(0, done), max(0, total)))


Task = Callable[[JobContext, Mapping[str, Any]], "str | None"]


def apply_limits(limits: JobLimits) -> None:
    """Lower priority and set RLIMIT_CPU / RLIMIT_AS for this process (Linux/macOS)."""
    with contextlib.suppress(OSError):
        os.nice(NICE_INCREMENT)
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    from netnav.ingest import limits as ingest_limits

    ingest_limits.configure(limits.max_pages, limits.max_decompressed_bytes)


#: How a job that failed because the database could not be reached begins its message; a request
#: waiting for the job answers 503 (netnav.jobs.library.LibraryJobs.settle), not 422.
DATABASE_UNAVAILABLE = "the database is unavailable at the moment"


def failure_message(exc: BaseException) -> str:
    """One sentence for the job's owner: typed input errors keep their message, anything else its type."""
    if isinstance(exc, MemoryError):
        return "the job exceeded its memory limit"
    if isinstance(exc, StoreUnavailable):
        return f"{DATABASE_UNAVAILABLE}; nothing was changed, please try again shortly"
    if isinstance(exc, NetNavError) and exc.exit_code == 2:
        return " ".join(str(exc).split())[:500]
    return f"internal error ({type(exc).__name__})"


def child_main(task: Task, payload: Mapping[str, Any], limits: JobLimits, conn: Connection) -> None:
    """Entry point of a worker process."""
    try:
        apply_limits(limits)
        result = task(JobContext(conn, limits), payload)
        conn.send(("done", result))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as the job's failure
        with contextlib.suppress(OSError, ValueError):
            conn.send(("failed", failure_message(exc)))
    finally:
        conn.close()
