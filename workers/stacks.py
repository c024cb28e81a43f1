"""What a worker loads before it forks work horses: the task modules of its own queues and
nothing else, so a `sign` worker never holds OpenCV and the classifier, and every horse
shares its parent's pages instead of importing its stack again for each job.

rq forks a work horse per job (crash isolation: a horse killed mid-job takes only its job
with it). A module the parent has imported is in the horse at no cost; one it has not is
imported again in every horse, a second or more for OpenCV and scikit-learn. And the
bigger the parent, the more each fork costs (its page tables are copied) and the more a
machine's workers weigh. So each kind of job names the modules it runs (workers.jobs),
and a worker imports exactly those of the queues it listens to, at start.

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

from workers.jobs import kinds_on

log = logging.getLogger(__name__)


def task_modules(queues: Sequence[str]) -> tuple[str, ...]:
    """The modules of the kinds of job these queues carry (workers.jobs), each once, in the
    queues' order."""
    return tuple(
        dict.fromkeys(
            module for name in queues for spec in kinds_on((name,)) for module in spec.stack
        )
    )


def preload(queues: Sequence[str]) -> None:
    """Import the task modules of these queues, and warm what their kinds ask for (a
    digitizing worker reads the document type model, which every digitize job uses)."""
    for module in task_modules(queues):
        importlib.import_module(module)
    for spec in kinds_on(queues):
        if spec.warm is not None:
            module, _, name = spec.warm.rpartition(".")
            getattr(importlib.import_module(module), name)()
    log.info("worker loaded the tasks of %s", ", ".join(queues))


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
