"""Draining a queue of small jobs: what sohoa's queue path costs per job beyond rq's.

The same job, a function that does nothing, is drained N times, each way in a process of
its own, on one private redis-server:
- `bare rq`: a default Queue (pickle) and `Worker(...).work(burst=True)`, as `rq worker
  --burst` runs it, in a process that imports rq only: the baseline.
- `rq + sohoa imports`: the same, in a process holding what a sohoa worker holds (the
  document type model, OpenCV, scikit-learn, pyHanko, SQLAlchemy): rq forks a work horse
  per job, and forking and tearing down a bigger process costs more.
- `sohoa`: jobs enqueued as sohoa enqueues them (JSON, retry policy, failure callback,
  timeouts, job ids), drained by `sohoa worker --burst` (start-up reconcile, priority pass,
  model preload, scheduler, retry wait).
Overhead = (sohoa - bare rq) / N; the work itself is zero in all three.

    .venv/bin/python -m bench.drain [--quick] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import redis
from rq import Callback

from bench.cluster import REPO
from bench.drain_jobs import cpu_seconds, enqueue_noops
from config import defaults
from config.settings import get_settings
from workers.queues import FAILURE_CALLBACK, QueueName, get_queue, retry_policy
from workers.redis_embedded import EmbeddedRedis
from workers.worker import run_worker

TARGET_MS = 5.0
"""The issue's target: sohoa's overhead per job beyond the work itself."""


def drain_sohoa(conn: redis.Redis, jobs: int) -> dict[str, float]:
    """Wall and CPU seconds for sohoa's worker to drain `jobs` no-op jobs enqueued as sohoa
    enqueues every job."""
    settings = get_settings()
    queue = get_queue(conn, QueueName.DIGITIZE)
    options = {
        "retry": retry_policy(settings),
        "on_failure": Callback(FAILURE_CALLBACK),
        "timeout": defaults.DIGITIZE_JOB_TIMEOUT,
        "failure_ttl": defaults.JOB_FAILURE_TTL,
        "description": "no-op",
    }
    enqueue_noops(queue, jobs, options)
    wall, cpu = time.perf_counter(), cpu_seconds()
    run_worker(conn, settings, queues=(QueueName.DIGITIZE,), burst=True)
    figures = {"wall": time.perf_counter() - wall, "cpu": cpu_seconds() - cpu}
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


def run(quick: bool, jobs: int | None = None) -> dict[str, Any]:
    """The three drains, one after the other, each in its own process; figures per job."""
    jobs = jobs or (1000 if quick else 10_000)
    diagnostic = max(200, jobs // 5)
    """The middle variant only explains the gap: a fifth of the jobs is enough."""
    with tempfile.TemporaryDirectory(prefix="sohoa-drain-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
        env.update(SOHOA_DATA_DIR=str(Path(tmp) / "data"), OMP_THREAD_LIMIT="1")
        with EmbeddedRedis(Path(tmp) / "redis") as url:
            env["SOHOA_REDIS_URL"] = url
            conn = redis.Redis.from_url(url)
            bare = _child(["bench.drain_jobs", "--redis", url, "--jobs", str(jobs)], env)
            conn.flushall()
            heavy = _child(
                ["bench.drain_jobs", "--redis", url, "--jobs", str(diagnostic), "--preload"], env
            )
            conn.flushall()
            sohoa = _child(["bench.drain", "--child", "--jobs", str(jobs)], env)
    per = {
        "bare rq": {k: v / jobs * 1000 for k, v in bare.items()},
        "rq + sohoa imports": {k: v / diagnostic * 1000 for k, v in heavy.items()},
        "sohoa": {k: v / jobs * 1000 for k, v in sohoa.items()},
    }
    overhead = per["sohoa"]["wall"] - per["bare rq"]["wall"]
    return {
        "jobs": jobs,
        "diagnostic_jobs": diagnostic,
        "ms_per_job": per,
        "overhead_ms_per_job": overhead,
        "overhead_cpu_ms_per_job": per["sohoa"]["cpu"] - per["bare rq"]["cpu"],
        "target_ms": TARGET_MS,
        "met": overhead < TARGET_MS,
        "load_1min": os.getloadavg()[0],
    }


def main() -> None:
    """Command line: the drain benchmark alone, or its sohoa side (--child)."""
    parser = argparse.ArgumentParser(prog="python -m bench.drain", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 jobs instead of 10,000")
    parser.add_argument("--jobs", type=int, help="how many jobs")
    parser.add_argument("--child", action="store_true", help="drain as sohoa, print JSON")
    args = parser.parse_args()
    if args.child:
        with redis.Redis.from_url(os.environ["SOHOA_REDIS_URL"]) as conn:
            print(json.dumps(drain_sohoa(conn, args.jobs)))
        return
    print(json.dumps(run(args.quick, args.jobs), indent=1))


if __name__ == "__main__":
    main()
