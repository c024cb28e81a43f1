"""Putting the queues back in line with the database, which is the record of what is owed.

For each kind of job a worker's queues carry (workers.jobs), every row the database says
is owed and no live job covers is queued again: stored while the queue was down, or lost
with Redis's last second of writes. A row that has had all its attempts is failed for good
instead: a job whose worker dies every time ends visibly failed, not requeued at every
start."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import redis
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from config.settings import Settings
from storage.job_records import Owed, owed_rows, record_requeue
from workers.failures import write_failure
from workers.jobs import JobSpec, enqueue, kinds_on, max_attempts
from workers.priority import reprioritize

log = logging.getLogger(__name__)

ACTOR = "worker"

ALIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
"""Job states in which the queue still owes the work."""


def job_alive(conn: redis.Redis, job_id: str | None) -> bool:
    """Whether a job with this id still owes its work (queued, running or waiting a retry)."""
    if not job_id:
        return False
    try:
        status = Job.fetch(job_id, connection=conn, serializer=JSONSerializer).get_status()
    except NoSuchJobError:
        return False
    return status in ALIVE


def reconcile(conn: redis.Redis, settings: Settings, queues: Sequence[str]) -> None:
    """Put back on these queues what the database says they owe and no live job covers,
    and move queued documents to the lane their appointment now calls for."""
    for spec in kinds_on(queues):
        if spec.owed is not None:
            requeue_owed(conn, settings, spec)
        if spec.lane is not None:
            reprioritize(conn, settings)


def requeue_owed(conn: redis.Redis, settings: Settings, spec: JobSpec) -> int:
    """Queue again every row owed a job of this kind that no live job covers, or fail it
    for good if it had all its attempts; returns how many were queued."""
    assert spec.owed is not None
    owed = owed_rows(settings, spec.owed)
    orphans = [item for item in owed if not job_alive(conn, item.job_id)]
    requeued = 0
    for item in orphans:
        if spec.retried and item.attempts >= max_attempts(settings):
            _give_up(settings, spec, item)
            continue
        new_job = enqueue(conn, settings, spec.kind, item.key)
        record_requeue(settings, spec.kind.value, item, new_job, actor=ACTOR)
        requeued += 1
    if requeued:
        log.warning("requeued %d %s jobs that had no live job", requeued, spec.kind)
    return requeued


def _give_up(settings: Settings, spec: JobSpec, item: Owed) -> None:
    message = (
        f"no outcome after {item.attempts} attempts (its last job, {item.job_id}, is gone): "
        "given up rather than queued again"
    )
    log.warning("%s %d: %s", spec.kind, item.key, message)
    write_failure(
        settings, spec, item.job_id or "", item.key,
        code="attempts_exhausted", message=message, final=True,
    )  # fmt: skip
