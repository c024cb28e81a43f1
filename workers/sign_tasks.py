"""Thin rq tasks of the `sign` queue: an id in, one call into signing/, the next one queued."""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any

from rq import get_current_job
from rq.job import Job

from config.errors import SohoaError
from config.settings import get_settings
from signing.workflow import record_failure, run_signature
from storage.db import open_database
from storage.signatures import get_request
from workers.connection import redis_connection
from workers.sign_queue import enqueue_sign

log = logging.getLogger(__name__)


def _set_job_id(request_id: int, job_id: str) -> None:
    with open_database(get_settings()).session() as session:
        get_request(session, request_id).job_id = job_id


def sign_request(request_id: int) -> dict[str, Any]:
    """Apply one requested signature; then queue the next one in the signing order.

    A signature that cannot be made (refused key, broken PDF, earlier signature missing)
    is recorded as failed for good; a service that did not answer raises so rq retries.
    """
    settings = get_settings()
    try:
        outcome = run_signature(settings, request_id)
    except SohoaError as e:
        if e.transient:
            raise
        record_failure(settings, request_id, e.code, e.message, final=True)
        return {"request_id": request_id, "status": "error", "error": e.to_dict()}
    job = get_current_job()
    if outcome.next_request_id is not None:
        if job is not None:
            next_job = enqueue_sign(job.connection, settings, outcome.next_request_id)
        else:
            with redis_connection(settings) as conn:
                next_job = enqueue_sign(conn, settings, outcome.next_request_id)
        _set_job_id(outcome.next_request_id, next_job)
    log.info("signature request %d: %s", request_id, outcome.status)
    return {"request_id": request_id, "status": outcome.status, "next": outcome.next_request_id}


def on_sign_failure(
    job: Job,
    connection: Any,
    exc_type: type[BaseException] | None,
    exc_value: BaseException | None,
    tb: TracebackType | None,
) -> None:
    """rq failure callback: record the attempt's failure on the request (final when no
    retry is left)."""
    if not job.args:
        return
    final = not (job.retries_left and job.retries_left > 0)
    if isinstance(exc_value, SohoaError):
        code, message = exc_value.code, exc_value.message
    else:
        name = exc_type.__name__ if exc_type else "error"
        code, message = "job_error", f"{name}: {exc_value}"
    record_failure(get_settings(), int(job.args[0]), code, message, final=final)
