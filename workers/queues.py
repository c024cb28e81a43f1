"""The queues and how jobs are put on them: by dotted path, JSON arguments, with retries."""

from __future__ import annotations

import uuid
from enum import StrEnum

import redis
from rq import Callback, Queue, Retry
from rq.serializers import JSONSerializer

from config import defaults
from config.settings import Settings


class QueueName(StrEnum):
    """One queue per kind of work, so signing is never stuck behind a backlog of OCR."""

    DIGITIZE = "digitize"
    SIGN = "sign"
    ARCHIVE = "archive"
    MAINTENANCE = "maintenance"
    WEBHOOKS = "webhooks"
    """Data exchange: the outbox's messages to provincial systems (workers.webhooks)."""


ALL_QUEUES = tuple(QueueName)
"""Workers listen in this order: a free worker takes signing before OCR."""
WORKER_ORDER = (
    QueueName.SIGN,
    QueueName.ARCHIVE,
    QueueName.DIGITIZE,
    QueueName.MAINTENANCE,
    QueueName.WEBHOOKS,
)

DIGITIZE_TASK = "workers.tasks.digitize_document"
FAILURE_CALLBACK = "workers.failures.on_job_failure"


def get_queue(conn: redis.Redis, name: QueueName) -> Queue:
    """The rq queue by name, with the JSON serializer every sohoa process uses."""
    return Queue(name.value, connection=conn, serializer=JSONSerializer)


def _retry(settings: Settings) -> Retry | None:
    if settings.job_retries == 0:
        return None
    return Retry(max=settings.job_retries, interval=list(settings.job_retry_intervals))


def enqueue_digitize(conn: redis.Redis, settings: Settings, document_id: int) -> str:
    """Queue a document for digitization; returns the job id to record on the document.

    Enqueued by dotted path, so the process that enqueues never imports OpenCV or OCR code.
    """
    job = get_queue(conn, QueueName.DIGITIZE).enqueue(
        DIGITIZE_TASK,
        document_id,
        job_id=f"digitize-{document_id}-{uuid.uuid4().hex[:12]}",
        retry=_retry(settings),
        on_failure=Callback(FAILURE_CALLBACK),
        job_timeout=defaults.DIGITIZE_JOB_TIMEOUT,
        failure_ttl=defaults.JOB_FAILURE_TTL,
        description=f"digitize document {document_id}",
    )
    return str(job.id)
