"""The job table is the one home of a kind of job: every kind has its row, and each row
names a task made for that kind by the task boundary, in the module its workers preload."""

from __future__ import annotations

import importlib
import inspect

import pytest

from workers.jobs import JOBS, JobKind, JobSpec, kinds_on
from workers.queues import WORKER_ORDER


def test_every_kind_of_job_has_its_row() -> None:
    assert set(JOBS) == set(JobKind)
    assert all(spec.kind is kind for kind, spec in JOBS.items())


@pytest.mark.parametrize("spec", list(JOBS.values()), ids=str)
def test_each_rows_task_is_its_kinds_task_through_the_one_boundary(spec: JobSpec) -> None:
    """GIVEN a row WHEN its task is imported THEN it is the task boundary's wrapper for this
    kind (workers.boundary.task), and the worker preloads its module first."""
    module = importlib.import_module(spec.module)
    function = getattr(module, spec.task.rpartition(".")[2])
    assert inspect.getclosurevars(function).nonlocals.get("kind") is spec.kind
    assert spec.stack[0] == spec.module


@pytest.mark.parametrize("spec", list(JOBS.values()), ids=str)
def test_each_row_is_found_again_or_written_somewhere(spec: JobSpec) -> None:
    """A kind noting its job on a row has owed work found again from that row and its
    failures written on it; a standing job is scheduled by a worker of its queue."""
    if spec.note_job is not None:
        assert spec.owed is not None and spec.record_failure is not None
    if spec.standing:
        assert spec.schedule is not None and not spec.retried
    assert set(spec.queues) <= set(WORKER_ORDER)
    assert spec in kinds_on(spec.queues)
