"""The one boundary between a task and rq: errors turned into the job's outcome, the same
way for every kind of job.

A task body returns `Finished` (its outcome and what to show of it). An error its kind
lists as final (workers.jobs: a file that is not a document, a refused key, an archive
that fails its checks) is written on the job's row as a final failure and the job ends
`refused`; a transient error, or one its kind does not list, raises so rq retries it (and
workers.failures writes each attempt's reason, the last as final).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rq import get_current_job

from config.settings import get_settings
from workers.failures import write_failure
from workers.jobs import JOBS, JobKind

log = logging.getLogger(__name__)


class JobOutcome(StrEnum):
    """How a job ended, as its result says (`outcome`)."""

    DONE = "done"
    """The work is made and recorded."""
    SKIPPED = "skipped"
    """Nothing was left to do: an earlier attempt made it (a rerun after a crash)."""
    REFUSED = "refused"
    """Failed for good on an error no retry changes; the reason is written on its row."""


@dataclass(frozen=True)
class Finished:
    """What a task body returns."""

    outcome: JobOutcome = JobOutcome.DONE
    details: dict[str, Any] = field(default_factory=dict)
    """JSON values shown with the job's result (counts, ids)."""


TaskBody = Callable[..., Finished]
Task = Callable[..., dict[str, Any]]


def task(kind: JobKind) -> Callable[[TaskBody], Task]:
    """Make a task body of this kind of job an rq task: its result is `{"outcome", "key",
    ...details}`, or `{"outcome": "refused", "key", "error"}` after a final error."""
    spec = JOBS[kind]

    def decorate(body: TaskBody) -> Task:
        @functools.wraps(body)
        def run(*args: Any) -> dict[str, Any]:
            key = args[0] if args else None
            try:
                finished = body(*args)
            except spec.final_errors as e:
                if e.transient:
                    raise
                job = get_current_job()
                job_id = str(job.id) if job is not None else ""
                log.warning("%s job %s (%s) refused: %s", kind, job_id, key, e.message)
                write_failure(
                    get_settings(), spec, job_id, key, code=e.code, message=e.message, final=True
                )
                return {"outcome": JobOutcome.REFUSED, "key": key, "error": e.to_dict()}
            return {"outcome": finished.outcome, "key": key, **finished.details}

        return run

    return decorate
