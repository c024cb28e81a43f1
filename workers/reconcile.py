"""Putting the queue back in line with the database, which is the record of what is owed."""

from __future__ import annotations

import logging

import redis
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from config.settings import Settings
from storage.db import open_database
from storage.documents import documents_waiting
from storage.enums import EventKind
from storage.events import append_event
from workers.priority import digitize_lane
from workers.queues import enqueue_digitize

log = logging.getLogger(__name__)

ALIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
"""Job states in which the queue still owes the document its digitization."""


def job_alive(conn: redis.Redis, job_id: str | None) -> bool:
    """Whether a job with this id still owes its work (queued, running or waiting a retry)."""
    if not job_id:
        return False
    try:
        status = Job.fetch(job_id, connection=conn, serializer=JSONSerializer).get_status()
    except NoSuchJobError:
        return False
    return status in ALIVE


def requeue_orphans(conn: redis.Redis, settings: Settings) -> int:
    """Enqueue again every document waiting for digitization that no live job covers.

    That is a document stored while the queue was down, or whose job Redis lost (it keeps
    its last second of writes only in memory). Returns how many were requeued.
    """
    requeued = 0
    with open_database(settings).session() as session:
        for document in documents_waiting(session):
            if job_alive(conn, document.job_id):
                continue
            old = document.job_id
            lane = digitize_lane(document.dossier.appointment_at, settings)
            document.job_id = enqueue_digitize(conn, settings, document.id, lane=lane)
            append_event(
                session,
                EventKind.JOB_REQUEUED,
                actor="worker",
                dossier_id=document.dossier_id,
                document_id=document.id,
                data={"old_job": old, "new_job": document.job_id},
            )
            requeued += 1
    if requeued:
        log.warning("requeued %d documents that had no live job", requeued)
    return requeued
