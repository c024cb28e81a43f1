"""The queues, as the job table names them: every queue, the order a worker takes them,
a kind's lanes, the queues a worker listens to; and rq's queue by name (workers.jobs puts
jobs on them). A queue is named in a row of workers.jobs and nowhere else."""

from __future__ import annotations

from collections.abc import Sequence

from workers.jobs import JOBS, get_queue, retry_policy

__all__ = [
    "all_queues",
    "get_queue",
    "retry_policy",
    "with_lanes",
    "worker_order",
    "worker_queues",
]


def all_queues() -> tuple[str, ...]:
    """Every queue of the table, each once, in the table's order (as `sohoa status` lists
    them)."""
    return tuple(dict.fromkeys(name for spec in JOBS.values() for name in spec.queues))


def with_lanes(queues: Sequence[str]) -> tuple[str, ...]:
    """The queues a worker asked for these listens to: a kind's own queue brings its other
    lanes, taken before it (`digitize` its urgent lane), unless they were asked for too."""
    out: list[str] = []
    for name in queues:
        for spec in JOBS.values():
            if spec.queues[0] == name:
                out.extend(lane for lane in spec.queues[1:] if lane not in queues)
        out.append(name)
    return tuple(dict.fromkeys(out))


def worker_order() -> tuple[str, ...]:
    """Every queue in the order a worker takes them: by its kinds' priority, then the
    table's order, each kind's lanes before its own queue."""
    ranked = sorted(JOBS.values(), key=lambda spec: spec.priority)
    return with_lanes(list(dict.fromkeys(spec.queues[0] for spec in ranked)))


def worker_queues(asked: Sequence[str] = (), skipped: Sequence[str] = ()) -> tuple[str, ...]:
    """The queues a worker listens to, in order: those asked for with their lanes, or every
    queue but the skipped ones and their lanes (`sohoa worker --except sign`)."""
    chosen = with_lanes(asked) if asked else worker_order()
    unwanted = set(with_lanes(skipped))
    return tuple(name for name in chosen if name not in unwanted)
