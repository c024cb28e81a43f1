"""A worker runs sohoa's own tasks and nothing else, whatever a job in Redis names.

rq resolves a job's function, and its success, failure and stopped callbacks, from dotted
names stored in Redis (`rq.utils.import_attribute`): anyone who can write to Redis could
name `os.system` and run it in a worker, one that holds the organisation's signing key.
`SohoaJob`, the class a sohoa worker makes its jobs of, resolves the function through the
job table (workers.jobs) only: a name not in it is refused before anything is imported or
called, and the job fails at once, without retry, with the reason in its record. Callbacks
stored on a job are never read: every job's failure goes to workers.failures.
"""

from __future__ import annotations

import importlib
from typing import Any

from rq.job import Job

from config.errors import SohoaError
from workers.failures import on_job_failure
from workers.jobs import spec_of_task


class TaskNotAllowed(SohoaError):
    """A job named a function that is not one of sohoa's tasks."""

    code = "task_not_allowed"
    hint_vi = "Hàng đợi chứa một công việc lạ; hãy báo cho quản trị hệ thống kiểm tra Redis."


def allowed_task(job: Job) -> Any:
    """The task function of a job, if the job table has it; TaskNotAllowed otherwise."""
    spec = spec_of_task(job.func_name)
    if spec is None or job.instance is not None:
        job.retries_left = 0  # refused for good: nothing a retry could change
        raise TaskNotAllowed(f"job {job.id} names {job.func_name!r}, which is not a sohoa task")
    return getattr(importlib.import_module(spec.module), spec.task.rpartition(".")[2])


class SohoaJob(Job):
    """An rq job whose function and callbacks come from the job table, never from Redis."""

    @property
    def func(self) -> Any:
        """The task, resolved through the job table (rq would import any dotted name)."""
        return allowed_task(self)

    @property
    def success_callback(self) -> Any:
        """None: outcomes are written by the tasks themselves."""
        return None

    @property
    def failure_callback(self) -> Any:
        """workers.failures.on_job_failure, for every job (the stored name is ignored)."""
        return on_job_failure

    @property
    def stopped_callback(self) -> Any:
        """None: a stopped job is requeued by the worker (workers.worker)."""
        return None
