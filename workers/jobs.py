"""The kinds of job sohoa runs, in one table, and the one way to queue any of them.

A row says everything about a kind of job: its queue, its task (by dotted path, so the
process that enqueues never imports OpenCV or the signing stack), its timeout, how its job
id is made, its retry policy, where its failure is written, how work it owes is found again
when a worker starts, whose dossier it works on, and the modules a worker of its queue
preloads. The worker's failure hooks (workers.failures), reconcile (workers.reconcile),
preload (workers.stacks), the allowlist of what a worker may run at all (workers.allowlist)
and the web's job view (api.jobs) read this table and nothing else. The queues are named in
its rows and nowhere else: the list of queues, the order a worker takes them in, what
`sohoa worker --queue` offers and the compose file's catch-all worker all come from here. A
new kind of job, on a new queue or not, is one row here and one task module.
"""

from __future__ import annotations

import importlib
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import redis
from rq import Queue, Retry
from rq.job import Job
from rq.serializers import JSONSerializer

from config import defaults
from config.errors import BlobCorrupted, InputRejected, SohoaError
from config.settings import Settings
from storage.digitization import record_certify_failure
from storage.documents import record_failure
from storage.job_records import (
    FailureRecorder,
    JobNoter,
    OwedFinder,
    UnitFinder,
    document_unit,
    dossier_unit,
    note_document_job,
    note_job,
    note_request_job,
    note_result_job,
    owed_certifications,
    owed_digitizations,
    owed_signatures,
    request_unit,
    result_unit,
)
from storage.signatures import record_sign_failure


class JobKind(StrEnum):
    """Every kind of job a worker runs."""

    DIGITIZE = "digitize"
    SIGN = "sign"
    """A leader's signature, văn thư's number and seal on a dossier's result."""
    CERTIFY = "certify"
    """The clerk's signature that makes a digitized component a digitization result."""
    ARCHIVE = "archive"
    SPLIT = "split"
    """A clerk's cut of a digitized upload into documents (the stack's PDF is cut, no page
    read again): keyed by its dossier's code, so a refusal is written on the dossier."""
    MAINTENANCE = "maintenance"
    WEBHOOKS = "webhooks"


@dataclass(frozen=True)
class JobSpec:
    """One kind of job: everything the queue, the worker and reconcile need to know."""

    kind: JobKind
    queues: tuple[str, ...]
    """The queues its jobs may be on, named here and nowhere else. The first is its own:
    where a job goes unless `lane` chooses, what `sohoa worker --queue` names; the others are
    lanes a worker asked for the first also takes, before it (the urgent digitize lane)."""
    task: str
    """Dotted path of the task function; its arguments are JSON, the first is the key."""
    timeout: int
    """Seconds a job may run before rq kills it."""
    id_prefix: str
    """Job ids are `<prefix>-<key>-<random>` (the key with `_` for what rq does not allow
    in an id: a dossier code's dots), or `<prefix>-<slot>` for a standing job."""
    stack: tuple[str, ...]
    """Modules a worker of these queues imports before forking (the task's module first)."""
    final_errors: tuple[type[SohoaError], ...] = (SohoaError,)
    """Errors that fail a job at once, recorded as final (no retry changes them); any other
    error, and a transient one always, raises so rq retries it."""
    retried: bool = True
    """rq's Retry as configured (SOHOA_JOB_RETRIES); a standing job reschedules instead."""
    standing: bool = False
    """One job per time slot (`unique`), scheduled by `schedule` when a worker starts."""
    record_failure: FailureRecorder | None = None
    """Writes a failure on the key's row; None: a `job.failed` event (storage.job_records)."""
    note_job: JobNoter | None = None
    """Notes the job id on the key's row: the database's record that a job covers it."""
    owed: OwedFinder | None = None
    """The rows owed this kind of job (given a session): requeued at start if no job lives."""
    unit_of: UnitFinder | None = None
    """The unit of the dossier its key names (given a session), under whose rule a job is
    shown (api.jobs); None: a job on no dossier, seen by administrators only."""
    priority: int = 9
    """Workers take the queues of lower numbers first (the table's order among equals): a
    leader's signature before an archive, an archive before OCR, OCR before the night's
    care. Kinds sharing a queue share its number."""
    lane: str | None = None
    """Dotted path of `(settings, key) -> queue`, which chooses among its queues from the
    key (the digitize lanes, workers.priority)."""
    schedule: str | None = None
    """Dotted path of `(conn, settings) -> job id`, which schedules the standing job."""
    warm: str | None = None
    """Dotted path of a function a worker calls once before forking (a model to load)."""

    @property
    def module(self) -> str:
        """The module holding the task."""
        return self.task.rpartition(".")[0]


