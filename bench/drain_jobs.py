"""The no-op job of the drain benchmark, and its bare-rq side: a process that imports rq
and nothing of sohoa, unless asked to hold what a sohoa worker of one queue holds.

    python -m bench.drain_jobs --redis URL --jobs N [--stack QUEUE]

prints {"wall", "cpu", "anon_mb"} of draining N no-op jobs with `Worker(...).work(burst=True)`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import time
import uuid
from pathlib import Path
from typing import Any

import redis
from rq import Queue, Worker

NOOP = "bench.drain_jobs.noop"
BATCH = 1000
"""Jobs enqueued per pipeline round trip (enqueueing is not what is measured)."""


def noop() -> None:
    """The job: nothing, so all that is measured is the machinery around it."""


def enqueue_noops(queue: Queue, jobs: int, options: dict[str, Any]) -> None:
    """Put `jobs` no-op jobs on the queue, with the given enqueue options."""
    for start in range(0, jobs, BATCH):
        batch = [
            Queue.prepare_data(NOOP, job_id=f"noop-{uuid.uuid4().hex}", **options)
            for _ in range(start, min(jobs, start + BATCH))
        ]
        queue.enqueue_many(batch)


def anon_mb() -> float:
    """This process's anonymous memory (what fork copies the page tables of), in MB."""
    with Path(f"/proc/{os.getpid()}/smaps_rollup").open(encoding="ascii") as f:
        for line in f:
            if line.startswith("Anonymous:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds() -> float:
    """CPU of this process and every child it waited for (the work horses)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def drain_bare(conn: redis.Redis, jobs: int) -> dict[str, float]:
    """Wall and CPU seconds for rq alone to work `jobs` no-op jobs."""
    queue = Queue("bare", connection=conn)
    enqueue_noops(queue, jobs, {})
    anon = anon_mb()
    wall, cpu = time.perf_counter(), cpu_seconds()
    # rq's default level, INFO, as `rq worker` and sohoa's workers log: a line per job
    Worker([queue], connection=conn).work(burst=True, logging_level="INFO")
    figures = {"wall": time.perf_counter() - wall, "cpu": cpu_seconds() - cpu, "anon_mb": anon}
    # finished jobs leave the finished registry after rq's result_ttl (500 s), so what is
    # checked is that none is left waiting, running or failed
    if queue.count or len(queue.started_job_registry) or len(queue.failed_job_registry):
        raise RuntimeError("bare rq left jobs undone or failed")
    return figures


def main() -> None:
    """Command line: one bare-rq drain, its figures as JSON on stdout."""
    parser = argparse.ArgumentParser(prog="python -m bench.drain_jobs", description=__doc__)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--jobs", type=int, required=True)
    parser.add_argument("--stack", help="first load what a sohoa worker of this queue holds")
    args = parser.parse_args()
    # the job's module held by the parent, as sohoa's worker holds it: not imported per horse
    importlib.import_module(NOOP.rpartition(".")[0])
    if args.stack:
        stacks = importlib.import_module("workers.stacks")
        queues = importlib.import_module("workers.queues")
        stacks.preload(queues.with_lanes([args.stack]))
    print(json.dumps(drain_bare(redis.Redis.from_url(args.redis), args.jobs)))


if __name__ == "__main__":
    main()
