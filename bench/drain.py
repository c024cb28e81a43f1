"""Draining a queue of small jobs: what sohoa's queue path costs per job beyond rq's.

The same job, a function that does nothing, is drained, each way in a process of its own,
on one private redis-server:
- `bare rq`: a default Queue (pickle) and `Worker(...).work(burst=True)`, as `rq worker
  --burst` runs it (logging each job at INFO, as sohoa's workers do), in a process that
  imports rq only: the baseline.
- `sohoa <queue> worker`: jobs enqueued as sohoa enqueues that queue's jobs (JSON, retry
  policy, timeouts, job ids; the no-op allowed to run as that queue's kind of job would
  be), drained by `sohoa worker --queue <queue> --burst` (start-up reconcile, scheduler,
  retry wait, the queue's stack held and frozen).
- `rq + <queue> stack`: bare rq again, in a process holding what that worker holds: it
  splits sohoa's overhead into forking a bigger process (rq forks a work horse per job, and
  the fork copies the page tables of the parent's anonymous memory) and the rest.
The headline is the `sign` worker: small jobs (signatures, clerks' certifications) are
what it carries, by the thousand. A `digitize` worker's jobs take seconds of OCR each, and
forking its OpenCV and classifier stack costs it ~10 ms per job: shown, not the headline.
CPU time (process and children) is the measure; wall time is shown beside it.

    .venv/bin/python -m bench.drain [--quick] [--jobs N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import redis

import workers.jobs
from bench.cluster import REPO
from bench.drain_jobs import NOOP, anon_mb, cpu_seconds, enqueue_noops
from config import defaults
from config.settings import get_settings
from workers.jobs import JOBS, JobKind
from workers.queues import get_queue, retry_policy, with_lanes
from workers.redis_embedded import EmbeddedRedis
from workers.stacks import preload
from workers.worker import run_worker

TARGET_MS = 5.0
"""The issue's target: sohoa's overhead per job beyond the work itself."""
HEADLINE = JOBS[JobKind.SIGN].queues[0]
"""The worker whose drain is held to the target: the queue of small jobs."""
KINDS = (HEADLINE, JOBS[JobKind.DIGITIZE].queues[0])

_ENQUEUED_AS = {JOBS[kind].queues[0]: kind for kind in (JobKind.SIGN, JobKind.DIGITIZE)}
"""The kind of job each queue's no-op stands for (workers.jobs)."""


def _allow_noop(kind: JobKind) -> None:
    """Let a worker run the no-op as if it were this kind's task: the job table is the
    allowlist of what workers run (workers.allowlist), and the no-op is no product task."""
    workers.jobs._BY_TASK[NOOP] = dataclasses.replace(JOBS[kind], task=NOOP)


def drain_sohoa(conn: redis.Redis, queue_name: str, jobs: int) -> dict[str, float]:
    """Wall and CPU seconds for a sohoa worker of this queue to drain `jobs` no-op jobs
    enqueued as sohoa enqueues that queue's jobs (its stack loaded before the clock, as
    rq is in the bare process)."""
    settings = get_settings()
    queue = get_queue(conn, queue_name)
    kind = _ENQUEUED_AS[queue_name]
    _allow_noop(kind)
    options = {
        "retry": retry_policy(settings),
        "timeout": JOBS[kind].timeout,
        "failure_ttl": defaults.JOB_FAILURE_TTL,
        "description": "no-op",
    }
    enqueue_noops(queue, jobs, options)
    preload(with_lanes([queue_name]))
    anon = anon_mb()
    wall, cpu = time.perf_counter(), cpu_seconds()
    run_worker(conn, settings, queues=(queue_name,), burst=True)
    figures = {"wall": time.perf_counter() - wall, "cpu": cpu_seconds() - cpu, "anon_mb": anon}
    # finished jobs leave the finished registry after rq's result_ttl (500 s), so what is
    # checked is that none is left waiting, running or failed
    if queue.count or len(queue.started_job_registry) or len(queue.failed_job_registry):
        raise RuntimeError("sohoa's worker left jobs undone or failed")
    return figures


def _child(args: list[str], env: dict[str, str]) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {proc.stderr[-2000:]}")
    figures: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return figures


def _per_job(figures: dict[str, float], jobs: int) -> dict[str, float]:
    return {
        "wall": figures["wall"] / jobs * 1000,
        "cpu": figures["cpu"] / jobs * 1000,
        "anon_mb": figures["anon_mb"],
        "jobs": jobs,
    }


def run(quick: bool, jobs: int | None = None) -> dict[str, Any]:
    """Every drain, one after the other, each in its own process; figures per job."""
    jobs = jobs or (1000 if quick else 10_000)
    diagnostic = max(200, jobs // 5)
    """The other variants only explain the headline: a fifth of the jobs is enough."""
    per: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="sohoa-drain-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
        env.update(SOHOA_DATA_DIR=str(Path(tmp) / "data"), OMP_THREAD_LIMIT="1")
        with EmbeddedRedis(Path(tmp) / "redis") as url:
            env["SOHOA_REDIS_URL"] = url
            conn = redis.Redis.from_url(url)
            bare = ["bench.drain_jobs", "--redis", url, "--jobs"]
            per["bare rq"] = _per_job(_child([*bare, str(jobs)], env), jobs)
            for kind in KINDS:
                n = jobs if kind == HEADLINE else diagnostic
                conn.flushall()
                sohoa = ["bench.drain", "--child", kind, "--jobs", str(n)]
                per[f"sohoa {kind} worker"] = _per_job(_child(sohoa, env), n)
                conn.flushall()
                stack = [*bare, str(diagnostic), "--stack", kind]
                per[f"rq + {kind} stack"] = _per_job(_child(stack, env), diagnostic)
    head, base = per[f"sohoa {HEADLINE} worker"], per["bare rq"]
    overhead = head["cpu"] - base["cpu"]
    return {
        "jobs": jobs,
        "diagnostic_jobs": diagnostic,
        "headline": HEADLINE,
        "ms_per_job": per,
        "overhead_cpu_ms_per_job": overhead,
        "overhead_wall_ms_per_job": head["wall"] - base["wall"],
        "beyond_stack_cpu_ms_per_job": {
            kind: per[f"sohoa {kind} worker"]["cpu"] - per[f"rq + {kind} stack"]["cpu"]
            for kind in KINDS
        },
        "target_ms": TARGET_MS,
        "met": overhead < TARGET_MS,
        "load_1min": os.getloadavg()[0],
    }


def main() -> None:
    """Command line: the drain benchmark alone, or one sohoa worker's side (--child QUEUE)."""
    parser = argparse.ArgumentParser(prog="python -m bench.drain", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 jobs instead of 10,000")
    parser.add_argument("--jobs", type=int, help="how many jobs")
    parser.add_argument(
        "--child", choices=list(KINDS), help="drain as this sohoa worker, print JSON"
    )
    args = parser.parse_args()
    if args.child:
        with redis.Redis.from_url(os.environ["SOHOA_REDIS_URL"]) as conn:
            print(json.dumps(drain_sohoa(conn, args.child, args.jobs)))
        return
    print(json.dumps(run(args.quick, args.jobs), indent=1))


if __name__ == "__main__":
    main()
