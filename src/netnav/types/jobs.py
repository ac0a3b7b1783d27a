"""Background jobs (see netnav.jobs): their state, progress, limits and public description.

A job moves queued -> running -> done | failed | cancelled (a queued job may go straight to cancelled).
`JobInfo` is what the REST API returns for `GET /api/jobs/{id}` and what the web shows as progress.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal, Protocol

from pydantic import Field

from netnav.types.base import Frozen

JobState = Literal["queued", "running", "done", "failed", "cancelled"]
FINISHED_STATES: frozenset[str] = frozenset({"done", "failed", "cancelled"})


class JobProgress(Frozen):
    """Where a job is: `stage` names the step ("queued", "parse", "embed", "index", ...), `done` of `total`
    units of that stage (units are stage-specific: files, passages; total 0 = not known yet)."""

    stage: str = "queued"
    done: int = Field(default=0, ge=0)
    total: int = Field(default=0, ge=0)


class JobLimits(Frozen):
    """Per-job limits, enforced in the worker process.

    - cpu_seconds: CPU time (RLIMIT_CPU); the worker is killed by the kernel beyond it.
    - memory_bytes: address space (RLIMIT_AS); allocations beyond it fail (MemoryError).
    - wall_seconds: elapsed time; the runner kills the worker beyond it.
    - max_pages: pages per PDF; a longer PDF is refused (FileTooLargeError).
    - max_decompressed_bytes: decompressed PDF content streams per file, summed over its pages (the
      "one 2 MB stream shared by every page" bomb multiplies here).
    Defaults: chosen so long real documents (a 1,000-page PDF at ~50 KB of content per page) fit, and a
    hostile file stops within seconds (page content is charged before any text is extracted).
    """

    cpu_seconds: int = Field(default=300, ge=1)
    memory_bytes: int = Field(default=4 * 1024**3, ge=64 * 1024**2)
    wall_seconds: float = Field(default=900.0, gt=0)
    max_pages: int = Field(default=1000, ge=1)
    max_decompressed_bytes: int = Field(default=64 * 1024**2, ge=1024)


class JobInfo(Frozen):
    """The public description of one job.

    - id: random, server-issued (32 hex characters).
    - kind: what it does ("ingest", "index", ...).
    - owner: an opaque owner key (a hashed session id) or None for operator jobs; never shown to others.
    - result: a reference to the outcome once `done` (kind-specific JSON text, e.g. the ingest report),
      or None.
    - error: one plain sentence when `failed` (never report text), else None.
    - created_at / started_at / finished_at: Unix seconds (float), None until reached.
    """

    id: str
    kind: str
    state: JobState = "queued"
    progress: JobProgress = JobProgress()
    owner: str | None = Field(default=None, exclude=True)
    result: str | None = None
    error: str | None = None
    created_at: float
    started_at: float | None = None
    finished_at: float | None = None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES


class JobRecords(Protocol):
    """Job records shared between the job runners of several server processes (netnav.jobs.runner;
    netnav.store.postgres.jobs.PostgresJobRecords): `put` a job's latest JobInfo, `get` one (None when
    absent or of another owner; owner None = any), `list` an owner's, newest first; `request_cancel` asks
    the process running a job to cancel it (its latest record, None as for `get`), and `cancel_requests`
    tells a runner which of its jobs were asked to cancel."""

    def put(self, info: JobInfo) -> None: ...
    def get(self, job_id: str, owner: str | None) -> JobInfo | None: ...
    def list(self, owner: str | None, limit: int = 200) -> list[JobInfo]: ...
    def request_cancel(self, job_id: str, owner: str | None) -> JobInfo | None: ...
    def cancel_requests(self, job_ids: Collection[str]) -> set[str]: ...
