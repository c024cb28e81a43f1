"""Recording a failed job on its document, whichever way the job failed."""

from __future__ import annotations

import logging
import os
from types import TracebackType
from typing import Any

from rq.job import Job

from config.errors import SohoaError
from config.settings import get_settings
from storage.db import open_database
from storage.documents import record_failure

log = logging.getLogger(__name__)

ACTOR = "worker"


def _document_id(job: Job) -> int | None:
    args = job.args
    is_digitize = (job.func_name or "").endswith(".digitize_document")
    return int(args[0]) if args and is_digitize else None


def _will_retry(job: Job) -> bool:
    return bool(job.retries_left and job.retries_left > 0)


def record_job_failure(job: Job, code: str, message: str) -> None:
    """Write the failure on the job's document: a retry's reason, or the final outcome."""
    document_id = _document_id(job)
    if document_id is None:
        return
    final = not _will_retry(job)
    log.warning(
        "job %s for document %d failed (%s): %s",
        job.id,
        document_id,
        "final" if final else "will retry",
        message,
    )
    db = open_database(get_settings())
    with db.session() as session:
        record_failure(session, document_id, code=code, message=message, final=final, actor=ACTOR)


def on_job_failure(
    job: Job,
    connection: Any,
    exc_type: type[BaseException] | None,
    exc_value: BaseException | None,
    tb: TracebackType | None,
) -> None:
    """rq failure callback: the task raised, or its worker vanished (AbandonedJobError)."""
    record_job_failure(job, *error_of(exc_type, exc_value))


def error_of(
    exc_type: type[BaseException] | None, exc_value: BaseException | None
) -> tuple[str, str]:
    """The code and message to record for what a job raised: a SohoaError's own, else
    `job_error` and the exception."""
    if isinstance(exc_value, SohoaError):
        return exc_value.code, exc_value.message
    name = exc_type.__name__ if exc_type else "error"
    return "job_error", f"{name}: {exc_value}" if exc_value else name


def _sign_request_id(job: Job) -> int | None:
    is_sign = (job.func_name or "").endswith(".sign_request")
    return int(job.args[0]) if job.args and is_sign else None


def on_work_horse_killed(job: Job, retpid: int, ret_val: int, rusage: Any) -> None:
    """rq worker hook: the process running the job died (killed, out of memory). The
    failure goes on the job's document or signature request, so it is visible there."""
    signal = os.WTERMSIG(ret_val) if os.WIFSIGNALED(ret_val) else None
    cause = f"killed by signal {signal}" if signal else f"exited with status {ret_val}"
    message = f"the worker process running the job was {cause}"
    request_id = _sign_request_id(job)
    if request_id is not None:
        log.warning("job %s for signature request %d: %s", job.id, request_id, message)
        # only a worker of the `sign` queue gets here, and it holds the signing stack
        from signing.workflow import record_failure as record_sign_failure

        final = not _will_retry(job)
        record_sign_failure(get_settings(), request_id, "worker_died", message, final=final)
        return
    record_job_failure(job, "worker_died", message)
