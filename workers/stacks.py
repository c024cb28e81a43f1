"""What a worker loads before it forks work horses: the task modules of its own queues and
nothing else, so a `sign` worker never holds OpenCV and the classifier, and every horse
shares its parent's pages instead of importing its stack again for each job.

rq forks a work horse per job (crash isolation: a horse killed mid-job takes only its job
with it). A module the parent has imported is in the horse at no cost; one it has not is
imported again in every horse, a second or more for OpenCV and scikit-learn. And the
bigger the parent, the more each fork costs (its page tables are copied) and the more a
machine's workers weigh. So each queue names the modules its jobs run, and a worker
imports exactly those of the queues it listens to, at start.

Then the parent's objects are moved out of the collector's reach (`gc.freeze`): a horse's
garbage collections would otherwise write to every object it inherited, copying each page
they sit on into the horse (CPython's documented advice for fork-without-exec servers).
"""

from __future__ import annotations

import gc
import importlib
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from workers.queues import QueueName

log = logging.getLogger(__name__)

TASK_MODULES: dict[QueueName, tuple[str, ...]] = {
    QueueName.SIGN: ("workers.sign_tasks", "workers.certify_tasks"),
    QueueName.ARCHIVE: ("workers.archive_tasks",),
    QueueName.DIGITIZE_URGENT: ("workers.tasks",),
    QueueName.DIGITIZE: ("workers.tasks",),
    QueueName.MAINTENANCE: ("workers.maintenance",),
    QueueName.WEBHOOKS: ("workers.webhooks",),
}
"""The modules holding the jobs (and their failure callbacks) each queue carries, as its
jobs name them by dotted path (workers.queues, workers.sign_queue...)."""


def task_modules(queues: Sequence[QueueName]) -> tuple[str, ...]:
    """The task modules of these queues, each once, in the queues' order."""
    return tuple(dict.fromkeys(m for name in queues for m in TASK_MODULES[name]))


def preload(queues: Sequence[QueueName]) -> None:
    """Import the task modules of these queues; a digitizing worker also reads the
    document type model, which every digitize job classifies with."""
    for module in task_modules(queues):
        importlib.import_module(module)
    if QueueName.DIGITIZE in queues or QueueName.DIGITIZE_URGENT in queues:
        from digitize.classify import default_model  # only digitizing workers hold it

        default_model()
    log.info("worker loaded the tasks of %s", ", ".join(q.value for q in queues))


@contextmanager
def frozen_heap() -> Iterator[None]:
    """While forking work horses: the objects the worker holds now are left out of garbage
    collection (so horses do not copy their pages by collecting them); back in after, so a
    worker run inside a longer process (tests, the benchmark) leaks nothing."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
