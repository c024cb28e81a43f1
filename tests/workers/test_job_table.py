"""The job table is the one home of a kind of job: every kind has its row, and each row
names a task made for that kind by the task boundary, in the module its workers preload."""

from __future__ import annotations

import importlib
import inspect
from dataclasses import replace
from typing import cast

import click
import pytest
import redis

from api.cli.worker_cmd import worker
from config.settings import get_settings
from tests.test_docker import served_queues
from workers.jobs import JOBS, JobKind, JobSpec, enqueue, kinds_on
from workers.queues import all_queues, get_queue, worker_order, worker_queues
from workers.stacks import task_modules


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
    assert set(spec.queues) <= set(worker_order())
    assert spec in kinds_on(spec.queues)


def test_the_queues_come_from_the_table_in_the_order_workers_take_them() -> None:
    """The table names every queue; workers take them by their kinds' priority, each
    kind's lanes before its own queue; `sohoa worker` offers exactly these."""
    assert all_queues() == (
        "digitize", "digitize-urgent", "sign", "archive", "maintenance", "webhooks",
    )  # fmt: skip
    assert worker_order() == (
        "sign", "archive", "digitize-urgent", "digitize", "maintenance", "webhooks",
    )  # fmt: skip
    for kinds in (kinds_on((name,)) for name in all_queues()):
        assert len({spec.priority for spec in kinds}) == 1  # a shared queue, one rank
    options = {param.name: param for param in worker.params}
    for name in ("queue_names", "skipped"):
        choice = options[name].type
        assert isinstance(choice, click.Choice)
        assert tuple(choice.choices) == all_queues()
    assert worker_queues((), ("digitize", "sign", "archive")) == ("maintenance", "webhooks")


EXPORTS = replace(
    JOBS[JobKind.ARCHIVE], queues=("exports",), task="workers.export_tasks.export_dossier",
    id_prefix="export", stack=("workers.export_tasks",), priority=1,
)  # fmt: skip
"""A kind of job that does not exist, on a queue that does not exist."""


def test_a_new_kind_on_a_new_queue_is_one_row_of_the_table(
    monkeypatch: pytest.MonkeyPatch, redis_conn: redis.Redis
) -> None:
    """GIVEN one row added to the job table, for a new kind on a new queue (and nothing
    else edited) WHEN workers, the CLI's resolution, the compose file and enqueue read it
    THEN the queue is listed, ranked, served, preloaded and queued onto."""
    export = cast(JobKind, "export")
    monkeypatch.setitem(JOBS, export, EXPORTS)
    assert all_queues()[-1] == "exports"
    assert worker_order() == (
        "sign", "archive", "exports", "digitize-urgent", "digitize", "maintenance", "webhooks",
    )  # fmt: skip
    assert worker_queues(("exports",)) == ("exports",)
    assert kinds_on(("exports",)) == [EXPORTS]
    assert task_modules(("exports",)) == ("workers.export_tasks",)
    assert "exports" in served_queues()["worker-maintenance"]  # no compose edit needed
    job_id = enqueue(redis_conn, get_settings(), export, 7)
    assert job_id.startswith("export-7-")
    assert get_queue(redis_conn, "exports").job_ids == [job_id]
