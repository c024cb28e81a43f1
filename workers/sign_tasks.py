"""Thin rq task of the `sign` queue: an id in, one call into signing/, the next one queued."""

from __future__ import annotations

import logging

from rq import get_current_job

from config.settings import get_settings
from signing.flow.results import run_signature
from workers.boundary import Finished, task
from workers.connection import redis_connection
from workers.jobs import JobKind, enqueue

log = logging.getLogger(__name__)


@task(JobKind.SIGN)
def sign_request(request_id: int) -> Finished:
    """Apply one requested signature; then queue the next one in the signing order.

    A signature that cannot be made (refused key, broken PDF, earlier signature missing)
    fails for good; a service that did not answer raises so rq retries.
    """
    settings = get_settings()
    outcome = run_signature(settings, request_id)
    job = get_current_job()
    if outcome.next_request_id is not None:
        if job is not None:
            enqueue(job.connection, settings, JobKind.SIGN, outcome.next_request_id)
        else:
            with redis_connection(settings) as conn:
                enqueue(conn, settings, JobKind.SIGN, outcome.next_request_id)
    log.info("signature request %d: %s", request_id, outcome.status)
    return Finished(details={"status": outcome.status, "next": outcome.next_request_id})
