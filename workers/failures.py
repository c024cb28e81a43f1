"""Recording a failed job where it is seen, whichever way it failed: the task raised, its
work horse was killed (by a signal, the OOM killer, rq's own timeout), or its worker
vanished. The job table (workers.jobs) says where each kind's failure is written; a job of
no kind in it is refused before it runs (workers.allowlist) and only logged here."""

from __future__ import annotations

import logging
import os
from types import TracebackType
from typing import Any

from rq.job import Job

from config.errors import SohoaError
from config.settings import Settings, get_settings
from storage.job_records import write_job_failure
from workers.jobs import JobSpec, spec_of_task

log = logging.getLogger(__name__)

ACTOR = "worker"


def write_failure(
    settings: Settings,
    spec: JobSpec,
    job_id: str,
    key: Any,
    *,
    code: str,
    message: str,
    final: bool,
) -> None:
    """Write one failure of a job of this kind: on its row, else as a `job.failed` event."""
    write_job_failure(
        settings, spec.record_failure, spec.kind.value, job_id, key,
        code=code, message=message, final=final, actor=ACTOR,
    )  # fmt: skip


def record_job_failure(job: Job, code: str, message: str) -> None:
    """Write a job's failure: a retry's reason while rq will retry it, else the final one."""
    spec = spec_of_task(job.func_name)
    if spec is None:
        log.warning("job %s runs %r, not a sohoa task: refused", job.id, job.func_name)
        return
    final = not (job.retries_left and job.retries_left > 0)
    key = job.args[0] if job.args else None
    log.warning(
        "%s job %s (%s) failed (%s): %s",
        spec.kind, job.id, key, "final" if final else "will retry", message,
    )  # fmt: skip
    write_failure(
        get_settings(), spec, str(job.id), key, code=code, message=message, final=final
    )


def on_job_failure(
    job: Job,
    connection: Any,
    exc_type: type[BaseException] | None,
    exc_value: BaseException | None,
    tb: TracebackType | None,
) -> None:
    """rq failure callback of every job (workers.allowlist.SohoaJob): the task raised, or
    its worker vanished (AbandonedJobError)."""
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


def on_work_horse_killed(job: Job, retpid: int, ret_val: int, rusage: Any) -> None:
    """rq worker hook: the process running the job died (killed, out of memory); rq calls
    no failure callback then, so the failure is written here, on whatever the job's kind
    writes failures on."""
    signal = os.WTERMSIG(ret_val) if os.WIFSIGNALED(ret_val) else None
    cause = f"killed by signal {signal}" if signal else f"exited with status {ret_val}"
    record_job_failure(job, "worker_died", f"the worker process running the job was {cause}")
