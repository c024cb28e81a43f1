"""Jobs written straight into Redis that name a function other than sohoa's tasks.

The attack: anyone who can write to Redis (a host on the queue's network, a leaked URL)
puts a job on a queue naming `os.system`, `builtins.eval` or `subprocess.run`, or a failure
callback of their choosing; rq resolves dotted names by importing them, so a worker would
run it, one holding the organisation's signing key. The boundary: a sohoa worker makes its
jobs of workers.allowlist.SohoaJob, which resolves a job's function through the job table
only (workers.jobs) and never reads callbacks stored on a job: the named function is never
imported or called, and the job ends failed at once, without retry, saying why."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import redis
from rq import Callback, Retry
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from config.settings import Settings
from workers.queues import all_queues, get_queue
from workers.worker import run_worker


def touch_callback(job: Any, connection: Any, *exc_info: Any) -> None:
    """A failure callback an attacker names: leaves a file behind if it ever runs."""
    Path(os.environ["SOHOA_DATA_DIR"], "callback-ran").touch()


def _hostile(marker: Path) -> list[tuple[str, list[Any]]]:
    """Functions and arguments that would each create `marker` if run."""
    return [
        ("os.system", [f"touch {marker}-system"]),
        ("builtins.eval", [f"open({str(marker) + '-eval'!r}, 'w').close()"]),
        ("subprocess.run", [["touch", f"{marker}-run"]]),
    ]


def test_a_job_naming_any_function_but_a_sohoa_task_never_runs_and_fails_visibly(
    redis_conn: redis.Redis, settings: Settings, tmp_path: Path
) -> None:
    """GIVEN on every queue, jobs naming os.system, builtins.eval and subprocess.run (with
    retries and a failure callback of the attacker's), written as a Redis writer would
    WHEN a sohoa worker of all queues works them
    THEN nothing ran, neither the functions nor the callback, and each job failed once,
    for good, its record naming the refused function."""
    marker = tmp_path / "ran"
    jobs = []
    for name in all_queues():
        for func, args in _hostile(marker):
            queue = get_queue(redis_conn, name)
            jobs.append(
                queue.enqueue(
                    func,
                    *args,
                    retry=Retry(max=3),
                    on_failure=Callback(f"{__name__}.touch_callback"),
                )
            )
    run_worker(redis_conn, settings, burst=True)
    assert list(tmp_path.glob("ran*")) == []
    assert not (settings.data_path / "callback-ran").exists()
    for job in jobs:
        fetched = Job.fetch(job.id, connection=redis_conn, serializer=JSONSerializer)
        assert fetched.get_status() == JobStatus.FAILED, job.func_name
        result = fetched.latest_result()
        assert result is not None
        assert "TaskNotAllowed" in (result.exc_string or "")
        assert f"{job.func_name!r}, which is not a sohoa task" in (result.exc_string or "")
        assert len(list(fetched.results())) == 1  # refused once, never retried
