"""The nightly maintenance job on the `maintenance` queue: fixity of a share of the archive,
and the retention lists, scheduled with rq's own scheduler.

The job is scheduled for the next night at SOHOA_FIXITY_HOUR (office time) with
`Queue.enqueue_at`, under an id naming that night, with rq's `unique=True`: however many
workers start, one job per night exists. Each run first schedules the next night's (so a
run that fails does not end the schedule), and every long-running worker that listens to
`maintenance` schedules it at start (so a Redis that lost it gets it back). rq's
scheduler, which workers run (`work(with_scheduler=True)`), moves it to the queue when
due, or at the next start of a worker if none was running then.

Not rq's CronScheduler: it is a separate process to run, and it enqueues with rq's default
pickle serializer, which sohoa's workers (JSON only) would refuse. Not `Repeat`: a fixed
interval from whenever the job last ran drifts away from the night.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any

import redis
from rq import get_current_job
from rq.exceptions import DuplicateJobError

from config.retention import get_retention_policy
from config.settings import Settings, get_settings
from storage.archive.layout import ArchiveRoots
from storage.archive.nightly import nightly_care
from storage.db import open_database
from workers.boundary import Finished, task
from workers.connection import redis_connection
from workers.jobs import JOBS, JobKind, enqueue
from workers.priority import reprioritize

log = logging.getLogger(__name__)

ACTOR = "maintenance"


def next_night(settings: Settings, now: datetime) -> datetime:
    """The next time the clock in the office reads the maintenance hour."""
    local = now.astimezone(settings.zone)
    at = datetime.combine(local.date(), time(settings.fixity_hour), tzinfo=settings.zone)
    return at if at > local else at + timedelta(days=1)


def schedule_nightly(conn: redis.Redis, settings: Settings, now: datetime | None = None) -> str:
    """Schedule the next night's maintenance unless it is already; returns its job id."""
    when = next_night(settings, now or datetime.now(settings.zone))
    slot = when.date().isoformat()
    try:
        job_id = enqueue(conn, settings, JobKind.MAINTENANCE, at=when, slot=slot)
        log.info("nightly maintenance scheduled for %s", when.isoformat())
    except DuplicateJobError:
        job_id = f"{JOBS[JobKind.MAINTENANCE].id_prefix}-{slot}"
    return job_id


def maintain(settings: Settings, today: date, *, share: float | None) -> dict[str, Any]:
    """What a night does (storage.archive.nightly): fixity of a share of the packages, then
    the retention lists."""
    return nightly_care(
        open_database(settings), ArchiveRoots.from_settings(settings), get_retention_policy(),
        today, settings.zone, share=share, actor=ACTOR,
    )  # fmt: skip


@task(JobKind.MAINTENANCE)
def nightly_maintenance() -> Finished:
    """rq task: schedule tomorrow's run, put queued digitization on the lanes today's
    deadlines call for, then do tonight's fixity and retention."""
    settings = get_settings()
    job = get_current_job()
    if job is not None:
        schedule_nightly(job.connection, settings)
        reprioritize(job.connection, settings)
    else:
        with redis_connection(settings) as conn:
            schedule_nightly(conn, settings)
            reprioritize(conn, settings)
    summary = maintain(settings, datetime.now(settings.zone).date(), share=settings.fixity_share)
    return Finished(details=summary)
