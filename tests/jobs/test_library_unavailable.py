"""An ingest job that failed because the database could not be reached is a 503 for the waiting
request (StoreUnavailable, repeatable), not a 422 'internal error' (regression: PostgreSQL stopped under
a running server turned `POST /api/documents` into 422 "internal error (StoreUnavailable)")."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from netnav.errors import BadInputError, StoreUnavailable
from netnav.jobs.library import JobFailedError, LibraryJobs
from netnav.jobs.worker import failure_message
from netnav.types.jobs import JobInfo


class _Runner:
    def __init__(self, error: str) -> None:
        self.info = JobInfo(id="a" * 32, kind="ingest", state="failed", error=error, created_at=0.0)

    def get(self, job_id: str) -> JobInfo:
        return self.info


def _settle(error: str) -> None:
    library = LibraryJobs(engine=None, runner=_Runner(error))  # type: ignore[arg-type]
    asyncio.run(library.settle("a" * 32))


@pytest.mark.parametrize(
    "exc",
    [
        StoreUnavailable("cannot reach the database server postgresql://netnav@db/netnav"),
        StoreUnavailable("the database connection was lost"),
    ],
)
def test_a_job_that_lost_the_database_is_a_503_for_the_waiting_request(exc: Exception) -> None:
    message = failure_message(exc)
    assert "StoreUnavailable" not in message and "try again" in message
    with pytest.raises(StoreUnavailable):
        _settle(message)


@pytest.mark.parametrize(
    "exc", [BadInputError("the file is not a PDF, text or XML document"), RuntimeError("boom")]
)
def test_other_job_failures_stay_422(exc: Any) -> None:
    with pytest.raises(JobFailedError):
        _settle(failure_message(exc))
