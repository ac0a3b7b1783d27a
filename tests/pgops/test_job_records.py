"""Jobs followed through another server process: two job runners sharing PostgreSQL job records (as two
workers of `netnav serve --workers 2` do) report each other's jobs, keep owners apart, and a cancel sent
to either runner stops the job in the runner that has it (a request in the database it observes)."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator
from typing import Any

import pytest

from netnav.jobs import JobNotFoundError, JobRunner
from tests.jobs import sample_tasks


@pytest.fixture
def runners(pg_pool: Any) -> Iterator[tuple[JobRunner, JobRunner]]:
    from netnav.store.postgres.jobs import PostgresJobRecords

    one = JobRunner(workers=1, records=PostgresJobRecords(pg_pool))
    two = JobRunner(workers=1, records=PostgresJobRecords(pg_pool))
    yield one, two
    one.close()
    two.close()


def test_a_job_is_followed_through_another_runner(runners: tuple[JobRunner, JobRunner]) -> None:
    one, two = runners
    info = one.submit("count", sample_tasks.count, {"n": 3}, owner="alice")
    assert two.get(info.id, owner="alice").state in ("queued", "running", "done")
    done = one.wait(info.id, timeout=60)
    assert done.state == "done"
    seen = two.get(info.id, owner="alice")
    assert seen.state == "done" and seen.result == done.result and seen.finished_at == done.finished_at
    assert [j.id for j in two.list(owner="alice")] == [info.id]
    with pytest.raises(JobNotFoundError):
        two.get(info.id, owner="bob")
    assert two.list(owner="bob") == []
    with pytest.raises(JobNotFoundError):
        two.get("0" * 32, owner="alice")


def test_a_running_job_is_cancelled_through_another_runner(runners: tuple[JobRunner, JobRunner]) -> None:
    one, two = runners
    info = one.submit("sleep", sample_tasks.sleep, {"seconds": 60}, owner="alice")
    _until(lambda: one.get(info.id).state == "running")
    with pytest.raises(JobNotFoundError):
        two.cancel(info.id, owner="bob")  # another owner's job: as if it did not exist
    assert one.get(info.id).state == "running"
    started = time.monotonic()
    asked = two.cancel(info.id, owner="alice")
    assert asked.id == info.id and asked.state == "running"  # the record as it stood
    assert one.wait(info.id, timeout=30).state == "cancelled"
    assert time.monotonic() - started < 10
    assert two.wait(info.id, timeout=30).state == "cancelled"  # waited on through the records
    assert two.get(info.id, owner="alice").state == "cancelled"


def test_a_queued_job_is_dropped_through_another_runner(runners: tuple[JobRunner, JobRunner]) -> None:
    one, two = runners
    busy = one.submit("sleep", sample_tasks.sleep, {"seconds": 60}, owner="alice")
    queued = one.submit("count", sample_tasks.count, {"n": 2}, owner="carol")
    _until(lambda: one.get(busy.id).state == "running")
    assert two.cancel(queued.id, owner="carol").state == "queued"
    assert one.wait(queued.id, timeout=30).state == "cancelled"
    assert one.get(queued.id).result is None  # it never ran
    assert one.cancel(busy.id).id == busy.id  # the runner that has it cancels at once, as before
    assert one.wait(busy.id, timeout=30).state == "cancelled"


def test_a_finished_job_stays_finished_when_cancelled_elsewhere(runners: tuple[JobRunner, JobRunner]) -> None:
    one, two = runners
    info = one.submit("count", sample_tasks.count, {"n": 1}, owner="alice")
    assert one.wait(info.id, timeout=60).state == "done"
    assert two.cancel(info.id, owner="alice").state == "done"
    time.sleep(1.2)  # two looks for cancel requests
    assert one.get(info.id).state == "done"


def _until(check: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_broken_record_store_does_not_stop_jobs() -> None:
    class Broken:
        def put(self, info: object) -> None:
            raise OSError("gone")

        def get(self, job_id: str, owner: str | None) -> None:
            raise OSError("gone")

        def list(self, owner: str | None, limit: int = 200) -> list[Any]:
            raise OSError("gone")

        def request_cancel(self, job_id: str, owner: str | None) -> None:
            raise OSError("gone")

        def cancel_requests(self, job_ids: Collection[str]) -> set[str]:
            raise OSError("gone")

    runner = JobRunner(workers=1, records=Broken())
    try:
        info = runner.submit("count", sample_tasks.count, {"n": 1}, owner="alice")
        assert runner.wait(info.id, timeout=60).state == "done"
        assert [j.id for j in runner.list(owner="alice")] == [info.id]
    finally:
        runner.close()
