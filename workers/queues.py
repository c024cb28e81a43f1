"""The queues, in the order workers take them, and rq's retry policy (jobs are put on them
by workers.jobs, the job table)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

import redis
from rq import Queue, Retry
from rq.job import Job
from rq.serializers import JSONSerializer

from config.settings import Settings


class QueueName(StrEnum):
    """One queue per kind of work, so signing is never stuck behind a backlog of OCR."""

    DIGITIZE = "digitize"
    DIGITIZE_URGENT = "digitize-urgent"
    """Documents of dossiers due within SOHOA_URGENT_WORKING_DAYS: taken before `digitize`."""
    SIGN = "sign"
    ARCHIVE = "archive"
    MAINTENANCE = "maintenance"
    WEBHOOKS = "webhooks"
    """Data exchange: the outbox's messages to provincial systems (workers.webhooks)."""


ALL_QUEUES = tuple(QueueName)
WORKER_ORDER = (
    QueueName.SIGN,
    QueueName.ARCHIVE,
    QueueName.DIGITIZE_URGENT,
    QueueName.DIGITIZE,
    QueueName.MAINTENANCE,
    QueueName.WEBHOOKS,
)
"""Workers listen in this order: a free worker takes signing before OCR, and a dossier
near its appointment before the others."""


def with_lanes(queues: Sequence[QueueName]) -> tuple[QueueName, ...]:
    """The queues a worker asked for `digitize` listens to: the urgent lane first, then the
    normal one, so `--queue digitize` never leaves urgent dossiers unserved."""
    out: list[QueueName] = []
    for name in queues:
        if name is QueueName.DIGITIZE and QueueName.DIGITIZE_URGENT not in queues:
            out.append(QueueName.DIGITIZE_URGENT)
        out.append(name)
    return tuple(out)


def get_queue(conn: redis.Redis, name: QueueName, job_class: type[Job] = Job) -> Queue:
    """The rq queue by name, with the JSON serializer every sohoa process uses; a worker's
    own queues make its jobs of the allowlisted class (workers.allowlist)."""
    return Queue(name.value, connection=conn, serializer=JSONSerializer, job_class=job_class)


def retry_policy(settings: Settings) -> Retry | None:
    """rq's Retry for transient failures, as configured (None when retries are off)."""
    if settings.job_retries == 0:
        return None
    return Retry(max=settings.job_retries, interval=list(settings.job_retry_intervals))
