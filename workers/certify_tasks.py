"""Thin rq tasks for certified digitization: after a component is digitized, the clerk's
signature is put on the `sign` queue (a clerk's result should not wait behind OCR either)."""

from __future__ import annotations

import logging
import uuid
from types import TracebackType
from typing import Any

import redis
from rq import Callback, Retry
from rq.job import Job

from config import defaults
from config.errors import SohoaError
from config.settings import Settings, get_settings
from signing.certify import ask_clerk_signature, run_certification
from storage.db import open_database
from storage.digitization import get_result, pending_certifications, record_certify_failure
from storage.enums import CertificationState
from storage.types import utcnow
from workers.failures import error_of
from workers.queues import QueueName, get_queue
from workers.reconcile import job_alive

log = logging.getLogger(__name__)

CERTIFY_TASK = "workers.certify_tasks.certify_result"
CERTIFY_FAILURE_CALLBACK = "workers.certify_tasks.on_certify_failure"
ACTOR = "worker"


def enqueue_certify(conn: redis.Redis, settings: Settings, result_id: int) -> str:
    """Queue the clerk's signature on one digitization result; records and returns the job id."""
    retry = (
        Retry(max=settings.job_retries, interval=list(settings.job_retry_intervals))
        if settings.job_retries
        else None
    )
    job = get_queue(conn, QueueName.SIGN).enqueue(
        CERTIFY_TASK,
        result_id,
        job_id=f"certify-{result_id}-{uuid.uuid4().hex[:12]}",
        retry=retry,
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


def certify_result(result_id: int) -> dict[str, Any]:
    """Sign one digitization result. A signature that cannot be made (refused key, broken
    PDF) is recorded as failed for good; a service that did not answer raises so rq retries."""
    settings = get_settings()
    try:
        status = run_certification(settings, result_id)
    except SohoaError as e:
        if e.transient:
            raise
        with open_database(settings).session() as session:
            record_certify_failure(
                session, result_id, code=e.code, message=e.message, final=True, actor=ACTOR
            )
        return {"result_id": result_id, "status": "error", "error": e.to_dict()}
    return {"result_id": result_id, "status": status}


def on_certify_failure(
    job: Job,
    connection: Any,
    exc_type: type[BaseException] | None,
    exc_value: BaseException | None,
    tb: TracebackType | None,
) -> None:
    """rq failure callback: the attempt's failure on the result (final when no retry is left)."""
    if not job.args:
        return
    final = not (job.retries_left and job.retries_left > 0)
    code, message = error_of(exc_type, exc_value)
    with open_database(get_settings()).session() as session:
        record_certify_failure(
            session, int(job.args[0]), code=code, message=message, final=final, actor=ACTOR
        )


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
