"""Thin rq tasks of certified digitization on the `sign` worker: the clerk's signature made,
or its failure recorded. workers.certify_queue puts them on the queue."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from rq.job import Job

from config.errors import SohoaError
from config.settings import get_settings
from signing.certify import run_certification
from storage.db import open_database
from storage.digitization import record_certify_failure
from workers.failures import error_of

ACTOR = "worker"


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
