"""The queues and how jobs are put on them: by dotted path, JSON arguments, with retries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from enum import StrEnum

import redis
from rq import Callback, Queue, Retry
from rq.serializers import JSONSerializer

from config import defaults
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


DIGITIZE_TASK = "workers.tasks.digitize_document"
FAILURE_CALLBACK = "workers.failures.on_job_failure"


def get_queue(conn: redis.Redis, name: QueueName) -> Queue:
    """The rq queue by name, with the JSON serializer every sohoa process uses."""
    return Queue(name.value, connection=conn, serializer=JSONSerializer)


def retry_policy(settings: Settings) -> Retry | None:
    """rq's Retry for transient failures, as configured (None when retries are off)."""
    if settings.job_retries == 0:
        return None
    return Retry(max=settings.job_retries, interval=list(settings.job_retry_intervals))


def enqueue_digitize(
    conn: redis.Redis,
    settings: Settings,
    document_id: int,
    *,
    lane: QueueName = QueueName.DIGITIZE,
) -> str:
    """Queue a document for digitization on its lane (`digitize` or `digitize-urgent`, see
    workers.priority); returns the job id to record on the document.

    Enqueued by dotted path, so the process that enqueues never imports OpenCV or OCR code.
    """
    if lane not in (QueueName.DIGITIZE, QueueName.DIGITIZE_URGENT):
        raise ValueError(f"{lane} is not a digitization lane")
    job = get_queue(conn, lane).enqueue(
        DIGITIZE_TASK,
        document_id,
        job_id=f"digitize-{document_id}-{uuid.uuid4().hex[:12]}",
        retry=retry_policy(settings),
        on_failure=Callback(FAILURE_CALLBACK),
        job_timeout=defaults.DIGITIZE_JOB_TIMEOUT,
        failure_ttl=defaults.JOB_FAILURE_TTL,
        description=f"digitize document {document_id}",
    )
    return str(job.id)
