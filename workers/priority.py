"""Which digitization lane a document takes: urgent when its dossier's appointment is near.

The lane is chosen when the job is queued, from the dossier's appointment date and the
office's working calendar, and chosen again by `reprioritize` (at every worker start and in
the nightly maintenance job): a dossier that was comfortable yesterday may be due tomorrow,
and its queued job then moves to the head lane. Only jobs still waiting move; one already
running or waiting a retry keeps its place. The lanes are the digitize row's queues in
the job table (workers.jobs), normal then urgent; the row asks `document_lane`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import redis
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from config.calendar import WorkingCalendar, get_calendar
from config.settings import Settings
from storage.job_records import appointment_of, waiting_digitizations
from storage.types import utcnow
from workers.jobs import JOBS, JobKind, get_queue

log = logging.getLogger(__name__)


def is_urgent(
    appointment_at: datetime | None,
    now: datetime,
    *,
    settings: Settings,
    calendar: WorkingCalendar,
) -> bool:
    """Whether a dossier due at `appointment_at` is within SOHOA_URGENT_WORKING_DAYS working
    days of `now` (office time), or overdue. A dossier with no appointment never is."""
    if appointment_at is None:
        return False
    today = now.astimezone(settings.zone).date()
    due = appointment_at.astimezone(settings.zone).date()
    if due <= today:
        return True
    return calendar.working_days_between(today, due) <= settings.urgent_working_days


def digitize_lane(
    appointment_at: datetime | None, settings: Settings, now: datetime | None = None
) -> str:
    """The queue a document of a dossier due at `appointment_at` is digitized on."""
    urgent = is_urgent(appointment_at, now or utcnow(), settings=settings, calendar=get_calendar())
    normal, urgent_lane = JOBS[JobKind.DIGITIZE].queues
    return urgent_lane if urgent else normal


def document_lane(settings: Settings, key: Any) -> str:
    """The digitize row's `lane`: the queue for document `key`, by its dossier's
    appointment."""
    return digitize_lane(appointment_of(settings, int(key)), settings)


def _move(conn: redis.Redis, job_id: str, lane: str) -> bool:
    """Move a still-queued job to `lane`; False if it is not waiting in the other lane (it
    started meanwhile, or another worker moved it first)."""
    try:
        job = Job.fetch(job_id, connection=conn, serializer=JSONSerializer)
    except NoSuchJobError:
        return False
    if job.get_status() != JobStatus.QUEUED or job.origin == lane:
        return False
    if job.origin not in JOBS[JobKind.DIGITIZE].queues:
        return False
    if get_queue(conn, job.origin).remove(job) == 0:
        return False
    get_queue(conn, lane).enqueue_job(job)
    return True


def reprioritize(conn: redis.Redis, settings: Settings, now: datetime | None = None) -> int:
    """Put every queued digitization job on the lane its dossier's appointment calls for
    today; returns how many jobs moved."""
    waiting = waiting_digitizations(settings)
    moved = sum(
        _move(conn, job_id, digitize_lane(appointment, settings, now))
        for _, job_id, appointment in waiting
        if job_id
    )
    if moved:
        log.info("moved %d queued digitization jobs to the lane their deadline calls for", moved)
    return moved
