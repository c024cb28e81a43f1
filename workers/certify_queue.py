"""Putting the clerk's signature on the `sign` queue: after a component is digitized, and
for any owed signature no live job covers (a clerk's result should not wait behind OCR).
Light on purpose: the digitizing worker imports it; the signing itself is
workers.certify_tasks, on the `sign` worker."""

from __future__ import annotations

import logging
import uuid

import redis
from rq import Callback

from config import defaults
from config.settings import Settings
from signing.clerk import ask_clerk_signature
from storage.db import open_database
from storage.digitization import get_result, pending_certifications
from storage.enums import CertificationState
from storage.types import utcnow
from workers.queues import QueueName, get_queue, retry_policy
from workers.reconcile import job_alive

log = logging.getLogger(__name__)

CERTIFY_TASK = "workers.certify_tasks.certify_result"
CERTIFY_FAILURE_CALLBACK = "workers.certify_tasks.on_certify_failure"


def enqueue_certify(conn: redis.Redis, settings: Settings, result_id: int) -> str:
    """Queue the clerk's signature on one digitization result; records and returns the job id."""
    job = get_queue(conn, QueueName.SIGN).enqueue(
        CERTIFY_TASK,
        result_id,
        job_id=f"certify-{result_id}-{uuid.uuid4().hex[:12]}",
        retry=retry_policy(settings),
        on_failure=Callback(CERTIFY_FAILURE_CALLBACK),
        job_timeout=defaults.SIGN_JOB_TIMEOUT,
        failure_ttl=defaults.JOB_FAILURE_TTL,
        description=f"certify digitization result {result_id}",
    )
    with open_database(settings).session() as session:
        get_result(session, result_id).job_id = str(job.id)
    return str(job.id)


def certify_after_digitizing(conn: redis.Redis, settings: Settings, document_id: int) -> None:
    """Ask for the clerk's signature on a digitized document and queue it, unless it is
    made or a live job has it already (the dossier's result is left to its leader and seal).
    Safe to call again: a digitize job retried after a crash asks once more."""
    result_id = ask_clerk_signature(settings, document_id, today=utcnow())
    if result_id is None:
        return
    with open_database(settings).session(readonly=True) as session:
        result = get_result(session, result_id)
        owed, job_id = result.status is CertificationState.PENDING, result.job_id
    if owed and not job_alive(conn, job_id):
        enqueue_certify(conn, settings, result_id)


def requeue_certify_orphans(conn: redis.Redis, settings: Settings) -> int:
    """Queue again every clerk's signature owed that no live job covers; how many."""
    with open_database(settings).session(readonly=True) as session:
        owed = [(r.id, r.job_id) for r in pending_certifications(session)]
    requeued = 0
    for result_id, job_id in owed:
        if not job_alive(conn, job_id):
            enqueue_certify(conn, settings, result_id)
            requeued += 1
    if requeued:
        log.warning("requeued %d digitization results that had no live job", requeued)
    return requeued
