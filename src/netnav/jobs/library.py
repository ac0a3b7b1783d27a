"""Library writes as jobs: ingest in a worker process, then one (coalesced) index rebuild, then the
serving engine adopts the new index. Answering never waits for any of it.

    library = LibraryJobs(engine, runner)            # the runner's on_finish must call library.finished
    info = library.ingest(paths, kind, names, owner)  # -> JobInfo of the ingest job (state "queued")
    report = await library.settle(info.id)            # optional: wait for ingest + index + adoption

`settle` is what keeps `POST /api/documents` synchronous for API clients (the request waits; other
requests do not); `?background=1` returns the job at once for the web's progress display.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from netnav.engine import Engine
from netnav.errors import BadInputError, StoreUnavailable
from netnav.jobs.runner import JobRunner
from netnav.jobs.tasks import index_task, ingest_task
from netnav.jobs.worker import DATABASE_UNAVAILABLE
from netnav.types.jobs import JobInfo

_POLL_S = 0.05


class JobFailedError(BadInputError):
    """A library job failed or was cancelled (its one-sentence reason is the message) — HTTP 422."""


class LibraryJobs:
    def __init__(self, engine: Engine, runner: JobRunner) -> None:
        self.engine = engine
        self.runner = runner
        self._adopt_lock = threading.Lock()

    def ingest(
        self,
        paths: Sequence[Path],
        kind: str | None,
        names: dict[str, str],
        owner: str | None = None,
    ) -> JobInfo:
        payload: dict[str, Any] = {
            "home": str(self.engine.settings.home),
            "paths": [str(p) for p in paths],
            "kind": kind,
            "names": names,
            "owner": owner,
            "database_url": self.engine.settings.database_url,
        }
        return self.runner.submit("ingest", ingest_task, payload, owner=owner)

    def reindex(self) -> JobInfo:
        """Queue an index rebuild, or return the one already waiting."""
        payload = {"home": str(self.engine.settings.home), "database_url": self.engine.settings.database_url}
        return self.runner.submit("index", index_task, payload, coalesce=True)

    def finished(self, info: JobInfo) -> None:
        """The runner's on_finish hook: an ingest that added documents queues a rebuild; a finished
        rebuild is adopted by the serving engine."""
        if info.kind == "ingest" and info.state == "done" and _added(info) > 0:
            self.reindex()
        elif info.kind == "index" and info.state == "done":
            self.adopt()

    def adopt(self) -> bool:
        with self._adopt_lock:
            return self.engine.adopt_index()

    async def settle(self, job_id: str) -> dict[str, Any]:
        """Wait for an ingest job, then for the index rebuild it caused, then adopt; the ingest report."""
        info = await self._wait(job_id)
        _unavailable(info)
        if info.state != "done" or info.result is None:
            raise JobFailedError(info.error or f"the ingest job was {info.state}")
        report: dict[str, Any] = json.loads(info.result)
        if int(report.get("added", 0)) > 0:
            index = await self._wait(self.reindex().id)
            _unavailable(index)
            if index.state != "done":
                raise JobFailedError(index.error or "the index rebuild did not finish")
            await asyncio.to_thread(self.adopt)
        return report

    async def _wait(self, job_id: str) -> JobInfo:
        while True:
            info = self.runner.get(job_id)
            if info.finished:
                return info
            await asyncio.sleep(_POLL_S)


def _unavailable(info: JobInfo) -> None:
    """Raise StoreUnavailable (HTTP 503 with Retry-After) when `info` failed because the database
    could not be reached: the request may be repeated, unlike a job that failed on its input."""
    if info.state == "failed" and (info.error or "").startswith(DATABASE_UNAVAILABLE):
        raise StoreUnavailable(info.error or DATABASE_UNAVAILABLE)


def _added(info: JobInfo) -> int:
    try:
        return int(json.loads(info.result or "{}").get("added", 0))
    except (ValueError, AttributeError):
        return 0
