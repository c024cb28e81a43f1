"""Thin rq task of certified digitization on the `sign` worker: the clerk's signature made
(workers.certify_queue asks for it; its failures are written by the task boundary and
workers.failures, as the job table says)."""

from __future__ import annotations

from config.settings import get_settings
from signing.flow.certify import run_certification
from workers.boundary import Finished, task
from workers.jobs import JobKind


@task(JobKind.CERTIFY)
def certify_result(result_id: int) -> Finished:
    """Sign one digitization result. A signature that cannot be made (refused key, broken
    PDF) fails for good; a service that did not answer raises so rq retries."""
    status = run_certification(get_settings(), result_id)
    return Finished(details={"status": status})
