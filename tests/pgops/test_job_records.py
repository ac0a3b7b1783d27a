"""Jobs followed through another server process: two job runners sharing PostgreSQL job records (as two
workers of `netnav serve --workers 2` do) report each other's jobs, keep owners apart, and only the
runner that runs a job may cancel it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from netnav.jobs import JobElsewhereError, JobNotFoundError, JobRunner
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


def test_only_the_running_process_cancels(runners: tuple[JobRunner, JobRunner]) -> None:
    one, two = runners
    info = one.submit("sleep", sample_tasks.sleep, {"seconds": 60}, owner="alice")
    with pytest.raises(JobElsewhereError):
        two.cancel(info.id, owner="alice")
    with pytest.raises(JobNotFoundError):
        two.cancel(info.id, owner="bob")
    assert one.cancel(info.id, owner="alice").id == info.id
    assert one.wait(info.id, timeout=60).state == "cancelled"
    assert two.get(info.id, owner="alice").state == "cancelled"


def test_a_broken_record_store_does_not_stop_jobs() -> None:
    class Broken:
        def put(self, info: object) -> None:
            raise OSError("gone")

        def get(self, job_id: str, owner: str | None) -> None:
            raise OSError("gone")

        def list(self, owner: str | None, limit: int = 200) -> list[Any]:
            raise OSError("gone")

    runner = JobRunner(workers=1, records=Broken())
    try:
        info = runner.submit("count", sample_tasks.count, {"n": 1}, owner="alice")
        assert runner.wait(info.id, timeout=60).state == "done"
        assert [j.id for j in runner.list(owner="alice")] == [info.id]
    finally:
        runner.close()
