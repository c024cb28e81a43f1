"""Putting signatures on the `sign` queue: by dotted path, ids only, JSON, with retries."""

from __future__ import annotations

import uuid

import redis
from rq import Callback

from config import defaults
from config.settings import Settings
from workers.queues import QueueName, get_queue, retry_policy

SIGN_TASK = "workers.sign_tasks.sign_request"
SIGN_FAILURE_CALLBACK = "workers.sign_tasks.on_sign_failure"


def enqueue_sign(conn: redis.Redis, settings: Settings, request_id: int) -> str:
    """Queue one requested signature; returns the job id.

    The `sign` queue is the one workers take first, so a leader's result never waits
    behind a backlog of OCR.
    """
    job = get_queue(conn, QueueName.SIGN).enqueue(
        SIGN_TASK,
        request_id,
        job_id=f"sign-{request_id}-{uuid.uuid4().hex[:12]}",
        retry=retry_policy(settings),
        on_failure=Callback(SIGN_FAILURE_CALLBACK),
        job_timeout=defaults.SIGN_JOB_TIMEOUT,
        failure_ttl=defaults.JOB_FAILURE_TTL,
        description=f"sign request {request_id}",
    )
    return str(job.id)
