"""JobRunner: states, progress, cancel, owners, limits (CPU, memory, wall), bounded queue, coalescing."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from netnav.jobs import JobLimits, JobNotFoundError, JobQueueFullError, JobRunner
from netnav.types.jobs import JobInfo
from tests.jobs import sample_tasks

FAST = JobLimits(cpu_seconds=2, memory_bytes=512 * 1024**2, wall_seconds=30)


@pytest.fixture()
def runner() -> Iterator[JobRunner]:
    r = JobRunner(workers=1, limits=FAST, max_queued=3)
    yield r
    r.close()


def test_a_job_runs_reports_progress_and_keeps_its_result(runner: JobRunner) -> None:
    info = runner.submit("count", sample_tasks.count, {"n": 5}, owner="alice")
    assert info.state == "queued" and len(info.id) == 32
    done = runner.wait(info.id, timeout=60)
    assert done.state == "done" and done.result == "counted 5"
    assert done.progress.stage == "count" and (done.progress.done, done.progress.total) == (5, 5)
    assert done.started_at is not None and done.finished_at is not None
    assert done.finished_at >= done.started_at >= done.created_at


def test_owners_see_only_their_jobs(runner: JobRunner) -> None:
    info = runner.submit("count", sample_tasks.count, {"n": 1}, owner="alice")
    with pytest.raises(JobNotFoundError):
        runner.get(info.id, owner="bob")
    with pytest.raises(JobNotFoundError):
        runner.cancel(info.id, owner="bob")
    assert [j.id for j in runner.list(owner="alice")] == [info.id]
    assert runner.list(owner="bob") == []
    assert "owner" not in runner.get(info.id, owner="alice").model_dump()


def test_cancel_queued_and_running(runner: JobRunner) -> None:
    running = runner.submit("sleep", sample_tasks.sleep, {"seconds": 60})
    queued = runner.submit("count", sample_tasks.count, {"n": 1})
    assert runner.cancel(queued.id).state == "cancelled"
    deadline = time.monotonic() + 30
    while runner.get(running.id).progress.stage != "sleep":
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.05)
    t0 = time.monotonic()
    runner.cancel(running.id)
    assert runner.wait(running.id, timeout=30).state == "cancelled"
    assert time.monotonic() - t0 < 15


def test_cpu_limit_stops_a_spinning_job(runner: JobRunner) -> None:
    # CPU seconds, not wall seconds, must stop it: on a loaded 2-core machine 2 CPU seconds can take longer than
    # the default 30 s wall limit, which would end the job for the wrong reason.
    limits = FAST.model_copy(update={"wall_seconds": 600.0})
    info = runner.wait(runner.submit("spin", sample_tasks.spin, {}, limits=limits).id, timeout=620)
    assert info.state == "failed" and "CPU time limit" in (info.error or "")


def test_memory_limit_stops_a_hog(runner: JobRunner) -> None:
    info = runner.wait(runner.submit("hog", sample_tasks.hog, {}).id, timeout=60)
    assert info.state == "failed" and "memory" in (info.error or "")


def test_wall_limit_stops_a_sleeper(runner: JobRunner) -> None:
    limits = FAST.model_copy(update={"wall_seconds": 1.0})
    info = runner.wait(runner.submit("sleep", sample_tasks.sleep, {}, limits=limits).id, timeout=60)
    assert info.state == "failed" and "time limit" in (info.error or "")


def test_failures_are_one_sentence_without_internal_text(runner: JobRunner) -> None:
    bad = runner.wait(runner.submit("x", sample_tasks.bad_input, {}).id, timeout=60)
    assert bad.state == "failed" and bad.error and "no %%EOF" in bad.error
    crash = runner.wait(runner.submit("x", sample_tasks.crash, {}).id, timeout=60)
    assert crash.state == "failed" and crash.error == "internal error (RuntimeError)"


def test_queue_is_bounded_and_coalesces(runner: JobRunner) -> None:
    runner.submit("sleep", sample_tasks.sleep, {"seconds": 60})
    deadline = time.monotonic() + 30
    while not any(j.state == "running" for j in runner.list()):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    first = runner.submit("index", sample_tasks.count, {"n": 1}, coalesce=True)
    assert runner.submit("index", sample_tasks.count, {"n": 1}, coalesce=True).id == first.id
    runner.submit("count", sample_tasks.count, {"n": 1})
    runner.submit("count", sample_tasks.count, {"n": 1})
    with pytest.raises(JobQueueFullError):
        runner.submit("count", sample_tasks.count, {"n": 1})


def test_on_finish_is_called_once_per_job() -> None:
    seen: list[JobInfo] = []
    r = JobRunner(workers=2, limits=FAST, on_finish=seen.append)
    try:
        ids = [r.submit("count", sample_tasks.count, {"n": 2}).id for _ in range(3)]
        for job_id in ids:
            assert r.wait(job_id, timeout=60).state == "done"
        deadline = time.monotonic() + 5
        while len(seen) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sorted(i.id for i in seen) == sorted(ids)
    finally:
        r.close()
