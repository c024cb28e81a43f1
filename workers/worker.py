"""Running an rq worker on sohoa's queues, in burst mode until retries are exhausted too,
and stopping it without losing the job in hand."""

from __future__ import annotations

import importlib
import logging
import os
import signal
import threading
import time
from collections.abc import Sequence
from types import FrameType

import redis
from rq import Worker
from rq.job import Job
from rq.serializers import JSONSerializer

from config import defaults
from config.filemodes import restrict_umask
from config.settings import Settings
from workers.allowlist import SohoaJob
from workers.failures import on_work_horse_killed
from workers.jobs import is_standing, kinds_on
from workers.queues import get_queue, with_lanes, worker_order
from workers.reconcile import reconcile
from workers.stacks import frozen_heap, preload

log = logging.getLogger(__name__)

RETRY_POLL_SECONDS = 1.0


def _next_scheduled_in(conn: redis.Redis, queue_names: Sequence[str]) -> float | None:
    """Seconds until the earliest scheduled retry on these queues, None if there is none."""
    soonest: float | None = None
    for name in queue_names:
        registry = get_queue(conn, name).scheduled_job_registry
        # a standing job (nightly maintenance, webhook poll) is always scheduled: not a
        # retry to wait for
        first = [
            entry
            for entry in conn.zrange(registry.key, 0, -1, withscores=True)
            if not is_standing(entry[0])
        ]
        if first:
            at = float(first[0][1])
            soonest = at if soonest is None else min(soonest, at)
    return None if soonest is None else max(0.0, soonest - time.time())


def requeue_interrupted(conn: redis.Redis, job: Job) -> None:
    """Put a job whose work horse was stopped back at the head of its queue, as if it had
    never started: a shutdown is not the job's failure, so it costs no retry."""
    job.started_job_registry.remove_executions(job)
    get_queue(conn, job.origin).enqueue_job(job, at_front=True)
    log.warning("job %s interrupted by the worker's shutdown, put back on %s", job.id, job.origin)


class SohoaWorker(Worker):
    """rq's forking worker, stopped the way a deployment stops it.

    SIGTERM (docker stop, systemd) is rq's warm shutdown: no new job is taken and the one
    in hand finishes. If it has not finished after `stop_grace` seconds, or a second SIGTERM
    comes, the work horse is killed (rq's cold shutdown) and the job put back at the head of
    its queue for another worker. Either way nothing is lost and nothing counts as failed.
    """

    stop_grace: float = defaults.WORKER_STOP_GRACE
    stopping: bool = False

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        """Warm shutdown; when a job is running, a timer turns it cold after the grace."""
        self.stopping = True
        # rq raises StopRequested here when no job is running: nothing to wait for
        super().request_stop(signum, frame)  # type: ignore[no-untyped-call]
        log.info("stopping after the current job (at most %.0f s)", self.stop_grace)
        timer = threading.Timer(self.stop_grace, os.kill, (os.getpid(), signal.SIGTERM))
        timer.daemon = True
        timer.start()

    def unsubscribe(self) -> None:
        """Stop listening on the worker's command channel within a second.

        rq sends UNSUBSCRIBE first and only then stops its listening thread, whose `stop()`
        in redis-py 8 waits for the thread without a limit. When the thread takes the
        server's reply before the stop flag is set, it goes back to waiting for the next
        message for rq's 60 s, and a stopped worker hangs that long (docker stop kills it
        first). Here the flag is cleared first, so the reply ends the thread's loop."""
        thread = self.pubsub_thread
        if thread is None:
            return
        log.info("unsubscribing from %s", self.pubsub_channel_name)
        thread.stop(timeout=0)  # clears the flag; the join comes after the wake-up
        try:
            self.pubsub.unsubscribe()
        except redis.RedisError as exc:  # the thread may have closed it already
            log.debug("unsubscribe: %s", exc)
        thread.join(timeout=1)
        self.pubsub.close()

    def request_force_stop(self, signum: int, frame: FrameType | None) -> None:
        """Cold shutdown: rq kills the work horse; the job it held goes back on its queue."""
        job = self.get_current_job() if self.horse_pid else None
        try:
            super().request_force_stop(signum, frame)
        except SystemExit:
            if job is not None:
                requeue_interrupted(self.connection, job)
            raise


def _make_worker(conn: redis.Redis, settings: Settings, queue_names: Sequence[str]) -> SohoaWorker:
    worker = SohoaWorker(
        [get_queue(conn, name, SohoaJob) for name in queue_names],
        connection=conn,
        serializer=JSONSerializer,
        job_class=SohoaJob,  # runs only the job table's tasks (workers.allowlist)
        work_horse_killed_handler=on_work_horse_killed,
    )
    worker.stop_grace = settings.worker_stop_grace
    return worker


def run_worker(
    conn: redis.Redis,
    settings: Settings,
    *,
    queues: Sequence[str] | None = None,
    burst: bool = False,
) -> None:
    """Work the queues (default: every queue of workers.jobs, in its order; `digitize` with
    its urgent lane first). In burst mode, return only
    when no job is queued or waiting to be retried, so a burst run ends with every job done
    or visibly failed; on SIGTERM, return once the job in hand is done or requeued.

    The worker holds only its queues' stacks (workers.stacks), loaded before the first
    fork so that every work horse shares them."""
    restrict_umask()  # also when run outside the CLI: horses inherit it
    queues = worker_order() if queues is None else with_lanes(queues)
    preload(queues)
    reconcile(conn, settings, queues)
    with frozen_heap():
        _work(conn, settings, queues, burst=burst)


def _work(conn: redis.Redis, settings: Settings, queues: tuple[str, ...], *, burst: bool) -> None:
    """The rq worker loop proper: long-running, or in bursts until no retry is waiting."""
    if not burst:
        schedule_standing(conn, settings, queues)
        _make_worker(conn, settings, queues).work(with_scheduler=True)
        return
    while True:
        worker = _make_worker(conn, settings, queues)
        worker.work(burst=True, with_scheduler=True)
        if worker.stopping:
            return
        wait = _next_scheduled_in(conn, queues)
        if wait is None:
            return
        log.info("waiting %.0f s for a scheduled retry", wait)
        time.sleep(min(wait, RETRY_POLL_SECONDS) if wait > 0 else 0.05)


def schedule_standing(conn: redis.Redis, settings: Settings, queues: Sequence[str]) -> None:
    """Schedule the standing jobs of these queues (one per time slot: a job already there
    is kept), so a Redis that lost them gets them back."""
    for spec in kinds_on(queues):
        if spec.schedule is not None:
            module, _, name = spec.schedule.rpartition(".")
            getattr(importlib.import_module(module), name)(conn, settings)


def worker_alive(conn: redis.Redis, hostname: str) -> bool:
    """Whether a worker process of this host is registered with rq and still running: a
    container's health check (rq drops a worker whose heartbeat stopped; the process check
    catches one that died without deregistering, before its registration expires)."""
    for worker in Worker.all(connection=conn, serializer=JSONSerializer):
        if worker.hostname != hostname or not worker.pid:
            continue
        try:
            os.kill(worker.pid, 0)
        except ProcessLookupError:
            continue
        except PermissionError:  # alive, under another user
            return True
        return True
    return False