JOBS: dict[JobKind, JobSpec] = {
    spec.kind: spec
    for spec in (
        JobSpec(
            JobKind.DIGITIZE, ("digitize", "digitize-urgent"), "workers.tasks.digitize_document",
            defaults.DIGITIZE_JOB_TIMEOUT, "digitize", ("workers.tasks",),
            final_errors=(InputRejected, BlobCorrupted), record_failure=record_failure,
            note_job=note_document_job, owed=owed_digitizations, unit_of=document_unit,
            priority=2, lane="workers.priority.document_lane",
            warm="digitize.doctype.default_model",
        ),
        JobSpec(
            JobKind.SIGN, ("sign",), "workers.sign_tasks.sign_request",
            defaults.SIGN_JOB_TIMEOUT, "sign", ("workers.sign_tasks",),
            record_failure=record_sign_failure, note_job=note_request_job,
            owed=owed_signatures, unit_of=request_unit, priority=0,
        ),
        JobSpec(
            JobKind.CERTIFY, ("sign",), "workers.certify_tasks.certify_result",
            defaults.SIGN_JOB_TIMEOUT, "certify", ("workers.certify_tasks",),
            record_failure=record_certify_failure, note_job=note_result_job,
            owed=owed_certifications, unit_of=result_unit, priority=0,
        ),
        JobSpec(
            JobKind.ARCHIVE, ("archive",), "workers.archive_tasks.archive_dossier",
            defaults.ARCHIVE_JOB_TIMEOUT, "archive", ("workers.archive_tasks",),
            unit_of=dossier_unit, priority=1,
        ),
        JobSpec(
            JobKind.SPLIT, ("digitize",), "workers.tasks.split_upload",
            defaults.DIGITIZE_JOB_TIMEOUT, "split", ("workers.tasks",), unit_of=dossier_unit,
            priority=2,
        ),
        JobSpec(
            JobKind.MAINTENANCE, ("maintenance",),
            "workers.maintenance.nightly_maintenance", defaults.MAINTENANCE_JOB_TIMEOUT,
            "maintenance-nightly", ("workers.maintenance",), retried=False, standing=True,
            schedule="workers.maintenance.schedule_nightly", priority=3,
        ),
        JobSpec(
            JobKind.WEBHOOKS, ("webhooks",), "workers.webhooks.deliver_webhooks",
            defaults.WEBHOOK_POLL_SECONDS * 30, "webhooks-poll", ("workers.webhooks",),
            retried=False, standing=True, schedule="workers.webhooks.schedule_webhooks",
            priority=4,
        ),
    )
}  # fmt: skip
"""The job table: every kind of job, and so every function a worker may run."""

_BY_TASK = {spec.task: spec for spec in JOBS.values()}


def spec_of_task(func_name: str | None) -> JobSpec | None:
    """The kind of job running this function; None for anything not in the table."""
    return _BY_TASK.get(func_name or "")


def kinds_on(queues: Iterable[str]) -> list[JobSpec]:
    """The kinds of job these queues carry, in the table's order."""
    wanted = set(queues)
    return [spec for spec in JOBS.values() if set(spec.queues) & wanted]


def is_standing(job_id: object) -> bool:
    """Whether a job id (str, or bytes as Redis returns it) is a standing job's (the nightly
    maintenance, the webhook poll): always scheduled, so a burst worker does not wait for it."""
    text = job_id.decode() if isinstance(job_id, bytes) else str(job_id)
    return any(text.startswith(f"{s.id_prefix}-") for s in JOBS.values() if s.standing)


def _function(dotted: str) -> Callable[..., Any]:
    module, _, name = dotted.rpartition(".")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def get_queue(conn: redis.Redis, name: str, job_class: type[Job] = Job) -> Queue:
    """The rq queue by name (a queue of the table), with the JSON serializer every sohoa
    process uses; a worker's own queues make its jobs of the allowlisted class
    (workers.allowlist)."""
    return Queue(name, connection=conn, serializer=JSONSerializer, job_class=job_class)


def retry_policy(settings: Settings) -> Retry | None:
    """rq's Retry for transient failures, as configured (None when retries are off)."""
    if settings.job_retries == 0:
        return None
    return Retry(max=settings.job_retries, interval=list(settings.job_retry_intervals))


def max_attempts(settings: Settings) -> int:
    """Attempts a job of a retried kind gets in all: the first and its retries."""
    return settings.job_retries + 1


def enqueue(
    conn: redis.Redis,
    settings: Settings,
    kind: JobKind,
    *args: Any,
    queue: str | None = None,
    at: datetime | None = None,
    slot: str | None = None,
) -> str:
    """Queue a job of this kind with these JSON arguments (the first is its key) and note
    its id on the key's row; returns the job id. `queue` overrides the kind's choice; `at`
    and `slot` schedule a standing job (one per slot: an existing one is kept,
    rq.exceptions.DuplicateJobError)."""
    spec = JOBS[kind]
    key = args[0] if args else None
    name = queue or (_function(spec.lane)(settings, key) if spec.lane else spec.queues[0])
    if name not in spec.queues:
        raise ValueError(f"a {kind} job does not go on queue {name}")
    if spec.standing:
        if slot is None:
            raise ValueError(f"a {kind} job is standing: it needs its time slot")
        job_id = f"{spec.id_prefix}-{slot}"
    else:
        named = re.sub(r"[^A-Za-z0-9_-]", "_", str(key))  # rq's job id alphabet
        job_id = f"{spec.id_prefix}-{named}-{uuid.uuid4().hex[:12]}"
    options: dict[str, Any] = {
        "job_id": job_id,
        "job_timeout": spec.timeout,
        "failure_ttl": defaults.JOB_FAILURE_TTL,
        "description": f"{kind} {' '.join(str(a) for a in args if a is not None)}".strip(),
        "retry": retry_policy(settings) if spec.retried else None,
    }
    target = get_queue(conn, name)
    if at is not None:
        job = target.enqueue_at(at, spec.task, *args, unique=spec.standing, **options)
    else:
        job = target.enqueue(spec.task, *args, unique=spec.standing, **options)
    if spec.note_job is not None:
        note_job(settings, spec.note_job, key, str(job.id))
    return str(job.id)
