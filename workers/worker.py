"""Running an rq worker on sohoa's queues, in burst mode until retries are exhausted too."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import redis
from rq import Worker
from rq.serializers import JSONSerializer

from config.settings import Settings
from digitize.classify import default_model
from workers.certify_tasks import requeue_certify_orphans
from workers.failures import on_work_horse_killed
from workers.maintenance import is_standing_job, schedule_nightly
from workers.queues import WORKER_ORDER, QueueName, get_queue
from workers.reconcile import requeue_orphans
from workers.sign_reconcile import requeue_sign_orphans
from workers.webhooks import is_webhook_poll, schedule_webhooks

log = logging.getLogger(__name__)

RETRY_POLL_SECONDS = 1.0


def _next_scheduled_in(conn: redis.Redis, queue_names: Sequence[QueueName]) -> float | None:
    """Seconds until the earliest scheduled retry on these queues, None if there is none."""
    soonest: float | None = None
    for name in queue_names:
        registry = get_queue(conn, name).scheduled_job_registry
        # the standing nightly maintenance job is always scheduled: not a retry to wait for
        first = [
            entry
            for entry in conn.zrange(registry.key, 0, -1, withscores=True)
            if not (is_standing_job(entry[0]) or is_webhook_poll(entry[0]))
        ]
        if first:
            at = float(first[0][1])
            soonest = at if soonest is None else min(soonest, at)
    return None if soonest is None else max(0.0, soonest - time.time())


def _make_worker(conn: redis.Redis, queue_names: Sequence[QueueName]) -> Worker:
    return Worker(
        [get_queue(conn, name) for name in queue_names],
        connection=conn,
        serializer=JSONSerializer,
        work_horse_killed_handler=on_work_horse_killed,
    )


def run_worker(
    conn: redis.Redis,
    settings: Settings,
    *,
    queues: Sequence[QueueName] = WORKER_ORDER,
    burst: bool = False,
) -> None:
    """Work the queues. In burst mode, return only when no job is queued or waiting to be
    retried, so a burst run ends with every job done or visibly failed."""
    requeue_orphans(conn, settings)
    requeue_sign_orphans(conn, settings)
    requeue_certify_orphans(conn, settings)
    default_model()  # read once here, so every forked work horse has it without reading it
    if not burst:
        if QueueName.MAINTENANCE in queues:
            schedule_nightly(conn, settings)
        if QueueName.WEBHOOKS in queues:
            schedule_webhooks(conn, settings)
        _make_worker(conn, queues).work(with_scheduler=True)
        return
    while True:
        _make_worker(conn, queues).work(burst=True, with_scheduler=True)
        wait = _next_scheduled_in(conn, queues)
        if wait is None:
            return
        log.info("waiting %.0f s for a scheduled retry", wait)
        time.sleep(min(wait, RETRY_POLL_SECONDS) if wait > 0 else 0.05)
